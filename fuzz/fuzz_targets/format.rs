//! Any UTF-8 text: lowering never panics, and when the formatter accepts the text, its output
//! parses cleanly, lowers to the same IR (`j1ql_fmt::query_meanings`) and formats to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parse = j1ql_syntax::parse(text);
    let before = j1ql_fmt::query_meanings(&parse.syntax_node());
    let options = j1ql_fmt::FormatOptions::default();
    let Ok(formatted) = j1ql_fmt::format(text, &options) else {
        return;
    };
    let after = j1ql_syntax::parse(&formatted);
    assert!(after.errors().is_empty(), "formatted text has errors: {formatted}");
    assert_eq!(
        before,
        j1ql_fmt::query_meanings(&after.syntax_node()),
        "formatting changed a query's meaning: {formatted}"
    );
    assert_eq!(
        j1ql_fmt::format(&formatted, &options).as_deref(),
        Ok(formatted.as_str()),
        "not idempotent"
    );
});
