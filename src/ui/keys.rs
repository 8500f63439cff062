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
    /// A digit: to the lesson's guided stop with this number.
    Stop(u8),
    /// The presenter opens a class poll on the lesson's next quiz; a follower shows the open
    /// poll again.
    Poll,
    /// The presenter shows the class the poll's result.
    Reveal,
    /// A follower stops following and explores on its own.
    Detach,
    /// A follower follows the presenter again.
    Follow,
    /// The lesson's other run: the Python original traced, or the Rust demo, at the same
    /// virtual moment.
    SwitchRun,
}

/// A key: its code, and whether Ctrl is held.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn k(c: char) -> Key {
    Key { code: KeyCode::Char(c), ctrl: false }
}

const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn ctrl(c: char) -> Key {
    Key { code: KeyCode::Char(c), ctrl: true }
}

impl Key {
    /// How the key is written for the user: `Space`, `→`, `PgDn`, `Ctrl-C`, `g`.
    pub fn name(self) -> String {
        let name = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Right => "→".to_owned(),
            KeyCode::Left => "←".to_owned(),
            KeyCode::Up => "↑".to_owned(),
            KeyCode::Down => "↓".to_owned(),
            KeyCode::PageDown => "PgDn".to_owned(),
            KeyCode::PageUp => "PgUp".to_owned(),
            KeyCode::Home => "Home".to_owned(),
            KeyCode::End => "End".to_owned(),
            KeyCode::Tab => "Tab".to_owned(),
            KeyCode::Esc => "Esc".to_owned(),
            KeyCode::Enter => "Enter".to_owned(),
            other => format!("{other:?}"),
        };
        if self.ctrl { format!("Ctrl-{}", name.to_uppercase()) } else { name }
    }
}

