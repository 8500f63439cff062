//! The English of what a demo prints. Demos print Russian, as the course's Python originals do;
//! a lesson file gives each printed line's English as a pattern pair, so the demos stay plain
//! code and `--lang en` shows English:
//!
//! ```toml
//! [[print]]
//! ru = "номер выполнения: {}, время выполнения: {} сек"
//! en = "run number: {}, run time: {} s"
//! ```
//!
//! `{}` stands for any text (a value); what it matched goes into the English `{}`s in order. A
//! line is translated by the first pattern that matches it whole. `asyncdemo check` proves that
//! every line a lesson's demo prints has one.

use super::Lang;
use super::schema::PrintLine;

/// A lesson's print patterns, ready to match.
#[derive(Clone, Debug, Default)]
pub struct Prints {
    patterns: Vec<(Vec<String>, Vec<String>)>,
}

/// A pattern whose two sides have different numbers of `{}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub ru: usize,
    pub en: usize,
}

impl Prints {
    pub fn new(lines: &[PrintLine]) -> Result<Prints, (usize, Mismatch)> {
        let mut patterns = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let ru: Vec<String> = line.ru.get_ref().split("{}").map(str::to_owned).collect();
            let en: Vec<String> = line.en.get_ref().split("{}").map(str::to_owned).collect();
            if ru.len() != en.len() {
                return Err((i, Mismatch { ru: ru.len() - 1, en: en.len() - 1 }));
            }
            patterns.push((ru, en));
        }
        Ok(Prints { patterns })
    }

    /// The line in `lang`: English by the first matching pattern; `None` if none matches.
    pub fn translate(&self, line: &str, lang: Lang) -> Option<String> {
        if lang == Lang::Ru {
            return Some(line.to_owned());
        }
        self.patterns.iter().find_map(|(ru, en)| {
            let values = matches(ru, line)?;
            let mut out = en[0].clone();
            for (value, literal) in values.iter().zip(&en[1..]) {
                out.push_str(value);
                out.push_str(literal);
            }
            Some(out)
        })
    }

    /// The line in `lang`, or as printed if no pattern matches.
    pub fn show(&self, line: &str, lang: Lang) -> String {
        self.translate(line, lang).unwrap_or_else(|| line.to_owned())
    }
}

/// What each `{}` of a pattern (split at its `{}`s) matched in `line`, if it matches whole.
/// Each literal is found at its earliest place: with the last one fixed at the end, that finds
/// a match whenever there is one.
fn matches<'a>(parts: &[String], line: &'a str) -> Option<Vec<&'a str>> {
    let (first, rest) = parts.split_first()?;
    let mut at = line.strip_prefix(first.as_str()).map(|_| first.len())?;
    let Some((last, middle)) = rest.split_last() else {
        return (at == line.len()).then(Vec::new);
    };
    let mut values = Vec::with_capacity(rest.len());
    for literal in middle {
        let found = line[at..].find(literal.as_str())?;
        values.push(&line[at..at + found]);
        at += found + literal.len();
    }
    let end = line.len().checked_sub(last.len())?;
    if end < at || !line.ends_with(last.as_str()) {
        return None;
    }
    values.push(&line[at..end]);
    Some(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prints(pairs: &[(&str, &str)]) -> Prints {
        let toml: String =
            pairs.iter().map(|(ru, en)| format!("[[print]]\nru = {ru:?}\nen = {en:?}\n")).collect();
        #[derive(serde::Deserialize)]
        struct File {
            print: Vec<PrintLine>,
        }
        let file: File = toml::from_str(&toml).unwrap();
        Prints::new(&file.print).unwrap()
    }

    #[test]
    fn values_go_into_the_english_in_order() {
        let p = prints(&[
            ("номер выполнения: {}, время выполнения: {} сек", "run {}: {} s"),
            ("готово", "done"),
            ("{} и {}", "{} and {}"),
        ]);
        assert_eq!(
            p.translate("номер выполнения: 3, время выполнения: 1 сек", Lang::En).unwrap(),
            "run 3: 1 s"
        );
        assert_eq!(p.translate("готово", Lang::En).unwrap(), "done");
        assert_eq!(p.translate("готово!", Lang::En), None);
        assert_eq!(p.translate("a и b и c", Lang::En).unwrap(), "a and b и c");
        assert_eq!(p.translate("готово", Lang::Ru).unwrap(), "готово");
    }

    #[test]
    fn a_pattern_must_match_the_whole_line() {
        let p = prints(&[("x{}y", "X{}Y")]);
        assert_eq!(p.translate("xy", Lang::En).unwrap(), "XY");
        assert_eq!(p.translate("xay", Lang::En).unwrap(), "XaY");
        assert_eq!(p.translate("xyz", Lang::En), None);
        assert_eq!(p.translate("y", Lang::En), None);
    }
}
