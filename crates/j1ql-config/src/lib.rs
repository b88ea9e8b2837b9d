//! # j1ql-config
//!
//! The settings file `j1ql.toml`, shared by `j1ql fmt`, `j1ql lint` and the language server:
//!
//! ```toml
//! [format]
//! line-width = 120        # columns
//! indent = 2              # spaces per level
//! keyword-case = "upper"  # upper | lower | preserve
//! quote-style = "single"  # single | double | preserve
//!
//! [lint]
//! select = ["S", "L"]     # code prefixes to run (default: every rule enabled by default)
//! ignore = ["L007"]       # code prefixes to skip
//! max-limit = 250         # L009: the largest LIMIT JupiterOne returns in one page
//! alert-paths = ["**/rule-packs/**"]  # L010: files whose queries are alert rules
//! [lint.severity]
//! L001 = "error"          # error | warning | info | hint
//! ```
//!
//! A folder whose `j1ql.toml` also names fixture data is a `j1ql test` suite:
//!
//! ```toml
//! data = ["fixtures"]              # fixture files or folders, relative to this file
//! now = "2025-01-01T00:00:00Z"     # the clock for relative dates
//! include-deleted = false          # `_deleted: true` items are left out unless true
//! [params]
//! minAge = 40                      # values of ${ param.minAge }, ${minAge}, {{minAge}}
//! [smart-classes]
//! ProdBucket = "_type = 'aws_s3_bucket' and tag.Production = true"
//! [test]
//! snapshots = "unasserted"         # unasserted | always | never
//! strict = false                   # unresolved relationship endpoints are errors
//! global-mappings = false          # apply JupiterOne's published global mapping rules
//! ```
//!
//! The live JupiterOne account (`j1ql run --remote`, `pull`, `test --remote`; docs/remote.md)
//! — never the API key itself, only a command that prints it:
//!
//! ```toml
//! [remote]
//! account = "j1-account-id"         # JupiterOne-Account (JUPITERONE_ACCOUNT_ID wins)
//! region = "us"                     # us | eu: https://graphql.<region>.jupiterone.io
//! url = "http://127.0.0.1:8080/graphql"   # any GraphQL URL instead of the region's
//! key-command = "pass show j1/key"  # prints the API key (JUPITERONE_API_KEY wins)
//! lens = true                       # editors: "▶ Run on JupiterOne" above each query
//! ```
//!
//! How queries run (`j1ql run`, `j1ql test`, `j1ql serve`, the language server):
//!
//! ```toml
//! [run]
//! budget = 500_000_000   # work units per query (default 200,000,000; docs/limits.md)
//! ```
//!
//! Which files a folder walk (`j1ql check .`, `lint`, `fmt`) reads:
//!
//! ```toml
//! include = ["queries/**", "**/*.tf"]   # default: every J1QL, YAML, JSON, Markdown, Terraform file
//! exclude = ["vendor/**"]
//! ```
//!
//! [`Config::discover`] looks for `j1ql.toml` in a folder and its parents. Unknown keys are
//! errors, so a typo does not silently do nothing.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The name of the settings file.
pub const FILE_NAME: &str = "j1ql.toml";

/// The whole `j1ql.toml`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `[format]`.
    pub format: FormatOptions,
    /// `[lint]`.
    pub lint: LintConfig,
    /// Fixture files or folders of a test suite, relative to the `j1ql.toml`.
    pub data: Vec<PathBuf>,
    /// The clock for relative dates of a test suite (RFC 3339).
    pub now: Option<String>,
    /// Keep entities and relationships marked `_deleted: true` in the data (JupiterOne's
    /// `includeDeleted`); by default they are left out of every query, as JupiterOne does.
    #[serde(rename = "include-deleted")]
    pub include_deleted: bool,
    /// `[params]`: values of `${ param.x }`, `${x}` and `{{x}}`.
    pub params: BTreeMap<String, toml::Value>,
    /// `[smart-classes]`: smart-class definitions (name without `#` → filter text).
    #[serde(rename = "smart-classes")]
    pub smart_classes: BTreeMap<String, String>,
    /// `[test]`: how `j1ql test` runs the suite.
    pub test: TestConfig,
    /// `[run]`: how every front-end runs queries.
    pub run: RunConfig,
    /// Glob patterns (relative to this file) of the files folder walks check; empty: every
    /// file whose format can hold J1QL.
    pub include: Vec<String>,
    /// Glob patterns (relative to this file) of files and folders folder walks skip.
    pub exclude: Vec<String>,
    /// `[remote]`: how to reach the live JupiterOne account.
    pub remote: RemoteConfig,
}

