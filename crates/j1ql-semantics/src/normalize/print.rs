//! Printing IR back as J1QL text.
//!
//! The printed text parses and lowers back to the same IR (up to the flattening of nested
//! AND/OR and the ranges): `lower_filter_text(&print_filter(f))` gives `f` again. The form is
//! canonical, so two equal filters print the same:
//!
//! * `AND` / `OR` in upper case; parentheses only where needed (an OR inside an AND);
//! * strings single-quoted, with `\` and `'` escaped;
//! * numbers without a trailing `.0`; `true`, `false`, `undefined`;
//! * dates `date(2019-10-30)` at midnight UTC, else `date(2019-10-30T10:30:15Z)`, with
//!   `.sss` milliseconds only when they are not zero;
//! * relative dates `date.now - 7 days` (`date.now - 1 day`, `date.now + 2 hours`, `date.now`);
//! * regexes `/pattern/flags`, parameters as written, value groups `('a' OR 'b')`;
//! * properties `alias.key`, the key bracketed (`[special-name]`) when it is not a plain
//!   dotted name.

use crate::dates::civil_from_days;
use crate::ir::{Comparison, DateUnit, Filter, PropertyRef, Selector, Value};
use j1ql_syntax::KEYWORDS;

/// Prints a filter. An empty `And`/`Or` (which lowering never produces) prints as nothing.
pub fn print_filter(filter: &Filter) -> String {
    let mut out = String::new();
    write_filter(&mut out, filter);
    out
}

fn write_filter(out: &mut String, filter: &Filter) {
    match filter {
        Filter::Compare(c) => write_comparison(out, c),
        Filter::And(children) => {
            for (i, child) in children.iter().enumerate() {
                if i > 0 {
                    out.push_str(" AND ");
                }
                // OR binds looser than AND: an OR inside an AND needs parentheses.
                let paren = matches!(child, Filter::Or(c) if c.len() > 1);
                if paren {
                    out.push('(');
                }
                write_filter(out, child);
                if paren {
                    out.push(')');
                }
            }
        }
        Filter::Or(children) => {
            for (i, child) in children.iter().enumerate() {
                if i > 0 {
                    out.push_str(" OR ");
                }
                write_filter(out, child);
            }
        }
    }
}

/// Prints one comparison: `property op value`.
pub fn print_comparison(c: &Comparison) -> String {
    let mut out = String::new();
    write_comparison(&mut out, c);
    out
}

fn write_comparison(out: &mut String, c: &Comparison) {
    out.push_str(&print_property(&c.property));
    out.push(' ');
    out.push_str(c.op.as_str());
    out.push(' ');
    write_value(out, &c.value);
}

/// Prints a value.
pub fn print_value(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::String(s) => out.push_str(&quote(s)),
        Value::Number(n) => out.push_str(&print_number(*n)),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Undefined => out.push_str("undefined"),
        Value::Date(ms) => out.push_str(&print_date(*ms)),
        Value::RelativeDate { amount, unit } => out.push_str(&print_relative_date(*amount, *unit)),
        Value::Regex { pattern, flags } => {
            out.push('/');
            out.push_str(pattern);
            out.push('/');
            out.push_str(flags);
        }
        Value::Param { written, .. } => out.push_str(written),
        Value::Group { op, values } => {
            out.push('(');
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                    out.push_str(op.as_str());
                    out.push(' ');
                }
                write_value(out, v);
            }
            out.push(')');
        }
        Value::Property(p) => out.push_str(&print_property(p)),
    }
}

/// A string as a single-quoted J1QL literal: `\` and `'` are escaped.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\\' || c == '\'' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// A number as J1QL writes it: `7`, `-0.5`, never `7.0` (and never in exponent form).
pub fn print_number(n: f64) -> String {
    // Rust's `Display` for f64 prints the shortest text that reads back to the same value,
    // without an exponent and without `.0` for integers.
    format!("{n}")
}

/// A static date (epoch milliseconds, UTC) as `date(...)`: the date alone at midnight, else
/// the time to the second, with milliseconds when they are not zero.
pub fn print_date(ms: i64) -> String {
    const DAY: i64 = 86_400_000;
    let days = ms.div_euclid(DAY);
    let of_day = ms.rem_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    if of_day == 0 {
        return format!("date({y:04}-{m:02}-{d:02})");
    }
    let millis = of_day % 1000;
    let seconds = of_day / 1000;
    let (hh, mm, ss) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if millis == 0 {
        format!("date({y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z)")
    } else {
        format!("date({y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{millis:03}Z)")
    }
}

/// A relative date: `date.now - 7 days`, `date.now - 1 day`, `date.now + 2 hours`, `date.now`.
pub fn print_relative_date(amount: f64, unit: Option<DateUnit>) -> String {
    if amount == 0.0 {
        return "date.now".to_string();
    }
    let sign = if amount < 0.0 { '-' } else { '+' };
    let magnitude = amount.abs();
    let number = print_number(magnitude);
    match unit {
        None => format!("date.now {sign} {number}"),
        Some(unit) => {
            let singular = unit_name(unit);
            if magnitude == 1.0 {
                format!("date.now {sign} {number} {singular}")
            } else {
                format!("date.now {sign} {number} {singular}s")
            }
        }
    }
}

