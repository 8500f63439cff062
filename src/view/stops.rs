//! Where a lesson's guided stops fall in a run: how many events are shown when each is reached.
//! The run is deterministic, so the stops found in the recorded run are where the live view
//! pauses; `asyncdemo check` proves each one is reached, in order.

use crate::engine::event::{EventKind, Trace, VTime};
use crate::engine::run::RunConfig;
use crate::lesson::{Lesson, Stop, When};

/// The cursor (events shown) at which `when` is reached in `trace`, or why it is not.
pub fn cursor(when: &When, trace: &Trace) -> Result<usize, String> {
    let events = &trace.events;
    match when {
        When::At(seconds) => {
            let at = VTime::from_duration(std::time::Duration::from_secs_f64(seconds.max(0.0)));
            let shown = events.partition_point(|e| e.at <= at);
            if shown >= events.len() {
                return Err(format!("nothing happens after {at}: the run is over by then"));
            }
            Ok(shown)
        }
        When::Enters { task, state } => {
            let mut named = trace.tasks.iter().filter(|t| t.name == task.as_str());
            let id = match (named.next(), named.next()) {
                (Some(meta), None) => meta.id,
                (None, _) => return Err(format!("no task is named `{task}`")),
                (Some(_), Some(_)) => return Err(format!("more than one task is named `{task}`")),
            };
            events
                .iter()
                .position(|e| e.task == id && entered(&e.kind) == Some(state.as_str()))
                .map(|index| index + 1)
                .ok_or_else(|| format!("`{task}` never enters {state}"))
        }
        When::Print(n) => events
            .iter()
            .enumerate()
            .filter(|(_, e)| matches!(e.kind, EventKind::Print { .. }))
            .nth(n.saturating_sub(1))
            .filter(|_| *n > 0)
            .map(|(index, _)| index + 1)
            .ok_or_else(|| format!("the demo prints fewer than {n} lines")),
    }
}

/// Every stop's cursor, which must increase from one stop to the next.
pub fn cursors(stops: &[Stop], trace: &Trace) -> Result<Vec<usize>, String> {
    let mut found: Vec<usize> = Vec::with_capacity(stops.len());
    for (i, stop) in stops.iter().enumerate() {
        let at = cursor(&stop.when, trace).map_err(|why| format!("stop {}: {why}", i + 1))?;
        if found.last().is_some_and(|&last| at <= last) {
            return Err(format!(
                "stop {} comes no later than stop {i}: list the stops in the order of the run",
                i + 1
            ));
        }
        found.push(at);
    }
    Ok(found)
}

/// Where `lesson`'s stops fall in its run (its Rust demo's, or its Python original's for a lesson
/// without one), recorded now with `config` (none if the run cannot be recorded or a stop is not
/// reached: `asyncdemo check` says why).
pub fn in_run(lesson: &Lesson, config: RunConfig) -> Vec<usize> {
    if lesson.stops.is_empty() {
        return Vec::new();
    }
    lesson
        .record(lesson.primary(), config, None)
        .ok()
        .and_then(|recorded| cursors(&lesson.stops, &recorded.trace).ok())
        .unwrap_or_default()
}

/// The state an event puts its task in, by name (none for a print or a cancel asked).
fn entered(kind: &EventKind) -> Option<&'static str> {
    match kind {
        EventKind::Print { .. } | EventKind::CancelAsked { .. } | EventKind::Warning { .. } => None,
        other => Some(other.name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::event::{Event, TaskId, TaskKind, TaskMeta, WakeCause};
    use crate::lesson::model::Localized;

    fn trace() -> Trace {
        let meta = |id, name: &'static str| TaskMeta {
            id: TaskId(id),
            name: name.into(),
            parent: None,
            kind: TaskKind::Async,
        };
        let at = |ms: u64, task: u32, kind| Event { at: VTime(ms * 1_000_000), task: TaskId(task), kind };
        Trace {
            tasks: vec![meta(1, "main"), meta(2, "worker")],
            events: vec![
                at(0, 1, EventKind::Created),
                at(0, 1, EventKind::Scheduled { by: WakeCause::Spawn }),
                at(0, 1, EventKind::Running),
                at(0, 1, EventKind::Print { text: "one".into() }),
                at(0, 2, EventKind::Created),
                at(500, 1, EventKind::Print { text: "two".into() }),
                at(500, 2, EventKind::Cancelled { by: None }),
                at(900, 1, EventKind::Done { result: crate::engine::event::Value::Unit }),
            ],
            dropped: 0,
        }
    }

    fn stop(when: When) -> Stop {
        Stop { when, caption: Localized { ru: "!".into(), en: None }, notes: None }
    }

    #[test]
    fn stops_fall_where_the_run_reaches_them() {
        let trace = trace();
        assert_eq!(cursor(&When::At(0.2), &trace), Ok(5));
        assert_eq!(cursor(&When::Print(2), &trace), Ok(6));
        let cancelled = When::Enters { task: "worker".into(), state: "Cancelled".into() };
        assert_eq!(cursor(&cancelled, &trace), Ok(7));
        assert!(cursor(&When::At(0.9), &trace).unwrap_err().contains("over"));
        assert!(cursor(&When::Print(3), &trace).unwrap_err().contains("fewer than 3"));
        let never = When::Enters { task: "worker".into(), state: "Done".into() };
        assert!(cursor(&never, &trace).unwrap_err().contains("never enters Done"));
        assert_eq!(cursors(&[stop(When::At(0.2)), stop(cancelled.clone())], &trace), Ok(vec![5, 7]));
        assert!(cursors(&[stop(cancelled), stop(When::At(0.2))], &trace).unwrap_err().contains("order"));
    }
}
