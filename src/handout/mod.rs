//! Handouts: what a learner keeps of a lesson once the terminal is closed. A [`Handout`] is the
//! lesson and its recorded run as plain data (the text, both programs, the output, the timeline,
//! the task table, the stops and the quizzes with their answers), made once; [`html`] and
//! [`markdown`] write it out, [`svg`] draws its timeline, and [`book`] binds the whole course.

pub mod book;
pub mod html;
pub mod markdown;
pub mod palette;
pub mod svg;
pub mod timeline;

use crate::engine::event::{EventKind, Trace};
use crate::engine::lifecycle::{IllegalTransition, Lifecycle};
use crate::lesson::runs::Runs;
use crate::lesson::{Lang, Lesson, RunOf};
use crate::quiz::{self, Answer};
use crate::view::describe::seconds;
use crate::view::shown::Shown;
use crate::view::stops;
use crate::view::table::Table;
pub use timeline::Timeline;

/// A lesson and one of its runs, ready to be written out.
pub struct Handout {
    pub lang: Lang,
    pub id: String,
    pub title: String,
    /// Its place in the course: (1-based number, number of lessons).
    pub place: (usize, usize),
    /// Which run the timeline, output and table are of.
    pub run: RunOf,
    pub seed: u64,
    /// The lesson text: each section's heading and Markdown body.
    pub sections: Vec<(String, String)>,
    /// The Python original.
    pub python: String,
    /// The Rust demo: its file and source (`None`: a lesson of its Python original alone).
    pub rust: Option<(String, String)>,
    /// The printed lines, in the reader's language.
    pub output: Vec<Printed>,
    pub timeline: Timeline,
    pub table: Table,
    /// The guided stops, in order.
    pub stops: Vec<StopNote>,
    pub quizzes: Vec<QuizCard>,
    /// Why the run counts as failed, if it does.
    pub failure: Option<String>,
}

/// Links to the pages around this one, in a book of the course.
pub struct Nav {
    /// The contents page.
    pub index: String,
    /// The previous and next lessons: their files and titles.
    pub previous: Option<(String, String)>,
    pub next: Option<(String, String)>,
}

/// A printed line: when, by which task, what.
pub struct Printed {
    pub at: String,
    pub task: String,
    pub text: String,
}

/// A guided stop: its caption, and when it falls in this run (`None`: the stops are placed in
/// the lesson's other run).
pub struct StopNote {
    pub caption: String,
    pub at: Option<String>,
}

/// A quiz: the question, its options, and the answer the run gives.
pub struct QuizCard {
    pub question: String,
    pub options: Vec<String>,
    /// Whether the options are to be put in order (rather than one picked).
    pub ordering: bool,
    /// The answer, or why this run cannot give one.
    pub answer: Result<Answered, String>,
}

/// A quiz's answer: the options in the right order (or the one right option), what the run
/// did, and why.
pub struct Answered {
    pub right: Vec<String>,
    pub facts: Vec<String>,
    pub why: String,
}

impl Handout {
    /// The handout of `runs.lesson`'s run `run` in `lang`; `place` is its place in the course.
    /// An error says why there is no run to show.
    pub fn new(
        runs: &Runs<'_>,
        run: RunOf,
        seed: u64,
        lang: Lang,
        place: (usize, usize),
    ) -> Result<Handout, String> {
        let lesson = runs.lesson;
        let recorded = runs.get(run).map_err(str::to_owned)?;
        let trace = &recorded.trace;
        let illegal = |e: IllegalTransition| e.to_string();
        let lifecycle = Lifecycle::of(trace).map_err(illegal)?;
        let shown = Shown::of(trace);
        let cursors = stop_cursors(lesson, run, trace);
        Ok(Handout {
            lang,
            id: lesson.id().to_owned(),
            title: lesson.title.get(lang).to_owned(),
            place,
            run,
            seed,
            sections: lesson.text(lang),
            python: lesson.python.code.clone(),
            rust: lesson.demo.map(|demo| (demo.file().to_owned(), demo.source.to_owned())),
            output: output(lesson, trace, lang),
            timeline: Timeline::of(trace, &cursors, lang),
            table: Table::of(&lifecycle, shown),
            stops: stop_notes(lesson, &cursors, trace, lang),
            quizzes: lesson.quizzes.iter().map(|quiz| quiz_card(runs, quiz, lang)).collect(),
            failure: recorded.failure.clone(),
        })
    }

    /// "Урок 9 из 24", "Lesson 9 of 24".
    pub fn place_line(&self) -> String {
        let (n, of) = self.place;
        match self.lang {
            Lang::Ru => format!("Урок {n} из {of}"),
            Lang::En => format!("Lesson {n} of {of}"),
        }
    }

