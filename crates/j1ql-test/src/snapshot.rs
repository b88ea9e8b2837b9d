//! Snapshots in insta's format: `snapshots/<file>__<name>.snap`, a YAML header (`source`,
//! `description`, `expression`) between `---` lines, then the result rendered deterministically.

use std::path::{Path, PathBuf};

use j1ql_eval::QueryResult;
use serde_json::{Map, Value};

/// The folder of a query file's snapshots.
pub fn folder(query_file: &Path) -> PathBuf {
    query_file
        .parent()
        .unwrap_or(Path::new("."))
        .join("snapshots")
}

/// `name` as a file-name part: lowercase letters, digits, `-`; other runs become `_`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        // Letters and digits of every script: non-ASCII names keep their own file names.
        if c.is_alphanumeric() || c == '-' {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_');
    let out: String = out.chars().take(80).collect();
    if out.is_empty() {
        "query".to_string()
    } else {
        out
    }
}

/// The snapshot path of a case (`snapshots/<file stem>__<slug>.snap`).
pub fn path(query_file: &Path, name: &str) -> PathBuf {
    let stem = query_file
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    folder(query_file).join(format!("{stem}__{}.snap", slug(name)))
}

/// The `.snap.new` beside a `.snap`.
pub fn pending_path(snap: &Path) -> PathBuf {
    let mut p = snap.as_os_str().to_owned();
    p.push(".new");
    PathBuf::from(p)
}

/// The whole snapshot file.
pub fn file_text(source: &str, name: &str, expression: &str, content: &str) -> String {
    let mut out = String::from("---\n");
    out.push_str(&format!("source: {}\n", yaml_string(source)));
    out.push_str(&format!("description: {}\n", yaml_string(name)));
    out.push_str(&format!(
        "expression: {}\n",
        serde_json::to_string(expression).unwrap_or_default()
    ));
    out.push_str("---\n");
    out.push_str(content.trim_end());
    out.push('\n');
    out
}

/// The content of a snapshot file (after the header), or the whole text if it has none.
pub fn content(file_text: &str) -> &str {
    let text = file_text.strip_prefix('\u{feff}').unwrap_or(file_text);
    if let Some(rest) = text.strip_prefix("---\n") {
        if let Some(end) = rest.find("\n---\n") {
            return &rest[end + 5..];
        }
    }
    text
}

/// The header field `expression` of a snapshot file, decoded.
pub fn expression(file_text: &str) -> Option<String> {
    let rest = file_text.strip_prefix("---\n")?;
    let header = &rest[..rest.find("\n---\n")?];
    let line = header
        .lines()
        .find_map(|l| l.strip_prefix("expression: "))?;
    serde_json::from_str(line).ok().or(Some(line.to_string()))
}

/// Whether two snapshot contents are the same (trailing whitespace aside).
pub fn same(a: &str, b: &str) -> bool {
    a.trim_end() == b.trim_end()
}

