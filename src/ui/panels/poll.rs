//! A class poll over the view: on the presenter's screen, the question with the live tally
//! (answered, right, each option) and, after `r`, what the run did; on a follower's, the question
//! to answer, then its own result and the class's.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget, Wrap};

use crate::class::protocol::Summary;
use crate::class::tally::Form;
use crate::quiz::{self, Told};
use crate::ui::app::App;
use crate::ui::classroom::{Poll as OpenPoll, PollSide};
use crate::ui::theme::Theme;
use crate::view::width;

pub struct Poll<'a>(pub &'a App);

impl Widget for Poll<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let Some(poll) = app.class.as_ref().and_then(|class| class.poll.as_ref()) else { return };
        if !poll.shown {
            return;
        }
        let theme = &app.theme;
        let lang = app.lang;
        let width = 80.min(area.width.saturating_sub(2)).max(20);
        let bar_room = (width as usize).saturating_sub(12) / 3;
        let mut lines = vec![Line::from(Span::styled(poll.question.clone(), theme.accent())), Line::raw("")];
        let (title, keys) = match &poll.side {
            PollSide::Presenter { tally, revealed } => {
                let summary = tally.summary(followers(app));
                // The presenter sees the right answer all along (the projector is a follower).
                options(&mut lines, poll, Some(&summary), true, bar_room, theme);
                if let Form::Order(_) = poll.form {
                    lines.push(Line::from(Span::styled(
                        format!(
                            "{} {}",
                            lang.pick("Правильный порядок:", "The right order:"),
                            numbers(&poll.right)
                        ),
                        theme.dim(),
                    )));
                }
                lines.push(Line::raw(""));
                lines.push(Line::from(Span::styled(counted(&summary, " · ", lang), theme.accent())));
                if *revealed {
                    lines.push(Line::raw(""));
                    told(&mut lines, &quiz::verdict(&poll.solved, true, Some(&poll.why), lang)[1..], theme);
                }
                let keys = if *revealed {
                    lang.pick(
                        "a — следующий вопрос · Esc — закрыть опрос",
                        "a next quiz · Esc closes the poll",
                    )
                } else {
                    lang.pick(
                        "r — показать итоги классу · a — следующий вопрос · Esc — закрыть",
                        "r shows the class the result · a next quiz · Esc closes",
                    )
                };
                (lang.pick("Опрос класса", "Class poll"), keys)
            }
            PollSide::Follower { typed, given, result } => {
                options(&mut lines, poll, result.as_ref(), result.is_some(), bar_room, theme);
                lines.push(Line::raw(""));
                match (given, result) {
                    (_, Some(summary)) => {
                        let right = given.as_ref().is_some_and(|given| *given == poll.right);
                        match given {
                            Some(given) => {
                                let answer = poll.as_answer(given);
                                let mut verdict = quiz::verdict(&poll.solved, right, Some(&poll.why), lang);
                                if let Some((_, mine)) = verdict.first_mut() {
                                    mine.push_str(&format!(
                                        " ({} {})",
                                        lang.pick("ваш ответ:", "your answer:"),
                                        numbers(&match answer {
                                            quiz::Answer::Pick(i) => vec![i as u8],
                                            quiz::Answer::Order(order) =>
                                                order.iter().map(|&i| i as u8).collect(),
                                        })
                                    ));
                                }
                                told(&mut lines, &verdict, theme);
                            }
                            None => {
                                lines.push(Line::from(Span::styled(
                                    format!(
                                        "{} {}",
                                        lang.pick(
                                            "Вы не ответили. Правильный ответ:",
                                            "You did not answer. The answer:"
                                        ),
                                        numbers(&poll.right)
                                    ),
                                    theme.accent(),
                                )));
                                told(
                                    &mut lines,
                                    &quiz::verdict(&poll.solved, true, Some(&poll.why), lang)[1..],
                                    theme,
                                );
                            }
                        }
                        lines.push(Line::raw(""));
                        lines.push(Line::from(Span::styled(
                            format!("{} {}", lang.pick("Класс:", "The class:"), counted(summary, ", ", lang)),
                            theme.accent(),
                        )));
                    }
                    (Some(given), None) => lines.push(Line::from(Span::styled(
                        format!(
                            "{} {}. {}",
                            lang.pick("Ответ отправлен:", "Answer sent:"),
                            numbers(given),
                            lang.pick(
                                "Ждём, когда ведущий покажет итоги.",
                                "Waiting for the presenter's reveal."
                            )
                        ),
                        theme.accent(),
                    ))),
                    (None, None) => {
                        let ask = match poll.form {
                            Form::Pick(n) => {
                                format!("{} 1–{n}", lang.pick("Ваш ответ — цифра", "Your answer: a digit"))
                            }
                            Form::Order(n) => format!(
                                "{} (1–{n}): {}▏",
                                lang.pick("Наберите номера по порядку", "Type the numbers in order"),
                                numbers(typed)
                            ),
                        };
                        lines.push(Line::from(Span::styled(ask, theme.accent())));
                    }
                }
                let keys = lang.pick("Esc — скрыть (a — показать снова)", "Esc hides (a shows it again)");
                (lang.pick("Опрос ведущего", "The presenter's poll"), keys)
            }
        };
        lines.push(Line::from(Span::styled(keys.to_owned(), theme.dim())));
        let title = format!(
            " {title} · {} {} {} {} ",
            lang.pick("вопрос", "quiz"),
            poll.quiz + 1,
            lang.pick("из", "of"),
            poll.quizzes
        );
        let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
        let height = (paragraph.line_count(width.saturating_sub(2)) as u16 + 2).min(area.height);
        let [area] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
        let [area] = Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center).areas(area);
        Clear.render(area, buf);
        let block = Block::bordered()
            .border_type(BorderType::Thick)
            .border_style(theme.accent())
            .title(Span::styled(title, theme.accent()));
        paragraph.block(block).render(area, buf);
    }
}

