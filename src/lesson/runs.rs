//! A lesson's two runs: its Rust demo on tokio, and its Python original on asyncio, traced; each
//! recorded to the end for what needs the whole run (quizzes, stops, checks).

use std::path::PathBuf;

use super::model::{Lesson, RunOf};
use crate::engine::event::Trace;
use crate::engine::python::{self, PythonConfig};
use crate::engine::run::{self, RunConfig};

/// A lesson's run, recorded to the end.
#[derive(Debug)]
pub struct Recorded {
    pub trace: Trace,
    /// Why the run counts as failed, if it does (it still has what happened up to there).
    pub failure: Option<String>,
}

impl Lesson {
    /// The Python original, as the tracer runs it (`gather.py`).
    pub fn python_program(&self) -> python::Program {
        python::Program::Code { name: format!("{}.py", self.id), code: self.python.code.clone() }
    }

    /// The run `which`, recorded to the end (`python`: the interpreter, `python3` by default);
    /// an error says why there is no trace at all.
    pub fn record(
        &self,
        which: RunOf,
        config: RunConfig,
        python: Option<PathBuf>,
    ) -> Result<Recorded, String> {
        match (which, self.demo) {
            (RunOf::Rust, Some(demo)) => {
                let recording = run::record(&demo.program, config).map_err(|error| error.to_string())?;
                let trace = recording.trace();
                let failure = run::failure(&trace, recording.stopped());
                Ok(Recorded { trace, failure })
            }
            (RunOf::Rust, None) => Err("the lesson has no Rust demo".into()),
            (RunOf::Python, _) => {
                let config = PythonConfig::new(config, python);
                let traced =
                    python::trace(&self.python_program(), &config).map_err(|error| error.to_string())?;
                let failure = traced.failure(&config.run);
                Ok(Recorded { trace: traced.trace, failure })
            }
        }
    }
}

/// A lesson's runs, each recorded the first time it is asked for.
pub struct Runs<'a> {
    pub lesson: &'a Lesson,
    config: RunConfig,
    python: Option<PathBuf>,
    rust: std::cell::OnceCell<Result<Recorded, String>>,
    python_run: std::cell::OnceCell<Result<Recorded, String>>,
}

impl<'a> Runs<'a> {
    pub fn new(lesson: &'a Lesson, config: RunConfig, python: Option<PathBuf>) -> Runs<'a> {
        Runs { lesson, config, python, rust: Default::default(), python_run: Default::default() }
    }

    /// The run `which`, recorded (once).
    pub fn get(&self, which: RunOf) -> Result<&Recorded, &str> {
        let cell = match which {
            RunOf::Rust => &self.rust,
            RunOf::Python => &self.python_run,
        };
        cell.get_or_init(|| self.lesson.record(which, self.config, self.python.clone()))
            .as_ref()
            .map_err(String::as_str)
    }

    /// The trace of run `which`, if it could be recorded.
    pub fn trace(&self, which: RunOf) -> Option<&Trace> {
        self.get(which).ok().map(|recorded| &recorded.trace)
    }
}
