//! The handout as one HTML page that needs nothing else: its styles, its timeline (SVG) and its
//! small script are inside it. It reads on a phone (the code stacks, the timeline scrolls
//! sideways) and prints on A4 (the code wraps, the timeline shrinks to the page, the buttons
//! go). The quizzes' answers are behind a click (`<details>`); the script only adds a button
//! that opens them all and lets a stop in the list point at its place on the timeline.

use std::fmt::Write;

use pulldown_cmark::{Parser, html::push_html};

use super::{Handout, Nav, Words, escape, palette, svg};
use crate::lesson::Lang;
use crate::ui::highlight::{self, Language};
use crate::ui::theme::{Theme, symbol};
use crate::view::describe::seconds;

/// The handout's page (`nav`: its links, in a book).
pub fn page(handout: &Handout, nav: Option<&Nav>) -> String {
    let words = Words { lang: handout.lang };
    let mut body = String::new();
    if let Some(nav) = nav {
        body.push_str(&nav_html(nav, &words));
    }
    let _ = write!(
        body,
        r#"<header><p class="place">{} · asyncdemo</p><h1>{}</h1><p class="meta">{} · {} <code>{}</code></p></header>
<main>
"#,
        escape(&handout.place_line()),
        escape(&handout.title),
        escape(&handout.run_line()),
        escape(words.try_it()),
        escape(&handout.command())
    );
    if let Some(failure) = &handout.failure {
        let _ = writeln!(body, r#"<p class="failed">✗ {} {}</p>"#, escape(words.failed()), escape(failure));
    }

    // The lesson text.
    body.push_str(r#"<section class="prose">"#);
    for (heading, text) in &handout.sections {
        let _ = write!(body, "<h2>{}</h2>\n{}", escape(heading), markdown(text));
    }
    body.push_str("</section>\n");

    // The two programs, side by side.
    let columns = if handout.rust.is_some() { "side" } else { "side one" };
    let _ = write!(body, r#"<section><h2>{}</h2><div class="{columns}">"#, escape(words.code()));
    let _ = write!(
        body,
        r#"<div><h3>{}</h3><pre class="code python">{}</pre></div>"#,
        escape(words.python()),
        code(&handout.python, Language::Python)
    );
    if let Some((file, source)) = &handout.rust {
        let _ = write!(
            body,
            r#"<div><h3>{} <small>{}</small></h3><pre class="code rust">{}</pre></div>"#,
            escape(words.rust()),
            escape(file),
            code(source, Language::Rust)
        );
    }
    body.push_str("</div></section>\n");

    // The timeline, and the stops along it.
    let _ = write!(
        body,
        r#"<section><h2>{}</h2><p class="help">{}</p><p class="scroll-hint dim">{}</p><div class="figure">{}</div>"#,
        escape(words.timeline()),
        escape(words.timeline_help()),
        escape(words.scroll()),
        svg::render_each(
            &handout.timeline,
            &format!("{}: {}", handout.title, words.timeline()),
            handout.lang
        )
        .concat()
    );
    if !handout.stops.is_empty() {
        let _ = write!(body, r#"<h3>{}</h3><ol class="stops">"#, escape(words.stops()));
        for (n, stop) in handout.stops.iter().enumerate() {
            let at = match &stop.at {
                Some(at) => format!(
                    r#"<button type="button" class="at" data-goto-stop="{}">{}</button> "#,
                    n + 1,
                    escape(at)
                ),
                None => format!(r#"<span class="dim">{}</span> "#, escape(words.other_run_stops())),
            };
            let _ = write!(body, "<li>{at}{}</li>", inline_markdown(&stop.caption));
        }
        body.push_str("</ol>");
    }
    body.push_str("</section>\n");

    // What it printed.
    let _ = write!(body, "<section><h2>{}</h2>", escape(words.output()));
    if handout.output.is_empty() {
        let _ = write!(body, "<p>{}</p>", escape(words.no_output()));
    } else {
        body.push_str(r#"<div class="table-wrap"><table class="output"><tbody>"#);
        for line in &handout.output {
            let _ = write!(
                body,
                r#"<tr><td class="num dim">{}</td><td class="task dim">{}</td><td><code>{}</code></td></tr>"#,
                escape(&line.at),
                escape(&line.task),
                escape(&line.text)
            );
        }
        body.push_str("</tbody></table></div>");
    }
    body.push_str("</section>\n");

    // How each task ended.
    let _ = write!(
        body,
        r#"<section><h2>{}</h2><div class="table-wrap"><table class="tasks"><thead><tr>"#,
        escape(words.tasks())
    );
    for (i, column) in words.columns().iter().enumerate() {
        let class = if i >= 3 { r#" class="num""# } else { "" };
        let _ = write!(body, "<th{class}>{}</th>", escape(column));
    }
    body.push_str("</tr></thead><tbody>");
    for row in &handout.table.rows {
        let _ = write!(
            body,
            r#"<tr><td class="task">{} {}</td><td class="state" style="color:{}">{} {}</td><td><code>{}</code></td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
            escape(&row.id),
            escape(&row.name),
            palette::state(row.state),
            symbol(row.state),
            row.state.name(),
            escape(row.result.as_deref().unwrap_or("—")),
            seconds(row.scheduled, handout.lang),
            seconds(row.running, handout.lang),
            seconds(row.suspended, handout.lang),
            row.polls
        );
    }
    body.push_str("</tbody></table></div>");
    if let Some((count, states)) = &handout.table.others {
        let _ = write!(body, r#"<p class="dim">{}</p>"#, escape(&words.others(*count, states)));
    }
    body.push_str("</section>\n");

    // The quizzes, answers behind a click.
    if !handout.quizzes.is_empty() {
        let _ = write!(
            body,
            r#"<section><h2>{}</h2><button type="button" id="answers" hidden data-show="{}" data-hide="{}">{}</button>"#,
            escape(words.quizzes()),
            escape(words.show_answers()),
            escape(words.hide_answers()),
            escape(words.show_answers())
        );
        for (n, quiz) in handout.quizzes.iter().enumerate() {
            let hint = if quiz.ordering { words.order_hint() } else { words.pick_hint() };
            let _ = write!(
                body,
                r#"<div class="quiz"><p class="question"><b>{}.</b> {}</p><p class="dim">{}</p><ol class="options">"#,
                n + 1,
                inline_markdown(&quiz.question),
                escape(hint)
            );
            for option in &quiz.options {
                let _ = write!(body, "<li><code>{}</code></li>", escape(option));
            }
            body.push_str("</ol>");
            let _ = write!(body, r#"<details class="answer"><summary>{}</summary>"#, escape(words.answer()));
            match &quiz.answer {
                Ok(answered) => {
                    let tag = if quiz.ordering { "ol" } else { "ul" };
                    let _ = write!(body, r#"<{tag} class="right">"#);
                    for right in &answered.right {
                        let _ = write!(body, "<li><code>{}</code></li>", escape(right));
                    }
                    let _ = write!(
                        body,
                        r#"</{tag}><p>{}</p><pre class="facts">{}</pre><p><b>{}</b> {}</p>"#,
                        escape(words.run_did()),
                        escape(&answered.facts.join("\n")),
                        escape(words.why()),
                        inline_markdown(&answered.why)
                    );
                }
                Err(why) => {
                    let _ = write!(body, "<p>{} {}</p>", escape(words.no_answer()), escape(why));
                }
            }
            body.push_str("</details></div>\n");
        }
        body.push_str("</section>\n");
    }
    body.push_str("</main>\n");
    if let Some(nav) = nav {
        body.push_str(&nav_html(nav, &words));
    }
    let _ = write!(body, r#"<footer><p class="dim">{}</p></footer>"#, escape(words.made_by()));
    document(handout.lang, &handout.title, &body)
}

/// A whole page: the head with the styles, `body`, and the script.
pub fn document(lang: Lang, title: &str, body: &str) -> String {
    let lang = match lang {
        Lang::Ru => "ru",
        Lang::En => "en",
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="asyncdemo">
<title>{}</title>
<style>
{}</style>
</head>
<body>
{body}
<script>
{SCRIPT}</script>
</body>
</html>
"#,
        escape(title),
        style()
    )
}

fn nav_html(nav: &Nav, words: &Words) -> String {
    let link = |to: &Option<(String, String)>, word: &str| match to {
        Some((href, title)) => {
            format!(r#"<a href="{}" title="{}">{}</a>"#, escape(href), escape(title), escape(word))
        }
        None => format!(r#"<span class="dim">{}</span>"#, escape(word)),
    };
    format!(
        r#"<nav class="pages">{}<a href="{}">{}</a>{}</nav>
"#,
        link(&nav.previous, words.previous()),
        escape(&nav.index),
        escape(words.contents()),
        link(&nav.next, words.next())
    )
}

/// Markdown (the lesson text) as HTML.
pub fn markdown(text: &str) -> String {
    let mut out = String::new();
    push_html(&mut out, Parser::new(text));
    out
}

/// One paragraph of Markdown as inline HTML (without its `<p>`).
fn inline_markdown(text: &str) -> String {
    let html = markdown(text);
    let trimmed = html.trim_end();
    match trimmed.strip_prefix("<p>").and_then(|t| t.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_owned(),
        _ => html,
    }
}

/// Source code, highlighted as the live view's code panel highlights it.
fn code(source: &str, language: Language) -> String {
    let mut out = String::new();
    for line in highlight::lines(source, language, &Theme::new(true)) {
        for span in &line.spans {
            match span.style.fg.and_then(palette::css) {
                Some(color) => {
                    let _ = write!(out, r#"<span style="color:{color}">{}</span>"#, escape(&span.content));
                }
                None => out.push_str(&escape(&span.content)),
            }
        }
        out.push('\n');
    }
    out
}

fn style() -> String {
    STYLE.replace("ACCENT", palette::accent())
}

const STYLE: &str = r#":root { --fg: #24292f; --dim: #57606a; --line: #d0d7de; --paper: #f6f8fa; --accent: ACCENT; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff;
  font: 17px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
header, main, footer, nav.pages { max-width: 1400px; margin: 0 auto; padding: 0 24px; }
.prose { max-width: 48em; }
h1 { font-size: 2em; line-height: 1.2; margin: 0.2em 0 0.3em; }
h2 { font-size: 1.35em; margin: 1.8em 0 0.6em; padding-bottom: 0.2em; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05em; margin: 1.2em 0 0.4em; }
h3 small { color: var(--dim); font-weight: normal; }
a { color: var(--accent); }
.place { margin: 1.2em 0 0; color: var(--dim); }
.meta, .dim, .help { color: var(--dim); }
.help { max-width: 48em; font-size: 0.92em; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.84em; }
:not(pre) > code { background: var(--paper); padding: 0.1em 0.3em; border-radius: 4px; }
pre { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px;
  overflow-x: auto; line-height: 1.45; }
pre code { background: none; padding: 0; font-size: 1em; }
.side { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 18px; align-items: start; }
.figure { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; padding: 6px; }
.figure svg { display: block; max-width: none; height: auto; margin-bottom: 12px; }
.timeline .stop.on line { stroke-width: 5; }
.timeline .stop.on circle { r: 10; }
.table-wrap { overflow-x: auto; }
.scroll-hint { display: none; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
th { font-weight: 600; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.task, td.state { white-space: nowrap; }
ol.stops li { margin: 0.3em 0; }
button { font: inherit; font-size: 0.9em; border: 1px solid var(--line); border-radius: 6px; background: var(--paper);
  padding: 0.1em 0.6em; cursor: pointer; color: var(--accent); }
.quiz { margin: 1.2em 0; max-width: 52em; }
.question { margin-bottom: 0.2em; }
.quiz .dim { margin: 0.2em 0; }
details.answer { border-left: 3px solid var(--accent); background: var(--paper); padding: 6px 14px; margin-top: 0.6em; }
summary { cursor: pointer; font-weight: 600; color: var(--accent); }
pre.facts { background: #fff; }
.failed { color: #cf222e; font-weight: 600; }
nav.pages { display: flex; gap: 1.5em; justify-content: space-between; padding-top: 14px; padding-bottom: 14px; }
footer { padding-top: 2em; padding-bottom: 2em; }
ol.lessons li { margin: 0.4em 0; }
@media (max-width: 900px) { .side { grid-template-columns: minmax(0, 1fr); } }
.side.one { grid-template-columns: minmax(0, 1fr); max-width: 52em; }
@media (max-width: 600px) {
  body { font-size: 16px; }
  header, main, footer, nav.pages { padding-left: 14px; padding-right: 14px; }
  h1 { font-size: 1.6em; }
  pre { font-size: 0.78em; }
  .scroll-hint { display: block; font-size: 0.85em; }
}
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 10.5pt; }
  header, main, footer { max-width: none; padding: 0; }
  nav.pages, #answers { display: none; }
  .side { grid-template-columns: minmax(0, 1fr); }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 8pt; }
  .figure { overflow: visible; border: none; padding: 0; }
  .figure svg { max-width: 100%; }
  h2, h3 { break-after: avoid; }
  tr, .quiz, .figure svg { break-inside: avoid; }
  button { border: none; background: none; padding: 0; color: inherit; }
}
"#;

const SCRIPT: &str = r#"(function () {
  "use strict";
  var toggle = document.getElementById("answers");
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("data-open") !== "yes";
      document.querySelectorAll("details.answer").forEach(function (d) { d.open = open; });
      toggle.setAttribute("data-open", open ? "yes" : "no");
      toggle.textContent = toggle.getAttribute(open ? "data-hide" : "data-show");
    });
  }
  document.querySelectorAll("[data-goto-stop]").forEach(function (button) {
    button.addEventListener("click", function () {
      var n = button.getAttribute("data-goto-stop");
      document.querySelectorAll(".timeline .stop.on").forEach(function (s) { s.classList.remove("on"); });
      var mark = document.querySelector('.timeline .stop[data-stop="' + n + '"]');
      if (mark) {
        mark.classList.add("on");
        mark.scrollIntoView({ block: "center", inline: "center", behavior: "smooth" });
      }
    });
  });
  // The last line: a page whose script ran to its end says so (the browser test reads it).
  document.documentElement.classList.add("js");
})();
"#;
