//! The tour's quiz screen: before a lesson's demo runs, the learner predicts what it will do.
//!
//! `order` questions are answered by picking the lines in the order they will be printed (a
//! number key, or ↑↓ and Enter, one line at a time; Backspace takes the last pick back);
//! `first` and `state` questions by picking one option. After each answer the screen says
//! whether it was right and shows what the run did. `s` or Esc skips to the demo.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::progress::QuizScore;
use crate::lesson::Lang;
use crate::lesson::runs::Runs;
use crate::lesson::schema::QuizKind;
use crate::quiz::{self, Answer, Solved, Told};
use crate::ui::theme::Theme;

/// One question, with its answer from the run.
struct Question {
    text: String,
    /// Why the run answers as it does.
    why: Option<String>,
    kind: QuizKind,
    options: Vec<String>,
    solved: Solved,
}

pub struct QuizScreen {
    title: String,
    lang: Lang,
    theme: Theme,
    questions: Vec<Question>,
    index: usize,
    highlight: usize,
    /// `order` questions: the options picked so far, in the learner's order.
    picked: Vec<usize>,
    /// Set once the current question is answered: was it right?
    verdict: Option<bool>,
    score: QuizScore,
    /// All questions answered: the summary is on screen.
    finished: bool,
}

/// What the tour should do after a key press.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum QuizAction {
    None,
    /// Every question answered: record the score, then run the demo.
    Done(QuizScore),
    /// The learner went straight to the demo.
    Skip,
}

impl QuizScreen {
    /// The quiz of the lesson, each question answered from its run (recorded when first
    /// needed); `None` if the lesson has no question with a clear answer in its run.
    pub fn new(runs: &Runs<'_>, lang: Lang, theme: Theme) -> Option<QuizScreen> {
        let lesson = runs.lesson;
        let questions: Vec<Question> = lesson
            .quizzes
            .iter()
            .filter_map(|quiz| {
                let solved = quiz::solve(quiz, runs.trace(quiz.source)?, lang, &lesson.prints).ok()?;
                Some(Question {
                    text: quiz.question.get(lang).to_owned(),
                    why: Some(quiz.why.get(lang).to_owned()),
                    kind: quiz.kind(),
                    options: quiz::options(quiz, lang, &lesson.prints),
                    solved,
                })
            })
            .collect();
        (!questions.is_empty()).then(|| QuizScreen {
            title: lesson.title.get(lang).to_owned(),
            lang,
            theme,
            questions,
            index: 0,
            highlight: 0,
            picked: Vec::new(),
            verdict: None,
            score: QuizScore::default(),
            finished: false,
        })
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> QuizAction {
        if key.kind == KeyEventKind::Release {
            return QuizAction::None;
        }
        if matches!(key.code, KeyCode::Esc | KeyCode::Char('s')) {
            return QuizAction::Skip;
        }
        if self.finished {
            return QuizAction::Done(self.score);
        }
        if self.verdict.is_some() {
            // Any key: the next question, or the summary.
            self.index += 1;
            self.highlight = 0;
            self.picked.clear();
            self.verdict = None;
            self.finished = self.index == self.questions.len();
            return QuizAction::None;
        }
        let options = self.questions[self.index].options.len();
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => self.highlight = self.highlight.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => self.highlight = (self.highlight + 1).min(options - 1),
            KeyCode::Enter | KeyCode::Char(' ') => self.pick(self.highlight),
            KeyCode::Backspace => {
                self.picked.pop();
            }
            KeyCode::Char(c) if c.is_ascii_digit() => {
                let n = c.to_digit(10).unwrap_or(0) as usize;
                if (1..=options).contains(&n) {
                    self.highlight = n - 1;
                    self.pick(n - 1);
                }
            }
            _ => {}
        }
        QuizAction::None
    }

    /// Picks an option: the answer for a one-pick question, the next line for an order.
    fn pick(&mut self, option: usize) {
        let question = &self.questions[self.index];
        let answer = match question.kind {
            QuizKind::Order => {
                if !self.picked.contains(&option) {
                    self.picked.push(option);
                }
                if self.picked.len() < question.options.len() {
                    return;
                }
                Answer::Order(self.picked.clone())
            }
            QuizKind::First | QuizKind::State => {
                self.picked = vec![option];
                Answer::Pick(option)
            }
        };
        let right = answer == question.solved.answer;
        self.score.asked += 1;
        self.score.correct += u32::from(right);
        self.verdict = Some(right);
    }

