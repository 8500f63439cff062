//! Which panels fit where, by terminal size.
//!
//! Two lines on top (the header, and the last event with its cause), the key bar at the bottom,
//! and between them:
//!
//! - full (≥ 160×44, a projector at a small font): every panel at once;
//! - standard (≥ 110×32, a 120×34 projector): tasks and timeline on the left, code and one
//!   more panel on the right;
//! - medium (≥ 96×26, a 100×30 projector): tasks and code side by side, one more panel below;
//! - essentials (≥ 80×24, a laptop terminal): tasks, and one more panel below;
//! - compact (smaller, down to 30×8): one panel;
//! - below that: a message asking for a bigger window.
//!
//! In all but the full layout one slot is "swappable": `Tab` shows there the next panel that
//! is not on screen. Maximized, the focused panel takes the whole body.

use ratatui::layout::{Constraint, Layout, Rect};

use super::app::ViewOptions;

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Panel {
    Tasks,
    Timeline,
    EventLoop,
    Code,
    Text,
    Output,
    Log,
    /// The presenter's notes (`asyncdemo present` only).
    Notes,
}

impl Panel {
    pub const ALL: [Panel; 7] = [
        Panel::Tasks,
        Panel::Timeline,
        Panel::EventLoop,
        Panel::Code,
        Panel::Text,
        Panel::Output,
        Panel::Log,
    ];

    /// The next panel, in the order `Tab` goes through them.
    pub fn next(self) -> Panel {
        match self {
            Panel::Output => Panel::Log,
            Panel::Log => Panel::Notes,
            Panel::Notes => Panel::Text,
            Panel::Text => Panel::EventLoop,
            Panel::EventLoop => Panel::Timeline,
            Panel::Timeline => Panel::Code,
            Panel::Code => Panel::Tasks,
            Panel::Tasks => Panel::Output,
        }
    }
}

/// Where everything goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    /// The last event and its cause.
    pub last_event: Rect,
    pub keybar: Rect,
    /// Panels and their areas; `true` marks the swappable slot.
    pub panels: Vec<(Panel, Rect, bool)>,
    /// The window is too small for anything but a message.
    pub too_small: bool,
}

pub const MIN_WIDTH: u16 = 30;
pub const MIN_HEIGHT: u16 = 8;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Size {
    Full,
    Standard,
    Medium,
    Essentials,
    Compact,
}

fn size_of(area: Rect) -> Size {
    match (area.width, area.height) {
        (w, h) if w >= 160 && h >= 44 => Size::Full,
        (w, h) if w >= 110 && h >= 32 => Size::Standard,
        (w, h) if w >= 96 && h >= 26 => Size::Medium,
        (w, h) if w >= 80 && h >= 24 => Size::Essentials,
        _ => Size::Compact,
    }
}

/// The panels on screen at this size whatever the slot shows (not maximized).
pub fn fixed_panels(area: Rect) -> Vec<Panel> {
    match size_of(area) {
        Size::Full => {
            Panel::ALL.iter().copied().filter(|&p| !matches!(p, Panel::Log | Panel::Notes)).collect()
        }
        Size::Standard => vec![Panel::Tasks, Panel::Timeline, Panel::Code],
        Size::Medium => vec![Panel::Tasks, Panel::Code],
        Size::Essentials => vec![Panel::Tasks],
        Size::Compact => vec![],
    }
}

/// Does this size have a swappable slot (all but the full layout)?
pub fn has_slot(area: Rect) -> bool {
    size_of(area) != Size::Full
}

/// Where `panel` is drawn, if it is on screen.
pub fn panel_area(area: Rect, view: &ViewOptions, panel: Panel) -> Option<Rect> {
    let areas = areas(area, view);
    areas.panels.iter().find(|(p, _, _)| *p == panel).map(|(_, rect, _)| *rect)
}

