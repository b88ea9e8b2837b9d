//! Keeps `docs/errors.md` honest: one row per error code, and every example behaves as the
//! table says when given to the real parser.

use j1ql_syntax::ErrorCode;

struct Row {
    code: String,
    name: String,
    bad: Option<String>,
    fixed: Option<String>,
}

/// The text of the last inline code span in a table cell (`\|` unescaped), if any.
fn code_span(cell: &str) -> Option<String> {
    let cell = cell.trim().trim_end_matches(|c: char| c != '`');
    let inner = cell.strip_suffix('`')?;
    let start = inner.rfind('`')?;
    Some(inner[start + 1..].replace("\\|", "|"))
}

fn rows() -> Vec<Row> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/errors.md"))
        .expect("docs/errors.md exists");
    doc.lines()
        .filter(|l| l.starts_with("| P"))
        .map(|line| {
            // Split on `|` that are not escaped as `\|`.
            let mut cells = Vec::new();
            let mut current = String::new();
            let mut chars = line.trim().trim_matches('|').chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\\' if chars.peek() == Some(&'|') => {
                        current.push_str("\\|");
                        chars.next();
                    }
                    '|' => cells.push(std::mem::take(&mut current)),
                    _ => current.push(c),
                }
            }
            cells.push(current);
            assert_eq!(cells.len(), 5, "a row has 5 cells: {line}");
            Row {
                code: cells[0].trim().to_string(),
                name: code_span(&cells[1]).unwrap_or_default(),
                bad: code_span(&cells[3]),
                fixed: code_span(&cells[4]),
            }
        })
        .collect()
}

#[test]
fn every_code_has_one_row_with_its_name() {
    let rows = rows();
    let codes: Vec<&str> = rows.iter().map(|r| r.code.as_str()).collect();
    let expected: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        codes, expected,
        "docs/errors.md lists every code once, in order"
    );
    for (row, code) in rows.iter().zip(ErrorCode::ALL) {
        assert_eq!(row.name, code.name(), "name of {}", row.code);
    }
}

#[test]
fn bad_examples_report_their_code() {
    for row in rows() {
        let bad = match (row.code.as_str(), row.bad) {
            // Too long for the table: built here.
            ("P011", _) => format!("FIND * WITH {}a = 1{}", "(".repeat(129), ")".repeat(129)),
            ("P021", _) => format!("FIND *{}", " THAT HAS *".repeat(257)),
            ("P020", _) => format!("FIND * WITH {}", vec!["a = 1"; 1002].join(" OR ")),
            (_, Some(bad)) => bad,
            (code, None) => panic!("{code} has no bad example"),
        };
        let parse = j1ql_syntax::parse(&bad);
        let codes: Vec<&str> = parse.errors().iter().map(|e| e.code.as_str()).collect();
        assert!(
            codes.contains(&row.code.as_str()),
            "{}: `{bad}` gives {codes:?}",
            row.code
        );
    }
}

#[test]
fn fixed_examples_parse_cleanly() {
    for row in rows() {
        let fixed = row
            .fixed
            .unwrap_or_else(|| panic!("{} has no fixed example", row.code));
        let parse = j1ql_syntax::parse(&fixed);
        assert!(
            parse.errors().is_empty(),
            "{}: `{fixed}` gives {:?}",
            row.code,
            parse.errors()
        );
    }
}

/// The semantic rows (`| S…`): each bad example reports its code, each fixed one no error.
#[test]
fn semantic_rows_behave_as_documented() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/errors.md"))
        .expect("docs/errors.md exists");
    let rows: Vec<Vec<&str>> = doc
        .lines()
        .filter(|l| l.starts_with("| S"))
        .map(|l| l.trim().trim_matches('|').split(" | ").collect())
        .collect();
    assert!(rows.len() >= 2, "the semantic rows are missing");
    let cx = j1ql_semantics::Context::builtin();
    for row in rows {
        assert_eq!(row.len(), 5, "a row has 5 cells: {row:?}");
        let code = j1ql_semantics::Code::parse(row[0].trim()).expect("a semantic code");
        assert_eq!(code_span(row[1]).as_deref(), Some(code.name()));
        let bad = code_span(row[3]).expect("a bad example");
        let fixed = code_span(row[4]).expect("a fixed example");
        let analysis = j1ql_semantics::analyze(&bad, &cx);
        assert!(
            analysis.diagnostics().any(|d| d.code == code),
            "{code}: `{bad}`"
        );
        assert!(
            !j1ql_semantics::analyze(&fixed, &cx).has_errors(),
            "{code}: `{fixed}`"
        );
    }
}
