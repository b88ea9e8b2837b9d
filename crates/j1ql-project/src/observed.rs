//! The loaded data's [`SchemaSummary`] as the catalog's [`Observations`]: the graph describes
//! what it holds in neutral terms, and the project model, which knows both, maps them.

use j1ql_graph::{Graph, SchemaSummary, ValueKind};
use j1ql_semantics::catalog::{Observations, PropertyType};

/// What `graph` holds, for `Catalog::extended`.
pub fn observations(graph: &Graph) -> Observations {
    from_summary(&graph.schema_summary())
}

/// [`observations`] from a summary already made.
pub fn from_summary(summary: &SchemaSummary) -> Observations {
    let mut obs = Observations::new();
    for (ty, classes) in &summary.type_classes {
        obs.observe_entity(ty, classes.iter().map(String::as_str), std::iter::empty());
    }
    for (ty, prop) in &summary.type_properties {
        obs.observe_entity(ty, std::iter::empty(), [prop.as_str()]);
    }
    for (ty, prop, kind) in &summary.value_kinds {
        obs.observe_value_type(ty, prop, property_type(*kind));
    }
    for (ty, verb, from, to) in &summary.edges {
        obs.observe_relationship(ty, verb, from, to, std::iter::empty());
    }
    for (ty, props) in &summary.relationship_properties {
        let entry = obs.relationship_properties.entry(ty.clone()).or_default();
        entry.extend(props.iter().cloned());
    }
    obs
}

fn property_type(kind: ValueKind) -> PropertyType {
    match kind {
        ValueKind::Boolean => PropertyType::Boolean,
        ValueKind::Number => PropertyType::Number,
        ValueKind::String => PropertyType::String,
        ValueKind::Array => PropertyType::Array,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_becomes_the_catalog_observations() {
        let graph = Graph::from_str(
            r#"{"entities": [
              {"_key": "u", "_type": "okta_user", "_class": ["User", "Person"], "mfa": true,
               "groups": ["a", 1], "note": null},
              {"_key": "d", "_type": "device", "_class": "Device"}],
             "relationships": [{"_class": "OWNS", "_fromEntityKey": "u", "_toEntityKey": "d",
               "since": 3}]}"#,
        )
        .expect("loads");
        let obs = observations(&graph);
        let user = &obs.entity_types["okta_user"];
        assert!(user.classes.contains("User") && user.classes.contains("Person"));
        assert!(user.properties.contains("mfa") && user.properties.contains("note"));
        assert_eq!(
            user.value_types["groups"],
            [
                PropertyType::Array,
                PropertyType::String,
                PropertyType::Number
            ]
            .into_iter()
            .collect()
        );
        assert!(!user.value_types.contains_key("note"));
        assert!(obs.classes.contains("Device"));
        assert!(obs.verbs.contains("OWNS"));
        assert_eq!(obs.relationships.len(), 1);
        assert!(obs.relationship_properties["okta_user_owns_device"].contains("since"));
    }
}
