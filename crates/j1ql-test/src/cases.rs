//! Reading test files into cases: `*.j1ql` documents with `// name:` / `// expect:` headers,
//! and JupiterOne question YAML (`questions: - queries: - query:`).

use std::fmt;

use j1ql_syntax::{SyntaxKind, TextRange, TextSize};
use serde_json::Value;

/// One query to test.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Its name (from `// name:`, the question's title, or `query-N`).
    pub name: String,
    /// 1-based line of the query (or of its `// name:`) in the file.
    pub line: usize,
    /// Assertions from `// expect:` comments.
    pub expects: Vec<Expect>,
    /// The query text (without the header and a final `;`).
    pub query: String,
}

/// An assertion on a result.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// `keys = a, b`: the `_key`s of a list (or the vertices of a tree), any order.
    Keys(Vec<String>),
    /// `ordered keys = a, b`.
    OrderedKeys(Vec<String>),
    /// `count = N`: items, rows or vertices.
    Count(usize),
    /// `empty`.
    Empty,
    /// `nonempty`.
    NonEmpty,
    /// `rows = [JSON]`: exact table rows, any order (an entity cell is its `_key`).
    Rows(Vec<Value>),
    /// `ordered rows = [JSON]`.
    OrderedRows(Vec<Value>),
    /// `columns include a, b`.
    ColumnsInclude(Vec<String>),
    /// `vertices = a, b` (RETURN TREE).
    Vertices(Vec<String>),
    /// `edges = N` (RETURN TREE).
    Edges(usize),
    /// `error`: the query is refused or fails.
    Error,
    /// `snapshot`: keep a snapshot even though the query has assertions.
    Snapshot,
}

/// A problem in a test file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

fn list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Parses the text after `// expect:`.
pub fn parse_expect(text: &str) -> Result<Expect, String> {
    let text = text.trim();
    let (head, rest) = match text.split_once('=') {
        Some((h, r)) => (h.trim(), r.trim()),
        None => (text, ""),
    };
    let json_rows = |r: &str| -> Result<Vec<Value>, String> {
        match serde_json::from_str::<Value>(r) {
            Ok(Value::Array(rows)) => Ok(rows),
            Ok(_) => Err("rows must be a JSON array".into()),
            Err(e) => Err(format!("rows: bad JSON: {e}")),
        }
    };
    let number = |r: &str| r.parse::<usize>().map_err(|e| format!("`{r}`: {e}"));
    Ok(match head {
        "keys" => Expect::Keys(list(rest)),
        "ordered keys" => Expect::OrderedKeys(list(rest)),
        "count" => Expect::Count(number(rest)?),
        "empty" => Expect::Empty,
        "nonempty" | "non-empty" => Expect::NonEmpty,
        "rows" => Expect::Rows(json_rows(rest)?),
        "ordered rows" => Expect::OrderedRows(json_rows(rest)?),
        "vertices" => Expect::Vertices(list(rest)),
        "edges" => Expect::Edges(number(rest)?),
        "error" => Expect::Error,
        "snapshot" => Expect::Snapshot,
        h if h.starts_with("columns include") => {
            Expect::ColumnsInclude(list(h.trim_start_matches("columns include")))
        }
        other => return Err(format!("unknown expectation `{other}`")),
    })
}

/// A header directive of a comment line.
enum Directive {
    Name(String),
    Expect(String),
}

fn directive(line: &str) -> Option<Directive> {
    let c = line.trim().strip_prefix("//")?.trim();
    if let Some(n) = c.strip_prefix("name:") {
        return Some(Directive::Name(n.trim().to_string()));
    }
    c.strip_prefix("expect:")
        .map(|e| Directive::Expect(e.trim().to_string()))
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with("//")
}

struct Chunk {
    header_line: usize,
    name: Option<String>,
    expects: Vec<Expect>,
    /// Byte offset of the body in the text, and the body's first line (0-based).
    body_start: usize,
    body_line: usize,
    body_end: usize,
}

/// The query ranges of a body that parses cleanly, trimmed of trivia and `;`; `None` when it
/// has syntax errors (then the whole body is one query, so that `// expect: error` works).
fn query_ranges(body: &str) -> Option<Vec<TextRange>> {
    let parse = j1ql_syntax::parse(body);
    if !parse.errors().is_empty() {
        return None;
    }
    let root = parse.syntax_node();
    let mut out = Vec::new();
    for node in root.children().filter(|n| n.kind() == SyntaxKind::QUERY) {
        let tokens: Vec<_> = node
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| !t.kind().is_trivia() && t.kind() != SyntaxKind::SEMICOLON)
            .collect();
        if let (Some(first), Some(last)) = (tokens.first(), tokens.last()) {
            out.push(TextRange::new(
                first.text_range().start(),
                last.text_range().end(),
            ));
        }
    }
    Some(out)
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count()
}

