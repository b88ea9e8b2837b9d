//! The command line, declared with clap's derive API.
//!
//! Subcommands are an enum so that later ones (`run`, `fmt`, `lint`, `lsp`, ...) slot in
//! without touching the existing ones.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// The JupiterOne Query Language (J1QL) toolkit.
#[derive(Debug, Parser)]
#[command(name = "j1ql", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Colour the output: `auto` (on a terminal, unless `NO_COLOR` is set), `always`, `never`.
    #[arg(long, global = true, value_enum, default_value_t = crate::output::ColorChoice::Auto)]
    pub color: crate::output::ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the syntax tree of a document (debug form), followed by its syntax errors.
    ///
    /// Exits 1 when the document has syntax errors.
    Parse {
        /// A J1QL file, or `-` for standard input.
        file: PathBuf,
    },
    /// Check the queries of J1QL files and of YAML, JSON, Markdown and Terraform hosts: syntax
    /// errors, semantic diagnostics, unknown parameters, unmapped regions (style rules are
    /// `lint`'s).
    ///
    /// Prints each problem as `file:line:col: error[CODE]: message` with the source line and a
    /// caret under it, positioned in the host file. Settings and data come from the nearest
    /// `j1ql.toml`. Exits 1 when any document has errors, 0 when all are clean.
    Check {
        /// Files, folders (every host file in them, recursively, in sorted order, honouring
        /// `.gitignore` and `include`/`exclude`), or `-` for standard input; default: `.`.
        paths: Vec<PathBuf>,
        /// Output format: `human` (snippets) or `json` (one JSON document on stdout).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Parse every query of a JSON-lines corpus and report the ones that do not parse cleanly.
    ///
    /// Each line is a JSON object with a `query` string and optionally a `source_kind`. A query
    /// passes when it parses with no syntax error and its tree's text equals the query. Prints
    /// each failing query with its errors, then `N passed, N failed`; exits 1 on any failure.
    CorpusCheck {
        /// The JSON-lines file.
        file: PathBuf,
        /// Only check rows of these `source_kind`s (comma-separated); default: every row.
        #[arg(long, value_delimiter = ',', value_name = "KIND,...")]
        kinds: Vec<String>,
        /// Output format: `human` or `json` (one JSON document on stdout).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Format J1QL in place: files, folders (every host file, recursively), or `-` (stdin to
    /// stdout). Queries in YAML, JSON, Markdown and Terraform are formatted where they can be
    /// written back exactly (the rest is reported). Writes are atomic. `--check` changes
    /// nothing, prints a diff and exits 1 if a file would change. Settings come from the
    /// nearest `j1ql.toml` (`[format]`).
    Fmt {
        /// Files, folders or `-`; default: the current folder.
        paths: Vec<PathBuf>,
        /// Only check: print a diff of what would change and exit 1 if anything would.
        #[arg(long)]
        check: bool,
    },
    /// Lint J1QL in J1QL files and in YAML, JSON, Markdown and Terraform hosts: syntax errors,
    /// semantic checks, style rules (`--explain CODE` describes one), unknown parameters and
    /// unmapped regions, positioned in the host file. `--fix` writes fixes back in each host's
    /// own syntax, atomically. Exits 1 when an error-severity finding remains. Settings come
    /// from the nearest `j1ql.toml` (`[lint]`; unknown codes are errors).
    Lint {
        /// Files, folders or `-`; default: the current folder.
        paths: Vec<PathBuf>,
        /// Apply safe fixes in place (`-`: print the fixed text).
        #[arg(long)]
        fix: bool,
        /// Apply unsafe fixes too (implies `--fix`).
        #[arg(long)]
        unsafe_fixes: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = crate::commands::LintFormat::Human)]
        format: crate::commands::LintFormat,
        /// Print the documentation of a rule (`L001`, `keyword-case`) and exit.
        #[arg(long, value_name = "CODE")]
        explain: Option<String>,
    },
    /// Run one query on the project's data (the nearest `j1ql.toml`: `data`, `now`, `[params]`,
    /// `[smart-classes]`; flags override it) or, without data, on the built-in demo account,
    /// and print the result in JupiterOne's shape (`list`, `table` or `tree`).
    ///
    /// Warnings (an unknown class, say) go to stderr, the result to stdout. A query with syntax
    /// or semantic errors is not run: its diagnostics go to stderr and the exit code is 1.
    Run {
        /// The query; `-` reads it from standard input, `FILE` from a file, `FILE:N` takes its
        /// N-th query, `FILE::NAME` the query of that name (as `j1ql test` names them). Not
        /// needed with `--timings`.
        #[arg(required_unless_present = "timings")]
        query: Option<String>,
        /// Time every query of a J1QL file on the loaded graph: load once, run each query
        /// `--repeat` times, print the load time and per query the median time and result size.
        #[arg(long, value_name = "FILE.j1ql", conflicts_with = "query")]
        timings: Option<PathBuf>,
        /// Runs per query for `--timings`.
        #[arg(long, default_value_t = 5)]
        repeat: usize,
        /// Print the evaluation plan instead of running the query.
        #[arg(long)]
        explain: bool,
        /// Fixture files or folders (JSON payloads, JSON-lines); default: the demo account.
        #[arg(long, value_name = "PATH")]
        data: Vec<PathBuf>,
        /// A value for `${ param.NAME }`, `${NAME}` and `{{NAME}}`: a JSON literal if it parses
        /// as one, else a string.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// A smart class: `#NAME` expands to the filter QUERY (over `[smart-classes]`).
        #[arg(long = "smart-class", value_name = "NAME=QUERY")]
        smart_classes: Vec<String>,
        /// The clock for relative dates (RFC 3339); default: `now` of `j1ql.toml`, else a
        /// fixed date in a project (and for the demo account), the wall clock for `--data`
        /// without a `j1ql.toml`.
        #[arg(long, value_name = "RFC3339")]
        now: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = crate::commands::RunFormat::Json)]
        format: crate::commands::RunFormat,
        /// Unresolved relationship endpoints in the data are errors.
        #[arg(long)]
        strict: bool,
        /// Apply JupiterOne's published global mapping rules to the data.
        #[arg(long)]
        global_mappings: bool,
        /// Run the query on the live JupiterOne account (JUPITERONE_API_KEY,
        /// JUPITERONE_ACCOUNT_ID, JUPITERONE_REGION or JUPITERONE_API_URL, `[remote]` of
        /// j1ql.toml) instead of local data; the output has the same shape. See docs/remote.md.
        #[arg(long, conflicts_with_all = ["timings", "explain", "data", "smart_classes", "now", "strict", "global_mappings"])]
        remote: bool,
        #[command(flatten)]
        remote_options: RemoteArgs,
        /// The work budget per query, in work units (default 200,000,000): over the
        /// environment variable J1QL_BUDGET and `[run] budget` of j1ql.toml (docs/limits.md).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        budget: Option<u64>,
    },
    /// Record what queries touch on the live JupiterOne account as a fixture file
    /// (`DIR/pulled.json`) that `j1ql run --data DIR` and `j1ql test` load: the entities and
    /// relationships of their answers and matched paths, and every relationship between the
    /// recorded entities, with `_source`/`_scope` kept. See docs/remote.md.
    ///
    /// The file is written only when every request succeeded, atomically.
    Pull {
        /// Queries: query text, or test files (`*.j1ql`, question YAML, rule packs) whose
        /// every query is pulled.
        #[arg(required = true, value_name = "QUERY|FILE")]
        queries: Vec<String>,
        /// Read from the live account (required: the only source there is).
        #[arg(long, required = true)]
        remote: bool,
        /// The folder to write `pulled.json` into (created if needed).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Replace the values of properties whose name matches this regular expression (in
        /// any case), e.g. `password|token|secret`. Identity fields (`_id`, `_key`, `_type`,
        /// `_class`, `_source`, `_scope`, endpoints) are never redacted.
        #[arg(long, value_name = "REGEX")]
        redact: Option<String>,
        /// A value for `{{NAME}}` / `${ param.NAME }`, sent as the query's variables.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        #[command(flatten)]
        remote_options: RemoteArgs,
    },
    /// Print a query with every filter in its De Morgan expanded form (`p != ('a' OR 'b')`
    /// becomes `p != 'a' AND p != 'b'`), optionally expanding smart classes, selectors and
    /// parameters too.
    Normalize {
        /// The query text, a J1QL file, or `-` for standard input.
        input: String,
        /// Also expand these (comma-separated).
        #[arg(long, value_enum, value_delimiter = ',')]
        expand: Vec<crate::commands::Expansion>,
        /// Parameter values for `--expand params` (`NAME=VALUE`, VALUE a JSON literal or text).
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
    },
    /// Translate J1QL to openCypher for the layout `j1ql export` writes (docs/cypher.md).
    ///
    /// A construct whose J1 meaning openCypher cannot express exactly is refused with its name
    /// and why (exit 1); so is a query with errors.
    Translate {
        /// The query; `-` reads standard input, `FILE` a file (every query), `FILE:N` its N-th
        /// query, `FILE::NAME` the query of that name.
        input: String,
        /// The target language.
        #[arg(long, value_enum)]
        to: crate::commands::TranslateTarget,
    },
    /// Write the loaded graph for an openCypher engine (docs/cypher.md): `cypher` statements
    /// (to stdout or `--out FILE`), or `csv` files for neo4j-admin import (`--out DIR`).
    Export {
        /// What to write.
        #[arg(long, value_enum)]
        to: crate::commands::ExportFormat,
        /// Fixture files or folders; default: `data` of the nearest `j1ql.toml`, else the demo
        /// account.
        #[arg(long, value_name = "PATH")]
        data: Vec<PathBuf>,
        /// The output file (cypher) or folder (csv).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Unresolved relationship endpoints in the data are errors.
        #[arg(long)]
        strict: bool,
        /// Apply JupiterOne's published global mapping rules to the data.
        #[arg(long)]
        global_mappings: bool,
    },
    /// Load fixture data (JSON payloads, JSON-lines, folders) and report what was loaded:
    /// entities, relationships, mapper output, skipped relationships, duplicates.
    ///
    /// Exits 1 when the data has problems (malformed JSON, an item without `_key`, `_type` or
    /// `_class`, unresolved endpoints with `--strict`).
    Load {
        /// Fixture files or folders (read recursively, in sorted order).
        #[arg(long, value_name = "PATH", required = true)]
        data: Vec<PathBuf>,
        /// Unresolved or ambiguous relationship endpoints are errors.
        #[arg(long)]
        strict: bool,
        /// Apply JupiterOne's published global mapping rules too.
        #[arg(long)]
        global_mappings: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Print the loader's phases and their times on stderr (as `J1QL_LOG=j1ql_graph=debug`).
        #[arg(long)]
        verbose: bool,
    },
    /// Run snapshot-tested query suites: every query of the `*.j1ql`, question YAML and alert
    /// rule-pack JSON files under PATH (default `.`) on its suite's graph (the nearest
    /// `j1ql.toml`: `data`, `now` (default: a fixed date), `[params]`, `[smart-classes]`),
    /// checked against `// expect:` assertions and its snapshot in `snapshots/`. New or changed
    /// snapshots are written as `.snap.new`. Files outside a suite are refused unless `--demo`.
    /// Exits 1 on any failure. See docs/testing-queries.md.
    Test {
        /// Suite folders or test files; default: the current folder.
        paths: Vec<PathBuf>,
        /// Walk the pending `.snap.new` files: accept, reject or skip each, with its diff.
        #[arg(long, conflicts_with_all = ["accept", "check"])]
        review: bool,
        /// Accept every new or changed snapshot (write `.snap` files directly).
        #[arg(long, conflicts_with = "check")]
        accept: bool,
        /// CI mode: write nothing; any difference or missing snapshot fails.
        #[arg(long)]
        check: bool,
        /// Run only queries whose name (or `FILE::NAME`) contains this text, in any case; a
        /// filter that selects nothing fails.
        #[arg(long, value_name = "NAME")]
        filter: Option<String>,
        /// Test files outside a suite (no `j1ql.toml`) run on the built-in demo account
        /// instead of being refused.
        #[arg(long)]
        demo: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = crate::commands::TestFormat::Human)]
        format: crate::commands::TestFormat,
        /// Run every query on the suite's fixtures and on the live JupiterOne account and
        /// report, per query, the rows that differ (exit 1 on any difference). Snapshots and
        /// assertions are not checked. See docs/remote.md.
        #[arg(long, conflicts_with_all = ["review", "accept", "check", "demo"])]
        remote: bool,
        #[command(flatten)]
        remote_options: RemoteArgs,
        /// The work budget per query, in work units (default 200,000,000): over the
        /// environment variable J1QL_BUDGET and `[run] budget` of j1ql.toml (docs/limits.md).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        budget: Option<u64>,
    },
    /// Generate a synthetic account (AWS, identity provider, devices, code repositories) as
    /// JSON payload files.
    Gen {
        /// How many entities.
        #[arg(long)]
        entities: usize,
        /// Seed: the same seed gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// At least this many relationships in all (the shapes make about 1.6 per entity; more
        /// are added as instance-to-instance CONNECTS and user-to-role ASSIGNED).
        #[arg(long, value_name = "N")]
        relationships: Option<usize>,
        /// Folder to write the files to (created if needed).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Run the language server on standard input and output (for editors).
    ///
    /// Accepts what editors' clients add to the command line: `--stdio` (the only transport:
    /// VS Code's client adds it), `--clientProcessId N` or `--clientProcessId=N` (exit when the
    /// editor's process is gone; `initialize`'s `processId` is watched too). `--pipe`,
    /// `--socket` and `--node-ipc` are refused with an error naming the transport.
    Lsp(LspArgs),
    /// Print a shell completion script on standard output (bash, zsh, fish, powershell,
    /// elvish).
    ///
    /// bash: `j1ql completions bash > ~/.local/share/bash-completion/completions/j1ql`;
    /// zsh: `j1ql completions zsh > ~/.zfunc/_j1ql` (a folder on `$fpath`);
    /// fish: `j1ql completions fish > ~/.config/fish/completions/j1ql.fish`.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the manual page `j1ql(1)` (roff) on standard output, or write it and one page per
    /// command (`j1ql-run.1`, ...) into a folder with `--out`.
    Manpage {
        /// Folder to write `j1ql.1` and the command pages to (created if needed).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Serve JupiterOne's API (GraphQL `queryV1`, questions, the synchronization API) offline
    /// over local data, for scripts and clients written against JupiterOne. See docs/serve.md.
    Serve(ServeArgs),
}

/// Options of every command that talks to the live account (`--remote`); docs/remote.md.
#[derive(Debug, Clone, clap::Args)]
pub struct RemoteArgs {
    /// Include entities and relationships marked deleted: `_deleted: true` items of local data
    /// (left out by default, as JupiterOne does; also `include-deleted = true` in j1ql.toml),
    /// and `includeDeleted: true` on the live account.
    #[arg(long)]
    pub include_deleted: bool,
    /// Ask for deferred answers (`deferredResponse: FORCE`) and poll for them: for queries
    /// that run longer than one request may last.
    #[arg(long, requires = "remote")]
    pub deferred: bool,
    /// Stop paging after this many rows (a warning says when more exist).
    #[arg(long, value_name = "N", requires = "remote")]
    pub max_rows: Option<usize>,
    /// Seconds one request may take (connecting included).
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 120,
        requires = "remote"
    )]
    pub timeout: u64,
    /// Attempts per request for 429, 502, 503, 504, timeouts and broken connections.
    #[arg(long, value_name = "N", default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..), requires = "remote")]
    pub attempts: u32,
}