/// An entity or relationship list item as one flat mapping: metadata and properties, keys
/// sorted. Anything else as is.
fn flatten(v: &Value) -> Value {
    let Some(obj) = v.as_object() else {
        return v.clone();
    };
    let head = ["entity", "relationship"]
        .iter()
        .find_map(|k| obj.get(*k).and_then(Value::as_object));
    let Some(head) = head else {
        return v.clone();
    };
    let mut all: Vec<(String, Value)> = head.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        all.extend(props.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    for (k, v) in obj {
        if !matches!(k.as_str(), "entity" | "relationship" | "properties" | "id") {
            all.push((k.clone(), v.clone()));
        }
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    Value::Object(all.into_iter().collect::<Map<_, _>>())
}

fn sort_key(v: &Value) -> (String, String, String) {
    let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    (s("_key"), s("_id"), v.to_string())
}

/// The result as the snapshot content: `type`, `count`, then the items (entities sorted by
/// `_key` unless the query orders them), rows (in order when `ordered`, else sorted), or tree
/// vertices and edges (sorted).
pub fn render(result: &QueryResult, ordered: bool) -> String {
    let mut out = String::new();
    match result {
        QueryResult::List(items) => {
            let mut items: Vec<Value> = items.iter().map(flatten).collect();
            if !ordered {
                items.sort_by_key(sort_key);
            }
            out.push_str(&format!("type: list\ncount: {}\ndata:", items.len()));
            emit(&Value::Array(items), 0, &mut out);
        }
        QueryResult::Table(rows) => {
            let mut rows: Vec<Value> = rows
                .iter()
                .map(|r| Value::Object(r.iter().map(|(k, v)| (k.clone(), flatten(v))).collect()))
                .collect();
            if !ordered {
                rows.sort_by_cached_key(|r| r.to_string());
            }
            out.push_str(&format!("type: table\ncount: {}\nrows:", rows.len()));
            emit(&Value::Array(rows), 0, &mut out);
        }
        QueryResult::Tree { vertices, edges } => {
            let mut vertices: Vec<Value> = vertices.iter().map(flatten).collect();
            vertices.sort_by_key(sort_key);
            let mut edges: Vec<Value> = edges.iter().map(flatten).collect();
            edges.sort_by_key(sort_key);
            out.push_str(&format!(
                "type: tree\nvertices: {}\nedges: {}\ndata:\n  vertices:",
                vertices.len(),
                edges.len()
            ));
            emit(&Value::Array(vertices), 1, &mut out);
            out.push_str("\n  edges:");
            emit(&Value::Array(edges), 1, &mut out);
        }
    }
    out.push('\n');
    out
}

fn yaml_string(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '/')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || " _-./@()+,".contains(c))
        && !s.ends_with(' ')
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => yaml_string(s),
        other => other.to_string(),
    }
}

/// Appends `v` in YAML block style after a key (so starting with `" "` or a newline).
fn emit(v: &Value, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent);
    match v {
        Value::Array(items) if items.is_empty() => out.push_str(" []"),
        Value::Object(map) if map.is_empty() => out.push_str(" {}"),
        Value::Array(items) => {
            for item in items {
                out.push('\n');
                out.push_str(&pad);
                out.push_str("- ");
                match item {
                    Value::Object(map) if !map.is_empty() => {
                        // First key on the dash line, the others aligned under it.
                        for (i, (k, v)) in map.iter().enumerate() {
                            if i > 0 {
                                out.push('\n');
                                out.push_str(&pad);
                                out.push_str("  ");
                            }
                            out.push_str(&yaml_string(k));
                            out.push(':');
                            emit(v, indent + 2, out);
                        }
                    }
                    Value::Array(a) if !a.is_empty() => {
                        out.pop();
                        emit(item, indent + 1, out);
                    }
                    other => {
                        let mut s = String::new();
                        emit(other, indent + 1, &mut s);
                        out.push_str(s.trim_start());
                    }
                }
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                out.push('\n');
                out.push_str(&pad);
                out.push_str(&yaml_string(k));
                out.push(':');
                emit(v, indent + 1, out);
            }
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_sorted_yaml() {
        let item = |k: &str| json!({"id": "x", "entity": {"_key": k, "_class": ["User"]}, "properties": {"age": 3, "name": "a: b"}});
        let r = QueryResult::List(vec![item("b"), item("a")]);
        let text = render(&r, false);
        assert_eq!(
            text,
            "type: list\ncount: 2\ndata:\n- _class:\n    - User\n  _key: a\n  age: 3\n  name: \"a: b\"\n- _class:\n    - User\n  _key: b\n  age: 3\n  name: \"a: b\"\n"
        );
        assert!(
            render(&r, true).find("_key: b").unwrap() < render(&r, true).find("_key: a").unwrap()
        );
    }

    #[test]
    fn file_round_trip() {
        let f = file_text(
            "a.j1ql",
            "my query",
            "FIND User\n  WITH x = 'y'",
            "type: list\ncount: 0\ndata: []\n",
        );
        assert!(f.starts_with("---\nsource: a.j1ql\ndescription: my query\nexpression: \"FIND User\\n  WITH x = 'y'\"\n---\n"));
        assert_eq!(content(&f), "type: list\ncount: 0\ndata: []\n");
        assert_eq!(expression(&f).unwrap(), "FIND User\n  WITH x = 'y'");
        assert_eq!(slug("Users: that are people!"), "users_that_are_people");
        assert_eq!(
            path(Path::new("s/q.j1ql"), "a b"),
            Path::new("s/snapshots/q__a_b.snap")
        );
    }
}
