//! The timeline drawn as SVG, in the live view's state colours and symbols: a lane per task,
//! cut into bands of at most [`MAX_WIDTH`] pixels (a band ends where virtual time moves on, when
//! it can), so that a long run reads without scrolling on a screen and prints on A4. Every shape
//! has a `<title>`: a browser shows what it means on hover. Colours and fonts are attributes,
//! not a style sheet, so the file is the same drawing on its own as inside a page.

use std::fmt::Write;

use super::escape;
use super::palette;
use super::timeline::{GAP, Lane, Timeline};
use crate::engine::lifecycle::State;
use crate::lesson::Lang;
use crate::ui::theme::symbol;
use crate::view::describe::russian_name;
use crate::view::width::{fit, width};

/// The widest a band gets, in pixels.
pub const MAX_WIDTH: u32 = 1000;
/// Pixels per step.
const UNIT: u32 = 9;
/// The label column.
const LABEL: u32 = 170;
const ROW: u32 = 24;
const AXIS: u32 = 24;
/// The row under the lanes where the stops' numbers are.
const STOPS: u32 = 20;
/// Between bands.
const SPACE: u32 = 14;
/// A character of the 11-pixel monospace font, roughly.
const CHAR: f64 = 6.7;
const FONT: &str = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace";

/// The timeline as one SVG document titled `title` (the Markdown handout's file).
pub fn render(timeline: &Timeline, title: &str, lang: Lang) -> String {
    let (width, parts) = parts(timeline, lang);
    let height = parts.iter().map(|p| p.height + SPACE).sum::<u32>().saturating_sub(SPACE);
    let mut svg = open(width, height, title);
    let mut y = 0;
    for part in &parts {
        let _ = writeln!(svg, "<g transform=\"translate(0 {y})\">\n{}</g>", part.body);
        y += part.height + SPACE;
    }
    svg.push_str("</svg>\n");
    svg
}

/// The timeline as one SVG element a band (and one for the legend), so that a printed page
/// can break between them (the HTML handout's figure).
pub fn render_each(timeline: &Timeline, title: &str, lang: Lang) -> Vec<String> {
    let (width, parts) = parts(timeline, lang);
    parts
        .into_iter()
        .map(|part| format!("{}{}</svg>\n", open(width, part.height, title), part.body))
        .collect()
}

/// A piece of the drawing, and its height.
struct Part {
    body: String,
    height: u32,
}

fn open(width: u32, height: u32, title: &str) -> String {
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="{FONT}" font-size="11" role="img" aria-label="{title}">
<title>{title}</title>
<rect width="{width}" height="{height}" fill="#ffffff"/>
"##,
        title = escape(title)
    )
}

/// The bands, the note of tasks not drawn, and the legend; and the width they all fit.
fn parts(timeline: &Timeline, lang: Lang) -> (u32, Vec<Part>) {
    let bands = bands(timeline);
    let width = bands.iter().map(|(from, to)| LABEL + (to - from) * UNIT + 12).max().unwrap_or(LABEL);
    let mut parts: Vec<Part> = bands.iter().map(|&(from, to)| band(timeline, from, to, lang)).collect();
    if timeline.counted > 0 {
        let text = match lang {
            Lang::Ru => {
                format!("… остальные задачи ({}) не нарисованы: они есть в таблице задач", timeline.counted)
            }
            Lang::En => {
                format!("… the other {} tasks are not drawn: they are in the task table", timeline.counted)
            }
        };
        let body = format!("<text x=\"4\" y=\"14\" fill=\"#57606a\">{}</text>\n", escape(&text));
        parts.push(Part { body, height: 20 });
    }
    parts.push(legend(lang, width));
    (width, parts)
}

/// The bands, as ranges of steps: each at most as wide as fits, ending where time moves on
/// when that is in the last two fifths of it.
fn bands(timeline: &Timeline) -> Vec<(u32, u32)> {
    let most = (MAX_WIDTH - LABEL - 12) / UNIT;
    let mut out = Vec::new();
    let mut from = 0;
    while from < timeline.steps || out.is_empty() {
        let limit = from + most;
        if limit >= timeline.steps {
            out.push((from, timeline.steps.max(from + 1)));
            break;
        }
        let at_break = timeline
            .ticks
            .iter()
            .map(|(step, _)| step.saturating_sub(GAP))
            .filter(|&s| s > from + most * 3 / 5 && s <= limit)
            .max();
        let to = at_break.unwrap_or(limit);
        out.push((from, to));
        from = to;
    }
    out
}

