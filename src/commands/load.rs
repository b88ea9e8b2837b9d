//! `j1ql load --data PATH... [--strict] [--global-mappings] [--format json|human]`: load
//! fixtures into the graph and report what was loaded.
//!
//! Exit codes: 0 loaded (skipped relationships are reported, not failures); 1 the data has
//! problems (malformed JSON as `file:line:col: message`, an item without `_key`/`_type`/`_class`,
//! unresolved endpoints with `--strict`); 2 a path cannot be read.

use std::path::PathBuf;

use j1ql_graph::{LoadError, LoadOptions, LoadReport, SkippedRelationship};
use serde::Serialize;

use crate::cli::Format;
use crate::output::{print_json, print_stdout, CliError, Outcome};

/// The `--format json` document.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Summary<'a> {
    entities: usize,
    relationships: usize,
    mapper_entities: usize,
    mapper_relationships: usize,
    skipped_relationships: &'a [SkippedRelationship],
    duplicates: usize,
    files: usize,
    mapping_rules: usize,
    mapper_warnings: &'a [String],
    /// Entities marked `_deleted: true` (kept here; queries leave them out unless asked).
    deleted_entities: usize,
    /// Relationships marked `_deleted: true`.
    deleted_relationships: usize,
    /// Paths the folder walk did not follow, each with the reason.
    skipped_paths: &'a [String],
}

impl<'a> Summary<'a> {
    fn of(
        r: &'a LoadReport,
        (deleted_entities, deleted_relationships): (usize, usize),
    ) -> Summary<'a> {
        Summary {
            deleted_entities,
            deleted_relationships,
            entities: r.entities,
            relationships: r.relationships,
            mapper_entities: r.mapper_entities,
            mapper_relationships: r.mapper_relationships,
            skipped_relationships: &r.skipped_relationships,
            duplicates: r.duplicates,
            files: r.files,
            mapping_rules: r.mapping_rules,
            mapper_warnings: &r.mapper_warnings,
            skipped_paths: &r.skipped_paths,
        }
    }
}

pub fn run(
    data: &[PathBuf],
    strict: bool,
    global_mappings: bool,
    format: Format,
) -> Result<Outcome, CliError> {
    let options = LoadOptions {
        strict,
        global_mappings,
        progress: Some(crate::progress::bar("loading")),
        ..LoadOptions::default()
    };
    let graph = match j1ql_graph::load_paths(data, options) {
        Ok(graph) => graph,
        Err(error @ LoadError::Io { .. }) => return Err(CliError::msg(error.to_string())),
        Err(error) => {
            eprintln!("error: {error}");
            return Ok(Outcome::Problems);
        }
    };
    let report = graph.report();
    let deleted = graph.deleted_counts();
    match format {
        Format::Json => print_json(&Summary::of(report, deleted))?,
        Format::Human => {
            let mut out = format!(
                "loaded {} entities and {} relationships from {} file(s)\n",
                report.entities, report.relationships, report.files
            );
            if report.mapping_rules > 0 {
                out.push_str(&format!(
                    "mapper: {} rule(s) made {} entities and {} relationships\n",
                    report.mapping_rules, report.mapper_entities, report.mapper_relationships
                ));
            }
            if report.duplicates > 0 {
                out.push_str(&format!(
                    "{} duplicate(s) updated an earlier item of the same subgraph\n",
                    report.duplicates
                ));
            }
            for s in &report.skipped_relationships {
                out.push_str(&format!(
                    "skipped: {}: relationships[{}]{}: {}\n",
                    s.file,
                    s.index,
                    s.line.map(|l| format!(" (line {l})")).unwrap_or_default(),
                    s.reason
                ));
            }
            for w in &report.mapper_warnings {
                out.push_str(&format!("mapper warning: {w}\n"));
            }
            if deleted != (0, 0) {
                out.push_str(&format!(
                    "deleted: {} entities and {} relationships are `_deleted: true`: queries leave \
                     them (and relationships touching a deleted entity) out unless \
                     --include-deleted or `include-deleted = true`\n",
                    deleted.0, deleted.1
                ));
            }
            // Each says `skipped `PATH`: why` (a symbolic-link cycle, a link out of the
            // folder, a FIFO...).
            for p in &report.skipped_paths {
                out.push_str(&format!("{p}\n"));
            }
            print_stdout(&out)?;
        }
    }
    Ok(Outcome::Clean)
}
