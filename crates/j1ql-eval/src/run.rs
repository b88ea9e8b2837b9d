//! Text in, result out: analyse a query, refuse it when it has errors, evaluate it.

use j1ql_graph::Graph;
use j1ql_semantics::{analyze, Analysis, Context, Severity};

use crate::error::EvalError;
use crate::evaluate::{evaluate, EvalOptions, QueryResult};

/// Why a query did not run.
#[derive(Debug)]
pub enum RunError {
    /// Syntax or semantic errors: the analysis holds them (print them as `j1ql check` does).
    Refused(Box<Analysis>),
    /// The text holds no query, or more than one.
    QueryCount(usize),
    /// The evaluation failed.
    Eval(EvalError),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Refused(a) => {
                let n = a.parse.errors().len()
                    + a.diagnostics()
                        .filter(|d| d.severity == Severity::Error)
                        .count();
                write!(f, "the query has {n} error(s) and was not run")
            }
            RunError::QueryCount(0) => write!(f, "no query given: write one starting with FIND"),
            RunError::QueryCount(n) => write!(f, "{n} queries given: run one at a time"),
            RunError::Eval(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for RunError {}

/// Analyses `text` (exactly one query), and runs it unless it has errors.
pub fn run_query(
    text: &str,
    graph: &Graph,
    context: &Context<'_>,
    options: &EvalOptions,
) -> Result<QueryResult, RunError> {
    let analysis = analyze(text, context);
    if analysis.has_errors() {
        return Err(RunError::Refused(Box::new(analysis)));
    }
    if analysis.queries.len() != 1 {
        return Err(RunError::QueryCount(analysis.queries.len()));
    }
    evaluate(&analysis.queries[0].ir, graph, options).map_err(RunError::Eval)
}