/// The arguments of `j1ql lsp`; see `docs/lsp.md` ("Starting the server").
#[derive(Debug, clap::Args)]
pub struct LspArgs {
    /// Talk LSP over standard input and output (the default and only transport; accepted
    /// because vscode-languageclient and others add it).
    #[arg(long)]
    pub stdio: bool,
    /// The editor's process id: the server exits (code 1) when that process is gone.
    #[arg(
        long = "clientProcessId",
        alias = "client-process-id",
        value_name = "PID"
    )]
    pub client_process_id: Option<u32>,
    /// Not supported: named-pipe transport (`--pipe=NAME`).
    #[arg(long, hide = true, value_name = "NAME")]
    pub pipe: Option<String>,
    /// Not supported: socket transport (`--socket=PORT`).
    #[arg(long, hide = true, value_name = "PORT")]
    pub socket: Option<String>,
    /// Not supported: Node IPC transport.
    #[arg(long = "node-ipc", hide = true)]
    pub node_ipc: bool,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: messages with source snippets.
    Human,
    /// For tools: one JSON document on stdout.
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn kinds_are_comma_separated() {
        let cli = Cli::parse_from(["j1ql", "corpus-check", "q.jsonl", "--kinds", "a,b"]);
        match cli.command {
            Command::CorpusCheck { kinds, .. } => assert_eq!(kinds, ["a", "b"]),
            other => panic!("unexpected {other:?}"),
        }
    }
}