/// The presenter's count of followers.
fn followers(app: &App) -> usize {
    match app.class.as_ref().map(|class| &class.role) {
        Some(crate::ui::classroom::Role::Presenting { followers, .. }) => *followers,
        _ => 0,
    }
}

/// The options, numbered; with a tally, each pick's count as a bar (for an order, the orders
/// given under the options); `mark` marks the right answer.
fn options(
    lines: &mut Vec<Line<'static>>,
    poll: &OpenPoll,
    tally: Option<&Summary>,
    mark: bool,
    bar_room: usize,
    theme: &Theme,
) {
    let most = tally.map_or(0, |t| t.counts.iter().map(|(_, n)| *n).max().unwrap_or(0)).max(1);
    let bar = |count: usize| "█".repeat((count * bar_room).div_ceil(most).min(bar_room));
    let label_room = match poll.form {
        Form::Pick(_) if tally.is_some() => bar_room * 2,
        _ => bar_room * 3,
    };
    for (i, option) in poll.options.iter().enumerate() {
        let right = mark && matches!(poll.form, Form::Pick(_)) && poll.right == [i as u8];
        let mut spans = vec![Span::styled(format!("{:>2}. ", i + 1), theme.accent())];
        let label = width::fit(option, label_room);
        let pad = label_room.saturating_sub(width::width(&label));
        spans.push(Span::styled(label, if right { theme.accent() } else { Style::default() }));
        if let (Form::Pick(_), Some(tally)) = (poll.form, tally) {
            let count = tally.counts.iter().find(|(given, _)| *given == [i as u8]).map_or(0, |(_, n)| *n);
            spans.push(Span::raw(" ".repeat(pad + 1)));
            spans.push(Span::styled(bar(count), theme.accent()));
            spans.push(Span::raw(format!(" {count}")));
            if right {
                spans.push(Span::styled(" ✓", theme.accent()));
            }
        }
        lines.push(Line::from(spans));
    }
    if let (Form::Order(_), Some(tally)) = (poll.form, tally)
        && !tally.counts.is_empty()
    {
        lines.push(Line::raw(""));
        for (given, count) in tally.counts.iter().take(5) {
            let right = mark && *given == poll.right;
            let mut spans = vec![
                Span::styled(format!("   {:<12}", numbers(given)), theme.accent()),
                Span::styled(bar(*count), theme.accent()),
                Span::raw(format!(" {count}")),
            ];
            if right {
                spans.push(Span::styled(" ✓", theme.accent()));
            }
            lines.push(Line::from(spans));
        }
        if tally.counts.len() > 5 {
            let rest: usize = tally.counts[5..].iter().map(|(_, n)| n).sum();
            lines.push(Line::from(Span::styled(format!("   … +{rest}"), theme.dim())));
        }
    }
}

/// `ответили 10 из 12 · верно 7`: how many answered, of how many, and how many were right.
fn counted(summary: &Summary, separator: &str, lang: crate::lesson::Lang) -> String {
    format!(
        "{} {} {} {}{separator}{} {}",
        lang.pick("ответили", "answered"),
        summary.answered,
        lang.pick("из", "of"),
        summary.followers,
        lang.pick("верно", "right"),
        summary.correct
    )
}

/// Option numbers as the learner types them: `3 1 2`.
fn numbers(answer: &[u8]) -> String {
    answer.iter().map(|i| (i + 1).to_string()).collect::<Vec<_>>().join(" ")
}

/// What the learner is told, styled as the quiz screens style it.
fn told(lines: &mut Vec<Line<'static>>, told: &[(Told, String)], theme: &Theme) {
    for (kind, text) in told {
        let style = match kind {
            Told::Right | Told::Heading => theme.accent(),
            Told::Wrong => theme.warning(),
            Told::Fact | Told::Why => Style::default(),
        };
        lines.push(Line::from(Span::styled(text.clone(), style)));
    }
}
