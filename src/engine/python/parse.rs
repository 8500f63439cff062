//! The tracer's output (`tracer.py`), line by line, into the same tasks and events a Rust run
//! records. One record a line, fields separated by tabs, text fields escaped (`\\`, `\t`,
//! `\n`, `\r`); times in nanoseconds of virtual time; task ids ours, from 1.
//!
//! ```text
//! V    3.11.7                                  the interpreter's version (first line)
//! T    2  1  async  coro                       a task: id, parent (0: none), kind, name
//! E    1000000000  2  W  12  sleep:2000000000  an event: time, task, kind, fields
//! W    1000000000  3  blocked  1.000           something asyncio itself warned about
//! M    1010000000                              the clock ran at real speed: times from here
//!                                              on depend on the machine
//! END  ok                                      how the program ended (last line)
//! ```

use std::borrow::Cow;

use crate::engine::event::{
    Await, Awaits, Canceller, Event, EventKind, TaskId, TaskKind, TaskMeta, Text, VARYING_CLOSE,
    VARYING_OPEN, VTime, Value, WakeCause, Warning,
};

/// How the traced program ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// It finished (exit status 0).
    Ok,
    /// `sys.exit` with this non-zero status.
    Exit(i32),
    /// An exception escaped the program: `ExcType: message`.
    Error(String),
    /// A limit stopped it: `events`, `virtual` or `real`.
    Limit(String),
    /// An exception escaped a thread.
    Thread(String),
}

/// What the tracer reported so far.
#[derive(Debug, Default)]
pub struct Parsed {
    pub version: Option<String>,
    pub tasks: Vec<TaskMeta>,
    pub events: Vec<Event>,
    pub ending: Option<Ending>,
    /// The first event whose time depends on the machine (the clock ran at real speed before
    /// it), if any.
    pub machine_from: Option<usize>,
}

impl Parsed {
    /// Takes in one line of the tracer's output; an error says what is wrong with it.
    pub fn line(&mut self, line: &str) -> Result<(), String> {
        let mut fields = line.split('\t');
        let record = fields.next().unwrap_or_default();
        let mut next = |what: &str| fields.next().ok_or_else(|| format!("no {what}"));
        match record {
            "V" => self.version = Some(next("version")?.to_owned()),
            "T" => {
                let id = task(next("task id")?)?;
                let parent = match next("parent")? {
                    "0" => None,
                    parent => Some(task(parent)?),
                };
                let kind = match next("kind")? {
                    "async" => TaskKind::Async,
                    "thread" => TaskKind::Blocking,
                    other => return Err(format!("a task of kind `{other}`")),
                };
                let name = unescape(next("name")?);
                if id.0 as usize != self.tasks.len() + 1 {
                    return Err(format!("task {id} out of order"));
                }
                self.tasks.push(TaskMeta { id, name: Cow::Owned(name), parent, kind });
            }
            "E" | "W" => {
                let at = VTime(number(next("time")?)?);
                let task_field = next("task")?;
                let task = match (record, task_field) {
                    // A warning about no task in particular is the program's own (#1).
                    ("W", "0") => TaskId(1),
                    (_, field) => task(field)?,
                };
                if task.0 as usize > self.tasks.len() {
                    return Err(format!("an event of task {task}, not known yet"));
                }
                let kind = if record == "W" {
                    let what = warning(next("warning")?)?;
                    EventKind::Warning {
                        what,
                        text: mark_addresses(&unescape(fields.next().unwrap_or_default())).into(),
                    }
                } else {
                    event(next("kind")?, &mut fields)?
                };
                self.events.push(Event { at, task, kind });
            }
            "END" => {
                let how = next("how")?;
                let text = || unescape(fields.clone().collect::<Vec<_>>().join("\t").as_str());
                self.ending = Some(match how {
                    "ok" => Ending::Ok,
                    "exit" => Ending::Exit(
                        text().trim().parse().map_err(|_| "an exit status that is not a number")?,
                    ),
                    "error" => Ending::Error(text()),
                    "limit" => Ending::Limit(text()),
                    "thread" => Ending::Thread(text()),
                    other => return Err(format!("an ending `{other}`")),
                });
            }
            "M" => {
                self.machine_from.get_or_insert(self.events.len());
            }
            "" => {}
            other => return Err(format!("a record `{other}`")),
        }
        Ok(())
    }
}