/// The options of `j1ql serve` (docs/serve.md).
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Fixture files or folders; default: the demo account.
    #[arg(long, value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// Address to listen on (a non-loopback address needs --token).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,
    /// The account id clients must send (JupiterOne-Account / LifeOmic-Account); default:
    /// any.
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    /// The API token clients must send (Authorization: Bearer); default: none needed.
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Requests per period and account, e.g. 100/s or 600/min (429 beyond).
    #[arg(long, value_name = "N/PERIOD")]
    pub rate_limit: Option<j1ql_server::RateLimit>,
    /// The clock for relative dates (RFC 3339); default: as `j1ql run`.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Keep uploaded subgraphs in this folder (loaded again at start); default: memory.
    #[arg(long, value_name = "DIR")]
    pub state: Option<PathBuf>,
    /// Keep questions as question YAML files in this folder (its files are loaded at
    /// start); default: memory.
    #[arg(long, value_name = "DIR")]
    pub questions: Option<PathBuf>,
    /// Largest request body in bytes (413 beyond).
    #[arg(long, value_name = "BYTES", default_value_t = 32 * 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Largest J1QL query in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024)]
    pub max_query_bytes: usize,
    /// Unresolved relationship endpoints in the data files are errors.
    #[arg(long)]
    pub strict: bool,
    /// Apply JupiterOne's published global mapping rules to the data.
    #[arg(long)]
    pub global_mappings: bool,
    /// The work budget per query, in work units (default 200,000,000): over the environment
    /// variable J1QL_BUDGET and `[run] budget` of j1ql.toml (docs/limits.md).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub budget: Option<u64>,
}