/// `[remote]`: the live account's settings that may be kept in a file. The API key is not
/// one of them (a file is shared and committed); `key` is accepted by the parser only so
/// that the refusal can say why and what to use instead.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RemoteConfig {
    /// The account id sent as `JupiterOne-Account`.
    pub account: Option<String>,
    /// `us` or `eu`: the GraphQL URL is `https://graphql.<region>.jupiterone.io`.
    pub region: Option<String>,
    /// Any GraphQL URL (a `j1ql serve`, a proxy); wins over `region`.
    pub url: Option<String>,
    /// A shell command whose standard output is the API key (a password manager's CLI).
    pub key_command: Option<String>,
    /// Editors show a second lens, "▶ Run on JupiterOne", above each query.
    pub lens: bool,
    /// Refused by validation: the key never lives in `j1ql.toml`.
    pub key: Option<toml::Value>,
}

/// Which queries of a test suite have a snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SnapshotPolicy {
    /// Queries without `// expect:` assertions (the default).
    #[default]
    Unasserted,
    /// Every query.
    Always,
    /// None: only assertions are checked.
    Never,
}

/// `[test]`: options of `j1ql test`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct TestConfig {
    /// Which queries have a snapshot.
    pub snapshots: SnapshotPolicy,
    /// Unresolved or ambiguous relationship endpoints in the fixtures are errors.
    pub strict: bool,
    /// Apply JupiterOne's published global mapping rules to the fixtures.
    pub global_mappings: bool,
}

/// `[run]`: settings of query evaluation, shared by `run`, `test`, `serve` and the language
/// server.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RunConfig {
    /// The work budget of one query, in work units (relationship visits, entity checks,
    /// filter comparisons); `None`: the evaluator's default. `--budget` and the environment
    /// variable `J1QL_BUDGET` override it.
    pub budget: Option<u64>,
}

/// How keywords are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeywordCase {
    /// `FIND ... WITH ... THAT HAS` (the house style).
    #[default]
    Upper,
    /// `find ... with ... that has`.
    Lower,
    /// As written.
    Preserve,
}

/// Which quote string values use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteStyle {
    /// `'value'` (JupiterOne's own style).
    #[default]
    Single,
    /// `"value"`.
    Double,
    /// As written.
    Preserve,
}

/// `[format]`: the formatter's options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct FormatOptions {
    /// Longest line, in characters (default 120).
    pub line_width: usize,
    /// Spaces per indentation level (default 2).
    pub indent: usize,
    /// Keyword case (default upper).
    pub keyword_case: KeywordCase,
    /// Quotes of string values (default single).
    pub quote_style: QuoteStyle,
}

impl Default for FormatOptions {
    fn default() -> Self {
        FormatOptions {
            line_width: 120,
            indent: 2,
            keyword_case: KeywordCase::Upper,
            quote_style: QuoteStyle::Single,
        }
    }
}

/// A severity a rule can be set to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeverityOverride {
    /// Editor hint.
    Hint,
    /// Informational.
    Info,
    /// Warning.
    Warning,
    /// Error (fails `j1ql lint`).
    Error,
    /// Turn the rule off.
    Off,
}

/// `[lint]`: which rules run, and how loud they are.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct LintConfig {
    /// Code prefixes to run (`"S"`, `"L0"`, `"L001"`, or `"ALL"`). Empty: the default set.
    pub select: Vec<String>,
    /// Code prefixes not to run; wins over `select`.
    pub ignore: Vec<String>,
    /// Severities by code.
    pub severity: BTreeMap<String, SeverityOverride>,
    /// The largest LIMIT JupiterOne returns in one page (rule L009).
    pub max_limit: u64,
    /// Glob patterns of files whose queries are alert rules (rule L010). `**` spans folders.
    pub alert_paths: Vec<String>,
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            select: Vec::new(),
            ignore: Vec::new(),
            severity: BTreeMap::new(),
            max_limit: 250,
            alert_paths: vec![
                "**/rule-packs/**".to_string(),
                "**/alerts/**".to_string(),
                "**/*alert*".to_string(),
            ],
        }
    }
}

