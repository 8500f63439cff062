//! `asyncdemo stress`: the live view of 10,000 tasks (the stress demo), to see it keep up.

use std::io::IsTerminal;

use super::Failure;
use crate::demos::{self, stress};
use crate::engine::run::RunConfig;
use crate::lesson::Lang;
use crate::ui::App;
use crate::ui::app::LessonView;
use crate::ui::terminal;
use crate::ui::theme::{Palette, Theme};

pub fn stress(lang: Lang, palette: Palette, seed: u64) -> Result<(), Failure> {
    if !std::io::stdout().is_terminal() {
        return Err(Failure::Usage("`asyncdemo stress` opens the live view and needs a terminal".into()));
    }
    let demo = demos::find("stress").expect("the stress demo is registered");
    let tasks = stress::GROUPS * (stress::WORKERS + 1) + 1;
    let (title, text) = match lang {
        Lang::Ru => (
            format!("нагрузка: {tasks} задач"),
            (
                "Что здесь".to_owned(),
                "Сто задач-руководителей запускают по сто рабочих задач. Рабочие засыпают несколько раз на \
                 случайное время и завершаются, некоторые падают с ошибкой, каждую пятидесятую отменяет её \
                 руководитель. Попробуйте дерево (t), фильтр (/), прокрутку (PgUp/PgDn) и шаги назад."
                    .to_owned(),
            ),
        ),
        Lang::En => (
            format!("stress: {tasks} tasks"),
            (
                "What this is".to_owned(),
                "A hundred supervisor tasks spawn a hundred workers each. Workers sleep a few random times \
                 and finish; some fail, and every fiftieth is cancelled by its supervisor. Try the tree (t), \
                 the filter (/), scrolling (PgUp/PgDn) and stepping back."
                    .to_owned(),
            ),
        ),
    };
    let theme = Theme::from_env(palette);
    let mut app = App::with_view(LessonView::of_demo(demo, title, text, &theme), lang, theme);
    let config = RunConfig { seed, ..RunConfig::default() };
    terminal::watch(&mut app, &terminal::Source::Rust(demo), config).map(|_| ()).map_err(Failure::terminal)
}
