//! The handouts' colours. A state or a token has one colour, the live view's (one of the 16
//! ANSI colours, from [`crate::ui::theme`]); a page draws each ANSI colour as a colour that reads
//! on white paper, as a terminal's colour scheme draws it on its background.

use ratatui::style::Color;

use crate::engine::lifecycle::State;
use crate::ui::theme::Theme;

/// The page colour of an ANSI colour (`None`: the text's own colour).
pub fn css(color: Color) -> Option<&'static str> {
    Some(match color {
        Color::Black => "#24292f",
        Color::Red => "#cf222e",
        Color::LightRed => "#d1242f",
        Color::Green => "#1a7f37",
        Color::LightGreen => "#2da44e",
        Color::Yellow => "#b07d00",
        Color::LightYellow => "#8a5a00",
        Color::Blue => "#0550ae",
        Color::LightBlue => "#0969da",
        Color::Magenta => "#8250df",
        Color::LightMagenta => "#a626a4",
        Color::Cyan => "#0a7ea4",
        Color::LightCyan => "#0550ae",
        Color::Gray => "#8c959f",
        Color::DarkGray => "#6e7781",
        Color::White => "#57606a",
        _ => return None,
    })
}

/// A state's colour, as the live view gives it.
pub fn state(state: State) -> &'static str {
    Theme::new(true).state(state).fg.and_then(css).unwrap_or("#24292f")
}

/// The accent colour (headings, the stops), as the live view gives it.
pub fn accent() -> &'static str {
    Theme::new(true).accent().fg.and_then(css).unwrap_or("#0969da")
}
