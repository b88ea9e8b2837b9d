//! Deleted items: entities and relationships whose `_deleted` is `true`.
//!
//! JupiterOne keeps deleted items in the graph but its API leaves them out of query results
//! unless the query asks for them (`queryV1(includeDeleted: true)`). The evaluator works on
//! one graph, so "left out" is a graph without them: [`Graph::without_deleted`] drops every
//! deleted entity, every deleted relationship, and every relationship touching a deleted
//! entity (a path cannot pass through an item that is not there). The load report counts
//! what was left out, so nothing disappears without a word (docs/graph.md).

use crate::graph::{find_prop, EntityId, Graph};
use crate::sym_map::SymMap;
use crate::value::PropValue;

impl Graph {
    /// How many entities and relationships are marked `_deleted: true`.
    pub fn deleted_counts(&self) -> (usize, usize) {
        let Some(key) = self.strings.get("_deleted") else {
            return (0, 0);
        };
        let deleted = |props: &[(crate::Sym, PropValue)]| {
            matches!(find_prop(props, key), Some(PropValue::Bool(true)))
        };
        (
            self.entities.iter().filter(|e| deleted(&e.props)).count(),
            self.relationships
                .iter()
                .filter(|r| deleted(&r.props))
                .count(),
        )
    }

    /// The graph without deleted items: entities and relationships with `_deleted: true`, and
    /// relationships that touch a deleted entity. `None` when nothing is deleted (use the
    /// graph as it is). The report's `deleted_entities` / `deleted_relationships` say how many
    /// were left out; its `entities` / `relationships` count what is left.
    pub fn without_deleted(&self) -> Option<Graph> {
        let key = self.strings.get("_deleted")?;
        let deleted = |props: &[(crate::Sym, PropValue)]| {
            matches!(find_prop(props, key), Some(PropValue::Bool(true)))
        };
        let mut new_id = vec![u32::MAX; self.entities.len()];
        let mut entities = Vec::with_capacity(self.entities.len());
        for (i, e) in self.entities.iter().enumerate() {
            if !deleted(&e.props) {
                new_id[i] = entities.len() as u32;
                entities.push(e.clone());
            }
        }
        let dropped_entities = self.entities.len() - entities.len();
        let live = |id: EntityId| new_id[id.index()] != u32::MAX;
        let mut relationships = Vec::with_capacity(self.relationships.len());
        for r in &self.relationships {
            if !deleted(&r.props) && live(r.from) && live(r.to) {
                let mut r = r.clone();
                r.from = EntityId(new_id[r.from.index()]);
                r.to = EntityId(new_id[r.to.index()]);
                relationships.push(r);
            }
        }
        let dropped_relationships = self.relationships.len() - relationships.len();
        if dropped_entities == 0 && dropped_relationships == 0 {
            return None;
        }
        let mut by_id = SymMap::default();
        by_id.reserve(self.strings.len());
        for (i, e) in entities.iter().enumerate() {
            by_id.insert(e.id, i as u32);
        }
        let mut rel_ids = SymMap::default();
        rel_ids.reserve(self.strings.len());
        for (i, r) in relationships.iter().enumerate() {
            rel_ids.insert(r.id, i as u32);
        }
        let mut report = self.report.clone();
        report.entities = entities.len();
        report.relationships = relationships.len();
        report.deleted_entities += dropped_entities;
        report.deleted_relationships += dropped_relationships;
        let mut graph = Graph {
            strings: self.strings.clone(),
            entities,
            relationships,
            subgraphs: self.subgraphs.clone(),
            class_sets: self.class_sets.clone(),
            meta_defaults: self.meta_defaults.clone(),
            report,
            ..Graph::default()
        };
        graph.index(by_id, rel_ids);
        Some(graph)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATA: &str = r#"{
      "scope": "s",
      "entities": [
        {"_key": "alice", "_type": "okta_user", "_class": "User"},
        {"_key": "ghost", "_type": "okta_user", "_class": "User", "_deleted": true},
        {"_key": "laptop", "_type": "user_endpoint", "_class": "Device"},
        {"_key": "phone", "_type": "user_endpoint", "_class": "Device", "_deleted": false}
      ],
      "relationships": [
        {"_key": "alice-laptop", "_class": "OWNS", "_fromEntityKey": "alice", "_toEntityKey": "laptop"},
        {"_key": "alice-phone", "_class": "OWNS", "_fromEntityKey": "alice", "_toEntityKey": "phone", "_deleted": true},
        {"_key": "ghost-laptop", "_class": "USES", "_fromEntityKey": "ghost", "_toEntityKey": "laptop"}
      ]
    }"#;

    #[test]
    fn deleted_items_and_their_relationships_are_left_out() {
        let full = Graph::from_str(DATA).unwrap();
        assert_eq!(full.deleted_counts(), (1, 1));
        let live = full.without_deleted().expect("something is deleted");
        let keys: Vec<&str> = live.entities().map(|e| e.key()).collect();
        assert_eq!(keys, ["alice", "laptop", "phone"]);
        let rels: Vec<&str> = live.relationships().map(|r| r.key()).collect();
        assert_eq!(rels, ["alice-laptop"]);
        assert_eq!(live.report().deleted_entities, 1);
        assert_eq!(live.report().deleted_relationships, 2);
        assert_eq!(
            (live.report().entities, live.report().relationships),
            (3, 1)
        );
        // The indexes are rebuilt on the new ids.
        let alice = live.entities_of_class("User")[0];
        assert_eq!(live.entity(alice).key(), "alice");
        let out = live.outgoing(alice);
        assert_eq!(out.len(), 1);
        assert_eq!(live.entity(out[0].other).key(), "laptop");
        assert_eq!(live.incoming(out[0].other).len(), 1);
        assert_eq!(live.entities_of_type("okta_user").len(), 1);
        let ghost_id = full
            .entity(full.entities_of_class("User")[1])
            .id_str()
            .to_string();
        assert!(live.entity_by_id(&ghost_id).is_none());
        assert_eq!(live.entities_with_key("laptop").len(), 1);
        assert!(live.entities_with_key("ghost").is_empty());
    }

    #[test]
    fn nothing_deleted_means_no_copy() {
        let graph = Graph::from_str(
            r#"{"entities": [{"_key": "a", "_type": "t", "_class": "C", "_deleted": false}]}"#,
        )
        .unwrap();
        assert_eq!(graph.deleted_counts(), (0, 0));
        assert!(graph.without_deleted().is_none());
    }
}
