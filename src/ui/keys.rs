//! The keys: one table, used by the key handler, the key bar, the help screen and the README.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Something the user asked for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Action {
    PlayPause,
    StepForward,
    StepBack,
    NextInstant,
    PreviousInstant,
    NextPrint,
    PreviousPrint,
    NextOfTask,
    PreviousOfTask,
    GoToTime,
    TogglePace,
    Faster,
    Slower,
    Restart,
    ToEnd,
    SelectUp,
    SelectDown,
    CancelTask,
    ToggleTree,
    StartFilter,
    ToggleCode,
    CodeUp,
    CodeDown,
    ZoomIn,
    ZoomOut,
    NextPanel,
    Maximize,
    TextUp,
    TextDown,
    Help,
    /// Closes what is open (help, a prompt), or clears the filter; never quits.
    Close,
    NextLesson,
    PreviousLesson,
    Menu,
    /// `q`: back to the tour's menu, or out of a lesson run on its own.
    Leave,
    /// Ctrl-C: out of the program.
    Quit,
}

/// A key binding: the keys, as shown to the user, and what they do (Russian and English).
pub struct Binding {
    pub keys: &'static str,
    pub ru: &'static str,
    pub en: &'static str,
    /// In the bottom key bar, most wanted first (lower numbers are dropped last): the keys and a
    /// Russian and English label; `None`: only in help.
    pub bar: Option<(u8, &'static str, &'static str, &'static str)>,
}

const fn key(keys: &'static str, ru: &'static str, en: &'static str) -> Binding {
    Binding { keys, ru, en, bar: None }
}

const fn bar(
    keys: &'static str,
    ru: &'static str,
    en: &'static str,
    bar: (u8, &'static str, &'static str, &'static str),
) -> Binding {
    Binding { keys, ru, en, bar: Some(bar) }
}

pub const BINDINGS: &[Binding] = &[
    bar("Space", "пуск / пауза", "play / pause", (0, "Space", "пуск", "play")),
    bar(
        "→ l PgDn",
        "следующее событие (PgDn — кнопка пульта)",
        "next event (PgDn: a presentation clicker)",
        (0, "→", "шаг", "step"),
    ),
    bar("← h PgUp", "предыдущее событие", "previous event", (1, "←", "назад", "back")),
    bar("> .", "следующий момент времени", "next instant of time", (3, ">", "момент", "instant")),
    key("< ,", "предыдущий момент времени", "previous instant of time"),
    bar("o", "следующая строка вывода", "next printed line", (4, "o", "вывод", "output")),
    key("O", "предыдущая строка вывода", "previous printed line"),
    key("w", "следующее событие выбранной задачи", "next event of the selected task"),
    key("W", "предыдущее событие выбранной задачи", "previous event of the selected task"),
    bar("g", "перейти ко времени…", "go to a time…", (3, "g", "время", "time")),
    key("e", "темп: по событиям / по времени", "pace: by events / by virtual time"),
    bar("+ -", "быстрее / медленнее", "faster / slower", (5, "+-", "темп", "speed")),
    key("Home", "заново, с паузы", "restart, paused"),
    key("End", "до конца", "to the end"),
    bar("↑ ↓ k j", "выбрать задачу", "select a task", (2, "↑↓", "задача", "task")),
    bar(
        "c",
        "отменить выбранную задачу (в прошлом — новый прогон с отменой)",
        "cancel the selected task (in the past: a new run with the cancel)",
        (2, "c", "отменить", "cancel"),
    ),
    key("t", "дерево задач (родитель → дети)", "task tree (parent → children)"),
    key("/", "фильтр по имени", "filter by name"),
    bar("p", "код: Rust / Python", "code: Rust / Python", (4, "p", "Python", "Python")),
    key("{ }", "листать код", "scroll the code"),
    key("z x", "масштаб шкалы времени", "zoom the timeline"),
    bar("Tab", "следующая панель", "next panel", (5, "Tab", "панель", "panel")),
    bar(
        "f",
        "панель во весь экран / обратно",
        "maximize the panel / restore",
        (5, "f", "во весь экран", "maximize"),
    ),
    key("[ ]", "листать текст урока", "scroll the lesson text"),
    key("n N", "следующий / предыдущий урок (тур)", "next / previous lesson (tour)"),
    key("m", "меню уроков (тур)", "lesson menu (tour)"),
    bar("?", "справка", "help", (0, "?", "справка", "help")),
    key("Esc", "закрыть справку, сбросить фильтр", "close help, clear the filter"),
    bar("q Ctrl-C", "выход (в туре q — меню)", "quit (in the tour q: the menu)", (0, "q", "выход", "quit")),
];

/// The action for a key press, if any.
pub fn action(key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return matches!(key.code, KeyCode::Char('c') | KeyCode::Char('d')).then_some(Action::Quit);
    }
    Some(match key.code {
        KeyCode::Char(' ') => Action::PlayPause,
        KeyCode::Right | KeyCode::Char('l') | KeyCode::PageDown => Action::StepForward,
        KeyCode::Left | KeyCode::Char('h') | KeyCode::PageUp => Action::StepBack,
        KeyCode::Char('>') | KeyCode::Char('.') => Action::NextInstant,
        KeyCode::Char('<') | KeyCode::Char(',') => Action::PreviousInstant,
        KeyCode::Char('o') => Action::NextPrint,
        KeyCode::Char('O') => Action::PreviousPrint,
        KeyCode::Char('w') => Action::NextOfTask,
        KeyCode::Char('W') => Action::PreviousOfTask,
        KeyCode::Char('g') => Action::GoToTime,
        KeyCode::Char('e') => Action::TogglePace,
        KeyCode::Char('+') | KeyCode::Char('=') => Action::Faster,
        KeyCode::Char('-') | KeyCode::Char('_') => Action::Slower,
        KeyCode::Home => Action::Restart,
        KeyCode::End | KeyCode::Char('G') => Action::ToEnd,
        KeyCode::Up | KeyCode::Char('k') => Action::SelectUp,
        KeyCode::Down | KeyCode::Char('j') => Action::SelectDown,
        KeyCode::Char('c') => Action::CancelTask,
        KeyCode::Char('t') => Action::ToggleTree,
        KeyCode::Char('/') => Action::StartFilter,
        KeyCode::Char('p') => Action::ToggleCode,
        KeyCode::Char('{') => Action::CodeUp,
        KeyCode::Char('}') => Action::CodeDown,
        KeyCode::Char('z') => Action::ZoomIn,
        KeyCode::Char('x') => Action::ZoomOut,
        KeyCode::Tab => Action::NextPanel,
        KeyCode::Char('f') => Action::Maximize,
        KeyCode::Char('[') => Action::TextUp,
        KeyCode::Char(']') => Action::TextDown,
        KeyCode::Char('n') => Action::NextLesson,
        KeyCode::Char('N') => Action::PreviousLesson,
        KeyCode::Char('m') => Action::Menu,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Esc => Action::Close,
        KeyCode::Char('q') => Action::Leave,
        _ => return None,
    })
}

/// Every key the table names, as key events (for the test that presses them all).
pub fn every_key() -> Vec<KeyEvent> {
    let mut keys: Vec<KeyEvent> =
        " lh><.,oOwWge+=-_GkjctpPz{}xfnNm?q[]/".chars().map(|c| KeyEvent::from(KeyCode::Char(c))).collect();
    keys.extend(
        [
            KeyCode::Right,
            KeyCode::Left,
            KeyCode::PageDown,
            KeyCode::PageUp,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Tab,
            KeyCode::Esc,
        ]
        .map(KeyEvent::from),
    );
    keys.push(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    keys
}
