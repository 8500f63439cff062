//! The command line, as clap types.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::engine::run::DEFAULT_SEED;
use crate::lesson::Lang;
use crate::ui::theme::Palette;

/// asyncdemo: watch asynchronous code run.
///
/// Each lesson shows a piece of Python asyncio, runs the same idea as a Rust/tokio demo and
/// shows every task's lifecycle: Created, Scheduled, Running, Suspended, Done, Cancelled, Failed.
#[derive(Debug, Parser)]
#[command(name = "asyncdemo", version, max_term_width = 100)]
pub struct Cli {
    /// Load lessons from this directory instead of the built-in course.
    #[arg(long, global = true, value_name = "DIR")]
    pub lessons_dir: Option<PathBuf>,

    /// Language of the lesson text (Russian is the course's own; English where a lesson has it).
    #[arg(long = "lang", global = true, value_enum, default_value_t = LangArg::Ru)]
    pub lang_arg: LangArg,

    /// Colours for the live view and the tour: a dark or light terminal background, or a
    /// projector (bright, bold). `NO_COLOR` turns colour off whatever the theme.
    #[arg(long = "theme", global = true, value_enum, default_value_t = ThemeArg::Dark)]
    pub theme_arg: ThemeArg,

    /// The Python interpreter that traces Python programs (3.10 or later; `python3` on the PATH
    /// by default).
    #[arg(long, global = true, value_name = "PATH")]
    pub python_bin: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

/// `--lang`, as the command line spells it.
#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum LangArg {
    /// Russian (the course's own language).
    Ru,
    /// English.
    En,
}

/// `--time`, as the command line spells it.
#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum TimeArg {
    /// Virtual microseconds, ties broken by event order.
    Virtual,
    /// One microsecond per event.
    Steps,
}

/// `export --format`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// A Perfetto / Chrome trace.
    Json,
    /// A handout: one HTML page.
    Html,
    /// A handout in Markdown, its timeline an SVG file beside it.
    Md,
}

/// `--theme`, as the command line spells it.
#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum ThemeArg {
    /// A dark terminal background.
    Dark,
    /// A projector: bright colours, bold type, nothing dark grey.
    HighContrast,
    /// A light terminal background: no yellow, no light colours.
    Light,
}

impl Cli {
    pub fn lang(&self) -> Lang {
        match self.lang_arg {
            LangArg::Ru => Lang::Ru,
            LangArg::En => Lang::En,
        }
    }

    pub fn theme(&self) -> Palette {
        match self.theme_arg {
            ThemeArg::Dark => Palette::Dark,
            ThemeArg::HighContrast => Palette::HighContrast,
            ThemeArg::Light => Palette::Light,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the lessons in course order.
    List,
    /// Run a lesson's demo in the live view (or print its transcript when piped or `--plain`).
    Run {
        /// The lesson id (see `asyncdemo list`).
        lesson: String,
        /// Print the plain transcript instead of opening the live view (always the case when
        /// stdout is not a terminal).
        #[arg(long)]
        plain: bool,
        /// Start playing at once (the live view starts paused at the first event otherwise).
        #[arg(long, conflicts_with = "plain")]
        play: bool,
        /// Play straight through the lesson's guided stops instead of pausing at each.
        #[arg(long, conflicts_with = "plain")]
        no_stops: bool,
        /// Run the lesson's Python original, traced under python3 on the same virtual clock,
        /// instead of its Rust demo.
        #[arg(long)]
        python: bool,
        /// Seed for the demo's random numbers.
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
    },
    /// A lesson's Rust run (tokio) above its Python run (asyncio), on one time axis (or, piped
    /// or `--plain`, what each printed at each moment and their task tables side by side).
    Compare {
        /// The lesson id (see `asyncdemo list`).
        lesson: String,
        /// Print the comparison as text.
        #[arg(long)]
        plain: bool,
        /// Seed for the random numbers of both runs.
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
    },
    /// Trace any Python asyncio program: every task's lifecycle on a virtual clock, in the
    /// live view (or as a transcript when piped or `--plain`).
    Trace {
        /// The program (`FILE.py`).
        file: PathBuf,
        /// Print the plain transcript instead of opening the live view.
        #[arg(long)]
        plain: bool,
        /// Start playing at once.
        #[arg(long, conflicts_with = "plain")]
        play: bool,
        /// Seed for `random` (the program's own `random.seed` wins).
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
    },
    /// Show a lesson's text, its Python original and its Rust demo, without running it.
    Show {
        /// The lesson id (see `asyncdemo list`).
        lesson: String,
        /// Print the Python original alone, as it is: ready to save as a `.py` file and run.
        #[arg(long)]
        python: bool,
    },
    /// Write a lesson's run to a file: `.json`, a Perfetto / Chrome trace (open it in
    /// ui.perfetto.dev); `.html`, a handout that needs nothing else; `.md`, the handout in
    /// Markdown with its timeline as an SVG file beside it. `--course --to DIR`: the whole course
    /// as a book.
    Export {
        /// The lesson id (see `asyncdemo list`).
        #[arg(required_unless_present = "course", conflicts_with = "course")]
        lesson: Option<String>,
        /// The file to write (its extension chooses the format), or with `--course` the
        /// directory.
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
        /// The format, whatever the file's extension.
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
        /// Every lesson, in course order: DIR/index.html and a page per lesson, linked (HTML
        /// unless `--format md`).
        #[arg(long)]
        course: bool,
        /// Export the Python original's run instead of the Rust demo's.
        #[arg(long)]
        python: bool,
        /// Timestamps: virtual time (ties broken by event order), or one step per event.
        #[arg(long, value_enum, default_value_t = TimeArg::Virtual)]
        time: TimeArg,
        /// Seed for the run's random numbers.
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
    },
    /// Predict what a lesson's demo will do, then see what it did.
    Quiz {
        /// The lesson id (see `asyncdemo list`).
        lesson: String,
        /// Seed for the demo's random numbers.
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
    },
    /// Go through the whole course: a lesson menu, progress remembered between runs.
    Tour {
        /// Forget the progress (which lessons are done, where to resume) and exit.
        #[arg(long)]
        reset: bool,
        /// Seed for the demos' random numbers.
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
    },
    /// Present the course to a class: the tour with the speaker notes, the session's clock and
    /// class polls; followers (`asyncdemo follow`) see your moment on their own terminals.
    Present {
        /// Open this lesson at once (see `asyncdemo list`).
        lesson: Option<String>,
        /// Seed for the demos' random numbers.
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
        /// Where followers connect: 127.0.0.1 (this machine: a projector in a second terminal)
        /// unless this says otherwise, such as 0.0.0.0 for the room's network (followers then
        /// need the session code shown on screen).
        #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1:47474")]
        listen: String,
    },
    /// Follow a presenter's class (`asyncdemo present`) on this terminal: its lesson at its
    /// moment; `d` to explore on your own, `f` to follow again; answer its polls.
    Follow {
        /// The presenter's address, as its screen shows it (`192.168.1.20:47474`; the port may
        /// be left out).
        #[arg(default_value = "127.0.0.1:47474")]
        address: String,
        /// The session code the presenter's screen shows (needed off this machine).
        #[arg(long)]
        code: Option<String>,
    },
    /// Open the live view on 10,000 tasks at once (not a lesson: a test of the view at scale).
    Stress {
        /// Seed for the demo's random numbers.
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
    },
    /// Check lesson files (and run their demos), for lesson authors.
    Check {
        /// The directory to check; the built-in lessons (or `--lessons-dir`) by default.
        dir: Option<PathBuf>,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell to write completions for.
        shell: clap_complete::Shell,
    },
}
