//! J1QL query IR -> one openCypher query (docs/cypher.md).
//!
//! There is no logical-plan layer between the IR and the evaluator yet, so the translator
//! compiles the lowered IR ([`j1ql_semantics::ir::Query`]) directly. The query reads a graph in
//! the layout [`crate::export`] writes. Each traversal is its own `MATCH` clause: openCypher
//! forbids reusing a relationship inside one pattern, and J1 allows a path to come back over
//! the relationship it came by (docs/semantics.md, decision 3).

mod filter;
mod pattern;
mod returns;
mod scope;

use j1ql_semantics::ir::{self, Query, Return, Step};
use j1ql_semantics::smart_classes::SmartClasses;

use crate::Refusal;
use scope::Scope;

/// A translated query.
#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    /// The openCypher text (one statement, no trailing `;`), ready for any driver.
    pub cypher: String,
    /// The Cypher parameters it reads (`$name` for `${ param.name }`), in order of first use.
    pub params: Vec<String>,
    /// `None` for a list query (one column, the entity nodes); else J1's column names.
    pub columns: Option<Vec<String>>,
}

/// Compiles one lowered query with the default smart classes ([`translate_with`]).
pub fn translate(query: &Query) -> Result<Translation, Refusal> {
    translate_with(query, &SmartClasses::default())
}

/// Compiles one lowered query, expanding smart classes with `smart_classes` (a project's
/// `[smart-classes]`), or refuses it naming the construct that has no exact openCypher
/// counterpart.
pub fn translate_with(query: &Query, smart_classes: &SmartClasses) -> Result<Translation, Refusal> {
    if query.skip_param.is_some() || query.limit_param.is_some() {
        return Err(Refusal::new(
            "a parameter in SKIP or LIMIT",
            "J1 refuses a value that is not a whole number (0 for LIMIT, 1.5, '2') when the query \
             runs; Cypher's `SKIP $n`/`LIMIT $n` accept or refuse other values",
        ));
    }
    if query.having.is_some() {
        return Err(Refusal::new("HAVING", "not translated yet"));
    }
    if let Return::Tree = query.returns {
        return Err(Refusal::new(
            "RETURN TREE",
            "J1's tree (every vertex and edge of the paths, each once) is not a row result",
        ));
    }
    let mut scope = Scope::default();
    scope.smart_classes = smart_classes.clone();
    let mut body = pattern::Body::default();
    body.start(&query.start, &mut scope)?;
    bind_aliases(query, &mut scope);
    let mut step = 0;
    for s in &query.steps {
        match s {
            Step::Traversal(t) => {
                step += 1;
                body.traversal(t, step, &mut scope)?;
            }
            Step::Optional(_) => {
                return Err(Refusal::new(
                    "optional traversal `( … )?`",
                    "J1 keeps each row unchanged and adds its extensions (the union, \
                     docs/semantics.md decisions 1-2); OPTIONAL MATCH keeps a row only when it \
                     has no extension",
                ))
            }
        }
    }
    if let Some(w) = &query.where_filter {
        let cond = filter::filter(w, None, &mut scope)?;
        body.clauses.push(format!("WITH * WHERE {cond}"));
    }
    let (tail, columns) = returns::tail(query, &body, &mut scope)?;
    let mut lines = body.clauses;
    lines.extend(tail);
    Ok(Translation {
        cypher: lines.join("\n"),
        params: scope.params,
        columns,
    })
}

/// Binds every entity and relationship alias to its variable (`n0` start, `nI`/`rI` the
/// I-th traversal); aliases of negated traversals name nothing.
fn bind_aliases(query: &Query, scope: &mut Scope) {
    let mut negated = vec![false];
    for s in &query.steps {
        if let Step::Traversal(t) = s {
            negated.push(t.negated);
        }
    }
    for a in &query.aliases {
        if negated.get(a.step).copied().unwrap_or(false) {
            scope.unbindable(
                &a.name.text,
                "it belongs to a negated traversal, which binds nothing",
            );
            continue;
        }
        match a.kind {
            ir::AliasKind::Entity => scope.bind(&a.name.text, &format!("n{}", a.step)),
            ir::AliasKind::Relationship => scope.bind(&a.name.text, &format!("r{}", a.step)),
            ir::AliasKind::Optional => {
                scope.unbindable(&a.name.text, "optional groups are not translated")
            }
        }
    }
}
