//! The handout as Markdown (CommonMark with GitHub's tables and `<details>`), for a notes
//! folder or a repository: the same parts as the HTML page, the timeline an SVG file beside it.

use std::fmt::Write;

use super::{Handout, Nav, Words};
use crate::ui::theme::symbol;
use crate::view::describe::seconds;

/// The handout as Markdown; `timeline` is the file name of its SVG timeline, beside it (`nav`:
/// its links, in a book).
pub fn render(handout: &Handout, timeline: &str, nav: Option<&Nav>) -> String {
    let words = Words { lang: handout.lang };
    let mut out = String::new();
    let links = nav.map(|nav| {
        let link = |to: &Option<(String, String)>, word: &str| match to {
            Some((href, _)) => format!("[{word}]({href})"),
            None => word.to_owned(),
        };
        format!(
            "{} · [{}]({}) · {}\n\n",
            link(&nav.previous, words.previous()),
            words.contents(),
            nav.index,
            link(&nav.next, words.next())
        )
    });
    out.push_str(links.as_deref().unwrap_or_default());
    let _ = writeln!(out, "# {}\n", handout.title);
    let _ = writeln!(
        out,
        "*{} · asyncdemo · {}* · {} `{}`\n",
        handout.place_line(),
        handout.run_line(),
        words.try_it(),
        handout.command()
    );
    if let Some(failure) = &handout.failure {
        let _ = writeln!(out, "**✗ {} {failure}**\n", words.failed());
    }
    for (heading, text) in &handout.sections {
        let _ = writeln!(out, "## {heading}\n\n{}\n", text.trim_end());
    }

    let _ = writeln!(out, "## {}\n", words.code());
    let _ = writeln!(out, "### {}\n\n{}", words.python(), fenced("python", &handout.python));
    if let Some((file, source)) = &handout.rust {
        let _ = writeln!(out, "### {} (`{file}`)\n\n{}", words.rust(), fenced("rust", source));
    }

    let _ = writeln!(out, "## {}\n\n{}\n", words.timeline(), words.timeline_help());
    let _ = writeln!(out, "![{}]({timeline})\n", words.timeline());
    if !handout.stops.is_empty() {
        let _ = writeln!(out, "### {}\n", words.stops());
        for (n, stop) in handout.stops.iter().enumerate() {
            let at = stop
                .at
                .as_deref()
                .map_or_else(|| words.other_run_stops().to_owned(), |at| format!("**{at}**"));
            let _ = writeln!(out, "{}. {at} — {}", n + 1, stop.caption.trim());
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## {}\n", words.output());
    if handout.output.is_empty() {
        let _ = writeln!(out, "{}\n", words.no_output());
    } else {
        let task_width = handout.output.iter().map(|p| crate::view::width::width(&p.task)).max().unwrap_or(0);
        let lines: Vec<String> = handout
            .output
            .iter()
            .map(|p| format!("{:>9}  {}  │ {}", p.at, crate::view::width::pad(&p.task, task_width), p.text))
            .collect();
        let _ = writeln!(out, "{}", fenced("text", &lines.join("\n")));
    }

    let _ = writeln!(out, "## {}\n", words.tasks());
    let columns = words.columns();
    let _ = writeln!(out, "| {} |", columns.join(" | "));
    let _ = writeln!(out, "|{}", ["---|", "---|", "---|", "---:|", "---:|", "---:|", "---:|"].concat());
    for row in &handout.table.rows {
        let _ = writeln!(
            out,
            "| {} {} | {} {} | {} | {} | {} | {} | {} |",
            row.id,
            cell(&row.name),
            symbol(row.state),
            row.state.name(),
            row.result.as_deref().map_or_else(|| "—".to_owned(), |r| format!("`{}`", cell(r))),
            seconds(row.scheduled, handout.lang),
            seconds(row.running, handout.lang),
            seconds(row.suspended, handout.lang),
            row.polls
        );
    }
    if let Some((count, states)) = &handout.table.others {
        let _ = writeln!(out, "\n{}", words.others(*count, states));
    }
    out.push('\n');

    if !handout.quizzes.is_empty() {
        let _ = writeln!(out, "## {}\n", words.quizzes());
        for (n, quiz) in handout.quizzes.iter().enumerate() {
            let hint = if quiz.ordering { words.order_hint() } else { words.pick_hint() };
            let _ = writeln!(out, "### {}. {}\n\n{hint}\n", n + 1, quiz.question);
            for (i, option) in quiz.options.iter().enumerate() {
                let _ = writeln!(out, "{}. `{option}`", i + 1);
            }
            let _ = writeln!(out, "\n<details><summary>{}</summary>\n", words.answer());
            match &quiz.answer {
                Ok(answered) => {
                    for (i, right) in answered.right.iter().enumerate() {
                        match quiz.ordering {
                            true => {
                                let _ = writeln!(out, "{}. `{right}`", i + 1);
                            }
                            false => {
                                let _ = writeln!(out, "- `{right}`");
                            }
                        }
                    }
                    let _ = writeln!(
                        out,
                        "\n{}\n\n{}",
                        words.run_did(),
                        fenced("text", &answered.facts.join("\n"))
                    );
                    let _ = writeln!(out, "**{}** {}\n", words.why(), answered.why);
                }
                Err(why) => {
                    let _ = writeln!(out, "{} {why}\n", words.no_answer());
                }
            }
            let _ = writeln!(out, "</details>\n");
        }
    }
    let _ = writeln!(out, "---\n\n*{}*", words.made_by());
    if let Some(links) = links {
        let _ = write!(out, "\n{links}");
    }
    out.trim_end().to_owned() + "\n"
}

/// A fenced code block, its fence longer than any run of backticks inside.
fn fenced(info: &str, text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}{info}\n{}\n{fence}\n", text.trim_end())
}

/// Text safe in a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}
