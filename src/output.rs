//! Outcomes, errors and exit codes shared by the commands.

use std::fmt;
use std::io;
use std::process::ExitCode;

/// How a command that ran to completion ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report (exit 0).
    Clean,
    /// The inputs have problems: syntax errors, failing rows (exit 1).
    Problems,
    /// The command did its job on what it could read, but some inputs could not be read (exit 2).
    Incomplete,
}

impl Outcome {
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Clean => ExitCode::SUCCESS,
            Outcome::Problems => ExitCode::from(1),
            Outcome::Incomplete => ExitCode::from(2),
        }
    }
}

/// A command that could not do its job (exit 2), such as a missing file.
#[derive(Debug)]
pub enum CliError {
    /// A message for the user.
    Message(String),
    /// Writing the output failed.
    Io(io::Error),
}

impl CliError {
    pub fn msg(message: impl Into<String>) -> CliError {
        CliError::Message(message.into())
    }

    /// Output piped into a program that stopped reading (`j1ql parse big.j1ql | head`): not
    /// worth a message.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CliError::Io(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }

    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(2)
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Message(m) => f.write_str(m),
            CliError::Io(e) => write!(f, "cannot write the output: {e}"),
        }
    }
}

impl From<io::Error> for CliError {
    fn from(e: io::Error) -> CliError {
        CliError::Io(e)
    }
}

/// Writes `text` to stdout in one go.
pub fn print_stdout(text: &str) -> Result<(), CliError> {
    use io::Write;
    let mut stdout = io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// Writes a value as one pretty-printed JSON document (with a final newline) to stdout.
pub fn print_json(value: &impl serde::Serialize) -> Result<(), CliError> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::msg(format!("cannot serialise the output: {e}")))?;
    text.push('\n');
    print_stdout(&text)
}

/// When to colour output: `--color auto|always|never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set (and not empty).
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

static COLOR: std::sync::OnceLock<ColorChoice> = std::sync::OnceLock::new();

/// Records the `--color` choice for the whole run.
pub fn set_color(choice: ColorChoice) {
    let _ = COLOR.set(choice);
}

/// Whether to colour what goes to stdout (`stderr`: false) or stderr (true).
pub fn color(stderr: bool) -> bool {
    use std::io::IsTerminal;
    match COLOR.get().copied().unwrap_or_default() {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let terminal = if stderr {
                io::stderr().is_terminal()
            } else {
                io::stdout().is_terminal()
            };
            terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// `text` in the colour of a severity (`error` red, `warning` yellow, others cyan), bold.
pub fn paint_severity(text: &str, severity: &str, on: bool) -> String {
    if !on {
        return text.to_string();
    }
    let code = match severity {
        "error" => "31",
        "warning" => "33",
        _ => "36",
    };
    format!("\x1b[1;{code}m{text}\x1b[0m")
}

/// Colours the `severity[CODE]` of each rendered diagnostic header (`file:1:2: error[P001]: …`).
pub fn paint_headers(rendered: &str, on: bool) -> String {
    if !on {
        return rendered.to_string();
    }
    let mut out = String::with_capacity(rendered.len() + 64);
    for line in rendered.split_inclusive('\n') {
        let mut done = false;
        for severity in ["error", "warning", "info", "hint"] {
            let marker = format!(": {severity}[");
            if let Some(at) = line.find(&marker) {
                if let Some(close) = line[at..].find(']') {
                    let end = at + close + 1;
                    out.push_str(&line[..at + 2]);
                    out.push_str(&paint_severity(&line[at + 2..end], severity, true));
                    out.push_str(&line[end..]);
                    done = true;
                    break;
                }
            }
        }
        if !done {
            out.push_str(line);
        }
    }
    out
}
