//! Checks against the data model: unknown classes, types, verbs and smart classes, each with
//! a "did you mean" fix when a close name exists.

use crate::catalog::Catalog;
use crate::diagnostics::{Code, Diagnostic};
use crate::ir::{self, Name};
use crate::smart_classes::SmartClasses;

/// Runs the catalog checks over a lowered query.
pub fn check_query(
    query: &ir::Query,
    catalog: &Catalog,
    smart: &SmartClasses,
    known_tags: Option<&std::collections::BTreeSet<String>>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut visit = |pattern: &ir::EntityPattern| {
        check_selector(&pattern.selector, catalog, smart, known_tags, &mut out)
    };
    visit(&query.start);
    let mut verbs = Vec::new();
    walk_steps(&query.steps, &mut |t| {
        visit(&t.target);
        verbs.extend(t.verbs.iter().cloned());
    });
    for verb in verbs {
        if catalog.is_known_verb(&verb.text) {
            continue;
        }
        out.push(unknown(
            Code::UnknownVerb,
            &verb,
            "relationship verb",
            catalog.suggest_verb(&verb.text),
            "the data model's verbs are HAS, IS, USES, ALLOWS, ...; `RELATES TO` matches any",
        ));
    }
    out
}

/// Calls `f` on every traversal, depth first, through optional groups.
pub fn walk_steps<'a>(steps: &'a [ir::Step], f: &mut impl FnMut(&'a ir::Traversal)) {
    for step in steps {
        match step {
            ir::Step::Traversal(t) => f(t),
            ir::Step::Optional(o) => walk_steps(&o.steps, f),
        }
    }
}

fn check_selector(
    selector: &ir::Selector,
    catalog: &Catalog,
    smart: &SmartClasses,
    known_tags: Option<&std::collections::BTreeSet<String>>,
    out: &mut Vec<Diagnostic>,
) {
    for class in &selector.classes {
        if !is_known_class(catalog, &class.text) {
            out.push(unknown(
                Code::UnknownClass,
                class,
                "class",
                catalog.suggest_class(&class.text),
                "classes are TitleCase names from the JupiterOne data model",
            ));
        }
    }
    for ty in &selector.types {
        if !catalog.is_known_type(&ty.text) {
            out.push(unknown(
                Code::UnknownType,
                ty,
                "entity type",
                catalog.suggest_type(&ty.text),
                "not in the integration docs or the loaded data",
            ));
        }
    }
    for name in &selector.smart_classes {
        let known = smart.is_configured(&name.text)
            || known_tags.is_none_or(|tags| tags.contains(&name.text));
        if !known {
            let suggestion = crate::suggest::best_match(
                &name.text,
                smart
                    .names()
                    .chain(known_tags.into_iter().flatten().map(String::as_str)),
            );
            out.push(unknown(
                Code::UnknownSmartClass,
                name,
                "smart class",
                suggestion,
                "it is neither configured nor a tag of any loaded entity",
            ));
        }
    }
}

fn unknown(
    code: Code,
    name: &Name,
    what: &str,
    suggestion: Option<&str>,
    context: &str,
) -> Diagnostic {
    let mut message = format!("unknown {what} `{}`", name.text);
    match suggestion {
        Some(s) => message.push_str(&format!(": did you mean `{s}`?")),
        None => message.push_str(&format!(" ({context})")),
    }
    let diagnostic = Diagnostic::new(code, name.range, message);
    match suggestion {
        Some(s) => {
            let replacement = if code == Code::UnknownSmartClass {
                format!("#{s}")
            } else {
                s.to_string()
            };
            diagnostic.with_replacement(
                format!("Replace with `{replacement}`"),
                name.range,
                replacement,
            )
        }
        None => diagnostic,
    }
}

/// A class of the data model, or of one of its global entities (`Everyone` is a class of the
/// global `everyone` entity only).
fn is_known_class(catalog: &Catalog, name: &str) -> bool {
    catalog.is_known_class(name)
        || catalog
            .global_entities()
            .any(|g| g.classes().contains(&name))
}
