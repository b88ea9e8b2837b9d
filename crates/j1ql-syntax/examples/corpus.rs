//! Parses every query of a corpus JSON-lines file and prints the ones with errors.
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let kinds: Vec<String> = std::env::args().skip(2).collect();
    let text = std::fs::read_to_string(path).unwrap();
    let (mut total, mut bad) = (0, 0);
    for line in text.lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let kind = row["source_kind"].as_str().unwrap_or("");
        if !kinds.is_empty() && !kinds.iter().any(|k| k == kind) {
            continue;
        }
        total += 1;
        let q = row["query"].as_str().unwrap();
        let parse = j1ql_syntax::parse(q);
        assert_eq!(parse.syntax_node().to_string(), q);
        if !parse.errors().is_empty() {
            bad += 1;
            println!("---- {kind} {:?}\n{q}", row["path"]);
            for e in parse.errors() {
                println!("  {e}");
            }
        }
    }
    println!("{bad} of {total} with errors");
}