fn number(field: &str) -> Result<u64, String> {
    field.parse().map_err(|_| format!("`{field}` is not a number"))
}

fn task(field: &str) -> Result<TaskId, String> {
    match number(field)? {
        0 => Err("task 0".into()),
        id if id > u32::MAX as u64 => Err(format!("task {id}")),
        id => Ok(TaskId(id as u32)),
    }
}

/// `task:3` → #3, for the fields that name a task.
fn tagged_task(field: &str, tag: &str) -> Option<Result<TaskId, String>> {
    field.strip_prefix(tag).and_then(|rest| rest.strip_prefix(':')).map(task)
}

fn event<'a>(kind: &str, fields: &mut impl Iterator<Item = &'a str>) -> Result<EventKind, String> {
    let mut next = |what: &str| fields.next().ok_or_else(|| format!("no {what}"));
    Ok(match kind {
        "C" => EventKind::Created,
        "S" => EventKind::Scheduled { by: cause(next("cause")?)? },
        "R" => EventKind::Running,
        "W" => {
            let line = number(next("line")?)?;
            let awaits = next("awaits")?.split(';').map(awaited).collect::<Result<Vec<_>, _>>()?;
            EventKind::Suspended { awaits: Awaits::new(awaits), line: (line > 0).then_some(line as u32) }
        }
        "D" => EventKind::Done { result: Value::Debug(mark_addresses(&unescape(next("value")?)).into()) },
        "A" => EventKind::CancelAsked { by: canceller(next("canceller")?)?.unwrap_or(Canceller::Loop) },
        "X" => EventKind::Cancelled { by: canceller(next("canceller")?)? },
        "F" => EventKind::Failed { error: mark_addresses(&unescape(next("error")?)).into() },
        "P" => EventKind::Print { text: Text::from(unescape(fields.next().unwrap_or_default())) },
        other => return Err(format!("an event of kind `{other}`")),
    })
}

fn cause(field: &str) -> Result<WakeCause, String> {
    if let Some(task) = tagged_task(field, "task") {
        return Ok(WakeCause::Task(task?));
    }
    if let Some(task) = tagged_task(field, "done") {
        return Ok(WakeCause::Finished(task?));
    }
    Ok(match field {
        "spawn" => WakeCause::Spawn,
        "self" => WakeCause::Itself,
        "timer" => WakeCause::Timer,
        "io" => WakeCause::Io,
        "thread" => WakeCause::OtherThread,
        "loop" => WakeCause::Runtime,
        other => return Err(format!("a cause `{other}`")),
    })
}

/// Who asked for a cancel; `-`: nobody seen.
fn canceller(field: &str) -> Result<Option<Canceller>, String> {
    if let Some(task) = tagged_task(field, "task") {
        return Ok(Some(Canceller::Task(task?)));
    }
    Ok(match field {
        "viewer" => Some(Canceller::Viewer),
        "loop" => Some(Canceller::Loop),
        "-" => None,
        other => return Err(format!("a canceller `{other}`")),
    })
}

fn awaited(item: &str) -> Result<Await, String> {
    if let Some(task) = tagged_task(item, "task") {
        return Ok(Await::Task { task: task? });
    }
    let (name, value) = item.split_once(':').unwrap_or((item, ""));
    let until = || number(value).map(VTime);
    Ok(match name {
        "sleep" => Await::Sleep { until: until()? },
        "timeout" => Await::Timeout { until: until()? },
        "lock" => Await::Lock,
        "event" => Await::Event,
        "condition" => Await::Condition,
        "semaphore" => Await::Permit,
        "queue_get" => Await::QueueGet,
        "queue_put" => Await::QueuePut,
        "thread" => Await::Thread,
        "read" => Await::Read,
        "write" => Await::Write,
        "connect" => Await::Connect,
        "accept" => Await::Accept,
        "yield" => Await::Yield,
        "future" => Await::Future,
        "loop" => Await::Loop,
        "unknown" => Await::Unknown,
        other => return Err(format!("an await `{other}`")),
    })
}

