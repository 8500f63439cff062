//! A run as a Perfetto / Chrome trace (JSON trace events), for ui.perfetto.dev: one track per
//! task in creation order (`#3 coro`), one slice per state it was in (Scheduled, Running,
//! Suspended on what), so a track's slices never overlap; spawns and wakes as flow arrows;
//! printed lines and ends as instants; the ready queue's length and the pending timers as
//! counters. A run of more than 40 tasks draws the first 20 (`view::shown`); the counters
//! count every task.
//!
//! Perfetto sorts events with equal timestamps unreliably, and many events of a run share one
//! virtual instant, so each event gets a timestamp of its own: `Time::Virtual` is virtual time
//! in microseconds with ties broken by event order (1 ns apart), `Time::Steps` one microsecond
//! per event.

use serde_json::{Value, json};

use crate::engine::event::{Await, EventKind, TaskId, Trace, WakeCause};
use crate::engine::lifecycle::{Lifecycle, State, transition};
use crate::view::shown::{SHOWN_TASKS, Shown};

/// How the trace's timestamps are made.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Time {
    /// Virtual time (µs), ties broken by event order.
    Virtual,
    /// One step (1 µs) per event: every event visible, however close in time.
    Steps,
}

/// The trace events of `trace` as a JSON document (`{"traceEvents": […]}`), titled `title`.
pub fn export(title: &str, trace: &Trace, time: Time) -> Value {
    // Each event's own timestamp, in nanoseconds, strictly increasing.
    let mut stamps = Vec::with_capacity(trace.events.len());
    let mut last: Option<u64> = None;
    for (index, event) in trace.events.iter().enumerate() {
        let ns = match time {
            Time::Virtual => event.at.0,
            Time::Steps => index as u64 * 1000,
        };
        let ns = match last {
            Some(previous) if ns <= previous => previous + 1,
            _ => ns,
        };
        stamps.push(ns);
        last = Some(ns);
    }
    let ts = |ns: u64| Value::from(ns as f64 / 1000.0);
    let end = last.map_or(0, |l| l + 1);

    let shown = Shown::of(trace);
    let title = match shown.summed_up {
        true => format!(
            "{title} · tasks #1…#{SHOWN_TASKS} drawn, {} more in the counters",
            shown.counted(trace.tasks.len())
        ),
        false => title.to_owned(),
    };
    let mut out: Vec<Value> = vec![
        json!({"ph": "M", "name": "process_name", "pid": 1, "tid": 0, "args": {"name": title}}),
        json!({"ph": "M", "name": "process_sort_index", "pid": 1, "tid": 0, "args": {"sort_index": 0}}),
    ];
    for task in trace.tasks.iter().filter(|t| shown.task(t.id)) {
        let tid = task.id.0;
        out.push(json!({"ph": "M", "name": "thread_name", "pid": 1, "tid": tid,
            "args": {"name": format!("{} {}", task.id, task.name)}}));
        out.push(json!({"ph": "M", "name": "thread_sort_index", "pid": 1, "tid": tid, "args": {"sort_index": tid}}));
    }

    // Per task: its state, since when, and what it waits on.
    let mut state: Vec<Option<(State, u64, String)>> = vec![None; trace.tasks.len()];
    let mut slices: Vec<Value> = Vec::new();
    let mut marks: Vec<Value> = Vec::new();
    let mut flow = 0u64;
    let (mut ready, mut timers) = (0i64, 0i64);
    let mut counters: Vec<Value> = Vec::new();
    let mut pending: Option<(crate::engine::event::VTime, Value)> = None;
    let slice = |task: TaskId, (was, since, what): &(State, u64, String), until: u64| {
        let name = if what.is_empty() { was.name().to_owned() } else { format!("{} · {what}", was.name()) };
        json!({"ph": "X", "name": name, "cat": "state", "pid": 1, "tid": task.0,
            "ts": ts(*since), "dur": Value::from(until.saturating_sub(*since) as f64 / 1000.0)})
    };
    let mut lifecycle = Lifecycle::default();
    for (event, &at) in trace.events.iter().zip(&stamps) {
        let index = event.task.index();
        let Some(slot) = state.get_mut(index) else { continue };
        let before = slot.as_ref().map(|(s, _, _)| *s);
        let after = transition(before, &event.kind).ok().flatten();
        // Flows: who spawned or woke the task, from that task's track to this one.
        let from = match &event.kind {
            EventKind::Created => trace.task(event.task).parent,
            EventKind::Scheduled { by: WakeCause::Task(waker) | WakeCause::Finished(waker) } => Some(*waker),
            _ => None,
        };
        let drawn = shown.task(event.task);
        if let Some(from) = from.filter(|f| f.index() < trace.tasks.len() && drawn && shown.task(*f)) {
            flow += 1;
            let name = if matches!(event.kind, EventKind::Created) { "spawn" } else { "wake" };
            marks.push(json!({"ph": "s", "id": flow, "name": name, "cat": name, "pid": 1, "tid": from.0, "ts": ts(at)}));
            marks.push(json!({"ph": "f", "bp": "e", "id": flow, "name": name, "cat": name, "pid": 1, "tid": event.task.0, "ts": ts(at)}));
        }
        match &event.kind {
            _ if !drawn => {}
            EventKind::Print { text } => {
                marks.push(json!({"ph": "i", "s": "t", "name": format!("│ {text}"), "cat": "print", "pid": 1, "tid": event.task.0, "ts": ts(at)}));
            }
            EventKind::Warning { what, text } => {
                marks.push(json!({"ph": "i", "s": "t", "name": format!("⚠ {what}: {text}"), "cat": "warning", "pid": 1, "tid": event.task.0, "ts": ts(at)}));
            }
            EventKind::CancelAsked { by } => {
                marks.push(json!({"ph": "i", "s": "t", "name": format!("cancel asked by {by}"), "cat": "cancel", "pid": 1, "tid": event.task.0, "ts": ts(at)}));
            }
            _ => {}
        }
        if after != before {
            if let Some(open) = slot.take().filter(|_| drawn) {
                slices.push(slice(event.task, &open, at));
            }
            let what = match &event.kind {
                _ if !drawn => String::new(),
                EventKind::Suspended { awaits, line } => match line {
                    Some(line) => format!("{awaits} :{line}"),
                    None => awaits.to_string(),
                },
                EventKind::Done { result } => format!("→ {result}"),
                EventKind::Failed { error } => error.to_string(),
                EventKind::Cancelled { by: Some(by) } => format!("by {by}"),
                _ => String::new(),
            };
            match after {
                // A task that is not drawn ends without a mark.
                Some(s) if s.is_terminal() && !drawn => {}
                Some(s) if s.is_terminal() => {
                    let name =
                        if what.is_empty() { s.name().to_owned() } else { format!("{} {what}", s.name()) };
                    marks.push(json!({"ph": "i", "s": "t", "name": name, "cat": "end", "pid": 1, "tid": event.task.0, "ts": ts(at)}));
                }
                Some(s) => *slot = Some((s, at, what)),
                None => {}
            }
            // The counters: tasks in the ready queue, and tasks waiting on a timer.
            let timed = |kind: &EventKind| matches!(kind, EventKind::Suspended { awaits, .. } if awaits.items().iter().any(|a| matches!(a, Await::Sleep { .. } | Await::Timeout { .. } | Await::Tick { .. })));
            ready += i64::from(after == Some(State::Scheduled)) - i64::from(before == Some(State::Scheduled));
            let was_timed = lifecycle.get(event.task).is_some_and(|t| {
                t.state == State::Suspended
                    && t.awaits
                        .as_ref()
                        .is_some_and(|(a, _)| a.items().iter().any(|a| a.deadline().is_some()))
            });
            timers += i64::from(timed(&event.kind)) - i64::from(was_timed);
            // A task that is not drawn moves the counters once per instant, not once per event.
            if let Some((_, sample)) = pending.take_if(|(instant, _)| drawn || *instant != event.at) {
                counters.push(sample);
            }
            let sample = json!({"ph": "C", "name": "event loop", "pid": 1, "tid": 0, "ts": ts(at),
                "args": {"ready": ready, "timers": timers}});
            match drawn {
                true => counters.push(sample),
                false => pending = Some((event.at, sample)),
            }
        }
        let _ = lifecycle.apply(&trace.tasks, event);
    }
    counters.extend(pending.map(|(_, sample)| sample));
    // Slices still open at the end of the run (of the tasks drawn).
    for (i, open) in state.iter().enumerate() {
        let task = TaskId(i as u32 + 1);
        if let Some(open) = open.as_ref().filter(|_| shown.task(task)) {
            slices.push(slice(task, open, end));
        }
    }
    // In timestamp order (the file's order is the order the importer reads).
    let mut events: Vec<Value> = slices.into_iter().chain(marks).chain(counters).collect();
    events.sort_by(|a, b| {
        let ts = |v: &Value| v["ts"].as_f64().unwrap_or(0.0);
        ts(a).total_cmp(&ts(b))
    });
    out.extend(events);
    json!({"traceEvents": out, "displayTimeUnit": "ms"})
}
