//! One source extractor for every host format: J1QL files, JupiterOne question YAML, rule-pack
//! and dashboard JSON, Markdown fences and Terraform. Each yields [`Region`]s with exact
//! positions, and reports what it cannot map ([`crate::Unmapped`]).

pub(crate) mod json;
pub(crate) mod markdown;
pub(crate) mod terraform;
pub(crate) mod yaml;

use std::path::Path;

use crate::region::{Encoding, Extraction, LineEnding, Region};

/// What kind of file holds the queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HostKind {
    /// A J1QL document: the whole file is one region.
    J1ql,
    /// YAML: every `query` value.
    Yaml,
    /// JSON: every `"query"` string.
    Json,
    /// Markdown: every `j1ql` fence.
    Markdown,
    /// Terraform: `query` attributes of JupiterOne resources and data sources.
    Terraform,
}

impl HostKind {
    /// By file extension; `None` for files that hold no J1QL.
    pub fn of(path: &Path) -> Option<HostKind> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        Some(match ext.as_deref()? {
            "j1ql" => HostKind::J1ql,
            "yaml" | "yml" => HostKind::Yaml,
            "json" => HostKind::Json,
            "md" | "markdown" => HostKind::Markdown,
            "tf" => HostKind::Terraform,
            _ => return None,
        })
    }

    /// By file extension, J1QL for anything else (a file named on the command line, stdin).
    pub fn of_named(path: &Path) -> HostKind {
        HostKind::of(path).unwrap_or(HostKind::J1ql)
    }

    /// The name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            HostKind::J1ql => "J1QL",
            HostKind::Yaml => "YAML",
            HostKind::Json => "JSON",
            HostKind::Markdown => "Markdown",
            HostKind::Terraform => "Terraform",
        }
    }
}

/// Every region of a host file, and what could not be mapped.
pub fn extract(kind: HostKind, host: &str) -> Extraction {
    match kind {
        HostKind::J1ql => {
            let mut region = Region::new(
                host.to_string(),
                (0..=host.len()).collect(),
                0..host.len(),
                Encoding::Raw,
            );
            region.line_ending = LineEnding::detect(host);
            Extraction {
                regions: vec![region],
                unmapped: Vec::new(),
            }
        }
        HostKind::Yaml => yaml::extract(host),
        HostKind::Json => json::extract(host),
        HostKind::Markdown => markdown::extract(host),
        HostKind::Terraform => terraform::extract(host),
    }
}

/// The result of writing new J1QL texts into a host.
#[derive(Debug, Clone)]
pub struct Rewrite {
    /// The new host text (the old one when nothing could be written).
    pub text: String,
    /// Regions left as they were, and why (region index in the extraction, reason).
    pub left: Vec<(usize, String)>,
}

/// Writes new texts for some regions (`(region index, new J1QL text)`) back into the host.
/// Each text is encoded in the host's syntax; then the whole edited file is read again by a
/// real parser of its format (saphyr for YAML, serde_json, pulldown-cmark, hcl-rs) and
/// compared with the intended values. When that check fails, nothing is changed and every
/// edit is reported as left.
pub fn rewrite(
    kind: HostKind,
    host: &str,
    extraction: &Extraction,
    edits: &[(usize, String)],
) -> Rewrite {
    let mut left = Vec::new();
    let mut text_edits = Vec::new();
    let mut slots = Vec::new();
    for (index, new_text) in edits {
        let Some(region) = extraction.regions.get(*index) else {
            continue;
        };
        match region.encode(new_text) {
            Ok(encoded) => {
                text_edits.push(j1ql_syntax::edit::TextEdit {
                    range: j1ql_syntax::TextRange::new(
                        (region.host_range.start as u32).into(),
                        (region.host_range.end as u32).into(),
                    ),
                    new_text: encoded,
                });
                slots.push((region.slot, new_text.clone()));
            }
            Err(why) => left.push((*index, why)),
        }
    }
    if text_edits.is_empty() {
        return Rewrite {
            text: host.to_string(),
            left,
        };
    }
    let new = j1ql_syntax::edit::apply_edits(host, &text_edits);
    let verified = match kind {
        HostKind::J1ql => Ok(()),
        HostKind::Yaml => yaml::verify(host, &new, &slots),
        HostKind::Json => json::verify(host, &new, &slots),
        HostKind::Markdown => markdown::verify(host, &new, &slots),
        HostKind::Terraform => terraform::verify(host, &new, &slots),
    };
    match verified {
        Ok(()) => Rewrite { text: new, left },
        Err(why) => {
            let why = format!("{why}; the file is left as it is");
            left.extend(edits.iter().map(|(i, _)| (*i, why.clone())));
            left.sort_by_key(|(i, _)| *i);
            left.dedup_by_key(|(i, _)| *i);
            Rewrite {
                text: host.to_string(),
                left,
            }
        }
    }
}
