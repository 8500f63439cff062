//! Asking a lesson's quizzes on a plain terminal (`asyncdemo quiz`): a question, numbered
//! options, a typed answer, then what the run actually did.

use std::io::{self, BufRead, Write};

use super::{Told, options, parse_answer, solve, verdict};
use crate::lesson::Lang;
use crate::lesson::runs::Runs;
use crate::lesson::schema::QuizKind;

/// Asks every quiz of the lesson, each answered from its run (recorded when first needed). Stops
/// early if the input ends.
pub fn ask_all(runs: &Runs<'_>, lang: Lang, input: &mut dyn BufRead, out: &mut dyn Write) -> io::Result<()> {
    let lesson = runs.lesson;
    let quizzes = &lesson.quizzes;
    let (mut asked, mut correct) = (0, 0);
    for (number, quiz) in quizzes.iter().enumerate() {
        // Each quiz is answered by its run (the demo's, or the Python original's).
        let solved = match runs
            .get(quiz.source)
            .map_err(str::to_owned)
            .and_then(|run| solve(quiz, &run.trace, lang, &lesson.prints))
        {
            Ok(solved) => solved,
            Err(why) => {
                writeln!(
                    out,
                    "{} {}: {why}",
                    lang.pick("Вопрос пропущен:", "Question skipped:"),
                    number + 1
                )?;
                continue;
            }
        };
        let choices = options(quiz, lang, &lesson.prints);
        writeln!(
            out,
            "\n{} {} / {}. {}",
            lang.pick("Вопрос", "Question"),
            number + 1,
            quizzes.len(),
            quiz.question.get(lang)
        )?;
        for (i, choice) in choices.iter().enumerate() {
            writeln!(out, "  {}. {choice}", i + 1)?;
        }
        let kind = quiz.kind();
        let prompt = match kind {
            QuizKind::Order => lang
                .pick(
                    "Ваш порядок (номера через пробел, например 2 1 3): ",
                    "Your order (numbers separated by spaces, like 2 1 3): ",
                )
                .to_owned(),
            QuizKind::First | QuizKind::State => {
                lang.pick("Ваш ответ (номер): ", "Your answer (a number): ").to_owned()
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
                let why = lang
                    .pick(
                        "это не текст в UTF-8: наберите номера цифрами",
                        "that is not UTF-8 text: type the numbers as digits",
                    )
                    .to_owned();
                writeln!(out, "  {why}")?;
                continue;
            };
            match parse_answer(kind, line.trim(), choices.len()) {
                Ok(answer) => break answer,
                Err(why) => writeln!(out, "  {why}")?,
            }
        };
        asked += 1;
        let right = given == solved.answer;
        if right {
            correct += 1;
        }
        let why = Some(quiz.why.get(lang));
        for (told, text) in verdict(&solved, right, why, lang) {
            let indent = if told == Told::Fact { "  " } else { "" };
            writeln!(out, "{indent}{text}")?;
        }
    }
    if asked > 0 {
        writeln!(out, "\n{} {correct} / {asked}", lang.pick("Итог:", "Score:"))?;
    }
    Ok(())
}
