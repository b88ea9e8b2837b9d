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
    /// `error containing TEXT`: the query is refused or fails, and the message says TEXT (so a
    /// case pins why it fails, not just that it does).
    ErrorContaining(String),
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
    if let Some(wanted) = text.strip_prefix("error containing ") {
        return Ok(Expect::ErrorContaining(wanted.trim().to_string()));
    }
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

/// Where the queries of a host file are: the extractor's regions (`j1ql-project`), so that a
/// case's line is exact in every YAML scalar style and in JSON.
struct HostLines {
    regions: Vec<j1ql_project::Region>,
    index: j1ql_syntax::line_index::LineIndex,
    next: usize,
}

impl HostLines {
    fn new(kind: j1ql_project::HostKind, text: &str) -> HostLines {
        HostLines {
            regions: j1ql_project::extract(kind, text).regions,
            index: j1ql_syntax::line_index::LineIndex::new(text),
            next: 0,
        }
    }

    /// The region of the next query with this text (queries are met in file order).
    fn find(&mut self, query: &str) -> Option<usize> {
        let k = (self.next..self.regions.len()).find(|&k| self.regions[k].text == query)?;
        self.next = k + 1;
        Some(k)
    }

    /// The 1-based host line of 1-based line `line` of region `k`'s text.
    fn line(&self, k: Option<usize>, line: usize) -> usize {
        let Some(region) = k.and_then(|k| self.regions.get(k)) else {
            return 1;
        };
        let offset: usize = region
            .text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let host = region.host_offset(offset);
        self.index.line_col(TextSize::from(host as u32)).line as usize + 1
    }
}

/// The cases of one query text of a host file, named `default_name` unless a `// name:`
/// header names them, with `extra` assertions on the first.
fn host_cases(
    query: &str,
    default_name: &str,
    extra: &[String],
    lines: &mut HostLines,
    out: &mut Vec<Case>,
) -> Result<(), CaseError> {
    let region = lines.find(query);
    let first_line = lines.line(region, 1);
    let inner = parse_document(query).map_err(|e| CaseError {
        line: lines.line(region, e.line),
        message: e.message,
    })?;
    if inner.is_empty() {
        return Err(CaseError {
            line: first_line,
            message: format!("`{default_name}` has an empty query"),
        });
    }
    let multiple = inner.len() > 1;
    for (k, mut case) in inner.into_iter().enumerate() {
        if case.name.starts_with("query-") {
            case.name = if multiple {
                format!("{default_name} #{}", k + 1)
            } else {
                default_name.to_string()
            };
        }
        if k == 0 {
            for e in extra {
                case.expects
                    .push(parse_expect(e).map_err(|message| CaseError {
                        line: first_line,
                        message,
                    })?);
            }
        }
        case.line = lines.line(region, case.line);
        out.push(case);
    }
    Ok(())
}

