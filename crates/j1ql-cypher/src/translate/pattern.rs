//! The MATCH part: the starting pattern, traversals and negated traversals.

use j1ql_semantics::ir::{Direction, EntityPattern, Selector, Traversal};

use super::filter;
use super::scope::Scope;
use crate::text::{ident, string};
use crate::Refusal;

/// The clauses so far and the variables they bind.
#[derive(Debug, Default)]
pub(crate) struct Body {
    /// Cypher clauses, one a line.
    pub(crate) clauses: Vec<String>,
    /// Bound variables, in order (what a `WITH` must carry on).
    pub(crate) bound: Vec<String>,
    /// Where the next traversal starts (a negated traversal does not move).
    current: String,
}

impl Body {
    /// `MATCH (n0:Label) WHERE …` for the starting pattern.
    pub(crate) fn start(&mut self, p: &EntityPattern, scope: &mut Scope) -> Result<(), Refusal> {
        let (label, cond) = entity("n0", p, scope)?;
        self.clauses
            .push(format!("MATCH (n0{label}){}", where_(&cond)));
        self.bound.push("n0".into());
        self.current = "n0".into();
        Ok(())
    }

    /// The `step`-th traversal.
    pub(crate) fn traversal(
        &mut self,
        t: &Traversal,
        step: usize,
        scope: &mut Scope,
    ) -> Result<(), Refusal> {
        let from = self.current.clone();
        let types = t
            .verbs
            .iter()
            .map(|v| ident(&v.text.to_ascii_uppercase()))
            .collect::<Vec<_>>()
            .join("|");
        if t.negated {
            let m = format!("m{step}");
            let (label, cond) = entity(&m, &t.target, scope)?;
            let rel = relationship("", &types, t.direction);
            let carried = self.bound.join(", ");
            self.clauses.push(format!(
                "OPTIONAL MATCH ({from}){rel}({m}{label}){}",
                where_(&cond)
            ));
            self.clauses.push(format!(
                "WITH {carried}, count({m}) AS c{step} WHERE c{step} = 0"
            ));
            return Ok(());
        }
        let n = format!("n{step}");
        let r = format!("r{step}");
        let (label, cond) = entity(&n, &t.target, scope)?;
        let rel = relationship(&r, &types, t.direction);
        self.clauses
            .push(format!("MATCH ({from}){rel}({n}{label}){}", where_(&cond)));
        self.bound.push(r);
        self.bound.push(n.clone());
        self.current = n;
        Ok(())
    }
}

fn where_(cond: &[String]) -> String {
    if cond.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", cond.join(" AND "))
    }
}

fn relationship(var: &str, types: &str, direction: Direction) -> String {
    let inner = if types.is_empty() {
        format!("[{var}]")
    } else {
        format!("[{var}:{types}]")
    };
    match direction {
        Direction::Outgoing => format!("-{inner}->"),
        Direction::Incoming => format!("<-{inner}-"),
        Direction::Both => format!("-{inner}-"),
    }
}

/// The label to match by (when one class or type alone selects) and the exact conditions.
fn entity(
    var: &str,
    p: &EntityPattern,
    scope: &mut Scope,
) -> Result<(String, Vec<String>), Refusal> {
    let mut cond = Vec::new();
    let label = selector(var, &p.selector, &mut cond, scope)?;
    if let Some(f) = &p.filter {
        cond.push(filter::filter(f, Some(var), scope)?);
    }
    Ok((label, cond))
}

/// Classes match any `_class` element, types `_type`, exactly as the evaluator's selector does;
/// the label narrows the scan but never decides alone (a `_type` may equal another's class).
fn selector(
    var: &str,
    s: &Selector,
    cond: &mut Vec<String>,
    scope: &mut Scope,
) -> Result<String, Refusal> {
    if let Some(text) = &s.full_text {
        return Err(Refusal::new(
            "full-text search",
            "J1 matches words against every string property and the `_key`; openCypher has no \
             portable full-text index over all properties",
        )
        .at(format!("'{text}'")));
    }
    // A smart class holds when its definition does (`#Word` without one: `tags = 'Word'`).
    for sc in &s.smart_classes {
        let definition = scope.smart_classes.filter(&sc.text).map_err(|errors| {
            Refusal::new(
                "smart class",
                format!("its definition does not parse: {}", errors.join("; ")),
            )
            .at(format!("`#{}`", sc.text))
        })?;
        cond.push(filter::filter(&definition, Some(var), scope)?);
    }
    if s.any || (s.classes.is_empty() && s.types.is_empty()) {
        return Ok(String::new());
    }
    let list = |names: &[j1ql_semantics::ir::Name]| {
        names
            .iter()
            .map(|n| string(&n.text))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut any = Vec::new();
    if !s.classes.is_empty() {
        any.push(format!(
            "any(c IN [] + coalesce({var}.`_class`, []) WHERE c IN [{}])",
            list(&s.classes)
        ));
    }
    if !s.types.is_empty() {
        any.push(format!("{var}.`_type` IN [{}]", list(&s.types)));
    }
    cond.push(if any.len() == 1 {
        any.remove(0)
    } else {
        format!("({})", any.join(" OR "))
    });
    Ok(match (s.classes.as_slice(), s.types.as_slice()) {
        ([one], []) | ([], [one]) => format!(":{}", ident(&one.text)),
        _ => String::new(),
    })
}
