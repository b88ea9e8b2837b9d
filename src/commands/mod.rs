//! One module per subcommand.

mod check;
mod completions;
mod corpus_check;
mod export;
mod fmt;
mod gen;
mod lint;
mod load;
mod lsp;
mod manpage;
mod normalize;
mod parse;
mod pull;
mod remote;
mod report;
mod run;
mod serve;
mod test;
mod translate;
mod write;

pub use export::ExportFormat;
pub use lint::LintFormat;
pub use normalize::Expansion;
pub use run::RunFormat;
pub use test::TestFormat;
pub use translate::TranslateTarget;

use crate::cli::{Cli, Command};
use crate::output::{CliError, Outcome};

/// Runs the command the user asked for.
pub fn run(cli: Cli) -> Result<Outcome, CliError> {
    crate::output::set_color(cli.color);
    match cli.command {
        Command::Parse { file } => parse::run(&file),
        Command::Normalize {
            input,
            expand,
            params,
        } => normalize::run(&input, &expand, &params),
        Command::Translate { input, to } => translate::run(&input, to),
        Command::Export {
            to,
            data,
            out,
            strict,
            global_mappings,
        } => export::run(to, &data, out.as_deref(), strict, global_mappings),
        Command::Load {
            data,
            strict,
            global_mappings,
            format,
            verbose,
        } => {
            crate::logging::init(verbose);
            load::run(&data, strict, global_mappings, format)
        }
        Command::Test {
            paths,
            filter,
            format,
            remote: true,
            remote_options,
            ..
        } => test::run_remote(&paths, filter, format, &remote_options),
        Command::Test {
            paths,
            review,
            accept,
            check,
            filter,
            format,
            demo,
            budget,
            remote: false,
            remote_options,
        } => test::run(
            &paths,
            test::LocalArgs {
                review,
                accept,
                check,
                filter,
                format,
                demo,
                include_deleted: remote_options.include_deleted,
                budget,
            },
        ),
        Command::Pull {
            queries,
            remote: _,
            out,
            redact,
            params,
            remote_options,
        } => pull::run(&queries, &out, redact.as_deref(), &params, &remote_options),
        Command::Gen {
            entities,
            seed,
            relationships,
            out,
        } => gen::run(entities, relationships, seed, &out),
        Command::Run {
            query,
            timings,
            repeat,
            explain,
            data,
            params,
            smart_classes,
            now,
            format,
            strict,
            global_mappings,
            remote,
            remote_options,
            budget,
        } => run::run(run::RunArgs {
            query,
            timings,
            repeat,
            explain,
            data,
            params,
            smart_classes,
            now,
            format,
            strict,
            global_mappings,
            remote,
            remote_options,
            budget,
        }),
        Command::Check { paths, format } => check::run(&paths, format),
        Command::CorpusCheck {
            file,
            kinds,
            format,
        } => corpus_check::run(&file, &kinds, format),
        Command::Fmt { paths, check } => fmt::run(&paths, check),
        Command::Lsp(args) => lsp::run(&args),
        Command::Completions { shell } => completions::run(shell),
        Command::Manpage { out } => manpage::run(out.as_deref()),
        Command::Serve(args) => serve::run(args),
        Command::Lint {
            explain: Some(code),
            ..
        } => lint::explain(&code),
        Command::Lint {
            paths,
            fix,
            unsafe_fixes,
            format,
            explain: None,
        } => lint::run(&paths, fix, unsafe_fixes, format),
    }
}