/// Reads a JupiterOne question file: every `questions[].queries[].query`. A question's
/// `title` (else its `id`) names it; a question with several queries names each
/// `TITLE / NAME` (the query's `name`, else its position). `// name:` and `// expect:`
/// comments inside the query text work as in a J1QL file, and a query item may carry
/// `expect:` (a string or a list of strings) as well. A query item without a string `query`
/// (a typo such as `querys:`, or `query: 5`) is an error, never a silently empty suite.
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
    let mut lines = HostLines::new(j1ql_project::HostKind::Yaml, text);
    let mut cases = Vec::new();
    for (qi, question) in questions.iter().enumerate() {
        let title = ["title", "name", "id"]
            .iter()
            .find_map(|k| question.get(*k).and_then(|v| v.as_str()))
            .map(str::to_string)
            .unwrap_or_else(|| format!("question-{}", qi + 1));
        let Some(queries) = question.get("queries").and_then(|q| q.as_sequence()) else {
            return Err(CaseError {
                line: lines.line(None, 1),
                message: format!("question `{title}` has no `queries:` list"),
            });
        };
        for (i, item) in queries.iter().enumerate() {
            let n = item
                .get("name")
                .and_then(|v| v.as_str())
                .map(str::to_string)
                .unwrap_or_else(|| (i + 1).to_string());
            let query = match item.get("query") {
                Some(serde_yaml::Value::String(q)) => q,
                Some(other) => {
                    return Err(CaseError {
                        line: 1,
                        message: format!(
                            "question `{title}`, query {n}: `query` is not a string ({other:?})"
                        ),
                    })
                }
                None => {
                    let keys: Vec<String> = item
                        .as_mapping()
                        .map(|m| {
                            m.keys()
                                .filter_map(|k| k.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default();
                    return Err(CaseError {
                        line: 1,
                        message: format!(
                            "question `{title}`, query {n} has no `query:` (its keys: {})",
                            keys.join(", ")
                        ),
                    });
                }
            };
            let default_name = if queries.len() == 1 {
                title.clone()
            } else {
                format!("{title} / {n}")
            };
            let mut extra = Vec::new();
            match item.get("expect") {
                Some(serde_yaml::Value::String(s)) => extra.push(s.clone()),
                Some(serde_yaml::Value::Sequence(seq)) => {
                    extra.extend(seq.iter().filter_map(|v| v.as_str().map(str::to_string)))
                }
                _ => {}
            }
            host_cases(query, &default_name, &extra, &mut lines, &mut cases)?;
        }
    }
    Ok(cases)
}

/// The rules of an alert rule pack: a JSON list of rules (or `{"rules": [...]}`), each with
/// `question.queries[].query`.
fn rules(doc: &Value) -> Option<&Vec<Value>> {
    let list = match doc {
        Value::Array(items) => items,
        Value::Object(o) => o.get("rules")?.as_array()?,
        _ => return None,
    };
    list.iter()
        .any(|r| r.get("question").and_then(|q| q.get("queries")).is_some())
        .then_some(list)
}

/// Whether a JSON text is an alert rule pack.
pub fn is_rule_pack(text: &str) -> bool {
    text.contains("\"queries\"")
        && serde_json::from_str::<Value>(text)
            .ok()
            .is_some_and(|d| rules(&d).is_some())
}

/// Reads an alert rule pack: every `question.queries[].query` of every rule, named by the
/// rule's `name` (and the query's `name` when a rule has several).
pub fn parse_rule_pack(text: &str) -> Result<Vec<Case>, CaseError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| CaseError {
        line: e.line(),
        message: format!("not valid JSON: {e}"),
    })?;
    let Some(rules) = rules(&doc) else {
        return Err(CaseError {
            line: 1,
            message: "not an alert rule pack (no rule with `question.queries`)".into(),
        });
    };
    let mut lines = HostLines::new(j1ql_project::HostKind::Json, text);
    let mut cases = Vec::new();
    for (ri, rule) in rules.iter().enumerate() {
        let title = rule
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| format!("rule-{}", ri + 1));
        let queries = rule
            .get("question")
            .and_then(|q| q.get("queries"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (i, item) in queries.iter().enumerate() {
            let n = item
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| (i + 1).to_string());
            let Some(query) = item.get("query").and_then(Value::as_str) else {
                return Err(CaseError {
                    line: 1,
                    message: format!("rule `{title}`, query {n}: no string `query`"),
                });
            };
            let name = if queries.len() == 1 {
                title.clone()
            } else {
                format!("{title} / {n}")
            };
            host_cases(query, &name, &[], &mut lines, &mut cases)?;
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
    fn error_containing_keeps_the_text_whole() {
        assert_eq!(
            parse_expect("error containing LIMIT is 0: x = 1"),
            Ok(Expect::ErrorContaining("LIMIT is 0: x = 1".into()))
        );
        assert_eq!(parse_expect("error"), Ok(Expect::Error));
    }

    #[test]
    fn header_split_by_blank_line() {
        let cases = parse_document("// name: a\n\n// expect: empty\nFIND User\n").unwrap();
        assert_eq!(cases.len(), 1);
        assert_eq!(cases[0].name, "a");
        assert_eq!(cases[0].expects, vec![Expect::Empty]);
    }

    #[test]
    fn question_typos_are_errors() {
        let typo = "questions:\n  - title: T\n    queries:\n      - querys: FIND User\n";
        let e = parse_questions(typo).unwrap_err();
        assert!(
            e.message.contains("no `query:`") && e.message.contains("querys"),
            "{e}"
        );
        let number = "questions:\n  - title: T\n    queries:\n      - query: 5\n";
        assert!(parse_questions(number)
            .unwrap_err()
            .message
            .contains("not a string"));
        assert!(parse_questions("questions:\n  - title: T\n").is_err());
    }

    #[test]
    fn question_lines_come_from_the_extractor() {
        let text = "questions:\n  - title: Folded\n    queries:\n      - query: >\n          FIND User\n          THAT IS Person\n      - query: |\n          FIND Host\n\n          // name: second\n          FIND Device\n";
        let cases = parse_questions(text).unwrap();
        let lines: Vec<_> = cases.iter().map(|c| (c.name.as_str(), c.line)).collect();
        assert_eq!(
            lines,
            [("Folded / 1", 5), ("Folded / 2 #1", 8), ("second", 10)]
        );
    }

    #[test]
    fn rule_packs() {
        let text = "[\n  {\"name\": \"r1\", \"question\": {\"queries\": [\n    {\"name\": \"query0\", \"query\": \"FIND User\"},\n    {\"name\": \"query1\", \"query\": \"FIND Host\"}]}}\n]\n";
        assert!(is_rule_pack(text));
        assert!(!is_rule_pack("{\"name\": \"x\"}"));
        let cases = parse_rule_pack(text).unwrap();
        let names: Vec<_> = cases.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["r1 / query0", "r1 / query1"]);
        assert_eq!((cases[0].line, cases[1].line), (3, 4));
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