/// A row of the key table: its keys (each with what it does), what they do in words (Russian
/// and English), and, if it is in the bottom key bar, its place there.
pub struct Binding {
    pub keys: &'static [(Key, Action)],
    pub ru: &'static str,
    pub en: &'static str,
    /// In the bottom key bar, most wanted first (lower numbers are dropped last): the keys as
    /// the bar writes them and a Russian and English label; `None`: only in help.
    pub bar: Option<(u8, &'static str, &'static str, &'static str)>,
}

impl Binding {
    /// The keys, as help and the README write them: `→ l PgDn`, `1…9` for a run of digits.
    pub fn shown(&self) -> String {
        let digits: Vec<char> = self
            .keys
            .iter()
            .filter_map(|(key, _)| match key.code {
                KeyCode::Char(c) if c.is_ascii_digit() && !key.ctrl => Some(c),
                _ => None,
            })
            .collect();
        if digits.len() == self.keys.len() && digits.len() > 2 {
            return format!("{}…{}", digits[0], digits[digits.len() - 1]);
        }
        let mut names: Vec<String> = Vec::new();
        for (key, _) in self.keys {
            let name = key.name();
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names.join(" ")
    }
}

const fn row(keys: &'static [(Key, Action)], ru: &'static str, en: &'static str) -> Binding {
    Binding { keys, ru, en, bar: None }
}

const fn bar(
    keys: &'static [(Key, Action)],
    ru: &'static str,
    en: &'static str,
    bar: (u8, &'static str, &'static str, &'static str),
) -> Binding {
    Binding { keys, ru, en, bar: Some(bar) }
}

use Action as A;

/// The one key table: the key handler, the key bar, help and the README all read it (a test
/// checks the README).
pub const BINDINGS: &[Binding] = &[
    bar(&[(k(' '), A::PlayPause)], "пуск / пауза", "play / pause", (0, "Space", "пуск", "play")),
    bar(
        &[
            (code(KeyCode::Right), A::StepForward),
            (k('l'), A::StepForward),
            (code(KeyCode::PageDown), A::StepForward),
        ],
        "следующее событие (PgDn — кнопка пульта)",
        "next event (PgDn: a presentation clicker)",
        (0, "→", "шаг", "step"),
    ),
    bar(
        &[(code(KeyCode::Left), A::StepBack), (k('h'), A::StepBack), (code(KeyCode::PageUp), A::StepBack)],
        "предыдущее событие",
        "previous event",
        (1, "←", "назад", "back"),
    ),
    bar(
        &[
            (k('>'), A::NextInstant),
            (k('.'), A::NextInstant),
            (k('<'), A::PreviousInstant),
            (k(','), A::PreviousInstant),
        ],
        "следующий / предыдущий момент времени",
        "next / previous instant of time",
        (3, ">", "момент", "instant"),
    ),
    bar(
        &[(k('o'), A::NextPrint), (k('O'), A::PreviousPrint)],
        "следующая / предыдущая строка вывода",
        "next / previous printed line",
        (4, "o", "вывод", "output"),
    ),
    row(
        &[(k('w'), A::NextOfTask), (k('W'), A::PreviousOfTask)],
        "следующее / предыдущее событие выбранной задачи",
        "next / previous event of the selected task",
    ),
    bar(&[(k('g'), A::GoToTime)], "перейти ко времени…", "go to a time…", (3, "g", "время", "time")),
    row(&[(k('e'), A::TogglePace)], "темп: по событиям / по времени", "pace: by events / by virtual time"),
    bar(
        &[(k('+'), A::Faster), (k('='), A::Faster), (k('-'), A::Slower), (k('_'), A::Slower)],
        "быстрее / медленнее",
        "faster / slower",
        (5, "+-", "темп", "speed"),
    ),
    row(
        &[
            (k('1'), A::Stop(1)),
            (k('2'), A::Stop(2)),
            (k('3'), A::Stop(3)),
            (k('4'), A::Stop(4)),
            (k('5'), A::Stop(5)),
            (k('6'), A::Stop(6)),
            (k('7'), A::Stop(7)),
            (k('8'), A::Stop(8)),
            (k('9'), A::Stop(9)),
        ],
        "к остановке урока с этим номером",
        "to the lesson's stop with this number",
    ),
    row(&[(code(KeyCode::Home), A::Restart)], "заново, с паузы", "restart, paused"),
    row(&[(code(KeyCode::End), A::ToEnd), (k('G'), A::ToEnd)], "до конца", "to the end"),
    bar(
        &[
            (code(KeyCode::Up), A::SelectUp),
            (code(KeyCode::Down), A::SelectDown),
            (k('k'), A::SelectUp),
            (k('j'), A::SelectDown),
        ],
        "выбрать задачу",
        "select a task",
        (2, "↑↓", "задача", "task"),
    ),
    bar(
        &[(k('c'), A::CancelTask)],
        "отменить выбранную задачу (в прошлом — новый прогон с отменой)",
        "cancel the selected task (in the past: a new run with the cancel)",
        (2, "c", "отменить", "cancel"),
    ),
    row(&[(k('t'), A::ToggleTree)], "дерево задач (родитель → дети)", "task tree (parent → children)"),
    row(&[(k('/'), A::StartFilter)], "фильтр по имени", "filter by name"),
    bar(
        &[(k('p'), A::ToggleCode)],
        "код: Rust / Python",
        "code: Rust / Python",
        (4, "p", "Python", "Python"),
    ),
    row(
        &[(k('P'), A::SwitchRun)],
        "прогон: демо на Rust / оригинал на Python, в тот же момент",
        "run: the Rust demo / the Python original, at the same moment",
    ),
    row(&[(k('{'), A::CodeUp), (k('}'), A::CodeDown)], "листать код", "scroll the code"),
    row(&[(k('z'), A::ZoomIn), (k('x'), A::ZoomOut)], "масштаб шкалы времени", "zoom the timeline"),
    bar(
        &[(code(KeyCode::Tab), A::NextPanel)],
        "следующая панель",
        "next panel",
        (5, "Tab", "панель", "panel"),
    ),
    bar(
        &[(k('F'), A::Maximize)],
        "панель во весь экран / обратно",
        "maximize the panel / restore",
        (5, "F", "во весь экран", "maximize"),
    ),
    row(&[(k('['), A::TextUp), (k(']'), A::TextDown)], "листать текст урока", "scroll the lesson text"),
    row(
        &[(k('n'), A::NextLesson), (k('N'), A::PreviousLesson)],
        "следующий / предыдущий урок (тур)",
        "next / previous lesson (tour)",
    ),
    row(&[(k('m'), A::Menu)], "меню уроков (тур)", "lesson menu (tour)"),
    row(
        &[(k('a'), A::Poll)],
        "опрос класса (present); снова показать опрос (follow)",
        "poll the class (present); show the poll again (follow)",
    ),
    row(
        &[(k('r'), A::Reveal)],
        "показать классу итоги опроса (present)",
        "show the class the poll's result (present)",
    ),
    row(
        &[(k('d'), A::Detach)],
        "отойти от ведущего и смотреть самому (follow)",
        "leave the presenter and explore on your own (follow)",
    ),
    row(&[(k('f'), A::Follow)], "снова за ведущим (follow)", "follow the presenter again (follow)"),
    bar(&[(k('?'), A::Help)], "справка", "help", (0, "?", "справка", "help")),
    row(
        &[(code(KeyCode::Esc), A::Close)],
        "закрыть справку, сбросить фильтр",
        "close help, clear the filter",
    ),
    bar(
        &[(k('q'), A::Leave), (ctrl('c'), A::Quit), (ctrl('d'), A::Quit)],
        "выход (в туре q — меню)",
        "quit (in the tour q: the menu)",
        (0, "q", "выход", "quit"),
    ),
];

/// The action for a key press, if any: looked up in [`BINDINGS`]. A letter typed on a Russian
/// (ЙЦУКЕН) layout counts as the Latin letter on the same key, so a learner who types Russian
/// need not switch layouts.
pub fn action(key: KeyEvent) -> Option<Action> {
    let pressed = Key { code: latin(key.code), ctrl: key.modifiers.contains(KeyModifiers::CONTROL) };
    BINDINGS.iter().flat_map(|b| b.keys).find(|(k, _)| *k == pressed).map(|&(_, action)| action)
}

/// Every key the table names, as key events (for the tests that press them all).
pub fn every_key() -> Vec<KeyEvent> {
    BINDINGS
        .iter()
        .flat_map(|b| b.keys)
        .map(|(key, _)| {
            KeyEvent::new(key.code, if key.ctrl { KeyModifiers::CONTROL } else { KeyModifiers::NONE })
        })
        .collect()
}

/// The Latin character on the same key of a US layout as `code` on a Russian (ЙЦУКЕН) one.
pub fn latin(code: KeyCode) -> KeyCode {
    const RUSSIAN: &str = "йцукенгшщзхъфывапролджэячсмитьбюЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ";
    const LATIN: &str = "qwertyuiop[]asdfghjkl;'zxcvbnm,.QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>";
    let KeyCode::Char(c) = code else { return code };
    match RUSSIAN.chars().position(|r| r == c) {
        Some(i) => KeyCode::Char(LATIN.chars().nth(i).unwrap_or(c)),
        None => code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_means_one_thing_and_the_table_answers_for_it() {
        let keys: Vec<(Key, Action)> = BINDINGS.iter().flat_map(|b| b.keys).copied().collect();
        for (i, (key, action)) in keys.iter().enumerate() {
            assert!(!keys[i + 1..].iter().any(|(other, _)| other == key), "{key:?} is bound twice");
            let event =
                KeyEvent::new(key.code, if key.ctrl { KeyModifiers::CONTROL } else { KeyModifiers::NONE });
            assert_eq!(super::action(event), Some(*action), "{key:?}");
        }
    }

    #[test]
    fn a_russian_layout_presses_the_same_keys() {
        assert_eq!(action(KeyEvent::from(KeyCode::Char('й'))), Some(Action::Leave));
        assert_eq!(action(KeyEvent::from(KeyCode::Char('с'))), Some(Action::CancelTask));
        assert_eq!(action(KeyEvent::from(KeyCode::Char('ю'))), Some(Action::NextInstant));
        assert_eq!(action(KeyEvent::from(KeyCode::Char('Щ'))), Some(Action::PreviousPrint));
        // Every Russian letter of the two rows has its Latin key.
        for c in "йцукенгшщзхъфывапролджэячсмитьбюЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ".chars()
        {
            assert!(matches!(latin(KeyCode::Char(c)), KeyCode::Char(l) if l.is_ascii()), "{c}");
        }
    }
}
