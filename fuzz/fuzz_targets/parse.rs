//! Any bytes: if they are UTF-8, parse them and check the parser's guarantees (no panic, a
//! lossless tree, error ranges inside the input, on char boundaries and sorted).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parse = j1ql_syntax::parse(text);
    assert_eq!(
        parse.syntax_node().to_string(),
        text,
        "the tree is not lossless"
    );
    let mut previous = None;
    for error in parse.errors() {
        let (start, end) = (
            usize::from(error.range.start()),
            usize::from(error.range.end()),
        );
        assert!(end <= text.len(), "error {error} ends past the input");
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "error {error} is not on char boundaries"
        );
        let key = (start, end);
        assert!(previous <= Some(key), "errors are not sorted");
        previous = Some(key);
    }
});
