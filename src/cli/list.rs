//! `asyncdemo list`: the lessons in course order.

use crate::view::width;
use std::io::Write;

use super::Failure;
use crate::lesson::{Catalog, Lang};

pub fn list(catalog: &Catalog, lang: Lang, out: &mut dyn Write) -> Result<(), Failure> {
    let width = catalog.lessons.iter().map(|l| width::width(l.id())).max().unwrap_or(0);
    for (number, lesson) in catalog.lessons.iter().enumerate() {
        let id = lesson.id();
        let fill = " ".repeat(width - width::width(id));
        writeln!(out, "{:>2}. {id}{fill}  {}", number + 1, lesson.title.get(lang))?;
    }
    Ok(())
}
