//! Text measured, cut and padded in display columns (what the terminal's cells hold: a Cyrillic
//! letter is one, a CJK character two, a combining mark none): the one way every view does it.

use unicode_truncate::UnicodeTruncateStr;
use unicode_width::UnicodeWidthStr;

/// How many columns `text` takes.
pub fn width(text: &str) -> usize {
    text.width()
}

/// `text` in at most `columns` columns: whole if it fits, else cut and ended with `…`.
pub fn fit(text: &str, columns: usize) -> String {
    if text.width() <= columns {
        return text.to_owned();
    }
    if columns == 0 {
        return String::new();
    }
    let (cut, _) = text.unicode_truncate(columns - 1);
    // "запуск, …" reads worse than "запуск,…".
    format!("{}…", cut.trim_end())
}

/// `text` padded with spaces to `columns` columns (as it is, if it is wider).
pub fn pad(text: &str, columns: usize) -> String {
    format!("{text}{}", " ".repeat(columns.saturating_sub(text.width())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_counts_columns_not_characters() {
        assert_eq!(fit("задачи", 10), "задачи");
        assert_eq!(fit("запуск, остановка", 9), "запуск,…");
        assert_eq!(width(&fit("日本語のテキスト", 7)), 7);
        assert_eq!(fit("日本語", 4), "日…");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(pad("ё", 3), "ё  ");
        assert_eq!(pad("long", 2), "long");
    }
}
