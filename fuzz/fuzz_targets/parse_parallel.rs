//! Any UTF-8 text, parsed in up to eight parts on several threads (cut before line-starting
//! `FIND`s, whatever its size): when the parts pass their checks, the tree and errors must be
//! exactly those of a single-threaded parse.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let single = j1ql_syntax::parse_single_threaded(text);
    for parts in [2, 3, 8] {
        if let Some(parallel) = j1ql_syntax::parse_in_parts(text, parts) {
            assert_eq!(parallel.green(), single.green(), "the trees differ ({parts} parts)");
            assert_eq!(parallel.errors(), single.errors(), "the errors differ ({parts} parts)");
        }
    }
});
