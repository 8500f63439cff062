//! Regions of a source: the lines between `// [region: NAME]` and `// [end: NAME]` in a Rust
//! demo, `# [region: NAME]` and `# [end: NAME]` in a Python original. A lesson pairs them by
//! name, so a line of the demo leads to the matching part of the Python code.

/// One marked region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    pub name: String,
    /// The first and last line inside the markers (1-based; `last < first` when it is empty).
    pub first: usize,
    pub last: usize,
}

impl Region {
    pub fn contains(&self, line: usize) -> bool {
        (self.first..=self.last).contains(&line)
    }
}

/// Every region of `source` whose markers start with `comment` (`//` or `#`), in the order
/// they open. A region with no end marker is left out.
pub fn regions(source: &str, comment: &str) -> Vec<Region> {
    let start = format!("{comment} [region: ");
    let end = format!("{comment} [end: ");
    let lines: Vec<&str> = source.lines().map(str::trim).collect();
    let name_in = |line: &str, prefix: &str| line.strip_prefix(prefix)?.strip_suffix(']').map(str::to_owned);
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(name) = name_in(line, &start) else { continue };
        let closing = lines[i + 1..].iter().position(|l| name_in(l, &end).as_deref() == Some(name.as_str()));
        if let Some(len) = closing {
            found.push(Region { name, first: i + 2, last: i + 1 + len });
        }
    }
    found
}

/// The innermost region holding `line`.
pub fn innermost(regions: &[Region], line: usize) -> Option<&Region> {
    regions.iter().filter(|r| r.contains(line)).min_by_key(|r| r.last - r.first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_nest_and_pair_by_name() {
        let source = "a\n# [region: outer]\nb\n  # [region: inner]\n  c\n  # [end: inner]\nd\n# [end: outer]\n# [region: open]\n";
        let found = regions(source, "#");
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].name.as_str(), found[0].first, found[0].last), ("outer", 3, 7));
        assert_eq!((found[1].name.as_str(), found[1].first, found[1].last), ("inner", 5, 5));
        assert_eq!(innermost(&found, 5).map(|r| r.name.as_str()), Some("inner"));
        assert_eq!(innermost(&found, 3).map(|r| r.name.as_str()), Some("outer"));
        assert_eq!(innermost(&found, 1), None);
        assert!(regions("// [region: x]\n// [end: x]\n", "//")[0].last < 2);
    }
}
