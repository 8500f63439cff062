//! Which panels fit where, by terminal size.
//!
//! - full (≥ 160×44, a projector): every panel at once;
//! - standard (≥ 110×32): tasks and timeline on the left, code and one more panel on the right;
//! - essentials (≥ 80×24): tasks, and one more panel below;
//! - compact (smaller, down to 30×8): one panel;
//! - below that: a message asking for a bigger window.
//!
//! In all but the full layout one slot is "swappable": `Tab` cycles what it shows.

use ratatui::layout::{Constraint, Layout, Rect};

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Panel {
    Tasks,
    Timeline,
    EventLoop,
    Code,
    Text,
    Output,
}

impl Panel {
    /// The next panel for the swappable slot.
    pub fn next(self) -> Panel {
        match self {
            Panel::Output => Panel::Timeline,
            Panel::Timeline => Panel::EventLoop,
            Panel::EventLoop => Panel::Code,
            Panel::Code => Panel::Text,
            Panel::Text => Panel::Tasks,
            Panel::Tasks => Panel::Output,
        }
    }
}

/// Where everything goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub keybar: Rect,
    /// Panels and their areas; `true` marks the swappable slot.
    pub panels: Vec<(Panel, Rect, bool)>,
    /// The window is too small for anything but a message.
    pub too_small: bool,
}

pub const MIN_WIDTH: u16 = 30;
pub const MIN_HEIGHT: u16 = 8;

pub fn areas(area: Rect, swap: Panel) -> Areas {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return Areas { header: area, keybar: Rect::default(), panels: Vec::new(), too_small: true };
    }
    let [header, body, keybar] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    let panels = if area.width >= 160 && area.height >= 44 {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(body);
        let [tasks, timeline, event_loop] =
            Layout::vertical([Constraint::Percentage(42), Constraint::Percentage(33), Constraint::Fill(1)])
                .areas(left);
        let [code, text, output] =
            Layout::vertical([Constraint::Percentage(42), Constraint::Percentage(33), Constraint::Fill(1)])
                .areas(right);
        vec![
            (Panel::Tasks, tasks, false),
            (Panel::Timeline, timeline, false),
            (Panel::EventLoop, event_loop, false),
            (Panel::Code, code, false),
            (Panel::Text, text, false),
            (Panel::Output, output, false),
        ]
    } else if area.width >= 110 && area.height >= 32 {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(body);
        let [tasks, timeline] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Fill(1)]).areas(left);
        let [code, slot] = Layout::vertical([Constraint::Percentage(55), Constraint::Fill(1)]).areas(right);
        let slot_panel =
            if matches!(swap, Panel::Tasks | Panel::Timeline | Panel::Code) { Panel::Output } else { swap };
        vec![
            (Panel::Tasks, tasks, false),
            (Panel::Timeline, timeline, false),
            (Panel::Code, code, false),
            (slot_panel, slot, true),
        ]
    } else if area.width >= 80 && area.height >= 24 {
        let [tasks, slot] = Layout::vertical([Constraint::Percentage(55), Constraint::Fill(1)]).areas(body);
        let slot_panel = if swap == Panel::Tasks { Panel::Output } else { swap };
        vec![(Panel::Tasks, tasks, false), (slot_panel, slot, true)]
    } else {
        vec![(swap, body, true)]
    };
    Areas { header, keybar, panels, too_small: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_size_gets_a_layout_without_overlaps() {
        for (w, h) in [(1, 1), (29, 7), (30, 8), (40, 12), (79, 23), (80, 24), (120, 35), (200, 60)] {
            let areas = areas(Rect::new(0, 0, w, h), Panel::Output);
            assert_eq!(areas.too_small, w < MIN_WIDTH || h < MIN_HEIGHT, "{w}×{h}");
            for (i, (_, a, _)) in areas.panels.iter().enumerate() {
                for (_, b, _) in &areas.panels[i + 1..] {
                    assert!(!a.intersects(*b), "{w}×{h}: {a:?} overlaps {b:?}");
                }
            }
        }
        assert_eq!(areas(Rect::new(0, 0, 80, 24), Panel::Output).panels.len(), 2);
        assert_eq!(areas(Rect::new(0, 0, 200, 60), Panel::Output).panels.len(), 6);
    }
}