fn warning(field: &str) -> Result<Warning, String> {
    Ok(match field {
        "blocked" => Warning::Blocked,
        "never_awaited" => Warning::NeverAwaited,
        "destroyed_pending" => Warning::DestroyedPending,
        "unretrieved" => Warning::Unretrieved,
        other => return Err(format!("a warning `{other}`")),
    })
}

/// Marks memory addresses in a repr (`<Lock object at 0x7f…>`) as varying values: they differ
/// from machine to machine (and with the length of a path), as nothing else in a run does.
fn mark_addresses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("0x") {
        let digits = rest[at + 2..].chars().take_while(char::is_ascii_hexdigit).count();
        let end = at + 2 + digits;
        out.push_str(&rest[..at]);
        if digits >= 6 {
            out.push(VARYING_OPEN);
            out.push_str(&rest[at..end]);
            out.push(VARYING_CLOSE);
        } else {
            out.push_str(&rest[at..end]);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Undoes the tracer's escapes: `\\`, `\t`, `\n`, `\r`.
fn unescape(field: &str) -> String {
    if !field.contains('\\') {
        return field.to_owned();
    }
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tracers_lines_become_tasks_and_events() {
        let mut parsed = Parsed::default();
        for line in [
            "V\t3.11.7",
            "T\t1\t0\tasync\t<module>",
            "E\t0\t1\tC",
            "T\t2\t1\tasync\tmain",
            "E\t0\t2\tC",
            "E\t0\t2\tS\tspawn",
            "E\t0\t2\tR",
            "E\t0\t2\tW\t12\tsleep:1000000000;task:1",
            "E\t0\t2\tP\tпривет\\tмир\\\\",
            "W\t0\t0\tnever_awaited\tcoro",
            "E\t1000000000\t2\tS\ttimer",
            "E\t1000000000\t2\tD\t[1, 2]",
            "END\terror\tValueError: плохо",
        ] {
            parsed.line(line).unwrap_or_else(|e| panic!("{line:?}: {e}"));
        }
        assert_eq!(parsed.version.as_deref(), Some("3.11.7"));
        assert_eq!(parsed.tasks[1].name, "main");
        assert_eq!(parsed.tasks[1].parent, Some(TaskId(1)));
        assert_eq!(
            parsed.events[4].kind,
            EventKind::Suspended {
                awaits: Awaits::new(vec![
                    Await::Sleep { until: VTime(1_000_000_000) },
                    Await::Task { task: TaskId(1) }
                ]),
                line: Some(12)
            }
        );
        assert_eq!(parsed.events[5].kind, EventKind::Print { text: "привет\tмир\\".into() });
        assert_eq!(parsed.events[6].task, TaskId(1), "a warning about no task is the program's");
        assert_eq!(parsed.ending, Some(Ending::Error("ValueError: плохо".into())));
        for bad in ["E\t0\t9\tC", "T\t5\t0\tasync\tx", "E\tx\t1\tC", "E\t0\t1\tQ", "Z", "E\t0\t1\tW\t1\tnope"]
        {
            let mut fresh = Parsed::default();
            fresh.line("T\t1\t0\tasync\t<module>").unwrap();
            assert!(fresh.line(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn addresses_are_marked_as_varying_and_small_hex_numbers_are_not() {
        assert_eq!(
            mark_addresses("<Lock object at 0x7ffff671a110 [locked]> and 0x10"),
            "<Lock object at ⟪0x7ffff671a110⟫ [locked]> and 0x10"
        );
        assert_eq!(mark_addresses("no address"), "no address");
    }
}