/// Splits a J1QL document into cases. A header is a block of `//` lines holding `// name:`
/// and/or `// expect:` lines; it applies to the first query after it. Queries without a
/// header (or after the first one under a header) are named `query-N` (N counts the file's
/// queries from 1).
pub fn parse_document(text: &str) -> Result<Vec<Case>, CaseError> {
    // Line starts.
    let mut starts = vec![0usize];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    let lines: Vec<&str> = text.split('\n').collect();
    let mut chunks: Vec<Chunk> = vec![Chunk {
        header_line: 0,
        name: None,
        expects: Vec::new(),
        body_start: 0,
        body_line: 0,
        body_end: text.len(),
    }];
    let mut i = 0;
    while i < lines.len() {
        if !is_comment(lines[i]) {
            i += 1;
            continue;
        }
        let block_start = i;
        while i < lines.len() && is_comment(lines[i]) {
            i += 1;
        }
        let block = &lines[block_start..i];
        if !block.iter().any(|l| directive(l).is_some()) {
            continue;
        }
        let mut name = None;
        let mut expects = Vec::new();
        for (k, l) in block.iter().enumerate() {
            match directive(l) {
                Some(Directive::Name(n)) => {
                    if name.is_some() {
                        return Err(CaseError {
                            line: block_start + k + 1,
                            message: "two `// name:` lines in one header".into(),
                        });
                    }
                    name = Some(n);
                }
                Some(Directive::Expect(e)) => {
                    expects.push(parse_expect(&e).map_err(|m| CaseError {
                        line: block_start + k + 1,
                        message: m,
                    })?)
                }
                None => {}
            }
        }
        let body_start = starts.get(i).copied().unwrap_or(text.len());
        if let Some(prev) = chunks.last_mut() {
            prev.body_end = starts[block_start];
        }
        chunks.push(Chunk {
            header_line: block_start,
            name,
            expects,
            body_start,
            body_line: i,
            body_end: text.len(),
        });
    }
    // A header with nothing but blank lines under it joins the next header.
    let mut merged: Vec<Chunk> = Vec::new();
    for chunk in chunks {
        if let Some(prev) = merged.last_mut() {
            let has_header = prev.name.is_some() || !prev.expects.is_empty();
            let prev_body = &text[prev.body_start..prev.body_end];
            if has_header
                && prev_body.trim().is_empty()
                && !(prev.name.is_some() && chunk.name.is_some())
            {
                prev.name = prev.name.take().or(chunk.name);
                prev.expects.extend(chunk.expects);
                prev.body_start = chunk.body_start;
                prev.body_line = chunk.body_line;
                prev.body_end = chunk.body_end;
                continue;
            }
        }
        merged.push(chunk);
    }
    let mut cases = Vec::new();
    let mut count = 0;
    for chunk in merged {
        let body = &text[chunk.body_start..chunk.body_end];
        let has_header = chunk.name.is_some() || !chunk.expects.is_empty();
        let ranges = match query_ranges(body) {
            Some(r) => r,
            None => {
                let trimmed = body.trim();
                let start = body.find(trimmed).unwrap_or(0);
                let q = trimmed.strip_suffix(';').unwrap_or(trimmed).trim_end();
                if q.is_empty() {
                    Vec::new()
                } else {
                    vec![TextRange::at(
                        TextSize::from(start as u32),
                        TextSize::from(q.len() as u32),
                    )]
                }
            }
        };
        if ranges.is_empty() {
            if has_header {
                return Err(CaseError {
                    line: chunk.header_line + 1,
                    message: format!(
                        "`{}` has no query under its header",
                        chunk.name.as_deref().unwrap_or("// expect:")
                    ),
                });
            }
            continue;
        }
        let mut name = chunk.name;
        let mut expects = Some(chunk.expects);
        for range in ranges {
            count += 1;
            let start = usize::from(range.start());
            let query = body[start..usize::from(range.end())].to_string();
            let line = chunk.body_line + line_of(body, start) + 1;
            let case_name = name.take().unwrap_or_else(|| format!("query-{count}"));
            let line = if has_header && expects.is_some() {
                chunk.header_line + 1
            } else {
                line
            };
            cases.push(Case {
                name: case_name,
                line,
                expects: expects.take().unwrap_or_default(),
                query,
            });
        }
    }
    Ok(cases)
}

