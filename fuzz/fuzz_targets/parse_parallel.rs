//! Any UTF-8 text, repeated into a document large enough to be parsed in parts on several
//! threads: the tree and errors must be exactly those of a single-threaded parse.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(block) = std::str::from_utf8(data) else {
        return;
    };
    if block.is_empty() {
        return;
    }
    let mut text = String::with_capacity(72 * 1024 + block.len());
    while text.len() < 72 * 1024 {
        text.push_str(block);
        text.push('\n');
    }
    let parallel = j1ql_syntax::parse(&text);
    let single = j1ql_syntax::parse_single_threaded(&text);
    assert_eq!(parallel.green(), single.green(), "the trees differ");
    assert_eq!(parallel.errors(), single.errors(), "the errors differ");
});