    /// "прогон: tokio (Rust), seed 42".
    pub fn run_line(&self) -> String {
        let runtime = match self.run {
            RunOf::Rust => "tokio (Rust)",
            RunOf::Python => "asyncio (Python)",
        };
        format!("{} {runtime}, seed {}", self.lang.pick("прогон:", "run:"), self.seed)
    }

    /// The command that runs this lesson live.
    pub fn command(&self) -> String {
        let python = if self.run == RunOf::Python && self.rust.is_some() { " --python" } else { "" };
        let lang = if self.lang == Lang::En { " --lang en" } else { "" };
        format!("asyncdemo run {}{python}{lang}", self.id)
    }
}

/// The printed lines of the run, translated for the reader (a Rust demo prints Russian; its
/// lesson says the English).
fn output(lesson: &Lesson, trace: &Trace, lang: Lang) -> Vec<Printed> {
    trace
        .events
        .iter()
        .filter_map(|event| match &event.kind {
            EventKind::Print { text } => Some(Printed {
                at: seconds(event.at, lang),
                task: format!("{} {}", event.task, trace.task(event.task).name),
                text: lesson.prints.show(text, lang),
            }),
            _ => None,
        })
        .collect()
}

/// Where the stops fall in this run: only the run they are placed in has them.
fn stop_cursors(lesson: &Lesson, run: RunOf, trace: &Trace) -> Vec<usize> {
    match run == lesson.primary() {
        true => stops::cursors(&lesson.stops, trace).unwrap_or_default(),
        false => Vec::new(),
    }
}

/// The stops' captions, each with its time in the run (`cursors`: where they fall, if they do).
fn stop_notes(lesson: &Lesson, cursors: &[usize], trace: &Trace, lang: Lang) -> Vec<StopNote> {
    lesson
        .stops
        .iter()
        .enumerate()
        .map(|(i, stop)| StopNote {
            caption: stop.caption.get(lang).to_owned(),
            at: cursors
                .get(i)
                .and_then(|&cursor| trace.events.get(cursor.saturating_sub(1)))
                .map(|event| seconds(event.at, lang)),
        })
        .collect()
}

/// A quiz with the answer of its own run (the demo's, or the Python original's).
fn quiz_card(runs: &Runs<'_>, quiz: &crate::lesson::Quiz, lang: Lang) -> QuizCard {
    let lesson = runs.lesson;
    let options = quiz::options(quiz, lang, &lesson.prints);
    let answer = runs
        .get(quiz.source)
        .map_err(str::to_owned)
        .and_then(|run| quiz::solve(quiz, &run.trace, lang, &lesson.prints))
        .map(|solved| Answered {
            right: match &solved.answer {
                Answer::Order(order) => order.iter().map(|&i| options[i].clone()).collect(),
                Answer::Pick(i) => vec![options[*i].clone()],
            },
            facts: solved.explanation,
            why: quiz.why.get(lang).to_owned(),
        });
    QuizCard {
        question: quiz.question.get(lang).to_owned(),
        ordering: matches!(quiz.predict, crate::lesson::Predict::Order { .. }),
        options,
        answer,
    }
}

/// `text` safe inside HTML or SVG markup, in an element or an attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The words the handouts use, in the reader's language: one place, so the HTML page and the
/// Markdown file say the same.
pub struct Words {
    pub lang: Lang,
}

