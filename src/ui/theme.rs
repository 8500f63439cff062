//! Colours and symbols. Only the 16 ANSI colours (plain SSH terminals and tmux render them
//! right), every state also has a symbol that reads without colour, and `NO_COLOR`
//! (no-color.org) turns colour off entirely.

use ratatui::style::{Color, Modifier, Style};

use crate::engine::lifecycle::State;

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub palette: Palette,
}

/// `--theme`: which terminal background, and which room, the colours are for.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum Palette {
    /// A dark terminal background.
    #[default]
    Dark,
    /// A projector: bright colours, bold type, nothing dark grey.
    HighContrast,
    /// A light terminal background: no yellow, no light colours.
    Light,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to a non-empty value.
    pub fn from_env(palette: Palette) -> Theme {
        Theme { color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()), palette }
    }

    /// Colour (or not), on a dark background.
    pub fn new(color: bool) -> Theme {
        Theme { color, palette: Palette::Dark }
    }

    /// A colour of the dark palette, as this palette draws it.
    fn adapt(&self, color: Color) -> Color {
        match (self.palette, color) {
            (Palette::Dark, color) => color,
            (Palette::HighContrast, Color::DarkGray) => Color::Gray,
            (Palette::HighContrast, Color::Gray) => Color::White,
            (Palette::HighContrast, Color::Cyan) => Color::LightCyan,
            (Palette::HighContrast, Color::Green) => Color::LightGreen,
            (Palette::HighContrast, Color::Magenta) => Color::LightMagenta,
            (Palette::HighContrast, Color::Yellow) => Color::LightYellow,
            (Palette::HighContrast, Color::Blue) => Color::LightBlue,
            (Palette::Light, Color::Gray | Color::White) => Color::DarkGray,
            (Palette::Light, Color::Yellow | Color::LightYellow) => Color::Blue,
            (Palette::Light, Color::LightGreen) => Color::Green,
            (Palette::Light, Color::LightBlue) => Color::Blue,
            (Palette::Light, Color::LightCyan) => Color::Cyan,
            (Palette::Light, Color::LightRed) => Color::Red,
            (Palette::Light, Color::LightMagenta) => Color::Magenta,
            (_, color) => color,
        }
    }

    fn fg(&self, color: Color) -> Style {
        match (self.color, self.palette) {
            (false, _) => Style::new(),
            (true, Palette::HighContrast) => Style::new().fg(self.adapt(color)).add_modifier(Modifier::BOLD),
            (true, _) => Style::new().fg(self.adapt(color)),
        }
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
        if self.color {
            Style::new().fg(self.adapt(Color::DarkGray))
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    /// The selected row or line.
    pub fn selected(&self) -> Style {
        match self.palette {
            Palette::HighContrast => Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            _ => Style::new().add_modifier(Modifier::REVERSED),
        }
    }

    /// The "now" column of the timeline, and the current line in the code: a tint and bold
    /// type (or underlined, without colour), so it reads on a projector too.
    pub fn now(&self) -> Style {
        match (self.color, self.palette) {
            (false, _) => Style::new().add_modifier(Modifier::UNDERLINED),
            (true, Palette::Dark) => Style::new().bg(Color::DarkGray).add_modifier(Modifier::BOLD),
            (true, Palette::Light) => Style::new().bg(Color::Gray).add_modifier(Modifier::BOLD),
            (true, Palette::HighContrast) => Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
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
        self.paint(Style::new(), color)
    }

    /// `style` with the foreground `color` (as the palette draws it), unless colour is off.
    pub fn paint(&self, style: Style, color: Color) -> Style {
        if self.color { style.fg(self.adapt(color)) } else { style }
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
