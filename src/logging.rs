//! Diagnostics on stderr through `tracing`: `J1QL_LOG` takes a filter (`debug`,
//! `j1ql_graph=debug`, ...; see `tracing_subscriber::EnvFilter`), `--verbose` on a command
//! that loads data shows the loader's phases. Each phase prints when it ends, with its time
//! (`time.busy`). Silent unless asked.

use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::EnvFilter;

/// Starts logging when `J1QL_LOG` is set, or with `verbose` (the loader's phases) when not.
pub fn init(verbose: bool) {
    let filter = match EnvFilter::try_from_env("J1QL_LOG") {
        Ok(filter) => filter,
        Err(_) if verbose => EnvFilter::new("j1ql_graph=debug"),
        Err(_) => return,
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(FmtSpan::CLOSE)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}