pub fn areas(area: Rect, view: &ViewOptions) -> Areas {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return Areas {
            header: area,
            last_event: Rect::default(),
            keybar: Rect::default(),
            panels: Vec::new(),
            too_small: true,
        };
    }
    let [header, last_event, body, keybar] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let fixed = fixed_panels(area);
    // The slot shows the focused panel, unless that one is on screen already.
    let slot = if fixed.contains(&view.panel) {
        Panel::ALL.into_iter().find(|p| !fixed.contains(p)).unwrap_or(Panel::Output)
    } else {
        view.panel
    };
    let panels = if view.maximized {
        vec![(view.panel, body, true)]
    } else {
        match size_of(area) {
            Size::Full => {
                let [left, right] =
                    Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(body);
                let [tasks, timeline, event_loop] = Layout::vertical([
                    Constraint::Percentage(42),
                    Constraint::Percentage(33),
                    Constraint::Fill(1),
                ])
                .areas(left);
                let [code, text, output] = Layout::vertical([
                    Constraint::Percentage(42),
                    Constraint::Percentage(33),
                    Constraint::Fill(1),
                ])
                .areas(right);
                // The text's place shows the event log when that is asked for.
                let text_panel = match view.panel {
                    Panel::Log | Panel::Notes => view.panel,
                    _ => Panel::Text,
                };
                vec![
                    (Panel::Tasks, tasks, false),
                    (Panel::Timeline, timeline, false),
                    (Panel::EventLoop, event_loop, false),
                    (Panel::Code, code, false),
                    (text_panel, text, false),
                    (Panel::Output, output, false),
                ]
            }
            Size::Standard => {
                let [left, right] =
                    Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(body);
                let [tasks, timeline] =
                    Layout::vertical([Constraint::Percentage(55), Constraint::Fill(1)]).areas(left);
                let [code, slot_area] =
                    Layout::vertical([Constraint::Percentage(55), Constraint::Fill(1)]).areas(right);
                vec![
                    (Panel::Tasks, tasks, false),
                    (Panel::Timeline, timeline, false),
                    (Panel::Code, code, false),
                    (slot, slot_area, true),
                ]
            }
            Size::Medium => {
                let [top, slot_area] =
                    Layout::vertical([Constraint::Percentage(58), Constraint::Fill(1)]).areas(body);
                let [tasks, code] =
                    Layout::horizontal([Constraint::Percentage(55), Constraint::Fill(1)]).areas(top);
                vec![(Panel::Tasks, tasks, false), (Panel::Code, code, false), (slot, slot_area, true)]
            }
            Size::Essentials => {
                let [tasks, slot_area] =
                    Layout::vertical([Constraint::Percentage(55), Constraint::Fill(1)]).areas(body);
                vec![(Panel::Tasks, tasks, false), (slot, slot_area, true)]
            }
            Size::Compact => vec![(if view.panel == Panel::Tasks { Panel::Tasks } else { slot }, body, true)],
        }
    };
    Areas { header, last_event, keybar, panels, too_small: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_size_gets_a_layout_without_overlaps() {
        let view = ViewOptions::default();
        for (w, h) in
            [(1, 1), (29, 7), (30, 8), (40, 12), (79, 23), (80, 24), (100, 30), (120, 34), (200, 60)]
        {
            let areas = areas(Rect::new(0, 0, w, h), &view);
            assert_eq!(areas.too_small, w < MIN_WIDTH || h < MIN_HEIGHT, "{w}×{h}");
            for (i, (_, a, _)) in areas.panels.iter().enumerate() {
                for (_, b, _) in &areas.panels[i + 1..] {
                    assert!(!a.intersects(*b), "{w}×{h}: {a:?} overlaps {b:?}");
                }
            }
        }
        assert_eq!(areas(Rect::new(0, 0, 80, 24), &view).panels.len(), 2);
        assert_eq!(areas(Rect::new(0, 0, 100, 30), &view).panels.len(), 3);
        assert_eq!(areas(Rect::new(0, 0, 200, 60), &view).panels.len(), 6);
    }

    #[test]
    fn the_slot_never_shows_a_panel_that_is_on_screen() {
        for size in [Rect::new(0, 0, 80, 24), Rect::new(0, 0, 100, 30), Rect::new(0, 0, 120, 34)] {
            for panel in Panel::ALL {
                let view = ViewOptions { panel, ..ViewOptions::default() };
                let shown: Vec<Panel> = areas(size, &view).panels.iter().map(|(p, _, _)| *p).collect();
                for (i, p) in shown.iter().enumerate() {
                    assert!(!shown[i + 1..].contains(p), "{size:?} {panel:?}: {shown:?}");
                }
            }
        }
    }
}
