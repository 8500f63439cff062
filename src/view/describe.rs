//! What an event means, in words: one place for the transcript (in English) and the live view
//! (in the learner's language).

use super::transcript::Source;
use crate::engine::event::{Canceller, TaskId, WakeCause, Warning};
use crate::engine::lifecycle::State;
use crate::lesson::Lang;

/// Why a task became ready: "woken by timer", "spawned by #1"… (`source`: what ran, for the
/// task that starts it all: `block_on(main)`, or the Python program itself).
pub fn wake(by: WakeCause, parent: Option<TaskId>, source: Source, lang: Lang) -> String {
    let ru = lang == Lang::Ru;
    match by {
        WakeCause::Spawn => match (parent, source, ru) {
            (Some(parent), _, false) => format!("spawned by {parent}"),
            (Some(parent), _, true) => format!("запущена задачей {parent}"),
            (None, Source::Rust, false) => "block_on(main) starts it".to_owned(),
            (None, Source::Rust, true) => "её запускает block_on(main)".to_owned(),
            (None, Source::Python, false) => "python3 starts the program".to_owned(),
            (None, Source::Python, true) => "python3 запускает программу".to_owned(),
        },
        WakeCause::Task(waker) if ru => format!("разбудила задача {waker}"),
        WakeCause::Task(waker) => format!("woken by {waker}"),
        WakeCause::Finished(joined) if ru => format!("разбужена: {joined} завершилась"),
        WakeCause::Finished(joined) => format!("woken: {joined} finished"),
        WakeCause::Timer if ru => "разбудил таймер".to_owned(),
        WakeCause::Timer => "woken by timer".to_owned(),
        WakeCause::Io if ru => "разбудил ввод-вывод (сокет готов)".to_owned(),
        WakeCause::Io => "woken by I/O".to_owned(),
        WakeCause::Itself if ru => "разбудила себя сама (yield)".to_owned(),
        WakeCause::Itself => "woke itself (yield)".to_owned(),
        WakeCause::Runtime if ru => "разбудила среда выполнения".to_owned(),
        WakeCause::Runtime => "woken by the runtime".to_owned(),
        WakeCause::OtherThread if ru => "разбужена из другого потока".to_owned(),
        WakeCause::OtherThread => "woken from another thread".to_owned(),
    }
}

/// A state's Russian name, as the lessons give it (the course's glossary; the views show the
/// English names everywhere, and this beside them).
pub fn russian_name(state: State) -> &'static str {
    match state {
        State::Created => "создана",
        State::Scheduled => "запланирована",
        State::Running => "выполняется",
        State::Suspended => "приостановлена",
        State::Done => "завершена",
        State::Cancelled => "отменена",
        State::Failed => "упала с ошибкой",
    }
}

/// Who cancelled a task: "abort() from #1", "you (the c key)", "the runtime's shutdown".
pub fn canceller(by: Canceller, lang: Lang) -> String {
    match (by, lang) {
        (Canceller::Task(task), Lang::Ru) => format!("abort() из {task}"),
        (Canceller::Task(_), Lang::En) => by.to_string(),
        (Canceller::Viewer, Lang::Ru) => "вы (клавиша c)".to_owned(),
        (Canceller::Viewer, Lang::En) => "you (the c key)".to_owned(),
        (Canceller::Shutdown, Lang::Ru) => "завершение среды выполнения".to_owned(),
        (Canceller::Shutdown, Lang::En) => by.to_string(),
        (Canceller::Loop, Lang::Ru) => "цикл событий".to_owned(),
        (Canceller::Loop, Lang::En) => by.to_string(),
    }
}

/// A virtual time or span in seconds, with the unit in the language: `1.000 с`, `1.000 s`.
pub fn seconds(t: crate::engine::event::VTime, lang: Lang) -> String {
    units(&t.to_string(), lang)
}

/// A text with times in it (`sleep until 4.000 s`), the seconds' unit in the language.
pub fn units(text: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(" s") {
        let (before, after) = rest.split_at(at);
        let number_before = before.ends_with(|c: char| c.is_ascii_digit());
        let word_after = after[2..].starts_with(|c: char| c.is_alphanumeric());
        out.push_str(before);
        out.push_str(if number_before && !word_after { " с" } else { " s" });
        rest = &after[2..];
    }
    out.push_str(rest);
    out
}

/// What asyncio warned about, in words: `цикл заблокирован на 1.000 с`.
pub fn warning(what: Warning, text: &str, lang: Lang) -> String {
    match (what, lang) {
        (Warning::Blocked, Lang::Ru) => format!("⚠ цикл событий заблокирован на {} с", text.trim()),
        (Warning::Blocked, Lang::En) => format!("⚠ the loop was blocked for {} s", text.trim()),
        (Warning::NeverAwaited, Lang::Ru) => format!("⚠ корутину {text} так и не дождались (await)"),
        (Warning::NeverAwaited, Lang::En) => format!("⚠ coroutine {text} was never awaited"),
        (Warning::DestroyedPending, Lang::Ru) => format!("⚠ задачу {text} уничтожили, пока она ещё ждала"),
        (Warning::DestroyedPending, Lang::En) => format!("⚠ task {text} was destroyed while still pending"),
        (Warning::Unretrieved, Lang::Ru) => format!("⚠ исключение задачи никто не получил: {text}"),
        (Warning::Unretrieved, Lang::En) => format!("⚠ a task's exception was never retrieved: {text}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_take_the_languages_unit() {
        assert_eq!(
            units("sleep until 4.000 s, tick at 1.5 s", Lang::Ru),
            "sleep until 4.000 с, tick at 1.5 с"
        );
        assert_eq!(units("2 sockets, 3 s", Lang::Ru), "2 sockets, 3 с");
        assert_eq!(units("4.000 s", Lang::En), "4.000 s");
    }
}
