//! A directory's worth of lesson files (the input split at 0xFF bytes into files): every
//! problem in every file is reported in one answer (duplicate ids and orders across files
//! included), never a panic.
#![no_main]

use asyncdemo::lesson::Catalog;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let files: Vec<(String, Vec<u8>)> = data
        .split(|&b| b == 0xFF)
        .take(8)
        .enumerate()
        .map(|(i, bytes)| (format!("lessons/f{i}.toml"), bytes.to_vec()))
        .collect();
    match Catalog::from_files(files) {
        Ok(catalog) => {
            let orders: Vec<u32> = catalog.lessons.iter().map(|l| l.order).collect();
            assert!(orders.windows(2).all(|w| w[0] < w[1]), "lessons come in course order");
        }
        Err(errors) => {
            assert!(!errors.0.is_empty());
            let _ = errors.to_string();
        }
    }
});