/// A `j1ql.toml` that could not be read or understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Parses the text of a `j1ql.toml`.
    pub fn from_toml(text: &str) -> Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|e| e.to_string())?;
        config.validate()?;
        Ok(config)
    }

    /// A config from an already parsed TOML table, with the checks of [`Config::from_toml`]:
    /// the language server merges editor settings over the file as tables and reads the
    /// result with this.
    pub fn from_table(table: toml::Table) -> Result<Config, String> {
        let config: Config = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| e.to_string())?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), String> {
        if self.format.line_width < 20 {
            return Err("`format.line-width` must be at least 20".to_string());
        }
        if self.format.indent == 0 || self.format.indent > 16 {
            return Err("`format.indent` must be between 1 and 16".to_string());
        }
        if self.remote.key.is_some() {
            return Err("`remote.key`: the API key is never kept in j1ql.toml; set \
                 JUPITERONE_API_KEY or give `remote.key-command` (a command that prints it)"
                .to_string());
        }
        if let Some(region) = &self.remote.region {
            if region != "us" && region != "eu" {
                return Err(format!(
                    "`remote.region` `{region}`: expected \"us\" or \"eu\" (or give `remote.url`)"
                ));
            }
        }
        if self.run.budget == Some(0) {
            return Err("`run.budget` must be at least 1 (work units per query)".to_string());
        }
        Ok(())
    }

    /// Reads one file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            message: format!("cannot read: {e}"),
        })?;
        Config::from_toml(&text).map_err(|message| ConfigError {
            path: path.to_path_buf(),
            message: message.trim_end().to_string(),
        })
    }

    /// The `j1ql.toml` in `start` (a folder, or a file's folder) or its nearest parent that has
    /// one, or the defaults when there is none. Returns the file used, if any.
    pub fn discover(start: &Path) -> Result<(Config, Option<PathBuf>), ConfigError> {
        let start = if start.is_file() || !start.exists() {
            start.parent().unwrap_or(Path::new("."))
        } else {
            start
        };
        let absolute = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        for dir in absolute.ancestors() {
            let candidate = dir.join(FILE_NAME);
            if candidate.is_file() {
                return Config::load(&candidate).map(|c| (c, Some(candidate)));
            }
        }
        Ok((Config::default(), None))
    }
}