fn unit_name(unit: DateUnit) -> &'static str {
    match unit {
        DateUnit::Minute => "minute",
        DateUnit::Hour => "hour",
        DateUnit::Day => "day",
        DateUnit::Week => "week",
        DateUnit::Month => "month",
        DateUnit::Year => "year",
    }
}

/// A property: `key` in WITH, `alias.key` in WHERE; the key bracketed when it is not a plain
/// dotted name (`u.[special-name]`, `[tag.x:y]`).
pub fn print_property(p: &PropertyRef) -> String {
    let key = print_key(&p.key);
    match &p.alias {
        Some(alias) => format!("{alias}.{key}"),
        None => key,
    }
}

/// A property key as written: as-is when it is a plain dotted name (`tag.Production`,
/// `_class`), else in brackets (`[tag.special-name]`). A key containing `]` or a line break
/// cannot be bracketed and is written as-is.
pub fn print_key(key: &str) -> String {
    if is_plain_key(key) || key.contains(']') || key.contains('\n') {
        key.to_string()
    } else {
        format!("[{key}]")
    }
}

fn is_plain_key(key: &str) -> bool {
    let ident = |s: &str| {
        let mut chars = s.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mut segments = key.split('.');
    let Some(first) = segments.next() else {
        return false;
    };
    if !ident(first) || KEYWORDS.iter().any(|k| first.eq_ignore_ascii_case(k)) {
        return false;
    }
    // `date.now...` would be read as the `date.now` token.
    if first.eq_ignore_ascii_case("date")
        && key[5.min(key.len())..]
            .get(..3)
            .is_some_and(|s| s.eq_ignore_ascii_case("now"))
    {
        return false;
    }
    segments.all(|s| (ident(s) || digits(s)) && !KEYWORDS.iter().any(|k| s.eq_ignore_ascii_case(k)))
}

/// Prints a selector: smart classes, then `*`, a class or type, or an alternation `(A|b)` in
/// the order written; a full-text search as its quoted string.
pub fn print_selector(selector: &Selector) -> String {
    if let Some(text) = &selector.full_text {
        return quote_double(text);
    }
    let mut parts: Vec<String> = selector
        .smart_classes
        .iter()
        .map(|s| format!("#{}", s.text))
        .collect();
    let names = selector_names(selector);
    match names.len() {
        0 => {}
        1 => parts.push(names[0].clone()),
        _ => parts.push(format!("({})", names.join("|"))),
    }
    parts.join(" ")
}

/// The class, type and `*` names of a selector, in the order written.
pub(crate) fn selector_names(selector: &Selector) -> Vec<String> {
    let mut named: Vec<&crate::ir::Name> = selector.classes.iter().chain(&selector.types).collect();
    named.sort_by_key(|n| n.range.start());
    let mut names: Vec<String> = Vec::new();
    if selector.any {
        names.push("*".to_string());
    }
    names.extend(named.into_iter().map(|n| n.text.clone()));
    names
}

fn quote_double(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '\\' || c == '"' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::parse_iso_date;

    #[test]
    fn dates() {
        for (text, printed) in [
            ("2019-10-30", "date(2019-10-30)"),
            ("2019-10-30T10:30:15Z", "date(2019-10-30T10:30:15Z)"),
            ("2019-10-30T10:30:15.5Z", "date(2019-10-30T10:30:15.500Z)"),
            ("1969-12-31T23:59:59.999Z", "date(1969-12-31T23:59:59.999Z)"),
        ] {
            assert_eq!(print_date(parse_iso_date(text).unwrap()), printed);
        }
    }

    #[test]
    fn keys() {
        assert_eq!(print_key("tag.Production"), "tag.Production");
        assert_eq!(print_key("_class"), "_class");
        assert_eq!(print_key("tag.1"), "tag.1");
        assert_eq!(print_key("special-name"), "[special-name]");
        assert_eq!(print_key("tag.a:b"), "[tag.a:b]");
        assert_eq!(print_key("and"), "[and]");
        assert_eq!(print_key("date.nowish"), "[date.nowish]");
        assert_eq!(print_key("date.created"), "date.created");
        assert_eq!(print_key("a..b"), "[a..b]");
        assert_eq!(print_key(""), "[]");
    }

    #[test]
    fn numbers_and_relative_dates() {
        assert_eq!(print_number(7.0), "7");
        assert_eq!(print_number(-0.5), "-0.5");
        assert_eq!(
            print_relative_date(-7.0, Some(DateUnit::Day)),
            "date.now - 7 days"
        );
        assert_eq!(
            print_relative_date(-1.0, Some(DateUnit::Day)),
            "date.now - 1 day"
        );
        assert_eq!(
            print_relative_date(2.0, Some(DateUnit::Hour)),
            "date.now + 2 hours"
        );
        assert_eq!(print_relative_date(0.0, None), "date.now");
    }

    #[test]
    fn strings() {
        assert_eq!(quote("it's"), r"'it\'s'");
        assert_eq!(quote(r"a\b"), r"'a\\b'");
    }
}
