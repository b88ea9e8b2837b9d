//! Property test of the host encoders: any new text written into any host form either reads
//! back exactly (by the extractor and, inside `rewrite`, by a real parser of the format) or is
//! left with the file unchanged. Never a panic, never a changed meaning.

use j1ql_project::{extract, rewrite, HostKind};
use proptest::prelude::*;

/// Hosts, each holding one query `FIND x` in a different form.
const HOSTS: &[(HostKind, &str)] = &[
    (HostKind::Yaml, "q:\n  - query: FIND x\n    name: a\n"),
    (HostKind::Yaml, "q:\n  - query: 'FIND x'\n"),
    (HostKind::Yaml, "q:\n  - query: \"FIND x\"\n"),
    (
        HostKind::Yaml,
        "q:\n  - query: |\n      FIND x\n    name: a\n",
    ),
    (HostKind::Yaml, "q:\n  - query: >-\n      FIND x\n"),
    (HostKind::Yaml, "q:\r\n  - query: |\r\n      FIND x\r\n"),
    (HostKind::Yaml, "{query: FIND x, other: 1}\n"),
    (HostKind::Json, "{\"query\": \"FIND x\", \"n\": [1]}"),
    (HostKind::Markdown, "# t\n\n```j1ql\nFIND x\n```\n"),
    (HostKind::Markdown, "- a\n  ```j1ql\n  FIND x\n  ```\n"),
    (
        HostKind::Terraform,
        "resource \"jupiterone_rule\" \"r\" {\n  query = \"FIND x\"\n}\n",
    ),
    (
        HostKind::Terraform,
        "resource \"jupiterone_rule\" \"r\" {\n  query = <<-EOF\n    FIND x\n  EOF\n}\n",
    ),
    (HostKind::J1ql, "FIND x\r\n"),
];

fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("FIND User".to_string()),
        Just(" WITH a = 'b'".to_string()),
        Just("\n".to_string()),
        Just("\r".to_string()),
        Just("\t".to_string()),
        Just("  ".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("\\".to_string()),
        Just("${x}".to_string()),
        Just("$${".to_string()),
        Just(": ".to_string()),
        Just(" #".to_string()),
        Just("```".to_string()),
        Just("EOF".to_string()),
        Just("\u{2028}".to_string()),
        Just("\u{85}".to_string()),
        Just("\u{7}".to_string()),
        Just("é".to_string()),
        Just("-".to_string()),
        Just("|".to_string()),
        "[a-z]{1,3}",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn written_texts_read_back_or_the_file_is_left(host in 0..HOSTS.len(), new in text()) {
        let (kind, host) = HOSTS[host];
        let extraction = extract(kind, host);
        prop_assert_eq!(extraction.regions.len(), 1, "{:?}", extraction);
        let new = extraction.regions[0].fit(new);
        let out = rewrite(kind, host, &extraction, &[(0, new.clone())]);
        if out.left.is_empty() {
            let again = extract(kind, &out.text);
            prop_assert_eq!(again.regions.len(), 1, "{}", out.text);
            let mut expected = new.clone();
            if kind == HostKind::Markdown && !expected.ends_with('\n') {
                expected.push('\n');
            }
            if kind == HostKind::J1ql {
                expected = j1ql_project::LineEnding::CrLf.apply(&expected);
            }
            prop_assert_eq!(&again.regions[0].text, &expected, "host:\n{}", out.text);
        } else {
            prop_assert_eq!(out.text, host);
        }
    }
}
