//! De Morgan expansion of value groups, and its inverse.
//!
//! A value group is shorthand for several comparisons of one property. For a positive
//! operator (`=`, `~=`, `^=`, `$=`, `>`, `<`, `>=`, `<=`) the group's connective is kept:
//!
//! ```text
//! p = ('a' OR 'b')    ≡  p = 'a' OR p = 'b'
//! p = ('a' AND 'b')   ≡  p = 'a' AND p = 'b'     (an array property holding both)
//! ```
//!
//! A negative operator (`!=`, `!~=`, `!^=`, `!$=`) is the exact negation of its positive
//! one, so by De Morgan's law the connective flips:
//!
//! ```text
//! p != ('a' OR 'b')   ≡  NOT (p = 'a' OR p = 'b')   ≡  p != 'a' AND p != 'b'
//! p != ('a' AND 'b')  ≡  NOT (p = 'a' AND p = 'b')  ≡  p != 'a' OR p != 'b'
//! ```

use j1ql_syntax::TextRange;

use crate::ir::{CompareOp, Comparison, Filter, LogicOp, PropertyRef, Value};

/// Which way to rewrite value groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Value groups become comparisons: [`expand`].
    Expand,
    /// Comparisons of one property become value groups: [`collapse`].
    Collapse,
}

/// Rewrites `filter` in the given direction.
pub fn rewrite(filter: &Filter, direction: Direction) -> Filter {
    match direction {
        Direction::Expand => expand(filter),
        Direction::Collapse => collapse(filter),
    }
}

/// The other connective.
pub fn flip(op: LogicOp) -> LogicOp {
    match op {
        LogicOp::And => LogicOp::Or,
        LogicOp::Or => LogicOp::And,
    }
}

/// Expands every value group into comparisons joined by the group's connective (flipped for
/// a negative operator), recursively through nested groups, then [`flatten`]s. The result
/// has no value groups (except an empty one, which is kept as written) and is a fixed point:
/// `expand(&expand(f)) == expand(f)`. Every comparison made from a group keeps the group
/// comparison's range.
pub fn expand(filter: &Filter) -> Filter {
    flatten(&expand_tree(filter))
}

fn expand_tree(filter: &Filter) -> Filter {
    match filter {
        Filter::And(children) => Filter::And(children.iter().map(expand_tree).collect()),
        Filter::Or(children) => Filter::Or(children.iter().map(expand_tree).collect()),
        Filter::Compare(c) => expand_comparison(c),
    }
}

/// Expands one comparison (its value groups, recursively).
pub fn expand_comparison(c: &Comparison) -> Filter {
    match &c.value {
        Value::Group { op, values } if !values.is_empty() => {
            let connective = if c.op.is_negative() { flip(*op) } else { *op };
            let mut parts: Vec<Filter> = values
                .iter()
                .map(|v| {
                    expand_comparison(&Comparison {
                        property: c.property.clone(),
                        op: c.op,
                        value: v.clone(),
                        range: c.range,
                    })
                })
                .collect();
            if parts.len() == 1 {
                return parts.pop().unwrap_or_else(|| Filter::Compare(c.clone()));
            }
            join(connective, parts)
        }
        _ => Filter::Compare(c.clone()),
    }
}

fn join(op: LogicOp, parts: Vec<Filter>) -> Filter {
    match op {
        LogicOp::And => Filter::And(parts),
        LogicOp::Or => Filter::Or(parts),
    }
}

/// Flattens AND-in-AND and OR-in-OR, and replaces an AND/OR of one filter by that filter.
/// Order is kept. (An empty AND/OR, which lowering never produces, is kept.)
pub fn flatten(filter: &Filter) -> Filter {
    match filter {
        Filter::Compare(_) => filter.clone(),
        Filter::And(children) | Filter::Or(children) => {
            let is_and = matches!(filter, Filter::And(_));
            let mut flat = Vec::with_capacity(children.len());
            for child in children.iter().map(flatten) {
                match child {
                    Filter::And(inner) if is_and => flat.extend(inner),
                    Filter::Or(inner) if !is_and => flat.extend(inner),
                    other => flat.push(other),
                }
            }
            if flat.len() == 1 {
                return flat.pop().unwrap_or_else(|| filter.clone());
            }
            if is_and {
                Filter::And(flat)
            } else {
                Filter::Or(flat)
            }
        }
    }
}

/// The inverse of [`expand`]: the filter is expanded, then, bottom-up, comparisons of one
/// property with one operator are merged into a value group, at the place of the first:
///
/// * within an OR: a positive operator merges into `p op (a OR b ...)`, a negative one into
///   `p op (a AND b ...)` (`p != a OR p != b` is `p != (a AND b)`);
/// * within an AND: a negative operator merges into `p op (a OR b ...)`, and `=` into
///   `p = (a AND b ...)` (an array holding both). Other positive operators are not merged
///   in an AND (`p > 1 AND p > 5` stays as written: a range reads better that way).
///
/// `expand(&collapse(f))` is `expand(f)` up to the order of AND/OR operands, and
/// `collapse(&collapse(f)) == collapse(f)`.
pub fn collapse(filter: &Filter) -> Filter {
    collapse_expanded(&expand(filter))
}

