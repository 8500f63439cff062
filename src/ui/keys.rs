//! The keys: one table, used by the key handler, the key bar, the help screen and the README.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Something the user asked for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Action {
    PlayPause,
    StepForward,
    StepBack,
    Faster,
    Slower,
    Restart,
    ToEnd,
    SelectUp,
    SelectDown,
    PageUp,
    PageDown,
    CancelTask,
    ToggleTree,
    StartFilter,
    ToggleCode,
    ZoomIn,
    ZoomOut,
    NextPanel,
    TextUp,
    TextDown,
    Help,
    NextLesson,
    PreviousLesson,
    Menu,
    Quit,
}

/// A key binding: the keys, as shown to the user, and what they do (Russian and English).
pub struct Binding {
    pub keys: &'static str,
    pub ru: &'static str,
    pub en: &'static str,
    /// In the bottom key bar: keys, Russian and English label; `None`: only in help.
    pub bar: Option<(&'static str, &'static str, &'static str)>,
}

pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: "Space",
        ru: "пуск / пауза",
        en: "play / pause",
        bar: Some(("Space", "пуск/пауза", "play/pause")),
    },
    Binding {
        keys: "→ l", ru: "следующее событие", en: "next event", bar: Some(("→", "шаг", "step"))
    },
    Binding {
        keys: "← h",
        ru: "предыдущее событие",
        en: "previous event",
        bar: Some(("←", "назад", "back")),
    },
    Binding {
        keys: "+ -",
        ru: "быстрее / медленнее (0.25×–16×)",
        en: "faster / slower (0.25×–16×)",
        bar: Some(("+-", "скорость", "speed")),
    },
    Binding { keys: "Home", ru: "запустить заново", en: "restart", bar: None },
    Binding { keys: "End", ru: "до конца", en: "jump to the end", bar: None },
    Binding {
        keys: "↑ ↓ k j",
        ru: "выбрать задачу",
        en: "select a task",
        bar: Some(("↑↓", "задача", "task")),
    },
    Binding { keys: "PgUp PgDn", ru: "листать задачи", en: "page through tasks", bar: None },
    Binding {
        keys: "c",
        ru: "отменить выбранную задачу",
        en: "cancel the selected task",
        bar: Some(("c", "отменить", "cancel")),
    },
    Binding {
        keys: "t",
        ru: "дерево задач (родитель → дети)",
        en: "task tree (parent → children)",
        bar: None,
    },
    Binding { keys: "/", ru: "фильтр по имени", en: "filter by name", bar: None },
    Binding {
        keys: "p",
        ru: "код: Rust / Python",
        en: "code: Rust / Python",
        bar: Some(("p", "Python/Rust", "Python/Rust")),
    },
    Binding {
        keys: "z x", ru: "масштаб шкалы времени", en: "zoom the timeline", bar: None
    },
    Binding {
        keys: "Tab",
        ru: "следующая панель (в маленьком окне)",
        en: "next panel (small windows)",
        bar: None,
    },
    Binding {
        keys: "[ ]", ru: "листать текст урока", en: "scroll the lesson text", bar: None
    },
    Binding {
        keys: "n N",
        ru: "следующий / предыдущий урок (тур)",
        en: "next / previous lesson (tour)",
        bar: None,
    },
    Binding { keys: "m", ru: "меню уроков (тур)", en: "lesson menu (tour)", bar: None },
    Binding { keys: "?", ru: "справка", en: "help", bar: Some(("?", "справка", "help")) },
    Binding { keys: "q Esc", ru: "выход", en: "quit", bar: Some(("q", "выход", "quit")) },
];

/// The action for a key press, if any.
pub fn action(key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return matches!(key.code, KeyCode::Char('c') | KeyCode::Char('d')).then_some(Action::Quit);
    }
    Some(match key.code {
        KeyCode::Char(' ') => Action::PlayPause,
        KeyCode::Right | KeyCode::Char('l') => Action::StepForward,
        KeyCode::Left | KeyCode::Char('h') => Action::StepBack,
        KeyCode::Char('+') | KeyCode::Char('=') => Action::Faster,
        KeyCode::Char('-') | KeyCode::Char('_') => Action::Slower,
        KeyCode::Home | KeyCode::Char('g') => Action::Restart,
        KeyCode::End | KeyCode::Char('G') => Action::ToEnd,
        KeyCode::Up | KeyCode::Char('k') => Action::SelectUp,
        KeyCode::Down | KeyCode::Char('j') => Action::SelectDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Char('c') => Action::CancelTask,
        KeyCode::Char('t') => Action::ToggleTree,
        KeyCode::Char('/') => Action::StartFilter,
        KeyCode::Char('p') => Action::ToggleCode,
        KeyCode::Char('z') => Action::ZoomIn,
        KeyCode::Char('x') => Action::ZoomOut,
        KeyCode::Tab => Action::NextPanel,
        KeyCode::Char('[') => Action::TextUp,
        KeyCode::Char(']') => Action::TextDown,
        KeyCode::Char('n') => Action::NextLesson,
        KeyCode::Char('N') => Action::PreviousLesson,
        KeyCode::Char('m') => Action::Menu,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Char('q') | KeyCode::Esc => Action::Quit,
        _ => return None,
    })
}