impl Words {
    pub fn text(&self) -> &'static str {
        self.lang.pick("Текст урока", "The lesson")
    }
    pub fn code(&self) -> &'static str {
        self.lang
            .pick("Код: оригинал на Python и демо на Rust", "The code: the Python original and the Rust demo")
    }
    pub fn python(&self) -> &'static str {
        self.lang.pick("Python: оригинал", "Python: the original")
    }
    pub fn rust(&self) -> &'static str {
        self.lang.pick("Rust: демо на tokio", "Rust: the tokio demo")
    }
    pub fn timeline(&self) -> &'static str {
        self.lang.pick("Жизнь задач во времени", "The tasks' lives over time")
    }
    /// How to read the timeline.
    pub fn timeline_help(&self) -> &'static str {
        self.lang.pick(
            "Строка — задача, по порядку создания. Слева направо — события прогона, по шагу на каждое; \
             где виртуальное время идёт дальше, шкала делает разрыв и подписывает новое время. \
             Тонкая линия — задача приостановлена (над ней — чего она ждёт), жёлтая полоса — запланирована \
             и ждёт своей очереди, зелёный блок — выполняется, значок в конце — как она завершилась. \
             Синие номера — остановки урока.",
            "A row is a task, in creation order. Across are the run's events, a step each; where virtual \
             time moves on, the axis breaks and names the new time. A thin line: the task is suspended \
             (what it awaits is written above it); a yellow bar: it is scheduled and waits its turn; a \
             green block: it is running; the mark at the end: how it ended. Blue numbers are the \
             lesson's stops.",
        )
    }
    /// On a phone: the timeline is wider than the screen.
    pub fn scroll(&self) -> &'static str {
        self.lang.pick(
            "Шкала шире экрана: листайте её вбок.",
            "The timeline is wider than the screen: swipe it sideways.",
        )
    }
    pub fn stops(&self) -> &'static str {
        self.lang.pick("Остановки: на что смотреть", "Stops: what to look at")
    }
    pub fn other_run_stops(&self) -> &'static str {
        self.lang.pick("(в другом прогоне урока)", "(in the lesson's other run)")
    }
    pub fn output(&self) -> &'static str {
        self.lang.pick("Вывод", "Output")
    }
    pub fn no_output(&self) -> &'static str {
        self.lang.pick("Прогон ничего не печатает.", "The run prints nothing.")
    }
    pub fn tasks(&self) -> &'static str {
        self.lang.pick("Задачи: чем закончились", "The tasks: how they ended")
    }
    /// The task table's column headings.
    pub fn columns(&self) -> [&'static str; 7] {
        match self.lang {
            Lang::Ru => {
                ["задача", "итог", "результат", "запланирована", "выполнялась", "приостановлена", "опросов"]
            }
            Lang::En => ["task", "final", "result", "scheduled", "running", "suspended", "polls"],
        }
    }
    /// "… and 99,983 more tasks: Done 99,983".
    pub fn others(&self, count: usize, states: &[(crate::engine::lifecycle::State, usize)]) -> String {
        let states: Vec<String> = states.iter().map(|(state, n)| format!("{} {n}", state.name())).collect();
        match self.lang {
            Lang::Ru => format!("… остальные задачи ({count}): {}", states.join(", ")),
            Lang::En => format!("… and {count} more tasks: {}", states.join(", ")),
        }
    }
    pub fn quizzes(&self) -> &'static str {
        self.lang.pick("Вопросы: предскажите прогон", "Questions: predict the run")
    }
    pub fn order_hint(&self) -> &'static str {
        self.lang.pick("Расставьте в порядке, в котором они появятся.", "Put them in the order they appear.")
    }
    pub fn pick_hint(&self) -> &'static str {
        self.lang.pick("Выберите один ответ.", "Pick one.")
    }
    pub fn answer(&self) -> &'static str {
        self.lang.pick("Ответ", "Answer")
    }
    pub fn run_did(&self) -> &'static str {
        self.lang.pick("Что было в прогоне:", "What the run did:")
    }
    pub fn why(&self) -> &'static str {
        self.lang.pick("Почему:", "Why:")
    }
    pub fn no_answer(&self) -> &'static str {
        self.lang.pick("Ответа нет:", "No answer:")
    }
    pub fn failed(&self) -> &'static str {
        self.lang.pick("Прогон не удался:", "The run failed:")
    }
    pub fn try_it(&self) -> &'static str {
        self.lang.pick("Запустите сами:", "Run it yourself:")
    }
    pub fn made_by(&self) -> &'static str {
        self.lang.pick("Сделано командой asyncdemo export.", "Made by asyncdemo export.")
    }
    pub fn contents(&self) -> &'static str {
        self.lang.pick("Оглавление", "Contents")
    }
    pub fn previous(&self) -> &'static str {
        self.lang.pick("← назад", "← previous")
    }
    pub fn next(&self) -> &'static str {
        self.lang.pick("дальше →", "next →")
    }
    pub fn show_answers(&self) -> &'static str {
        self.lang.pick("Показать все ответы", "Show all answers")
    }
    pub fn hide_answers(&self) -> &'static str {
        self.lang.pick("Скрыть ответы", "Hide the answers")
    }
    pub fn book_title(&self) -> &'static str {
        self.lang.pick(
            "Асинхронный Python на виду: курс asyncdemo",
            "Asynchronous Python in plain sight: the asyncdemo course",
        )
    }
    pub fn book_intro(&self) -> &'static str {
        self.lang.pick(
            "Каждый урок — заметка об asyncio, её программа на Python и та же программа на Rust с tokio, \
             прогнанная на виртуальных часах: видно, когда каждая задача создана, запланирована, \
             выполняется, чего ждёт и чем закончилась.",
            "Each lesson is a note on asyncio, its Python program and the same program in Rust with tokio, \
             run on a virtual clock: you see when each task is created, scheduled, running, what it waits \
             on and how it ends.",
        )
    }
}