/// Whether `path` matches a glob `pattern` (`*` within a path segment, `**` across
/// segments, `?` one character). Backslashes in `path` are read as `/`.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    let path = path.replace('\\', "/");
    glob(pattern.as_bytes(), path.as_bytes())
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    match p {
        [] => s.is_empty(),
        [b'*', b'*', b'/', rest @ ..] => {
            // `**/` matches zero or more whole segments.
            if glob(rest, s) {
                return true;
            }
            s.iter()
                .enumerate()
                .any(|(i, &c)| c == b'/' && glob(rest, &s[i + 1..]))
        }
        [b'*', b'*', rest @ ..] => (0..=s.len()).any(|i| glob(rest, &s[i..])),
        [b'*', rest @ ..] => (0..=s.len())
            .take_while(|&i| i == 0 || s[i - 1] != b'/')
            .any(|i| glob(rest, &s[i..])),
        [b'?', rest @ ..] => !s.is_empty() && s[0] != b'/' && glob(rest, &s[1..]),
        [c, rest @ ..] => !s.is_empty() && s[0] == *c && glob(rest, &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let c = Config::from_toml("").unwrap();
        assert_eq!(c, Config::default());
        assert_eq!(c.format.line_width, 120);
        assert_eq!(c.format.indent, 2);
        assert_eq!(c.lint.max_limit, 250);
    }

    #[test]
    fn full_file() {
        let c = Config::from_toml(
            r#"
[format]
line-width = 100
indent = 4
keyword-case = "lower"
quote-style = "preserve"

[lint]
select = ["S", "L"]
ignore = ["L007"]
max-limit = 1000
alert-paths = ["rules/**"]
[lint.severity]
L001 = "error"
S014 = "off"
"#,
        )
        .unwrap();
        assert_eq!(c.format.line_width, 100);
        assert_eq!(c.format.keyword_case, KeywordCase::Lower);
        assert_eq!(c.format.quote_style, QuoteStyle::Preserve);
        assert_eq!(c.lint.ignore, ["L007"]);
        assert_eq!(c.lint.severity["S014"], SeverityOverride::Off);
        assert_eq!(c.lint.max_limit, 1000);
    }

    #[test]
    fn unknown_keys_are_errors() {
        assert!(Config::from_toml("[format]\nline_width = 3\n").is_err());
        assert!(Config::from_toml("[fmt]\n").is_err());
        assert!(Config::from_toml("[format]\nkeyword-case = \"title\"\n").is_err());
        assert!(Config::from_toml("[format]\nline-width = 3\n").is_err());
    }

    #[test]
    fn run_budget() {
        let c = Config::from_toml("[run]\nbudget = 1_000\n").unwrap();
        assert_eq!(c.run.budget, Some(1_000));
        assert_eq!(Config::default().run.budget, None);
        let zero = Config::from_toml("[run]\nbudget = 0\n").unwrap_err();
        assert!(zero.contains("run.budget"), "{zero}");
        assert!(Config::from_toml("[run]\nbudget = -5\n").is_err());
        assert!(Config::from_toml("[run]\nbudjet = 5\n").is_err());
    }

    #[test]
    fn from_a_table() {
        let table: toml::Table = toml::from_str("[format]\nindent = 4\n").unwrap();
        assert_eq!(Config::from_table(table).unwrap().format.indent, 4);
        let bad: toml::Table = toml::from_str("[format]\nindent = 0\n").unwrap();
        assert!(Config::from_table(bad).unwrap_err().contains("indent"));
        let unknown: toml::Table = toml::from_str("colour = 1\n").unwrap();
        assert!(Config::from_table(unknown).is_err());
    }

    #[test]
    fn suite_keys() {
        let c = Config::from_toml(
            r#"
data = ["fixtures"]
now = "2025-01-01T00:00:00Z"
include-deleted = true
[params]
minAge = 40
[smart-classes]
Prod = "tag.Production = true"
[test]
snapshots = "always"
strict = true
"#,
        )
        .unwrap();
        assert_eq!(c.data, [PathBuf::from("fixtures")]);
        assert_eq!(c.params["minAge"].as_integer(), Some(40));
        assert_eq!(c.smart_classes["Prod"], "tag.Production = true");
        assert_eq!(c.test.snapshots, SnapshotPolicy::Always);
        assert!(c.test.strict && !c.test.global_mappings);
        assert!(c.include_deleted);
        assert!(!Config::default().include_deleted);
        assert!(Config::from_toml("[test]\nsnapshot = \"always\"\n").is_err());
    }

    #[test]
    fn remote_settings() {
        let c = Config::from_toml(
            "[remote]\naccount = \"acc\"\nregion = \"eu\"\nkey-command = \"echo k\"\n",
        )
        .unwrap();
        assert_eq!(c.remote.account.as_deref(), Some("acc"));
        assert_eq!(c.remote.region.as_deref(), Some("eu"));
        assert_eq!(c.remote.key_command.as_deref(), Some("echo k"));
        let e = Config::from_toml("[remote]\nkey = \"secret\"\n").unwrap_err();
        assert!(e.contains("never kept in j1ql.toml"), "{e}");
        assert!(e.contains("JUPITERONE_API_KEY"), "{e}");
        let e = Config::from_toml("[remote]\nregion = \"ap\"\n").unwrap_err();
        assert!(e.contains("`remote.region` `ap`"), "{e}");
        let e = Config::from_toml("[remote]\ntoken = \"x\"\n").unwrap_err();
        assert!(e.contains("token"), "{e}");
    }

    #[test]
    fn globs() {
        assert!(glob_match("**/rule-packs/**", "repo/rule-packs/aws.json"));
        assert!(glob_match("**/rule-packs/**", "rule-packs/aws.json"));
        assert!(glob_match("**/*alert*", "x/y/my-alerts.yaml"));
        assert!(!glob_match("**/*alert*", "alerts/x.yaml"));
        assert!(glob_match("**/alerts/**", "alerts/x.yaml"));
        assert!(glob_match("*.j1ql", "a.j1ql"));
        assert!(!glob_match("*.j1ql", "d/a.j1ql"));
        assert!(glob_match("d/?.j1ql", "d/a.j1ql"));
    }
}