    fn paint(&self, color: Color) -> Style {
        if self.theme.color {
            self.theme.paint(Style::new(), color)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }
}

impl Widget for &QuizScreen {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area =
            if area.width >= 24 { Rect { x: area.x + 1, width: area.width - 2, ..area } } else { area };
        let accent = self.paint(Color::Cyan).add_modifier(Modifier::BOLD);
        let dim = Style::new().add_modifier(Modifier::DIM);
        let mut lines = vec![
            Line::from(Span::styled(self.title.clone(), accent)),
            Line::from(Span::styled(
                self.lang
                    .pick("Предскажите прогон, прежде чем смотреть", "Predict the run before you watch it"),
                dim,
            )),
            Line::raw(""),
        ];
        if self.finished {
            lines.push(Line::from(Span::styled(
                format!(
                    "{} {} / {}",
                    self.lang.pick("Итог:", "Score:"),
                    self.score.correct,
                    self.score.asked
                ),
                accent,
            )));
            lines.push(Line::raw(""));
            lines.push(Line::from(Span::styled(
                self.lang.pick("Любая клавиша — смотреть демо", "Any key: watch the demo"),
                dim,
            )));
            Paragraph::new(lines).wrap(Wrap { trim: false }).render(area, buf);
            return;
        }
        let question = &self.questions[self.index];
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    "{} {} / {}. ",
                    self.lang.pick("Вопрос", "Question"),
                    self.index + 1,
                    self.questions.len()
                ),
                accent,
            ),
            Span::raw(question.text.clone()),
        ]));
        lines.push(Line::raw(""));
        for (i, option) in question.options.iter().enumerate() {
            // For an order: the place the learner gave this line so far.
            let place = self.picked.iter().position(|&p| p == i);
            let mark = match (question.kind, place) {
                (QuizKind::Order, Some(place)) => format!("[{}] ", place + 1),
                (QuizKind::Order, None) => "[ ] ".to_owned(),
                (_, Some(_)) => "(•) ".to_owned(),
                (_, None) => "( ) ".to_owned(),
            };
            let mut line = Line::from(vec![
                Span::styled(format!("  {}. ", i + 1), dim),
                Span::raw(mark),
                Span::raw(option.clone()),
            ]);
            if self.verdict.is_none() && i == self.highlight {
                line = line.style(Style::new().add_modifier(Modifier::REVERSED));
            }
            lines.push(line);
        }
        lines.push(Line::raw(""));
        match self.verdict {
            None => {
                let hint = match question.kind {
                    QuizKind::Order => self.lang.pick(
                        "Выбирайте строки в том порядке, в каком их напечатает демо: цифра или ↑↓ и Enter; Backspace — назад; s — пропустить",
                        "Pick the lines in the order the demo prints them: a number, or ↑↓ and Enter; Backspace undoes; s skips",
                    ),
                    _ => self.lang.pick("Цифра или ↑↓ и Enter; s — пропустить", "A number, or ↑↓ and Enter; s skips"),
                };
                lines.push(Line::from(Span::styled(hint, dim)));
            }
            Some(right) => {
                let why = question.why.as_deref();
                for (told, text) in quiz::verdict(&question.solved, right, why, self.lang) {
                    lines.push(match told {
                        Told::Right => Line::from(Span::styled(text, self.paint(Color::Green))),
                        Told::Wrong => Line::from(Span::styled(text, self.paint(Color::LightRed))),
                        Told::Heading => Line::from(Span::styled(text, dim)),
                        Told::Fact => Line::raw(format!("  {text}")),
                        Told::Why => Line::from(Span::styled(text, accent)),
                    });
                }
                lines.push(Line::raw(""));
                lines.push(Line::from(Span::styled(
                    self.lang.pick("Любая клавиша — дальше", "Any key: go on"),
                    dim,
                )));
            }
        }
        Paragraph::new(lines).wrap(Wrap { trim: false }).render(area, buf);
    }
}
