//! Quizzes: the learner predicts what a run will do, and the recorded run answers.
//!
//! A lesson file holds only the question (see [`crate::lesson::Quiz`]); [`solve`]
//! works out the answer from a trace of the demo, so an answer can never go stale when a demo
//! changes: a quiz that no longer has one clear answer is an error that `asyncdemo check` and
//! the tests report.

pub mod ask;

use crate::engine::event::{EventKind, TaskId, Trace, VTime};
use crate::engine::lifecycle::{Lifecycle, State};
use crate::lesson::Lang;
use crate::lesson::prints::Prints;
use crate::lesson::schema::QuizKind;
use crate::lesson::{Predict, Quiz};
use crate::view::describe::{russian_name, seconds, units};

/// What the learner answers, and what the run says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// `order`: option numbers (0-based) in the order the demo prints them.
    Order(Vec<usize>),
    /// `first` and `state`: the option picked (0-based).
    Pick(usize),
}

/// A quiz with its answer from the run, and the facts that explain it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Solved {
    pub answer: Answer,
    /// Lines for the learner after answering: what the run did.
    pub explanation: Vec<String>,
}

/// A line of what the learner is told after an answer: what it is (so each screen can style
/// it), and its text.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Told {
    /// "✓ Right."
    Right,
    /// "✗ Not quite. The answer: 3 1 2"
    Wrong,
    /// "What the run did:"
    Heading,
    /// One thing the run did.
    Fact,
    /// "Why: …", from the lesson file.
    Why,
}

/// What the learner is told after answering: right or wrong (with the answer), what the run
/// did, and why. The one place the verdict is worded; the plain quiz and the tour's quiz screen
/// both show it.
pub fn verdict(solved: &Solved, right: bool, why: Option<&str>, lang: Lang) -> Vec<(Told, String)> {
    let mut told = vec![if right {
        (Told::Right, format!("✓ {}", lang.pick("Верно.", "Right.")))
    } else {
        let answer = match &solved.answer {
            Answer::Order(order) => order.iter().map(|i| (i + 1).to_string()).collect::<Vec<_>>().join(" "),
            Answer::Pick(i) => (i + 1).to_string(),
        };
        (
            Told::Wrong,
            format!("✗ {} {answer}", lang.pick("Неверно. Правильный ответ:", "Not quite. The answer:")),
        )
    }];
    told.push((Told::Heading, lang.pick("Что было в прогоне:", "What the run did:").to_owned()));
    told.extend(solved.explanation.iter().map(|fact| (Told::Fact, fact.clone())));
    if let Some(why) = why {
        told.push((Told::Why, format!("{} {why}", lang.pick("Почему:", "Why:"))));
    }
    told
}

/// The options the learner chooses from (or orders), in the order shown.
/// Printed lines show in `lang` (by the lesson's `prints`).
pub fn options(quiz: &Quiz, lang: Lang, prints: &Prints) -> Vec<String> {
    match &quiz.predict {
        Predict::Order { lines } => lines.iter().map(|l| prints.show(l, lang)).collect(),
        Predict::First { tasks } => tasks.clone(),
        Predict::State { .. } => State::ALL
            .iter()
            .map(|state| match lang {
                Lang::Ru => format!("{} ({})", state.name(), russian_name(*state)),
                Lang::En => state.name().to_owned(),
            })
            .collect(),
    }
}

/// The answer the run gives, or why this quiz has no single clear answer in it.
pub fn solve(quiz: &Quiz, trace: &Trace, lang: Lang, prints: &Prints) -> Result<Solved, String> {
    match &quiz.predict {
        Predict::Order { lines } => solve_order(lines, trace, lang, prints),
        Predict::First { tasks } => solve_first(tasks, trace, lang),
        Predict::State { task, at } => solve_state(task, *at, trace, lang),
    }
}

fn solve_order(lines: &[String], trace: &Trace, lang: Lang, prints: &Prints) -> Result<Solved, String> {
    let mut printed = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let mut found = trace
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| matches!(&e.kind, EventKind::Print { text } if **text == **line));
        let Some((index, event)) = found.next() else {
            return Err(format!("the demo never prints `{line}`"));
        };
        if found.next().is_some() {
            return Err(format!("the demo prints `{line}` more than once, so its place is not clear"));
        }
        printed.push((index, i, event.at, event.task));
    }
    printed.sort();
    let order: Vec<usize> = printed.iter().map(|&(_, i, _, _)| i).collect();
    if order.iter().copied().eq(0..order.len()) {
        return Err(
            "the lines are listed in the order the demo prints them: list them in another order".into()
        );
    }
    let explanation = printed
        .iter()
        .map(|&(_, i, at, task)| {
            let line = prints.show(&lines[i], lang);
            format!("{:>9}  {task} {}  │ {line}", seconds(at, lang), trace.task(task).name)
        })
        .collect();
    Ok(Solved { answer: Answer::Order(order), explanation })
}

