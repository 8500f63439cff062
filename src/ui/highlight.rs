//! Syntax highlighting for the code panel: syntect parses the source, and each token's scope
//! (comment, string, keyword…) maps to one of the 16 ANSI colours. (syntect's own themes are
//! RGB, which plain SSH terminals and tmux do not always show right.)

use std::sync::OnceLock;

use ratatui::style::Color;
use ratatui::text::{Line, Span};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};

use super::theme::Theme;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Language {
    Rust,
    Python,
}

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// `source` as highlighted lines (one per source line, tabs expanded).
pub fn lines(source: &str, language: Language, theme: &Theme) -> Vec<Line<'static>> {
    let set = syntaxes();
    let extension = match language {
        Language::Rust => "rs",
        Language::Python => "py",
    };
    let syntax = set.find_syntax_by_extension(extension).unwrap_or_else(|| set.find_syntax_plain_text());
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut out = Vec::new();
    for line in source.lines() {
        let line = line.replace('\t', "    ");
        let with_newline = format!("{line}\n");
        let ops = state.parse_line(&with_newline, set).unwrap_or_default();
        let mut spans = Vec::new();
        let mut start = 0;
        for (at, op) in ops {
            let at = at.min(line.len());
            if at > start {
                spans.push(Span::styled(line[start..at].to_owned(), style(theme, color_of(&stack))));
                start = at;
            }
            let _ = stack.apply(&op);
        }
        if start < line.len() {
            spans.push(Span::styled(line[start..].to_owned(), style(theme, color_of(&stack))));
        }
        out.push(Line::from(spans));
    }
    out
}

/// The colour for the innermost scope that has one (`None`: the terminal's default).
fn color_of(stack: &ScopeStack) -> Option<Color> {
    stack.as_slice().iter().rev().find_map(|scope| scope_color(*scope))
}

fn style(theme: &Theme, color: Option<Color>) -> ratatui::style::Style {
    color.map_or_else(ratatui::style::Style::new, |color| theme.syntax(color))
}

fn scope_color(scope: Scope) -> Option<Color> {
    let name = scope.build_string();
    let is = |prefix: &str| name.starts_with(prefix);
    Some(if is("comment") {
        Color::DarkGray
    } else if is("string") {
        Color::Green
    } else if is("constant.numeric") || is("constant.language") || is("constant.character") {
        Color::Yellow
    } else if is("keyword.operator") || is("punctuation") {
        return None;
    } else if is("keyword") || is("storage.modifier") {
        Color::Magenta
    } else if is("storage.type") || is("entity.name.type") || is("support.type") || is("entity.name.class") {
        Color::LightYellow
    } else if is("storage") {
        Color::Magenta
    } else if is("entity.name.function")
        || is("support.function")
        || is("support.macro")
        || is("entity.name.macro")
    {
        Color::LightCyan
    } else {
        return None;
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_and_python_tokens_get_ansi_colours() {
        let theme = Theme::new(true);
        let rust = lines("// note\nfn main() { let x = \"s\"; }\n", Language::Rust, &theme);
        assert_eq!(rust.len(), 2);
        let style_of = |line: &Line, text: &str| {
            line.spans.iter().find(|s| s.content.contains(text)).map(|s| s.style.fg)
        };
        assert_eq!(style_of(&rust[0], "note"), Some(Some(Color::DarkGray)));
        assert!(
            rust[1].spans.iter().any(|s| s.content == "s" && s.style.fg == Some(Color::Green)),
            "{:?}",
            rust[1]
        );
        let python = lines("async def f():\n    await g()\n", Language::Python, &theme);
        assert_eq!(python.len(), 2);
        assert!(
            python[1].spans.iter().any(|s| s.content.contains("await") && s.style.fg == Some(Color::Magenta))
        );
        let plain = lines("fn main() {}\n", Language::Rust, &Theme::new(false));
        assert!(plain[0].spans.iter().all(|s| s.style.fg.is_none()));
    }
}
