//! The plain transcript: a deterministic text rendering of a trace.
//!
//! One line per event (virtual time, task, state change or printed line), then a table of every
//! task's final state, result and time spent in each state. Used by `asyncdemo run --plain`,
//! whenever stdout is not a terminal, and by the snapshot tests. Same trace, same bytes.

use std::fmt::Write;

use super::describe;
use super::shown::{SHOWN_TASKS, Shown};
use super::table::Table;
use super::width::{self, fit, pad};
use crate::engine::event::{EventKind, TaskId, Trace, VARYING_CLOSE, VARYING_OPEN};
use crate::engine::lifecycle::{IllegalTransition, Lifecycle};
use crate::lesson::Lang;
use crate::lesson::prints::Prints;

/// The widest a task name column gets; longer names are cut with `…`.
const MAX_NAME: usize = 26;
/// The widest an await description gets before the source line is appended.
const MAX_AWAIT: usize = 34;
/// The widest a result gets in the final table.
const MAX_RESULT: usize = 28;

/// What the header says about the run.
pub struct Header<'a> {
    /// The lesson title.
    pub title: &'a str,
    /// The source file of what ran (the demo, or the Python program).
    pub file: &'a str,
    pub seed: u64,
    /// Printed lines in the reader's language (`None`: as printed).
    pub prints: Option<(&'a Prints, Lang)>,
    pub source: Source,
    /// From this event on, times depend on the machine (a Python run's clock ran at real
    /// speed while a thread or a socket was busy): they are marked `⟪…⟫`, as varying values
    /// are, and so are the table's durations.
    pub machine_from: Option<usize>,
}

/// What ran.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A Rust demo on tokio.
    Rust,
    /// A Python program on asyncio, under asyncdemo's tracer.
    Python,
}

impl Source {
    /// How the run was made, and how its tasks are named (tokio has no stable way to name a
    /// task, so the trace names each after the code it runs, as Python's task `repr` names its
    /// coroutine).
    fn describe(self) -> (&'static str, &'static str) {
        match self {
            Source::Rust => (
                "demo",
                "task names: the function a task runs (f::{async}, f::{closure}: a block or closure in f); #1 main is block_on's future",
            ),
            Source::Python => (
                "python",
                "task names: the coroutine a task runs (its __qualname__); #1 <module> is the program itself, waiting while an event loop runs; thread: a job run_in_executor or to_thread runs",
            ),
        }
    }
}

/// Which tasks a transcript shows in full, and how wide its id and name columns are.
struct Columns {
    shown: Shown,
    id_width: usize,
    name_width: usize,
}

impl Columns {
    fn of(trace: &Trace) -> Columns {
        let shown = Shown::of(trace);
        let name_width = trace
            .tasks
            .iter()
            .filter(|t| shown.task(t.id))
            .map(|t| width::width(&t.name).min(MAX_NAME))
            .max()
            .unwrap_or(4)
            .max(4);
        Columns { shown, id_width: trace.tasks.len().to_string().len() + 1, name_width }
    }

    fn shown(&self, task: TaskId) -> bool {
        self.shown.task(task)
    }
}