fn collapse_expanded(filter: &Filter) -> Filter {
    match filter {
        Filter::Compare(_) => filter.clone(),
        Filter::And(children) => {
            let children = children.iter().map(collapse_expanded).collect();
            flatten(&Filter::And(merge(children, LogicOp::And)))
        }
        Filter::Or(children) => {
            let children = children.iter().map(collapse_expanded).collect();
            flatten(&Filter::Or(merge(children, LogicOp::Or)))
        }
    }
}

/// Whether comparisons with `op` merge into a group within a `within` connective.
fn mergeable(op: CompareOp, within: LogicOp) -> bool {
    match within {
        LogicOp::Or => true,
        LogicOp::And => op.is_negative() || op == CompareOp::Eq,
    }
}

fn same_property(a: &PropertyRef, b: &PropertyRef) -> bool {
    a.alias == b.alias && a.key == b.key
}

fn merge(children: Vec<Filter>, within: LogicOp) -> Vec<Filter> {
    let mut out: Vec<Filter> = Vec::with_capacity(children.len());
    // Indices in `out` of comparisons that started with a scalar value: only they take more.
    let mut slots: Vec<usize> = Vec::new();
    for child in children {
        if let Filter::Compare(c) = &child {
            if mergeable(c.op, within) && !matches!(c.value, Value::Group { .. }) {
                let group_op = if c.op.is_negative() {
                    flip(within)
                } else {
                    within
                };
                let slot = slots.iter().copied().find(|&i| {
                    matches!(&out[i], Filter::Compare(e)
                        if e.op == c.op && same_property(&e.property, &c.property))
                });
                if let Some(Filter::Compare(existing)) = slot.map(|i| &mut out[i]) {
                    add_value(existing, c.value.clone(), c.range, group_op);
                    continue;
                }
                slots.push(out.len());
            }
        }
        out.push(child);
    }
    out
}

fn add_value(existing: &mut Comparison, value: Value, range: TextRange, group_op: LogicOp) {
    existing.range = existing.range.cover(range);
    match &mut existing.value {
        Value::Group { values, .. } => values.push(value),
        scalar => {
            let first = std::mem::replace(scalar, Value::Undefined);
            *scalar = Value::Group {
                op: group_op,
                values: vec![first, value],
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::lower_filter_text;
    use crate::normalize::print::print_filter;

    fn lower(text: &str) -> Filter {
        let lowered = lower_filter_text(text);
        assert!(lowered.errors.is_empty(), "{text}: {:?}", lowered.errors);
        lowered.filter.unwrap()
    }

    fn expanded(text: &str) -> String {
        print_filter(&expand(&lower(text)))
    }

    fn collapsed(text: &str) -> String {
        print_filter(&collapse(&lower(text)))
    }

    #[test]
    fn negative_operators_flip_the_connective() {
        assert_eq!(expanded("p != ('a' OR 'b')"), "p != 'a' AND p != 'b'");
        assert_eq!(expanded("p != ('a' AND 'b')"), "p != 'a' OR p != 'b'");
        assert_eq!(expanded("p !~= ('a' OR 'b')"), "p !~= 'a' AND p !~= 'b'");
    }

    #[test]
    fn positive_operators_keep_it() {
        assert_eq!(expanded("p = ('a' OR 'b')"), "p = 'a' OR p = 'b'");
        assert_eq!(expanded("p = ('a' AND 'b')"), "p = 'a' AND p = 'b'");
        assert_eq!(expanded("p > (1 AND 5)"), "p > 1 AND p > 5");
    }

    #[test]
    fn nested_groups_and_parentheses() {
        assert_eq!(
            expanded("p != ('a' OR ('b' AND 'c'))"),
            "p != 'a' AND (p != 'b' OR p != 'c')"
        );
        assert_eq!(
            expanded("q = 1 AND p = ('a' OR 'b')"),
            "q = 1 AND (p = 'a' OR p = 'b')"
        );
        assert_eq!(
            expanded("q = 1 OR p = ('a' AND 'b')"),
            "q = 1 OR p = 'a' AND p = 'b'"
        );
    }

    #[test]
    fn collapse_merges_by_property_and_operator() {
        assert_eq!(
            collapsed("p = 'a' OR q = 1 OR p = 'b'"),
            "p = ('a' OR 'b') OR q = 1"
        );
        assert_eq!(collapsed("p != 'a' AND p != 'b'"), "p != ('a' OR 'b')");
        assert_eq!(collapsed("p != 'a' OR p != 'b'"), "p != ('a' AND 'b')");
        assert_eq!(collapsed("p = 'a' AND p = 'b'"), "p = ('a' AND 'b')");
        assert_eq!(collapsed("p > 1 AND p > 5"), "p > 1 AND p > 5");
        assert_eq!(collapsed("p > 1 OR p > 5"), "p > (1 OR 5)");
        assert_eq!(collapsed("p = 'a' OR p != 'b'"), "p = 'a' OR p != 'b'");
        assert_eq!(
            collapsed("p != ('a' OR ('b' AND 'c'))"),
            "p != 'a' AND p != ('b' AND 'c')"
        );
    }
}
