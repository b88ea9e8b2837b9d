//! `j1ql run [--data PATH]... [--param NAME=VALUE]... [--smart-class NAME=QUERY]... [--now RFC3339]
//! [--format json|table] QUERY|FILE|FILE:N|FILE::NAME|-` (docs/contracts.md#run): one query on
//! the project's data (the nearest `j1ql.toml`: `data`, `now`, `[params]`, `[smart-classes]`;
//! flags override it), or on the built-in demo account. Warnings go to stderr, results to
//! stdout.

use std::collections::BTreeMap;
use std::path::PathBuf;

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use j1ql_eval::{run_query, EvalOptions, QueryResult, RunError};
use j1ql_graph::Graph;
use j1ql_project::Project;
use j1ql_semantics::Context;
use serde_json::Value;

use crate::commands::report::to_diagnostic;
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
    pub query: Option<String>,
    pub timings: Option<PathBuf>,
    pub repeat: usize,
    pub explain: bool,
    pub data: Vec<PathBuf>,
    pub params: Vec<String>,
    pub smart_classes: Vec<String>,
    pub now: Option<String>,
    pub format: RunFormat,
    pub strict: bool,
    pub global_mappings: bool,
    /// `--remote`: the live account instead of local data.
    pub remote: bool,
    pub remote_options: crate::cli::RemoteArgs,
    pub budget: Option<u64>,
}

pub fn run(args: RunArgs) -> Result<Outcome, CliError> {
    if args.remote {
        return run_remote(&args);
    }
    let project = project(&args)?;
    let load_started = std::time::Instant::now();
    let graph = project.graph().map_err(CliError::msg)?;
    let load_ms = load_started.elapsed().as_secs_f64() * 1000.0;
    for skipped in &graph.report().skipped_paths {
        eprintln!("warning: data: {skipped}");
    }
    for skipped in &graph.report().skipped_relationships {
        eprintln!(
            "warning: {}: relationship {} not created: {}",
            skipped.file, skipped.index, skipped.reason
        );
    }
    let (query_name, query) = match (&args.query, &args.timings) {
        (_, Some(file)) => (
            file.display().to_string(),
            crate::input::read_document(file)?.text,
        ),
        (Some(q), None) => query_text(q)?,
        (None, None) => return Err(CliError::msg("give a query (or --timings FILE)")),
    };
    let context = project.context();
    let options = project.eval_options();
    if args.timings.is_some() {
        return timings(
            &query,
            graph,
            &context,
            &options,
            load_ms,
            args.repeat,
            args.format,
        );
    }
    // The same findings `check` gives: warnings on stderr, errors refuse the query.
    let report = j1ql_project::diagnose(
        &project,
        std::path::Path::new(&query_name),
        j1ql_project::HostKind::J1ql,
        &query,
    );
    let source = Source::new(&query_name, &query);
    let mut out = String::new();
    let mut refused = false;
    let found: Vec<_> = report
        .findings
        .iter()
        .filter(|f| !f.is_style() && f.severity >= j1ql_lint::Severity::Warning)
        .inspect(|f| refused |= f.severity == j1ql_lint::Severity::Error)
        .map(|f| to_diagnostic(&query_name, f, false))
        .collect();
    source.render_all(&found, &mut out);
    eprint!(
        "{}",
        crate::output::paint_headers(&out, crate::output::color(true))
    );
    if refused {
        eprintln!("error: the query was not run");
        return Ok(Outcome::Problems);
    }
    if args.explain {
        let analysis = j1ql_semantics::analyze(&query, &context);
        for q in &analysis.queries {
            let plan = j1ql_eval::explain(&q.ir, graph, &options)
                .map_err(|e| CliError::msg(e.to_string()))?;
            print_stdout(&plan)?;
        }
        return Ok(Outcome::Clean);
    }
    match run_query(&query, graph, &context, &options) {
        Ok(result) => {
            match args.format {
                RunFormat::Json => print_json(&result.to_json())?,
                RunFormat::Table => print_stdout(&render_table(&result))?,
            }
            Ok(Outcome::Clean)
        }
        Err(RunError::Refused(_)) => {
            eprintln!("error: the query was not run");
            Ok(Outcome::Problems)
        }
        Err(e) => Err(CliError::msg(e.to_string())),
    }
}

