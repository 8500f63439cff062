//! `asyncdemo tour`: reads the arguments, then hands over to [`crate::tour::guide`].

use std::io::{IsTerminal, Write};

use super::Failure;
use crate::engine::run::RunConfig;
use crate::lesson::{Catalog, Lang, Lesson};
use crate::tour::guide;
use crate::tour::progress::Store;
use crate::ui::theme::{Palette, Theme};

pub fn tour(
    catalog: &Catalog,
    lang: Lang,
    palette: Palette,
    seed: u64,
    reset: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let store = Store::default_location().map_err(|e| Failure::Failed(e.to_string()))?;
    if reset {
        store.reset().map_err(|e| Failure::Failed(e.to_string()))?;
        writeln!(out, "progress reset ({})", store.path().display())?;
        return Ok(());
    }
    if !std::io::stdout().is_terminal() {
        return Err(Failure::Usage(
            "the tour needs a terminal; without one, use `asyncdemo list` and `asyncdemo run LESSON --plain`"
                .into(),
        ));
    }
    let theme = Theme::from_env(palette);
    let config = RunConfig { seed, ..RunConfig::default() };
    guide::run(catalog, lang, theme, config, &store, guide::Mode::default()).map_err(Failure::terminal)
}

/// `asyncdemo present [LESSON]`: the tour on the presenter's screen, with speaker notes and the
/// session's clock, opening LESSON at once if given.
pub fn present(
    catalog: &Catalog,
    lesson: Option<&Lesson>,
    lang: Lang,
    palette: Palette,
    seed: u64,
) -> Result<(), Failure> {
    let start = lesson.and_then(|lesson| catalog.lessons.iter().position(|l| l.id() == lesson.id()));
    let store = Store::default_location().map_err(|e| Failure::Failed(e.to_string()))?;
    if !std::io::stdout().is_terminal() {
        return Err(Failure::Usage("`present` needs a terminal".into()));
    }
    let theme = Theme::from_env(palette);
    let config = RunConfig { seed, ..RunConfig::default() };
    let mode = guide::Mode { presenter: true, start };
    guide::run(catalog, lang, theme, config, &store, mode).map_err(Failure::terminal)
}
