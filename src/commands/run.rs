//! `j1ql run [--data PATH]... [--param NAME=VALUE]... [--now RFC3339] [--format json|table] QUERY`
//! (GUIDE §4): one query on fixture data, or on the built-in demo account.

use std::collections::BTreeMap;
use std::path::PathBuf;

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use j1ql_eval::{demo, run_query, EvalOptions, QueryResult, RunError, ValueContext};
use j1ql_graph::{Graph, LoadOptions};
use j1ql_semantics::catalog::Catalog;
use j1ql_semantics::Context;
use serde_json::Value;

use crate::diagnostic_render::Source;
use crate::output::{print_json, print_stdout, CliError, Outcome};

/// How `run` prints results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RunFormat {
    /// One JSON document: `{"type": "list"|"table"|"tree", "data": ...}`.
    Json,
    /// A table for the terminal.
    Table,
}

/// The options of `j1ql run`.
pub struct RunArgs {
    pub query: String,
    pub data: Vec<PathBuf>,
    pub params: Vec<String>,
    pub now: Option<String>,
    pub format: RunFormat,
    pub strict: bool,
    pub global_mappings: bool,
}

pub fn run(args: RunArgs) -> Result<Outcome, CliError> {
    let query = if args.query == "-" {
        crate::input::read_document(std::path::Path::new("-"))?.text
    } else {
        args.query.clone()
    };
    let params = parse_params(&args.params)?;
    let (graph, default_now) = load(&args)?;
    let now_ms = match &args.now {
        Some(text) => j1ql_semantics::dates::parse_iso_date(text).map_err(|e| {
            CliError::msg(format!(
                "--now `{text}`: {e} (expected RFC 3339, e.g. 2025-11-21T00:00:00Z)"
            ))
        })?,
        None => default_now,
    };
    let catalog = Catalog::builtin().extended(&graph.observations());
    let builtin = Context::builtin();
    let context = Context {
        catalog: &catalog,
        ..builtin
    };
    let options = EvalOptions {
        values: ValueContext { now_ms, params },
        ..EvalOptions::default()
    };
    match run_query(&query, &graph, &context, &options) {
        Ok(result) => {
            match args.format {
                RunFormat::Json => print_json(&result.to_json())?,
                RunFormat::Table => print_stdout(&render_table(&result))?,
            }
            Ok(Outcome::Clean)
        }
        Err(RunError::Refused(analysis)) => {
            let source = Source::new("<query>", &query);
            let mut out = String::new();
            for error in analysis.parse.errors() {
                source.render(&source.diagnostic(error, false), &mut out);
            }
            for d in analysis.diagnostics() {
                if d.severity >= j1ql_semantics::Severity::Warning {
                    source.render(&source.semantic(d, false), &mut out);
                }
            }
            eprint!("{out}");
            eprintln!("error: the query was not run");
            Ok(Outcome::Problems)
        }
        Err(e) => Err(CliError::msg(e.to_string())),
    }
}

/// `NAME=VALUE`: the value is a JSON literal if it parses as one, else a string.
fn parse_params(params: &[String]) -> Result<BTreeMap<String, Value>, CliError> {
    let mut map = BTreeMap::new();
    for p in params {
        let (name, value) = p
            .split_once('=')
            .ok_or_else(|| CliError::msg(format!("--param `{p}`: expected NAME=VALUE")))?;
        let name = name.trim().trim_start_matches("param.").to_string();
        let value =
            serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_string()));
        map.insert(name, value);
    }
    Ok(map)
}

/// The graph, and the "now" to use by default (the demo graph has a fixed one).
fn load(args: &RunArgs) -> Result<(Graph, i64), CliError> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    if args.data.is_empty() {
        let graph = demo::graph().map_err(|e| CliError::msg(format!("demo graph: {e}")))?;
        return Ok((graph, demo::DEMO_NOW_MS));
    }
    let options = LoadOptions {
        strict: args.strict,
        global_mappings: args.global_mappings,
        ..LoadOptions::default()
    };
    let graph =
        j1ql_graph::load_paths(&args.data, options).map_err(|e| CliError::msg(e.to_string()))?;
    for skipped in &graph.report().skipped_relationships {
        eprintln!(
            "warning: {}: relationship {} not created: {}",
            skipped.file, skipped.index, skipped.reason
        );
    }
    Ok((graph, now))
}

/// A readable terminal table of any result shape.
fn render_table(result: &QueryResult) -> String {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    let count;
    match result {
        QueryResult::List(items) => {
            table.set_header(["displayName", "_type", "_class", "_key"]);
            for item in items {
                let e = &item["entity"];
                table.add_row([
                    cell(&e["displayName"]),
                    cell(&e["_type"]),
                    cell(&e["_class"]),
                    cell(&e["_key"]),
                ]);
            }
            count = items.len();
        }
        QueryResult::Table(rows) => {
            let mut columns: Vec<String> = Vec::new();
            for row in rows {
                for k in row.keys() {
                    if !columns.contains(k) {
                        columns.push(k.clone());
                    }
                }
            }
            table.set_header(columns.clone());
            for row in rows {
                table.add_row(
                    columns
                        .iter()
                        .map(|c| cell(row.get(c).unwrap_or(&Value::Null))),
                );
            }
            count = rows.len();
        }
        QueryResult::Tree { vertices, edges } => {
            table.set_header(["from", "relationship", "to"]);
            let name = |id: &Value| {
                vertices
                    .iter()
                    .find(|v| &v["id"] == id)
                    .map(|v| cell(&v["entity"]["displayName"]))
                    .unwrap_or_else(|| cell(id))
            };
            for e in edges {
                table.add_row([
                    name(&e["fromVertexId"]),
                    cell(&e["relationship"]["_class"]),
                    name(&e["toVertexId"]),
                ]);
            }
            count = edges.len();
        }
    }
    format!(
        "{table}\n{count} {}\n",
        if count == 1 { "row" } else { "rows" }
    )
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(", "),
        Value::Object(o) if o.contains_key("entity") => cell(&o["entity"]["displayName"]),
        other => other.to_string(),
    }
}
