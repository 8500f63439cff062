//! `asyncdemo run LESSON` (and `--python`) and `asyncdemo trace FILE.py`: a run in the live UI,
//! or its transcript (`--plain`, or whenever stdout is not a terminal).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::Failure;
use crate::demos::Demo;
use crate::engine::event::{Trace, VTime};
use crate::engine::python::{self, PythonConfig, PythonError, PythonRun};
use crate::engine::run::{self, RunConfig};
use crate::lesson::RunOf;
use crate::lesson::runs::Runs;
use crate::lesson::{Lang, Lesson};
use crate::ui::app::LessonView;
use crate::ui::compare::{Compare, CompareAction};
use crate::ui::playback::Jump;
use crate::ui::terminal::{self, Link, Source};
use crate::ui::theme::{Palette, Theme};
use crate::ui::{App, Exit};
use crate::view::{compare, transcript};

/// The live UI: the run paced, driven by the user. `P` switches between the Rust demo and the
/// Python original, at the same virtual moment.
pub fn live(
    lesson: &Lesson,
    which: RunOf,
    python: Option<PathBuf>,
    (lang, palette): (Lang, Palette),
    seed: u64,
    (play, stops): (bool, bool),
) -> Result<(), Failure> {
    let theme = Theme::from_env(palette);
    let config = RunConfig { seed, ..RunConfig::default() };
    // A lesson without a demo has only its Python run.
    let mut which = if lesson.demo.is_some() { which } else { RunOf::Python };
    if which == RunOf::Python {
        // A missing or old interpreter is said before the screen changes.
        python::check_version(&python::interpreter(python.as_deref())).map_err(python_failure)?;
    }
    let mut screen = terminal::Screen::enter().map_err(Failure::terminal)?;
    terminal::block_on(async {
        let mut input = terminal::Input::new()?;
        // Where the last run was left, for the next one to start there.
        let mut moment: Option<(VTime, String)> = None;
        loop {
            let mut app = App::of_run(lesson, which, lang, theme);
            // The stops are placed in the lesson's first run.
            if stops && which == lesson.primary() {
                app.set_stops(lesson.stops.clone(), crate::view::stops::in_run(lesson, config));
            }
            match &moment {
                Some((at, notice)) => {
                    app.playback.jump(Jump::Time(*at));
                    app.notice = Some(notice.clone());
                }
                None if play => app.play_now(),
                None => {}
            }
            let source = Source::of(lesson, which, python.clone());
            let exit =
                terminal::run_lesson(&mut screen, &mut input, &mut app, &source, config, &mut Link::Alone)
                    .await?;
            if exit != Exit::SwitchRun {
                return Ok(());
            }
            let at = app.session().playhead;
            let (next, notice) = terminal::other_run(which, python.as_deref(), lang);
            which = next;
            moment = Some((at, notice));
        }
    })
    .map_err(Failure::terminal)
}

