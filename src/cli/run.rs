//! `asyncdemo run LESSON`: runs the lesson's demo in the live UI, or prints its transcript
//! (`--plain`, or whenever stdout is not a terminal).

use std::io::Write;

use super::Failure;
use crate::engine::run::{self, RunConfig};
use crate::lesson::{Lang, Lesson};
use crate::ui::App;
use crate::ui::terminal;
use crate::ui::theme::{Palette, Theme};
use crate::view::transcript;

/// The live UI: the demo runs paced, driven by the user.
pub fn live(
    lesson: &Lesson,
    lang: Lang,
    palette: Palette,
    seed: u64,
    play: bool,
    stops: bool,
) -> Result<(), Failure> {
    let mut app = App::new(lesson, lang, Theme::from_env(palette));
    let config = RunConfig { seed, ..RunConfig::default() };
    if stops {
        app.set_stops(lesson.stops.clone(), crate::view::stops::in_run(lesson, config));
    }
    if play {
        app.play_now();
    }
    terminal::watch(&mut app, lesson.demo, config).map(|_| ()).map_err(Failure::terminal)
}

/// The plain transcript.
pub fn plain(lesson: &Lesson, lang: Lang, seed: u64, out: &mut dyn Write) -> Result<(), Failure> {
    let failed = |why: String| Failure::Failed(format!("lesson `{}`: {why}", lesson.id()));
    let recording = run::record(&lesson.demo.program, RunConfig { seed, ..RunConfig::default() })
        .map_err(|error| failed(error.to_string()))?;
    let header = transcript::Header {
        title: lesson.title.get(lang),
        demo_file: lesson.demo.file(),
        seed,
        prints: Some((&lesson.prints, lang)),
    };
    // A run that failed still shows what happened up to the failure, when it can be shown.
    let trace = recording.trace();
    if let Ok(text) = transcript::render(&header, &trace) {
        out.write_all(text.as_bytes())?;
    }
    match run::failure(&trace, recording.stopped()) {
        None => Ok(()),
        Some(why) => Err(failed(why)),
    }
}
