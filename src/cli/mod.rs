//! The command-line front end: parses arguments, dispatches to a command, maps outcomes to exit
//! codes (0 success, 1 failure, 2 usage error).

mod args;
mod check;
mod export;
mod list;
mod quiz;
mod run;
mod show;
mod stress;
mod tour;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

pub use args::{Cli, Command};

use crate::lesson::{Catalog, Lesson, LessonErrors, RunOf};

/// Why a command did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// The user asked for something that does not exist (exit 2).
    Usage(String),
    /// The command ran and failed (exit 1).
    Failed(String),
    /// The command found these problems, each reported on its own (exit 1).
    Problems(Vec<String>),
    /// Stdout was closed (`asyncdemo list | head`): stop quietly (exit 0).
    BrokenPipe,
}

impl Failure {
    /// The terminal failed under the live view.
    fn terminal(error: io::Error) -> Failure {
        Failure::Failed(format!("the terminal: {error}"))
    }
}

impl From<LessonErrors> for Failure {
    /// Every problem in the lesson files, each reported.
    fn from(errors: LessonErrors) -> Self {
        Failure::Problems(errors.0.iter().map(ToString::to_string).collect())
    }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        if error.kind() == io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Failed(format!("cannot write the output: {error}"))
        }
    }
}

/// Runs the program with these arguments (`std::env::args_os()` in `main`).
pub fn main_with_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version go to stdout with exit 0; real usage errors exit 2.
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match dispatch(&cli, &mut out).and_then(|()| out.flush().map_err(Failure::from)) {
        Ok(()) | Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Failed(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
        Err(Failure::Problems(problems)) => {
            for problem in problems {
                eprintln!("error: {problem}");
            }
            ExitCode::from(1)
        }
    }
}

fn dispatch(cli: &Cli, out: &mut dyn Write) -> Result<(), Failure> {
    match &cli.command {
        Command::List => list::list(&load(cli)?, cli.lang(), out),
        Command::Run { lesson, plain, play, no_stops, python, seed } => {
            let catalog = load(cli)?;
            let lesson = find(&catalog, lesson)?;
            let which = if *python { RunOf::Python } else { RunOf::Rust };
            let python = cli.python_bin.clone();
            if *plain || !std::io::stdout().is_terminal() {
                run::plain(lesson, which, python, cli.lang(), *seed, out)
            } else {
                run::live(lesson, which, python, (cli.lang(), cli.theme()), *seed, (*play, !*no_stops))
            }
        }
        Command::Compare { lesson, plain, seed } => {
            let catalog = load(cli)?;
            let lesson = find(&catalog, lesson)?;
            let python = cli.python_bin.clone();
            if *plain || !std::io::stdout().is_terminal() {
                run::compare_plain(lesson, python, cli.lang(), *seed, out)
            } else {
                run::compare_live(lesson, python, cli.lang(), cli.theme(), *seed)
            }
        }
        Command::Trace { file, plain, play, seed } => {
            let python = cli.python_bin.clone();
            if *plain || !std::io::stdout().is_terminal() {
                run::trace_plain(file, python, *seed, out)
            } else {
                run::trace_live(file, python, cli.theme(), *seed, *play)
            }
        }
        Command::Show { lesson, python } => {
            let catalog = load(cli)?;
            let lesson = find(&catalog, lesson)?;
            if *python {
                out.write_all(lesson.python.code.as_bytes())?;
                Ok(())
            } else {
                show::show(lesson, cli.lang(), out)
            }
        }
        Command::Export { lesson, to, format, course: _, python, time, seed } => {
            let catalog = load(cli)?;
            let time = match time {
                args::TimeArg::Virtual => crate::view::perfetto::Time::Virtual,
                args::TimeArg::Steps => crate::view::perfetto::Time::Steps,
            };
            let options = export::Options {
                format: *format,
                python: *python,
                time,
                seed: *seed,
                lang: cli.lang(),
                python_bin: cli.python_bin.clone(),
            };
            match lesson {
                Some(lesson) => export::lesson(&catalog, find(&catalog, lesson)?, &options, to, out),
                None => export::course(&catalog, &options, to, out),
            }
        }
        Command::Quiz { lesson, seed } => {
            let catalog = load(cli)?;
            quiz::quiz(find(&catalog, lesson)?, cli.lang(), *seed, cli.python_bin.clone(), out)
        }
        Command::Tour { reset, seed } => {
            tour::tour(&load(cli)?, cli.lang(), cli.theme(), *seed, *reset, cli.python_bin.clone(), out)
        }
        Command::Present { lesson, seed, listen } => {
            let catalog = load(cli)?;
            let lesson = lesson.as_deref().map(|id| find(&catalog, id)).transpose()?;
            tour::present(&catalog, lesson, cli.lang(), cli.theme(), *seed, listen)
        }
        Command::Follow { address, code } => {
            tour::follow(&load(cli)?, cli.lang(), cli.theme(), address, code.clone())
        }
        Command::Stress { seed } => stress::stress(cli.lang(), cli.theme(), *seed),
        Command::Check { dir } => {
            check::check(dir.as_deref().or(cli.lessons_dir.as_deref()), cli.python_bin.clone(), out)
        }
        Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut Cli::command(), "asyncdemo", out);
            Ok(())
        }
    }
}

/// The course: built in, or from `--lessons-dir`.
fn load(cli: &Cli) -> Result<Catalog, Failure> {
    let catalog = match &cli.lessons_dir {
        Some(dir) => Catalog::from_dir(dir),
        None => Catalog::embedded(),
    };
    catalog.map_err(Failure::from)
}

fn find<'a>(catalog: &'a Catalog, id: &str) -> Result<&'a Lesson, Failure> {
    catalog.find(id).map_err(|unknown| Failure::Usage(unknown.to_string()))
}