/// Reads a JupiterOne question file: every `questions[].queries[].query`. A question's
/// `title` (else its `id`) names it; a question with several queries names each
/// `TITLE / NAME` (the query's `name`, else its position). `// name:` and `// expect:`
/// comments inside the query text work as in a J1QL file, and a query item may carry
/// `expect:` (a string or a list of strings) as well.
pub fn parse_questions(text: &str) -> Result<Vec<Case>, CaseError> {
    let doc: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| CaseError {
        line: e.location().map(|l| l.line()).unwrap_or(1),
        message: format!("not a question file: {e}"),
    })?;
    let Some(questions) = doc.get("questions").and_then(|q| q.as_sequence()) else {
        return Err(CaseError {
            line: 1,
            message: "no `questions:` list".into(),
        });
    };
    let mut cases = Vec::new();
    for (qi, question) in questions.iter().enumerate() {
        let title = ["title", "name", "id"]
            .iter()
            .find_map(|k| question.get(*k).and_then(|v| v.as_str()))
            .map(str::to_string)
            .unwrap_or_else(|| format!("question-{}", qi + 1));
        let queries = question
            .get("queries")
            .and_then(|q| q.as_sequence())
            .cloned()
            .unwrap_or_default();
        for (i, item) in queries.iter().enumerate() {
            let Some(query) = item.get("query").and_then(|q| q.as_str()) else {
                continue;
            };
            let line = text
                .lines()
                .position(|l| {
                    let first = query.lines().find(|x| !x.trim().is_empty()).unwrap_or("");
                    !first.trim().is_empty() && l.contains(first.trim())
                })
                .map(|p| p + 1)
                .unwrap_or(1);
            let default_name = if queries.len() == 1 {
                title.clone()
            } else {
                let n = item
                    .get("name")
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
                    .unwrap_or_else(|| (i + 1).to_string());
                format!("{title} / {n}")
            };
            let inner = parse_document(query).map_err(|e| CaseError {
                line: line + e.line - 1,
                message: e.message,
            })?;
            let mut extra = Vec::new();
            match item.get("expect") {
                Some(serde_yaml::Value::String(s)) => extra.push(s.clone()),
                Some(serde_yaml::Value::Sequence(seq)) => {
                    extra.extend(seq.iter().filter_map(|v| v.as_str().map(str::to_string)))
                }
                _ => {}
            }
            let multiple = inner.len() > 1;
            for (k, mut case) in inner.into_iter().enumerate() {
                if case.name.starts_with("query-") {
                    case.name = if multiple {
                        format!("{default_name} #{}", k + 1)
                    } else {
                        default_name.clone()
                    };
                }
                if k == 0 {
                    for e in &extra {
                        case.expects
                            .push(parse_expect(e).map_err(|message| CaseError { line, message })?);
                    }
                }
                case.line = line + case.line - 1;
                cases.push(case);
            }
        }
    }
    Ok(cases)
}

/// Whether a YAML text looks like a question file.
pub fn is_question_file(text: &str) -> bool {
    text.lines().any(|l| l.trim_end() == "questions:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conformance_format() {
        let text = "// header comment\n\n// name: a\n// expect: keys = x, y\n// why: because\nFIND User\n  THAT IS Person;\n\n// name: b\n// expect: count = 3\n// expect: rows = [{\"a\": 1}]\nFIND *\n";
        let cases = parse_document(text).unwrap();
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].name, "a");
        assert_eq!(cases[0].line, 3);
        assert_eq!(cases[0].query, "FIND User\n  THAT IS Person");
        assert_eq!(
            cases[0].expects,
            vec![Expect::Keys(vec!["x".into(), "y".into()])]
        );
        assert_eq!(cases[1].expects.len(), 2);
        assert_eq!(cases[1].query, "FIND *");
    }

    #[test]
    fn unnamed_and_broken_queries() {
        let text = "FIND User\n\nFIND Host WITH a = 1;\n// expect: count = 1\nFIND Person\n// name: bad\n// expect: error\nFIND User WITH age >\n";
        let cases = parse_document(text).unwrap();
        let names: Vec<_> = cases.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["query-1", "query-2", "query-3", "bad"]);
        assert_eq!(cases[1].query, "FIND Host WITH a = 1");
        assert_eq!(cases[1].line, 3);
        assert_eq!(cases[2].expects, vec![Expect::Count(1)]);
        assert_eq!(cases[3].query, "FIND User WITH age >");
        assert!(parse_document("// name: a\n// expect: count = 1\n").is_err());
        assert!(parse_document("// expect: bogus = 1\nFIND x\n").is_err());
    }

    #[test]
    fn header_split_by_blank_line() {
        let cases = parse_document("// name: a\n\n// expect: empty\nFIND User\n").unwrap();
        assert_eq!(cases.len(), 1);
        assert_eq!(cases[0].name, "a");
        assert_eq!(cases[0].expects, vec![Expect::Empty]);
    }

    #[test]
    fn questions() {
        let text = "questions:\n  - id: q1\n    title: Unencrypted buckets\n    queries:\n      - query: FIND aws_s3_bucket WITH encrypted = false\n        expect: count = 2\n  - title: Two\n    queries:\n      - name: good\n        query: |\n          // expect: nonempty\n          FIND User\n      - name: bad\n        query: FIND Host\n";
        assert!(is_question_file(text));
        let cases = parse_questions(text).unwrap();
        let names: Vec<_> = cases.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Unencrypted buckets", "Two / good", "Two / bad"]);
        assert_eq!(cases[0].expects, vec![Expect::Count(2)]);
        assert_eq!(cases[0].line, 5);
        assert_eq!(cases[1].expects, vec![Expect::NonEmpty]);
        assert_eq!(cases[1].query, "FIND User");
    }
}
