//! The tour's progress file, any bytes: read as progress or refused with an error that names the
//! file, never a panic; what is read saves and reads back the same.
#![no_main]

use asyncdemo::tour::progress::Store;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let store = Store::at(std::path::Path::new("/nonexistent-fuzz-dir"));
    match store.read(data) {
        Ok(progress) => {
            let text = asyncdemo::tour::progress::render(&progress);
            assert_eq!(store.read(text.as_bytes()).expect("what is written reads back"), progress);
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