/// The plain transcript.
pub fn plain(
    lesson: &Lesson,
    which: RunOf,
    python: Option<PathBuf>,
    lang: Lang,
    seed: u64,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let failed = |why: String| Failure::Failed(format!("lesson `{}`: {why}", lesson.id()));
    let config = RunConfig { seed, ..RunConfig::default() };
    let prints = Some((&lesson.prints, lang));
    match (which, lesson.demo) {
        (RunOf::Rust, Some(demo)) => {
            let recording = run::record(&demo.program, config).map_err(|error| failed(error.to_string()))?;
            let header = transcript::Header {
                title: lesson.title.get(lang),
                file: demo.file(),
                seed,
                prints,
                source: transcript::Source::Rust,
                machine_from: None,
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
        // The Python original (the only run of a lesson without a demo).
        _ => {
            let config = PythonConfig::new(config, python);
            let traced = python::trace(&lesson.python_program(), &config).map_err(python_failure)?;
            let name = format!("{}.py", lesson.id());
            let header = transcript::Header {
                title: lesson.title.get(lang),
                file: &name,
                seed,
                prints,
                source: transcript::Source::Python,
                machine_from: traced.machine_from,
            };
            python_transcript(&header, &traced, &config, out).map_err(|why| match why {
                Failure::Failed(why) => failed(why),
                other => other,
            })
        }
    }
}

/// `asyncdemo trace FILE.py --plain`.
pub fn trace_plain(
    file: &Path,
    python: Option<PathBuf>,
    seed: u64,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let program = file_program(file)?;
    let config = PythonConfig::new(RunConfig { seed, ..RunConfig::default() }, python);
    let traced = python::trace(&program, &config).map_err(python_failure)?;
    let name = program.name();
    let header = transcript::Header {
        title: &name,
        file: &name,
        seed,
        prints: None,
        source: transcript::Source::Python,
        machine_from: traced.machine_from,
    };
    python_transcript(&header, &traced, &config, out)
}

/// `asyncdemo trace FILE.py` in the live view.
pub fn trace_live(
    file: &Path,
    python: Option<PathBuf>,
    palette: Palette,
    seed: u64,
    play: bool,
) -> Result<(), Failure> {
    let program = file_program(file)?;
    python::check_version(&python::interpreter(python.as_deref())).map_err(python_failure)?;
    let code = std::fs::read_to_string(file)
        .map_err(|error| Failure::Usage(format!("cannot read {}: {error}", file.display())))?;
    let theme = Theme::from_env(palette);
    let view = LessonView::of_python_file(&program.name(), &code, &theme);
    let mut app = App::with_view(view, Lang::En, theme);
    app.view.code = crate::ui::app::Code::Python;
    if play {
        app.play_now();
    }
    let config = RunConfig { seed, ..RunConfig::default() };
    terminal::watch(&mut app, &Source::Python { program, python }, config)
        .map(|_| ())
        .map_err(Failure::terminal)
}

/// A traced Python run's transcript; its failure (with the program's own traceback on stderr).
fn python_transcript(
    header: &transcript::Header<'_>,
    traced: &PythonRun,
    config: &PythonConfig,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    if let Ok(text) = transcript::render(header, &traced.trace) {
        out.write_all(text.as_bytes())?;
    }
    match traced.failure(&config.run) {
        None => Ok(()),
        Some(why) => {
            out.flush()?;
            if !traced.stderr.is_empty() {
                eprint!("{}", traced.stderr);
            }
            Err(Failure::Failed(why))
        }
    }
}

fn file_program(file: &Path) -> Result<python::Program, Failure> {
    if !file.is_file() {
        return Err(Failure::Usage(format!("{}: no such file", file.display())));
    }
    Ok(python::Program::File(file.to_owned()))
}

/// No interpreter, or one too old: the user's to fix (exit 2); a tracer that broke: exit 1.
fn python_failure(error: PythonError) -> Failure {
    match error {
        PythonError::NotFound(_) | PythonError::TooOld { .. } => Failure::Usage(error.to_string()),
        PythonError::Broken(_) => Failure::Failed(error.to_string()),
    }
}

/// Both runs of a lesson: the Rust demo recorded, the Python original traced.
fn both_runs(
    lesson: &Lesson,
    python: Option<PathBuf>,
    seed: u64,
) -> Result<(&'static Demo, Trace, Trace), Failure> {
    let Some(demo) = lesson.demo else {
        return Err(Failure::Usage(format!("lesson `{}` has no Rust demo to compare with", lesson.id())));
    };
    python::check_version(&python::interpreter(python.as_deref())).map_err(python_failure)?;
    let runs = Runs::new(lesson, RunConfig { seed, ..RunConfig::default() }, python);
    let failed = |why: &str| Failure::Failed(format!("lesson `{}`: {why}", lesson.id()));
    let rust = runs.get(RunOf::Rust).map_err(failed)?.trace.clone();
    let python = runs.get(RunOf::Python).map_err(failed)?.trace.clone();
    Ok((demo, rust, python))
}

/// `asyncdemo compare LESSON --plain`.
pub fn compare_plain(
    lesson: &Lesson,
    python: Option<PathBuf>,
    lang: Lang,
    seed: u64,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let (demo, rust, python) = both_runs(lesson, python, seed)?;
    let rust_side = compare::Side { label: format!("tokio: {}", demo.file()), trace: &rust };
    let python_side = compare::Side { label: format!("asyncio: {}.py", lesson.id()), trace: &python };
    let text =
        compare::render(lesson.title.get(lang), seed, &rust_side, &python_side, Some((&lesson.prints, lang)))
            .map_err(|illegal| {
                Failure::Failed(format!("lesson `{}`: an impossible event: {illegal}", lesson.id()))
            })?;
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// `asyncdemo compare LESSON`: the two timelines, one above the other.
pub fn compare_live(
    lesson: &Lesson,
    python: Option<PathBuf>,
    lang: Lang,
    palette: Palette,
    seed: u64,
) -> Result<(), Failure> {
    let (_, rust, python) = both_runs(lesson, python, seed)?;
    let theme = Theme::from_env(palette);
    let rust_app = App::of_run(lesson, RunOf::Rust, lang, theme);
    let python_app = App::of_run(lesson, RunOf::Python, lang, theme);
    let mut compare = Compare::new(rust_app, rust, python_app, python);
    let mut screen = terminal::Screen::enter().map_err(Failure::terminal)?;
    terminal::block_on(async {
        let mut input = terminal::Input::new()?;
        terminal::run_screen(
            &mut screen,
            &mut input,
            &mut compare,
            Compare::handle_key,
            Compare::resize,
            CompareAction::None,
            CompareAction::Quit,
        )
        .await
    })
    .map(|_| ())
    .map_err(Failure::terminal)
}
