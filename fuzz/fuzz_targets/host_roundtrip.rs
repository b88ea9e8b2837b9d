//! Host encoders: any bytes split into a host file and a new query text. The host is read with
//! `j1ql_project::extract` (as YAML, JSON, Markdown, Terraform and J1QL in turn); the new text is
//! written into its first region with `j1ql_project::rewrite`. Checked: nothing panics; every
//! region's map stays inside the host; and a rewrite either reads back exactly (the extractor
//! finds the new text in the edited file) or leaves the file unchanged.
#![no_main]

use j1ql_project::{extract, rewrite, HostKind};
use libfuzzer_sys::fuzz_target;

const KINDS: [HostKind; 5] = [
    HostKind::Yaml,
    HostKind::Json,
    HostKind::Markdown,
    HostKind::Terraform,
    HostKind::J1ql,
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // `host \0 new text`
    let (host, new) = text.split_once('\0').unwrap_or((text, "FIND User"));
    for kind in KINDS {
        let extraction = extract(kind, host);
        for region in &extraction.regions {
            for offset in 0..=region.text.len() {
                assert!(region.host_offset(offset) <= host.len(), "map past the host");
            }
            assert!(region.host_range.end <= host.len());
        }
        let Some(first) = extraction.regions.first() else {
            continue;
        };
        let new = first.fit(new.to_string());
        let out = rewrite(kind, host, &extraction, &[(0, new.clone())]);
        if out.left.is_empty() {
            let again = extract(kind, &out.text);
            let found = again.regions.iter().any(|r| {
                r.text == new
                    || (kind == HostKind::Markdown && r.text == format!("{new}\n"))
                    || (kind == HostKind::J1ql
                        && r.text == j1ql_project::LineEnding::detect(host).apply(&new))
            });
            assert!(found, "{kind:?}: the written text does not read back:\n{}", out.text);
        } else {
            assert_eq!(out.text, host, "{kind:?}: a left edit changed the file");
        }
    }
});
