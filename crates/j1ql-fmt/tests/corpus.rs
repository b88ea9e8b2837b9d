//! The whole real-world corpus (`../shared/corpus/queries.jsonl`, 2,049 queries): every query
//! that parses formats without a safety-net failure, keeps its tree and its comments, and
//! formatting the output again changes nothing. Queries with syntax errors are left untouched.

use j1ql_fmt::{format, format_compact, FormatError, FormatOptions};

/// The real-world corpus's `queries.jsonl`, from the folder `J1QL_CORPUS` names (CI sets it
/// to the `shared/corpus` folder beside the repository); `None`, with a note, when it is not
/// set, so a fresh clone's `cargo test` passes. Set but missing is a failure.
fn corpus_file() -> Option<std::path::PathBuf> {
    match std::env::var_os("J1QL_CORPUS") {
        Some(dir) => Some(std::path::PathBuf::from(dir).join("queries.jsonl")),
        None => {
            eprintln!("note: J1QL_CORPUS is not set: the real-world corpus test is skipped");
            None
        }
    }
}

fn corpus() -> Option<Vec<String>> {
    let path = corpus_file()?;
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("J1QL_CORPUS: cannot read {}: {e}", path.display()));
    let rows: Vec<String> = text
        .lines()
        .map(|line| {
            let row: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            row["query"].as_str().expect("a `query` string").to_string()
        })
        .collect();
    assert!(
        rows.len() > 2000,
        "the corpus looks truncated: {} rows",
        rows.len()
    );
    Some(rows)
}

#[test]
fn whole_corpus_is_idempotent_and_meaning_preserving() {
    let options = FormatOptions::default();
    let mut formatted = 0;
    let mut untouched = 0;
    let mut failures = Vec::new();
    let Some(rows) = corpus() else { return };
    for (i, query) in rows.iter().enumerate() {
        match format(query, &options) {
            Ok(once) => {
                formatted += 1;
                // `format` itself checks tree equality and comments; check idempotence.
                match format(&once, &options) {
                    Ok(twice) if twice == once => {}
                    Ok(twice) => failures.push(format!(
                        "row {i}: not idempotent\n--- once\n{once}--- twice\n{twice}"
                    )),
                    Err(e) => failures.push(format!("row {i}: output does not format: {e}")),
                }
                // Other styles are safe too.
                for layout in [format_compact(query, &options)] {
                    if let Err(e) = layout {
                        failures.push(format!("row {i}: compact: {e}"));
                    }
                }
            }
            Err(FormatError::Syntax(_)) => untouched += 1,
            Err(e) => failures.push(format!("row {i}: {e}\n{query}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
    assert!(
        formatted > 1900,
        "only {formatted} formatted, {untouched} with syntax errors"
    );
}

#[test]
fn whole_corpus_in_other_styles() {
    let options = FormatOptions {
        keyword_case: j1ql_fmt::KeywordCase::Lower,
        quote_style: j1ql_fmt::QuoteStyle::Double,
        indent: 4,
        line_width: 60,
    };
    let Some(rows) = corpus() else { return };
    for (i, query) in rows.iter().enumerate() {
        match format(query, &options) {
            Ok(once) => assert_eq!(format(&once, &options).unwrap(), once, "row {i}"),
            Err(FormatError::Syntax(_)) => {}
            Err(e) => panic!("row {i}: {e}\n{query}"),
        }
    }
}

/// Comments inserted between the tokens of corpus queries (a block comment on the line, a line
/// comment, a comment on a line of its own) must survive formatting, and formatting stays
/// idempotent and meaning-preserving.
#[test]
fn corpus_with_comments_inserted() {
    let options = FormatOptions::default();
    let mut checked = 0;
    let Some(rows) = corpus() else { return };
    for (i, query) in rows.iter().enumerate().filter(|(i, _)| i % 3 == 0) {
        let parse = j1ql_syntax::parse(query);
        if !parse.errors().is_empty() {
            continue;
        }
        let boundaries: Vec<usize> = parse
            .syntax_node()
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| !t.kind().is_trivia())
            .map(|t| usize::from(t.text_range().end()))
            .collect();
        for (n, comment) in ["/* c */ ", " // c\n", "\n// own line\n"]
            .iter()
            .enumerate()
        {
            let Some(&at) = boundaries.get((i + n * 7) % boundaries.len().max(1)) else {
                continue;
            };
            let text = format!("{}{comment}{}", &query[..at], &query[at..]);
            match format(&text, &options) {
                Ok(once) => {
                    checked += 1;
                    assert_eq!(format(&once, &options).unwrap(), once, "row {i}:\n{text}");
                }
                // The comment may have turned a following string into a full-text query.
                Err(FormatError::Syntax(_)) => {}
                Err(e) => panic!("row {i}: {e}\n{text}"),
            }
        }
    }
    assert!(checked > 1500, "{checked}");
}
