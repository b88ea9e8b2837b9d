//! Normalisation: De Morgan expansion of value groups and its inverse, the expansion of smart
//! classes, selectors and parameters, and printing IR back as J1QL text.
//!
//! * [`print`]: [`print_filter`], [`print_value`], [`print_selector`] — canonical J1QL text
//!   that lowers back to the same IR.
//! * [`expand`] / [`collapse`]: `p != ('a' OR 'b')` ⇄ `p != 'a' AND p != 'b'` (the spec's
//!   truth tables: `!=` is the exact negation of `=`, so a negative operator flips the
//!   group's connective).
//! * Text edits on the original query, for code actions: [`filter_sites`] /
//!   [`demorgan_edits`] (per filter, in a [`Direction`]), [`expansion_edits`] (smart classes,
//!   selectors, parameters, as [`Expand`] selects), applied with [`apply_edits`].
//! * [`normalize_query_text`]: the whole normalised document, for `j1ql normalize`.
//!
//! ```
//! use j1ql_semantics::lower::lower_filter_text;
//! use j1ql_semantics::normalize::{collapse, expand, print_filter};
//!
//! let f = lower_filter_text("accountType != ('atlassian' OR 'app')").filter.unwrap();
//! let expanded = expand(&f);
//! assert_eq!(print_filter(&expanded), "accountType != 'atlassian' AND accountType != 'app'");
//! assert_eq!(print_filter(&collapse(&expanded)), "accountType != ('atlassian' OR 'app')");
//! ```
//!
//! See `docs/normalize.md` for the rules with examples.

mod demorgan;
mod edits;
pub mod print;

pub use demorgan::{collapse, expand, expand_comparison, flatten, flip, rewrite, Direction};
pub use edits::{
    apply_edits, coalesce, demorgan_edits, document_filter_sites, expansion_edits, filter_sites,
    json_to_j1ql, normalize_query_text, query_demorgan_edits, query_expansion_edits, query_pairs,
    selector_filter, Clause, Expand, FilterSite,
};
pub use print::{print_comparison, print_filter, print_property, print_selector, print_value};
