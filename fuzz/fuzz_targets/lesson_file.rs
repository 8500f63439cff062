//! One lesson file, any bytes: the loader answers with a lesson or with errors (each with a
//! file, and a line and column inside it), never a panic.
#![no_main]

use asyncdemo::lesson::Catalog;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match Catalog::from_files(vec![("lessons/fuzzed.toml".to_owned(), data.to_vec())]) {
        Ok(catalog) => assert_eq!(catalog.lessons.len(), 1),
        Err(errors) => {
            assert!(!errors.0.is_empty());
            // Every error can be shown.
            let _ = errors.to_string();
        }
    }
});