/// `run --remote`: the query on the live account, every page joined, printed as a local
/// answer is (docs/remote.md). Nothing is printed on stdout unless the whole answer arrived.
fn run_remote(args: &RunArgs) -> Result<Outcome, CliError> {
    let arg = args
        .query
        .as_deref()
        .ok_or_else(|| CliError::msg("give a query"))?;
    let (_, query) = query_text(arg)?;
    let project = crate::commands::remote::project()?;
    let options =
        crate::commands::remote::query_options(&project, &args.remote_options, &args.params)?;
    let (client, progress) = crate::commands::remote::client(&project, &args.remote_options)?;
    let answer = j1ql_remote::block_on(client.query(&query, &options));
    progress.finish();
    let answer = match answer {
        Ok(answer) => answer,
        Err(e) => return crate::commands::remote::failure(e),
    };
    if answer.truncated {
        eprintln!(
            "warning: the answer has more rows than --max-rows {}; the first {} are printed",
            options.max_rows.unwrap_or(0),
            options.max_rows.unwrap_or(0)
        );
    }
    let result = answer
        .to_result()
        .map_err(|e| CliError::msg(e.to_string()))?;
    match args.format {
        RunFormat::Json => print_json(&result.to_json())?,
        RunFormat::Table => print_stdout(&render_table(&result))?,
    }
    Ok(Outcome::Clean)
}

/// The clock of `run` and `serve`: `--now` when given; else, for `--data` without a
/// `j1ql.toml`, the wall clock; else the project's (its `now`, or its fixed clock).
pub(crate) fn clock(
    now: Option<&str>,
    project: &Project,
    has_data: bool,
) -> Result<Option<i64>, CliError> {
    if let Some(text) = now {
        return j1ql_semantics::dates::parse_iso_date(text)
            .map(Some)
            .map_err(|e| {
                CliError::msg(format!(
                    "--now `{text}`: {e} (expected RFC 3339, e.g. 2025-11-21T00:00:00Z)"
                ))
            });
    }
    if project.config_path().is_none() && has_data {
        return Ok(Some(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0),
        ));
    }
    Ok(None)
}

/// The project of the current folder (its `j1ql.toml`: `data`, `now`, `[params]`,
/// `[smart-classes]`), with the command line's flags over it. Without a `j1ql.toml`, data
/// given by `--data` runs with the wall clock unless `--now` says otherwise.
fn project(args: &RunArgs) -> Result<Project, CliError> {
    let project = Project::discover(std::path::Path::new("."))
        .map_err(|e| CliError::msg(format!("invalid configuration: {e}")))?;
    let params = parse_params(&args.params)?;
    let now_ms = clock(args.now.as_deref(), &project, !args.data.is_empty())?;
    let mut smart = Vec::new();
    for s in &args.smart_classes {
        let (name, definition) = s
            .split_once('=')
            .ok_or_else(|| CliError::msg(format!("--smart-class `{s}`: expected NAME=QUERY")))?;
        smart.push((
            name.trim().trim_start_matches('#').to_string(),
            definition.trim().to_string(),
        ));
    }
    let data = args
        .data
        .iter()
        .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()))
        .collect();
    Ok(project
        .with_overrides(params, now_ms, &smart, data)
        .with_load_flags(args.strict, args.global_mappings)
        .with_include_deleted(args.remote_options.include_deleted)
        .with_budget(args.budget))
}

