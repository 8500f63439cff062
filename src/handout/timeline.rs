//! The handout's timeline as geometry, before any drawing: a lane per task, the stretches of
//! each state along it, marks for printed lines and ends, the time axis and the stops.
//!
//! Across is not time but the run's events: each event is one step, so the Scheduled and
//! Running that take no virtual time still show, in the order they happened. Where virtual
//! time moves on between two events the axis breaks ([`GAP`] steps) and names the new time.

use crate::engine::event::{EventKind, Trace, VTime};
use crate::engine::lifecycle::{State, transition};
use crate::lesson::Lang;
use crate::view::describe::{seconds, units};
use crate::view::shown::Shown;

/// The steps a break in the axis takes, where virtual time moves on.
pub const GAP: u32 = 3;

/// The whole timeline.
#[derive(Debug, Default)]
pub struct Timeline {
    pub lanes: Vec<Lane>,
    /// Its length, in steps.
    pub steps: u32,
    /// Where virtual time moves on: the step and the new time.
    pub ticks: Vec<(u32, String)>,
    /// The stops: where each falls (its number is its place in the list, from 1).
    pub stops: Vec<u32>,
    /// Tasks of a big run not drawn (counted in the table).
    pub counted: usize,
}

/// A task's lane.
#[derive(Debug)]
pub struct Lane {
    /// `#3 worker`.
    pub label: String,
    pub stretches: Vec<Stretch>,
    /// Printed lines: the step, and the line.
    pub prints: Vec<(u32, String)>,
    /// How and where it ended.
    pub end: Option<(State, u32, String)>,
}

/// A stretch of time in one state: steps `from..to`, and what it means in words.
#[derive(Debug)]
pub struct Stretch {
    pub state: State,
    pub from: u32,
    pub to: u32,
    /// What the task awaits, for a Suspended stretch (`sleep until 1.000 s`).
    pub awaits: Option<String>,
    /// The whole story, for a tooltip: `#3 worker · Suspended · sleep until 1.000 s · 0.000 s → 1.000 s`.
    pub title: String,
}

impl Timeline {
    /// The timeline of `trace`, with the stops at these cursors (events shown when each is
    /// reached); its words in `lang`.
    pub fn of(trace: &Trace, stop_cursors: &[usize], lang: Lang) -> Timeline {
        let shown = Shown::of(trace);
        let mut lanes: Vec<Option<Lane>> = Vec::with_capacity(trace.tasks.len());
        // Per task: the stretch it is in.
        let mut open: Vec<Option<Open>> = vec![None; trace.tasks.len()];
        let mut ticks = vec![(0, seconds(VTime::ZERO, lang))];
        // The step each event ends at (for the stops).
        let mut ends = Vec::with_capacity(trace.events.len());
        let mut step = 0u32;
        let mut last_at: Option<VTime> = None;
        for event in &trace.events {
            let index = event.task.index();
            if !shown.task(event.task) || index >= trace.tasks.len() {
                ends.push(step);
                continue;
            }
            if last_at.is_some_and(|last| event.at > last) {
                step += GAP;
                ticks.push((step, seconds(event.at, lang)));
            }
            last_at = Some(event.at);
            if lanes.len() <= index {
                lanes.resize_with(index + 1, || None);
            }
            let meta = trace.task(event.task);
            let label = format!("{} {}", meta.id, meta.name);
            let lane = lanes[index].get_or_insert_with(|| Lane {
                label: label.clone(),
                stretches: Vec::new(),
                prints: Vec::new(),
                end: None,
            });
            let before = open[index].as_ref().map(|o| o.state);
            let after = transition(before, &event.kind).ok().flatten();
            if let EventKind::Print { text } = &event.kind {
                lane.prints.push((step, text.to_string()));
            }
            if after != before {
                if let Some(stretch) = open[index].take() {
                    lane.stretches.push(stretch.close(&label, step, event.at, lang));
                }
                match after {
                    Some(end) if end.is_terminal() => {
                        let what = match &event.kind {
                            EventKind::Done { result } => format!("→ {result}"),
                            EventKind::Failed { error } => error.to_string(),
                            EventKind::Cancelled { by: Some(by) } => format!("by {by}"),
                            _ => String::new(),
                        };
                        let title = format!("{label} · {} {what} · {}", end.name(), seconds(event.at, lang));
                        lane.end = Some((end, step, title.trim_end().to_owned()));
                    }
                    Some(state) => {
                        let awaits = match &event.kind {
                            EventKind::Suspended { awaits, .. } => Some(units(&awaits.to_string(), lang)),
                            _ => None,
                        };
                        open[index] = Some(Open { state, from: step, since: event.at, awaits });
                    }
                    None => {}
                }
            }
            step += 1;
            ends.push(step);
        }
        // Stretches still open when the run stopped.
        let end_at = trace.events.last().map_or(VTime::ZERO, |e| e.at);
        for (index, slot) in open.into_iter().enumerate() {
            if let (Some(stretch), Some(Some(lane))) = (slot, lanes.get_mut(index)) {
                let stretch = stretch.close(&lane.label, step, end_at, lang);
                lane.stretches.push(stretch);
            }
        }
        let stops = stop_cursors
            .iter()
            .map(|&cursor| ends.get(cursor.saturating_sub(1)).copied().unwrap_or(step))
            .collect();
        Timeline {
            lanes: lanes.into_iter().flatten().collect(),
            steps: step,
            ticks,
            stops,
            counted: shown.counted(trace.tasks.len()),
        }
    }
}

