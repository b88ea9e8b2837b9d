//! Smart classes: `#CriticalAsset` (an application class with a configurable definition) and
//! tag-derived `#Word` (entities whose `tags` contain `Word`).

use std::collections::BTreeMap;

use crate::ir;
use crate::lower::{lower_filter_text, LoweredFilter};

/// The spec's default definition of `#CriticalAsset`.
pub const DEFAULT_CRITICAL_ASSET: &str = "(_class = ('Application' or 'CodeRepo' or 'DataStore' \
or 'Function' or 'Host' or 'Logs') and (tag.Production = true and classification = 'critical')) \
or tags = 'CriticalAsset'";

/// Configured smart-class definitions, as J1QL filter text (what follows `FIND * WITH`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmartClasses {
    definitions: BTreeMap<String, String>,
}

impl Default for SmartClasses {
    fn default() -> Self {
        let mut definitions = BTreeMap::new();
        definitions.insert(
            "CriticalAsset".to_string(),
            DEFAULT_CRITICAL_ASSET.to_string(),
        );
        SmartClasses { definitions }
    }
}

impl SmartClasses {
    /// Sets (or replaces) a definition: `name` without `#`, `filter` as J1QL filter text.
    pub fn define(&mut self, name: impl Into<String>, filter: impl Into<String>) {
        self.definitions.insert(name.into(), filter.into());
    }

    /// Whether `name` has a configured definition (otherwise it is tag-derived).
    pub fn is_configured(&self, name: &str) -> bool {
        self.definitions.contains_key(name)
    }

    /// The configured names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.definitions.keys().map(String::as_str)
    }

    /// The filter text a smart class stands for: its definition, or `tags = 'Name'` for a
    /// tag-derived one.
    pub fn definition(&self, name: &str) -> String {
        match self.definitions.get(name) {
            Some(text) => text.clone(),
            None => format!("tags = '{}'", name.replace('\'', "\\'")),
        }
    }

    /// The definition lowered to a filter (`None` when the configured text does not parse:
    /// the errors are returned so configuration problems are visible).
    pub fn filter(&self, name: &str) -> Result<ir::Filter, Vec<String>> {
        let LoweredFilter { filter, errors } = lower_filter_text(&self.definition(name));
        match filter {
            Some(f) if errors.is_empty() => Ok(f),
            _ => Err(if errors.is_empty() {
                vec!["empty smart class definition".to_string()]
            } else {
                errors
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_critical_asset_parses() {
        let smart = SmartClasses::default();
        let ir::Filter::Or(parts) = smart.filter("CriticalAsset").unwrap() else {
            panic!("expected an OR at the top")
        };
        assert_eq!(parts.len(), 2);
    }

    #[test]
    fn tag_smart_classes_match_tags() {
        let smart = SmartClasses::default();
        assert_eq!(smart.definition("Production"), "tags = 'Production'");
        let ir::Filter::Compare(c) = smart.filter("Production").unwrap() else {
            panic!()
        };
        assert_eq!(c.property.key, "tags");
        assert_eq!(c.value, ir::Value::String("Production".into()));
    }

    #[test]
    fn broken_definitions_are_reported() {
        let mut smart = SmartClasses::default();
        smart.define("Broken", "a = ");
        assert!(smart.filter("Broken").is_err());
    }
}
