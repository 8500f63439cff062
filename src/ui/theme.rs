//! Colours and symbols. Only the 16 ANSI colours (plain SSH terminals and tmux render them
//! right), every state also has a symbol that reads without colour, and `NO_COLOR`
//! (no-color.org) turns colour off entirely.

use ratatui::style::{Color, Modifier, Style};

use crate::engine::lifecycle::State;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to a non-empty value.
    pub fn from_env() -> Theme {
        Theme { color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color { Style::new().fg(color) } else { Style::new() }
    }

    /// A task state: its colour (when colour is on) and emphasis.
    pub fn state(&self, state: State) -> Style {
        match state {
            State::Created => self.fg(Color::Gray),
            State::Scheduled => self.fg(Color::Yellow),
            State::Running => self.fg(Color::LightGreen).add_modifier(Modifier::BOLD),
            State::Suspended => self.fg(Color::Cyan),
            State::Done => self.fg(Color::Green),
            State::Cancelled => self.fg(Color::Magenta),
            State::Failed => self.fg(Color::LightRed).add_modifier(Modifier::BOLD),
        }
    }

    /// Headings, borders of the focused panel, the title.
    pub fn accent(&self) -> Style {
        self.fg(Color::LightBlue).add_modifier(Modifier::BOLD)
    }

    /// Secondary text: ids, times, hints.
    pub fn dim(&self) -> Style {
        if self.color { Style::new().fg(Color::DarkGray) } else { Style::new().add_modifier(Modifier::DIM) }
    }

    /// The selected row or line.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// The "now" column of the timeline, and the current line in the code: a tint and bold
    /// type (or underlined, without colour), so it reads on a projector too.
    pub fn now(&self) -> Style {
        if self.color {
            Style::new().bg(Color::DarkGray).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED)
        }
    }

    /// The row of the task the last event changed.
    pub fn changed(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn warning(&self) -> Style {
        self.fg(Color::LightRed).add_modifier(Modifier::BOLD)
    }

    /// Syntax highlighting: a colour by token kind.
    pub fn syntax(&self, color: Color) -> Style {
        self.fg(color)
    }
}

/// A symbol for each state, so states read without colour too.
pub fn symbol(state: State) -> &'static str {
    match state {
        State::Created => "·",
        State::Scheduled => "»",
        State::Running => "▶",
        State::Suspended => "‖",
        State::Done => "✓",
        State::Cancelled => "⊘",
        State::Failed => "✗",
    }
}

/// How the timeline draws a stretch of time spent in a state.
pub fn timeline_fill(state: State) -> &'static str {
    match state {
        State::Created => "·",
        State::Scheduled => "░",
        State::Running => "█",
        State::Suspended => "─",
        State::Done | State::Cancelled | State::Failed => " ",
    }
}
