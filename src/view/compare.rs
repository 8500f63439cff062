//! `asyncdemo compare LESSON --plain`: a lesson's Rust run and Python run on one virtual clock,
//! as text: what each printed at each moment side by side (where the two runtimes differ, the
//! lines differ), then the two task tables side by side.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::transcript;
use super::width::{fit, pad, width};
use crate::engine::event::{EventKind, Trace, VTime};
use crate::engine::lifecycle::IllegalTransition;
use crate::lesson::Lang;
use crate::lesson::prints::Prints;

/// The width of each side.
const SIDE: usize = 64;

/// One side of the comparison.
pub struct Side<'a> {
    /// `tokio: src/demos/gather.rs`, `asyncio: gather.py`.
    pub label: String,
    pub trace: &'a Trace,
}

pub fn render(
    title: &str,
    seed: u64,
    rust: &Side<'_>,
    python: &Side<'_>,
    prints: Option<(&Prints, Lang)>,
) -> Result<String, IllegalTransition> {
    let mut out = String::new();
    let _ = writeln!(out, "{title}");
    let _ = writeln!(out, "compare: {} and {} · one virtual clock · seed {seed}", rust.label, python.label);
    let _ = writeln!(out);
    let _ = writeln!(out, "printed lines, by virtual time:");
    let _ = writeln!(out, "{:>10}  {}  {}", "time", pad(&rust.label, SIDE), python.label);
    // Each moment's lines from each side, in the order printed.
    let mut moments: BTreeMap<VTime, (Vec<String>, Vec<String>)> = BTreeMap::new();
    let show = |text: &str| match prints {
        Some((prints, lang)) => prints.show(text, lang),
        None => text.to_owned(),
    };
    for (trace, left) in [(rust.trace, true), (python.trace, false)] {
        for event in &trace.events {
            if let EventKind::Print { text } = &event.kind {
                let entry = moments.entry(event.at).or_default();
                let side = if left { &mut entry.0 } else { &mut entry.1 };
                side.push(show(text));
            }
        }
    }
    for (at, (left, right)) in &moments {
        for row in 0..left.len().max(right.len()) {
            let time = if row == 0 { at.to_string() } else { String::new() };
            let l = left.get(row).map_or(String::new(), |l| fit(l, SIDE));
            let r = right.get(row).map_or(String::new(), |r| fit(r, SIDE));
            // A moment where the two print different lines is marked.
            let mark = if left.get(row) == right.get(row) { ' ' } else { '≠' };
            let line = format!("{time:>10}{mark} {}  {r}", pad(&l, SIDE));
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "tasks at the end:");
    let left = transcript::table(rust.trace)?;
    let right = transcript::table(python.trace)?;
    let left_width = left.iter().map(|l| width(l)).max().unwrap_or(0).max(width(&rust.label));
    let _ = writeln!(out, "{}  │ {}", pad(&rust.label, left_width), python.label);
    for row in 0..left.len().max(right.len()) {
        let l = left.get(row).map_or("", String::as_str);
        let r = right.get(row).map_or("", String::as_str);
        let line = format!("{}  │ {r}", pad(l, left_width));
        let _ = writeln!(out, "{}", line.trim_end());
    }
    Ok(out)
}