/// The query to run and the name it goes by in messages: `-` (standard input), `FILE`,
/// `FILE:N` (its N-th query), `FILE::NAME` (the query named so, as `j1ql test` names them), or
/// the query text itself.
pub(crate) fn query_text(arg: &str) -> Result<(String, String), CliError> {
    if arg == "-" {
        let file = crate::input::read_document(std::path::Path::new("-"))?;
        return Ok(("<stdin>".into(), file.text));
    }
    let pick = |file: &str, select: &dyn Fn(usize, &j1ql_test::Case) -> bool, what: String| {
        let cases = j1ql_test::read_cases(std::path::Path::new(file))
            .map_err(|e| CliError::msg(format!("{file}: {e}")))?;
        let found: Vec<_> = cases
            .iter()
            .enumerate()
            .filter(|(i, c)| select(*i, c))
            .collect();
        match found.as_slice() {
            [(_, case)] => Ok((format!("{file}:{}", case.line), case.query.clone())),
            [] => Err(CliError::msg(format!(
                "{file}: no query {what} (it has {}: {})",
                cases.len(),
                cases
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
            _ => Err(CliError::msg(format!("{file}: several queries {what}"))),
        }
    };
    if let Some((file, name)) = arg.split_once("::") {
        if std::path::Path::new(file).is_file() {
            return pick(file, &|_, c| c.name == name, format!("named `{name}`"));
        }
    }
    if let Some((file, n)) = arg.rsplit_once(':') {
        if let (true, Ok(n)) = (std::path::Path::new(file).is_file(), n.parse::<usize>()) {
            return pick(file, &|i, _| i + 1 == n, format!("number {n}"));
        }
    }
    if std::path::Path::new(arg).is_file() {
        let file = crate::input::read_document(std::path::Path::new(arg))?;
        return Ok((arg.to_string(), file.text));
    }
    Ok(("<query>".into(), arg.to_string()))
}

/// `--timings`: every query of the document, `repeat` times each, on the loaded graph.
fn timings(
    text: &str,
    graph: &Graph,
    context: &Context<'_>,
    options: &EvalOptions,
    load_ms: f64,
    repeat: usize,
    format: RunFormat,
) -> Result<Outcome, CliError> {
    let analysis = j1ql_semantics::analyze(text, context);
    if analysis.has_errors() {
        return Err(CliError::msg(
            "the timings file has errors: run `j1ql check` on it",
        ));
    }
    let mut rows = Vec::new();
    for q in &analysis.queries {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..repeat.max(1) {
            let started = std::time::Instant::now();
            let result = j1ql_eval::evaluate(&q.ir, graph, options)
                .map_err(|e| CliError::msg(e.to_string()))?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            size = result.len();
        }
        times.sort_by(|a, b| a.total_cmp(b));
        let median = times[times.len() / 2];
        let query_text = analysis
            .parse
            .syntax_node()
            .text()
            .slice(q.range())
            .to_string();
        rows.push(serde_json::json!({
            "query": query_text.trim(),
            "median_ms": (median * 1000.0).round() / 1000.0,
            "rows": size,
        }));
    }
    match format {
        RunFormat::Json => print_json(&serde_json::json!({
            "load_ms": (load_ms * 1000.0).round() / 1000.0,
            "queries": rows,
        }))?,
        RunFormat::Table => {
            let mut table = Table::new();
            table.load_preset(UTF8_FULL_CONDENSED);
            table.set_header(["query", "median ms", "rows"]);
            for r in &rows {
                table.add_row([cell(&r["query"]), cell(&r["median_ms"]), cell(&r["rows"])]);
            }
            print_stdout(&format!("load: {load_ms:.1} ms\n{table}\n"))?;
        }
    }
    Ok(Outcome::Clean)
}

/// `NAME=VALUE`: the value is a JSON literal if it parses as one, else a string.
pub(crate) fn parse_params(params: &[String]) -> Result<BTreeMap<String, Value>, CliError> {
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

/// A readable terminal table of any result shape.
fn render_table(result: &QueryResult) -> String {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    let count = match result {
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
            items.len()
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
            rows.len()
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
            edges.len()
        }
    };
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