/// Renders the whole transcript.
pub fn render(header: &Header<'_>, trace: &Trace) -> Result<String, IllegalTransition> {
    let mut out = String::new();
    let (what, names) = header.source.describe();
    let _ = writeln!(out, "{}", header.title);
    let _ = writeln!(out, "{what} {} · virtual time · seed {}", header.file, header.seed);
    let _ = writeln!(out, "{names}");
    let _ = writeln!(out);

    let columns = Columns::of(trace);
    let (id_width, name_width) = (columns.id_width, columns.name_width);
    let shown = |task: TaskId| columns.shown(task);
    if columns.shown.summed_up {
        let left_out = trace.events.iter().filter(|e| !shown(e.task)).count();
        let _ = writeln!(
            out,
            "{} tasks: the events of #1…#{SHOWN_TASKS} in full; {left_out} events of the other {} tasks are counted in the table\n",
            trace.tasks.len(),
            columns.shown.counted(trace.tasks.len()),
        );
    }

    let await_width = trace
        .events
        .iter()
        .filter(|e| shown(e.task))
        .filter_map(|e| match &e.kind {
            EventKind::Suspended { awaits, .. } => Some(width::width(&awaits.to_string()).min(MAX_AWAIT)),
            _ => None,
        })
        .max()
        .unwrap_or(0);

    let mut lifecycle = Lifecycle::default();
    for (index, event) in trace.events.iter().enumerate() {
        if !shown(event.task) {
            lifecycle.apply(&trace.tasks, event)?;
            continue;
        }
        let detail = match &event.kind {
            EventKind::Created => match trace.task(event.task).parent {
                Some(parent) => format!("{:<10} parent {parent}", "Created"),
                None => "Created".to_owned(),
            },
            EventKind::Scheduled { by } => {
                let why = describe::wake(*by, trace.task(event.task).parent, header.source, Lang::En);
                format!("{:<10} {why}", "Scheduled")
            }
            EventKind::Running => "Running".to_owned(),
            EventKind::Suspended { awaits, line } => {
                let what = fit(&awaits.to_string(), MAX_AWAIT);
                match line {
                    Some(line) => {
                        format!("{:<10} {}  @ {}:{line}", "Suspended", pad(&what, await_width), header.file)
                    }
                    None => format!("{:<10} {what}", "Suspended"),
                }
            }
            EventKind::Done { result } => format!("{:<10} → {result}", "Done"),
            EventKind::Cancelled { by: None } => "Cancelled".to_owned(),
            EventKind::Cancelled { by: Some(by) } => format!("{:<10} by {by}", "Cancelled"),
            EventKind::CancelAsked { by } => format!("{:<10} asked by {by}", "cancel"),
            EventKind::Failed { error } => format!("{:<10} ✗ {error}", "Failed"),
            EventKind::Warning { what, text } => describe::warning(*what, text, Lang::En),
            EventKind::Print { text } => match header.prints {
                Some((prints, lang)) => format!("│ {}", prints.show(text, lang)),
                None => format!("│ {text}"),
            },
        };
        lifecycle.apply(&trace.tasks, event)?;
        let name = fit(&trace.task(event.task).name, MAX_NAME);
        let (at, detail) = match header.machine_from {
            // The times in what the event says vary with the machine too (a deadline).
            Some(from) if index >= from => {
                (format!("{VARYING_OPEN}{}{VARYING_CLOSE}", event.at), mark_times(&detail))
            }
            _ => (event.at.to_string(), detail),
        };
        let line = format!(
            "{:>10}  {:>id_width$}  {}  {}",
            at,
            event.task.to_string(),
            pad(&name, name_width),
            detail
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }

    let _ = writeln!(out);
    render_table(
        &mut out,
        &Table::of(&lifecycle, columns.shown),
        id_width,
        name_width,
        header.machine_from.is_some(),
    );
    if trace.dropped > 0 {
        let _ = writeln!(out, "\n{} events were dropped (over the event limit)", trace.dropped);
    }
    Ok(out)
}

/// `timeout at 1.110 s`: each time (`<digits>.<3 digits> s`) marked as a varying value.
fn mark_times(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(" s") {
        let before = &rest[..at];
        let number = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.').len();
        let token = &before[before.len() - number..];
        let is_time = token.split_once('.').is_some_and(|(whole, part)| !whole.is_empty() && part.len() == 3);
        if is_time {
            out.push_str(&before[..before.len() - number]);
            out.push(VARYING_OPEN);
            out.push_str(token);
            out.push_str(" s");
            out.push(VARYING_CLOSE);
        } else {
            out.push_str(before);
            out.push_str(" s");
        }
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

/// The table of every task's final state, result and time in each state, as lines (what the
/// transcript ends with; `compare` puts two side by side).
pub fn table(trace: &Trace) -> Result<Vec<String>, IllegalTransition> {
    let lifecycle = Lifecycle::of(trace)?;
    let columns = Columns::of(trace);
    let mut out = String::new();
    render_table(
        &mut out,
        &Table::of(&lifecycle, columns.shown),
        columns.id_width,
        columns.name_width,
        false,
    );
    Ok(out.lines().map(str::to_owned).collect())
}

/// The final table as text: a row a task (the first ones of a big run, the rest counted).
fn render_table(out: &mut String, table: &Table, id_width: usize, name_width: usize, varying: bool) {
    // Durations that depend on the machine are marked as varying values are.
    let span = |time: crate::engine::event::VTime| match varying {
        true => format!("{VARYING_OPEN}{time}{VARYING_CLOSE}"),
        false => time.to_string(),
    };
    let task_width = id_width + 2 + name_width;
    let _ = writeln!(
        out,
        "{}  {:<9}  {}  {:>10}  {:>10}  {:>10}  {:>5}",
        pad("task", task_width),
        "final",
        pad("result", MAX_RESULT),
        "scheduled",
        "running",
        "suspended",
        "polls"
    );
    for row in &table.rows {
        let label = format!("{:>id_width$}  {}", row.id, fit(&row.name, MAX_NAME));
        let _ = writeln!(
            out,
            "{}  {:<9}  {}  {:>10}  {:>10}  {:>10}  {:>5}",
            pad(&label, task_width),
            row.state.name(),
            pad(&fit(row.result.as_deref().unwrap_or("—"), MAX_RESULT), MAX_RESULT),
            span(row.scheduled),
            span(row.running),
            span(row.suspended),
            row.polls
        );
    }
    if let Some((count, states)) = &table.others {
        let counts: Vec<String> = states.iter().map(|(state, n)| format!("{state} {n}")).collect();
        let _ = writeln!(out, "… and {count} more tasks: {}", counts.join(", "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_what_an_event_says_are_marked_and_other_numbers_are_not() {
        assert_eq!(mark_times("timeout at 1.110 s, await #6"), "timeout at ⟪1.110 s⟫, await #6");
        assert_eq!(mark_times("sleep until 12.000 s"), "sleep until ⟪12.000 s⟫");
        assert_eq!(mark_times("2 s left, 10.5 s, #3 s"), "2 s left, 10.5 s, #3 s");
    }
}
