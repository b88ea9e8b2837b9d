//! Which Cypher variable each J1 alias is, and which parameters the query uses.

use std::collections::BTreeMap;

use j1ql_semantics::smart_classes::SmartClasses;

use crate::Refusal;

/// Aliases bound so far (J1 alias -> Cypher variable) and the parameters used.
#[derive(Debug, Default)]
pub(crate) struct Scope {
    vars: BTreeMap<String, String>,
    unbound: BTreeMap<String, &'static str>,
    /// Parameter names, in order of first use.
    pub(crate) params: Vec<String>,
    /// The definitions `#Name` expands to.
    pub(crate) smart_classes: SmartClasses,
}

impl Scope {
    /// Binds `alias` to `var`.
    pub(crate) fn bind(&mut self, alias: &str, var: &str) {
        self.vars.insert(alias.to_string(), var.to_string());
    }

    /// Records an alias that names no single binding (why it cannot be read).
    pub(crate) fn unbindable(&mut self, alias: &str, why: &'static str) {
        self.unbound.insert(alias.to_string(), why);
    }

    /// The variable of `alias`.
    pub(crate) fn var(&self, alias: &str) -> Result<String, Refusal> {
        if let Some(v) = self.vars.get(alias) {
            return Ok(v.clone());
        }
        Err(match self.unbound.get(alias) {
            Some(why) => Refusal::new("an alias that binds nothing", *why),
            None => Refusal::new("an undefined alias", "the query does not define it"),
        }
        .at(format!("`{alias}`")))
    }

    /// `$name` for `${ param.name }`; names that are not plain identifiers are refused.
    pub(crate) fn param(&mut self, name: &str, written: &str) -> Result<String, Refusal> {
        let plain = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !plain {
            return Err(Refusal::new(
                "a parameter name that is not an identifier",
                "a Cypher parameter name must be a plain identifier",
            )
            .at(format!("`{written}`")));
        }
        if !self.params.iter().any(|p| p == name) {
            self.params.push(name.to_string());
        }
        Ok(format!("${name}"))
    }
}