/// The one task named `name`.
fn task_named(trace: &Trace, name: &str) -> Result<TaskId, String> {
    let mut matching = trace.tasks.iter().filter(|t| t.name == name);
    match (matching.next(), matching.next()) {
        (Some(task), None) => Ok(task.id),
        (None, _) => Err(format!("no task is named `{name}`")),
        (Some(_), Some(_)) => Err(format!("more than one task is named `{name}`")),
    }
}

fn solve_first(tasks: &[String], trace: &Trace, lang: Lang) -> Result<Solved, String> {
    let mut ends = Vec::new();
    for name in tasks {
        let task = task_named(trace, name)?;
        let end = trace.events.iter().enumerate().find(|(_, e)| {
            e.task == task
                && matches!(
                    e.kind,
                    EventKind::Done { .. } | EventKind::Failed { .. } | EventKind::Cancelled { .. }
                )
        });
        let Some((index, event)) = end else {
            return Err(format!("task `{name}` never finishes"));
        };
        let state = match event.kind {
            EventKind::Done { .. } => State::Done,
            EventKind::Failed { .. } => State::Failed,
            _ => State::Cancelled,
        };
        ends.push((event.at, index, task, state));
    }
    let earliest = ends.iter().map(|e| e.0).min().expect("at least two tasks");
    let firsts: Vec<usize> = (0..ends.len()).filter(|&i| ends[i].0 == earliest).collect();
    if firsts.len() > 1 {
        return Err(format!(
            "{} finish at the same moment ({earliest}), so none of them is first",
            firsts.iter().map(|&i| format!("`{}`", tasks[i])).collect::<Vec<_>>().join(" and ")
        ));
    }
    let explanation = ends
        .iter()
        .map(|(at, _, task, state)| match lang {
            Lang::Ru => format!(
                "{task} {}: {} ({}) в {}",
                trace.task(*task).name,
                state.name(),
                russian_name(*state),
                seconds(*at, lang)
            ),
            Lang::En => format!("{task} {}: {} at {at}", trace.task(*task).name, state.name()),
        })
        .collect();
    Ok(Solved { answer: Answer::Pick(firsts[0]), explanation })
}

fn solve_state(name: &str, at_seconds: f64, trace: &Trace, lang: Lang) -> Result<Solved, String> {
    let task = task_named(trace, name)?;
    let at = VTime::from_duration(std::time::Duration::from_secs_f64(at_seconds));
    if trace.events.iter().any(|e| e.task == task && e.at == at && !matches!(e.kind, EventKind::Print { .. }))
    {
        return Err(format!("`{name}` changes state at exactly {at}: ask about a moment between its events"));
    }
    let mut lifecycle = Lifecycle::default();
    for event in trace.events.iter().take_while(|e| e.at <= at) {
        lifecycle.apply(&trace.tasks, event).map_err(|illegal| illegal.to_string())?;
    }
    let Some(view) = lifecycle.get(task) else {
        return Err(format!("`{name}` does not exist yet at {at}"));
    };
    let index = State::ALL.iter().position(|s| *s == view.state).expect("every state is in ALL");
    let waiting = view
        .awaits
        .as_ref()
        .filter(|_| view.state == State::Suspended)
        .map(|(awaits, _)| units(&awaits.to_string(), lang));
    let shown_at = seconds(at, lang);
    let explanation = vec![match (lang, waiting) {
        (Lang::Ru, Some(what)) => format!(
            "{task} {} в {shown_at}: {} ({}), ждёт {what}",
            view.meta.name,
            view.state.name(),
            russian_name(view.state)
        ),
        (Lang::Ru, None) => {
            format!(
                "{task} {} в {shown_at}: {} ({})",
                view.meta.name,
                view.state.name(),
                russian_name(view.state)
            )
        }
        (Lang::En, Some(what)) => {
            format!("{task} {} at {at}: {}, awaiting {what}", view.meta.name, view.state.name())
        }
        (Lang::En, None) => format!("{task} {} at {at}: {}", view.meta.name, view.state.name()),
    }];
    Ok(Solved { answer: Answer::Pick(index), explanation })
}

