//! Asking a lesson's quizzes on a plain terminal (`asyncdemo quiz`): a question, numbered
//! options, a typed answer, then what the run actually did.

use std::io::{self, BufRead, Write};

use super::{Answer, options, parse_answer, solve};
use crate::engine::event::Trace;
use crate::lesson::schema::QuizKind;
use crate::lesson::{Lang, Lesson};

fn pick(lang: Lang, ru: &str, en: &str) -> String {
    match lang {
        Lang::Ru => ru.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// Asks every quiz of `lesson`, answered from `trace` (its recorded run). Stops early if the
/// input ends.
pub fn ask_all(
    lesson: &Lesson,
    trace: &Trace,
    lang: Lang,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> io::Result<()> {
    let quizzes = &lesson.file.quizzes;
    let (mut asked, mut correct) = (0, 0);
    for (number, quiz) in quizzes.iter().enumerate() {
        let solved = match solve(quiz, trace, lang, &lesson.prints) {
            Ok(solved) => solved,
            Err(why) => {
                writeln!(
                    out,
                    "{} {}: {why}",
                    pick(lang, "Вопрос пропущен:", "Question skipped:"),
                    number + 1
                )?;
                continue;
            }
        };
        let choices = options(quiz, lang, &lesson.prints);
        writeln!(
            out,
            "\n{} {} / {}. {}",
            pick(lang, "Вопрос", "Question"),
            number + 1,
            quizzes.len(),
            quiz.question.get(lang)
        )?;
        for (i, choice) in choices.iter().enumerate() {
            writeln!(out, "  {}. {choice}", i + 1)?;
        }
        let kind = *quiz.kind.get_ref();
        let prompt = match kind {
            QuizKind::Order => pick(
                lang,
                "Ваш порядок (номера через пробел, например 2 1 3): ",
                "Your order (numbers separated by spaces, like 2 1 3): ",
            ),
            QuizKind::First | QuizKind::State => {
                pick(lang, "Ваш ответ (номер): ", "Your answer (a number): ")
            }
        };
        let given = loop {
            write!(out, "{prompt}")?;
            out.flush()?;
            let mut bytes = Vec::new();
            if input.read_until(b'\n', &mut bytes)? == 0 {
                writeln!(out)?;
                return Ok(());
            }
            // An answer that is not text (not UTF-8) is asked again, like any other bad answer.
            let Ok(line) = String::from_utf8(bytes) else {
                let why = pick(
                    lang,
                    "это не текст в UTF-8: наберите номера цифрами",
                    "that is not UTF-8 text: type the numbers as digits",
                );
                writeln!(out, "  {why}")?;
                continue;
            };
            match parse_answer(kind, line.trim(), choices.len()) {
                Ok(answer) => break answer,
                Err(why) => writeln!(out, "  {why}")?,
            }
        };
        asked += 1;
        if given == solved.answer {
            correct += 1;
            writeln!(out, "✓ {}", pick(lang, "Верно.", "Right."))?;
        } else {
            let right = match &solved.answer {
                Answer::Order(order) => {
                    order.iter().map(|i| (i + 1).to_string()).collect::<Vec<_>>().join(" ")
                }
                Answer::Pick(i) => (i + 1).to_string(),
            };
            writeln!(
                out,
                "✗ {} {right}",
                pick(lang, "Неверно. Правильный ответ:", "Not quite. The answer:")
            )?;
        }
        writeln!(out, "{}", pick(lang, "Что было в прогоне:", "What the run did:"))?;
        for line in &solved.explanation {
            writeln!(out, "  {line}")?;
        }
        if let Some(why) = &quiz.why {
            writeln!(out, "{} {}", pick(lang, "Почему:", "Why:"), why.get(lang))?;
        }
    }
    if asked > 0 {
        writeln!(out, "\n{} {correct} / {asked}", pick(lang, "Итог:", "Score:"))?;
    }
    Ok(())
}