/// A stretch not ended yet: the state, since which step and time, and what the task awaits.
#[derive(Clone)]
struct Open {
    state: State,
    from: u32,
    since: VTime,
    awaits: Option<String>,
}

impl Open {
    /// The stretch, ended at `step` (virtual time `until`), of the task labelled `label`.
    fn close(self, label: &str, step: u32, until: VTime, lang: Lang) -> Stretch {
        let what = self.awaits.as_deref().map(|a| format!(" · {a}")).unwrap_or_default();
        let title = format!(
            "{label} · {}{what} · {} → {}",
            self.state.name(),
            seconds(self.since, lang),
            seconds(until, lang)
        );
        Stretch { state: self.state, from: self.from, to: step, awaits: self.awaits, title }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::run::{self, RunConfig};

    #[test]
    fn scheduled_and_running_take_steps_and_time_breaks_the_axis() {
        let demo = crate::demos::find("gather").expect("the gather demo");
        let trace = run::record(&demo.program, RunConfig::default()).expect("runs").trace();
        let timeline = Timeline::of(&trace, &[], Lang::En);
        assert_eq!(timeline.lanes.len(), trace.tasks.len());
        let main = &timeline.lanes[0];
        assert!(main.label.starts_with("#1 "), "{}", main.label);
        // Every stretch is at least a step long, and a lane's stretches follow each other.
        for lane in &timeline.lanes {
            for pair in lane.stretches.windows(2) {
                assert_eq!(pair[0].to, pair[1].from, "{}", lane.label);
            }
            assert!(lane.stretches.iter().all(|s| s.to > s.from), "{}", lane.label);
            assert!(lane.end.is_some(), "{} ends", lane.label);
        }
        assert!(main.stretches.iter().any(|s| s.state == State::Running && s.to - s.from == 1));
        assert!(main.stretches.iter().any(|s| s.awaits.is_some()));
        // The axis breaks each time virtual time moves on, and names the new time.
        let instants = trace.events.windows(2).filter(|w| w[1].at > w[0].at).count();
        assert_eq!(timeline.ticks.len(), instants + 1);
        assert_eq!(timeline.steps as usize, trace.events.len() + instants * GAP as usize);
        assert!(timeline.ticks.windows(2).all(|w| w[1].0 > w[0].0));
    }
}