/// One band: the axis, then the lanes of the tasks alive in it, then the stops over them.
fn band(timeline: &Timeline, from: u32, to: u32, lang: Lang) -> Part {
    let mut svg = String::new();
    let svg = &mut svg;
    let x = |step: u32| LABEL + (step.clamp(from, to) - from) * UNIT;
    let lanes: Vec<&Lane> = timeline.lanes.iter().filter(|lane| alive(lane, from, to)).collect();
    let lanes_height = lanes.len() as u32 * ROW;
    let right = x(to);
    // Alternate lanes shaded, for the eye to follow a row.
    for (i, _) in lanes.iter().enumerate().filter(|(i, _)| i % 2 == 1) {
        let _ = writeln!(
            svg,
            r##"<rect x="0" y="{}" width="{}" height="{ROW}" fill="#f6f8fa"/>"##,
            AXIS + i as u32 * ROW,
            right + 4
        );
    }
    // Where virtual time moves on: the break, shaded, and the new time above it.
    let mut last_label: Option<u32> = None;
    for (step, label) in &timeline.ticks {
        if *step < from || *step >= to {
            continue;
        }
        let at = x(*step);
        if *step >= from + GAP && *step > 0 {
            let _ = writeln!(
                svg,
                r##"<rect x="{}" y="{AXIS}" width="{}" height="{lanes_height}" fill="#eaeef2" opacity="0.8"/>"##,
                x(step - GAP),
                GAP * UNIT
            );
        }
        let _ = writeln!(
            svg,
            r##"<line x1="{at}" y1="{}" x2="{at}" y2="{}" stroke="#afb8c1" stroke-dasharray="2 3"/>"##,
            AXIS - 6,
            AXIS + lanes_height
        );
        let label_width = (width(label) as f64 * CHAR) as u32 + 8;
        if last_label.is_none_or(|last| at >= last + label_width) && at + label_width <= right + 40 {
            let _ =
                writeln!(svg, r##"<text x="{at}" y="{}" fill="#57606a">{}</text>"##, AXIS - 9, escape(label));
            last_label = Some(at);
        }
    }
    for (i, lane) in lanes.iter().enumerate() {
        let top = AXIS + i as u32 * ROW;
        draw_lane(svg, lane, top, from, to, &x);
    }
    // The stops: a numbered line across the lanes.
    let accent = palette::accent();
    for (n, &step) in timeline.stops.iter().enumerate() {
        if step < from || step > to || (step == to && to < timeline.steps) {
            continue;
        }
        let at = x(step);
        let caption = match lang {
            Lang::Ru => format!("остановка {}", n + 1),
            Lang::En => format!("stop {}", n + 1),
        };
        let _ = writeln!(
            svg,
            r##"<g class="stop" data-stop="{}"><title>{}</title><line x1="{at}" y1="{}" x2="{at}" y2="{}" stroke="{accent}" stroke-width="2"/><circle cx="{at}" cy="{}" r="8" fill="{accent}"/><text x="{at}" y="{}" fill="#ffffff" font-size="10" font-weight="bold" text-anchor="middle">{}</text></g>"##,
            n + 1,
            escape(&caption),
            AXIS - 4,
            AXIS + lanes_height + 2,
            AXIS + lanes_height + 10,
            AXIS + lanes_height + 14,
            n + 1
        );
    }
    let stops_row = if timeline.stops.is_empty() { 0 } else { STOPS };
    Part { body: std::mem::take(svg), height: AXIS + lanes_height + stops_row }
}

fn draw_lane(svg: &mut String, lane: &Lane, top: u32, from: u32, to: u32, x: &dyn Fn(u32) -> u32) {
    let middle = top + ROW / 2;
    let label = fit(&lane.label, ((LABEL - 10) as f64 / CHAR) as usize);
    let _ = writeln!(svg, r##"<text x="4" y="{}" fill="#24292f">{}</text>"##, middle + 4, escape(&label));
    for stretch in lane.stretches.iter().filter(|s| s.to > from && s.from < to) {
        let (left, right) = (x(stretch.from), x(stretch.to));
        let color = palette::state(stretch.state);
        let title = format!("<title>{}</title>", escape(&stretch.title));
        svg.push_str(&shape(stretch.state, left, right, middle, &title));
        // What a suspended task awaits, over its line where there is room.
        if let Some(awaits) = &stretch.awaits {
            let room = ((right - left).saturating_sub(6) as f64 / 5.8) as usize;
            if room >= 8 {
                let _ = writeln!(
                    svg,
                    r#"<text x="{}" y="{}" fill="{color}" font-size="9.5">{}{title}</text>"#,
                    left + 3,
                    middle - 3,
                    escape(&fit(awaits, room))
                );
            }
        }
    }
    for (step, text) in lane.prints.iter().filter(|(step, _)| *step >= from && *step < to) {
        let _ = writeln!(
            svg,
            r##"<circle cx="{}" cy="{}" r="3" fill="#24292f"><title>│ {}</title></circle>"##,
            x(*step) + UNIT / 2,
            top + 5,
            escape(text)
        );
    }
    if let Some((state, step, title)) = lane.end.as_ref().filter(|(_, step, _)| *step >= from && *step < to) {
        let _ = writeln!(
            svg,
            r#"<text x="{}" y="{}" fill="{}" font-size="14" font-weight="bold" text-anchor="middle">{}<title>{}</title></text>"#,
            x(*step) + UNIT / 2,
            middle + 5,
            palette::state(*state),
            symbol(*state),
            escape(title)
        );
    }
}

/// Whether a task has something to draw between these steps.
fn alive(lane: &Lane, from: u32, to: u32) -> bool {
    lane.stretches.iter().any(|s| s.to > from && s.from < to)
        || lane.prints.iter().any(|(step, _)| (from..to).contains(step))
        || lane.end.as_ref().is_some_and(|(_, step, _)| (from..to).contains(step))
}

/// The legend: each state's symbol, colour and name, wrapped to `width`.
fn legend(lang: Lang, width: u32) -> Part {
    let mut out = String::new();
    let (mut x, mut y) = (4u32, 16u32);
    for state in State::ALL {
        let name = match lang {
            Lang::Ru => format!("{} ({})", state.name(), russian_name(state)),
            Lang::En => state.name().to_owned(),
        };
        // A sample of how the state is drawn (an end, by its mark), its symbol and its name.
        let item = (width_of(&name) + 64.0) as u32;
        if x + item > width && x > 4 {
            x = 4;
            y += 22;
        }
        let color = palette::state(state);
        match state.is_terminal() {
            true => {
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" fill="{color}" font-size="14" font-weight="bold" text-anchor="middle">{}</text>"#,
                    x + 12,
                    y + 1,
                    symbol(state)
                );
            }
            false => out.push_str(&shape(state, x, x + 24, y - 4, "")),
        }
        let _ = write!(
            out,
            r##"<text x="{}" y="{y}" fill="{color}" font-size="13" font-weight="bold">{}</text><text x="{}" y="{y}" fill="#24292f">{}</text>"##,
            x + 30,
            symbol(state),
            x + 46,
            escape(&name)
        );
        x += item;
    }
    Part { body: out, height: y + 8 }
}

/// How a stretch of `state` from `left` to `right` is drawn on a lane whose middle is at
/// `middle` (`inner`: its title): Created a dotted line, Scheduled a thin bar, Running a
/// block, Suspended a line.
fn shape(state: State, left: u32, right: u32, middle: u32, inner: &str) -> String {
    let color = palette::state(state);
    let width = right.saturating_sub(left);
    match state {
        State::Created => format!(
            "<line x1=\"{left}\" y1=\"{middle}\" x2=\"{right}\" y2=\"{middle}\" stroke=\"{color}\" stroke-width=\"1.5\" stroke-dasharray=\"1 3\">{inner}</line>\n"
        ),
        State::Scheduled => format!(
            "<rect x=\"{left}\" y=\"{}\" width=\"{width}\" height=\"8\" fill=\"{color}\" opacity=\"0.55\">{inner}</rect>\n",
            middle - 4
        ),
        State::Running => format!(
            "<rect x=\"{left}\" y=\"{}\" width=\"{width}\" height=\"16\" rx=\"1\" fill=\"{color}\">{inner}</rect>\n",
            middle - 8
        ),
        _ => format!(
            "<line x1=\"{left}\" y1=\"{middle}\" x2=\"{right}\" y2=\"{middle}\" stroke=\"{color}\" stroke-width=\"2\">{inner}</line>\n"
        ),
    }
}

fn width_of(text: &str) -> f64 {
    width(text) as f64 * CHAR
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_cover_the_run_and_fit() {
        let timeline = Timeline {
            steps: 400,
            ticks: vec![(0, "0".into()), (80, "1".into()), (150, "2".into())],
            ..Timeline::default()
        };
        let bands = bands(&timeline);
        assert_eq!(bands.first().map(|b| b.0), Some(0));
        assert_eq!(bands.last().map(|b| b.1), Some(400));
        assert!(bands.windows(2).all(|w| w[0].1 == w[1].0));
        assert!(bands.iter().all(|(from, to)| LABEL + (to - from) * UNIT + 12 <= MAX_WIDTH));
        // The first band ends where time moves on (the break before step 80 starts at 77).
        assert_eq!(bands[0], (0, 77));
    }
}