/// Reads a typed answer: numbers from 1, separated by spaces or commas ("2 1 3" to order three
/// options, "2" to pick one).
pub fn parse_answer(kind: QuizKind, input: &str, options: usize) -> Result<Answer, String> {
    let numbers: Result<Vec<usize>, _> =
        input.split([' ', ',']).filter(|s| !s.is_empty()).map(|s| s.trim().parse::<usize>()).collect();
    let numbers = numbers.map_err(|_| "type numbers, like 2 1 3".to_owned())?;
    if numbers.iter().any(|&n| n == 0 || n > options) {
        return Err(format!("numbers from 1 to {options}, please"));
    }
    let indices: Vec<usize> = numbers.iter().map(|n| n - 1).collect();
    match kind {
        QuizKind::Order => {
            let mut sorted = indices.clone();
            sorted.sort();
            if sorted != (0..options).collect::<Vec<_>>() {
                return Err(format!("put all {options} numbers in order, each once"));
            }
            Ok(Answer::Order(indices))
        }
        QuizKind::First | QuizKind::State => match indices.as_slice() {
            [one] => Ok(Answer::Pick(*one)),
            _ => Err("one number, please".into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::event::{Event, TaskMeta, Value, WakeCause};

    /// Two tasks: #1 prints "a" then "b" and ends at 2 s; #2 ends at 1 s; #3 at 2 s too.
    fn trace() -> Trace {
        let meta = |n: u32, name: &str| TaskMeta {
            id: TaskId(n),
            name: name.to_owned().into(),
            parent: None,
            kind: crate::engine::event::TaskKind::Async,
        };
        let at = |ms: u64, task: u32, kind| Event { at: VTime(ms * 1_000_000), task: TaskId(task), kind };
        let life = |task: u32, end: u64| {
            vec![
                at(0, task, EventKind::Created),
                at(0, task, EventKind::Scheduled { by: WakeCause::Spawn }),
                at(0, task, EventKind::Running),
                at(
                    0,
                    task,
                    EventKind::Suspended {
                        awaits: crate::engine::event::Awaits::one(crate::engine::event::Await::Yield),
                        line: None,
                    },
                ),
                at(end, task, EventKind::Scheduled { by: WakeCause::Timer }),
                at(end, task, EventKind::Running),
                at(end, task, EventKind::Done { result: Value::Unit }),
            ]
        };
        let mut events = life(1, 2000);
        events.insert(3, at(0, 1, EventKind::Print { text: "a".into() }));
        events.insert(7, at(2000, 1, EventKind::Print { text: "b".into() }));
        events.extend(life(2, 1000));
        events.extend(life(3, 2000));
        events.sort_by_key(|e| e.at);
        Trace { tasks: vec![meta(1, "one"), meta(2, "two"), meta(3, "three")], events, dropped: 0 }
    }

    fn quiz(predict: Predict) -> Quiz {
        let text = |t: &str| crate::lesson::model::Localized { ru: t.into(), en: None };
        Quiz { source: crate::lesson::RunOf::Rust, question: text("?"), why: text("!"), predict }
    }

    fn order(lines: &[&str]) -> Quiz {
        quiz(Predict::Order { lines: lines.iter().map(|l| l.to_string()).collect() })
    }

    fn first(tasks: &[&str]) -> Quiz {
        quiz(Predict::First { tasks: tasks.iter().map(|t| t.to_string()).collect() })
    }

    fn state(task: &str, at: f64) -> Quiz {
        quiz(Predict::State { task: task.into(), at })
    }

    #[test]
    fn answers_come_from_the_run() {
        let trace = trace();
        let none = Prints::default();
        let order = solve(&order(&["b", "a"]), &trace, Lang::En, &none).unwrap();
        assert_eq!(order.answer, Answer::Order(vec![1, 0]));
        let first = solve(&first(&["one", "two"]), &trace, Lang::En, &none).unwrap();
        assert_eq!(first.answer, Answer::Pick(1));
        let state = solve(&state("one", 1.0), &trace, Lang::En, &none).unwrap();
        assert_eq!(state.answer, Answer::Pick(3), "Suspended");
        assert!(state.explanation[0].contains("Suspended"), "{:?}", state.explanation);
    }

    #[test]
    fn a_quiz_without_one_clear_answer_is_refused() {
        let trace = trace();
        let refused = |quiz: Quiz| solve(&quiz, &trace, Lang::En, &Prints::default()).unwrap_err();
        assert!(refused(order(&["a", "b"])).contains("listed in the order"));
        assert!(refused(order(&["c", "a"])).contains("never prints `c`"));
        assert!(refused(first(&["one", "three"])).contains("same moment"));
        assert!(refused(first(&["one", "nobody"])).contains("no task is named `nobody`"));
        assert!(refused(state("one", 2.0)).contains("changes state at exactly"));
    }

    #[test]
    fn typed_answers_are_read_strictly() {
        assert_eq!(parse_answer(QuizKind::Order, "2 1, 3", 3), Ok(Answer::Order(vec![1, 0, 2])));
        assert!(parse_answer(QuizKind::Order, "1 1 2", 3).is_err());
        assert!(parse_answer(QuizKind::Order, "1 2", 3).is_err());
        assert_eq!(parse_answer(QuizKind::First, " 2 ", 4), Ok(Answer::Pick(1)));
        assert!(parse_answer(QuizKind::First, "5", 4).is_err());
        assert!(parse_answer(QuizKind::State, "x", 7).is_err());
    }
}
