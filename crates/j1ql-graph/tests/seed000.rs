//! Seed 000: owned and non-owned assets, subgraphs, `_key` / `_source` / `_scope`, bulk payloads.

use j1ql_graph::{Graph, LoadError, LoadOptions, Loader};
use serde_json::json;

fn integration_repo() -> serde_json::Value {
    json!({
        "source": "integration-managed",
        "scope": "integration_id",
        "entities": [{
            "_key": "codeRepo_key",
            "_type": "github_repository",
            "_class": ["CodeRepo"],
            "displayName": "ibzibid",
            "from": "testing",
            "_id": "2218b983-139b-4447-9889-f04f48761b15"
        }]
    })
}

/// The bulk upload payload of the seed ("Putting It Together").
fn seed_payload() -> serde_json::Value {
    json!({
        "entities": [{
            "_key": "npm_package:hizurur",
            "_class": "CodeModule",
            "_type": "npm_package",
            "displayName": "hizurur",
            "from": "testing"
        }],
        "relationships": [{
            "_key": "codeRepo:USES:codeModule",
            "_type": "codeRepo:USES:codeModule",
            "_class": "USES",
            "displayName": "USES v3.4.3",
            "_fromEntitySource": "integration-managed",
            "_fromEntityScope": "integration_id",
            "_fromEntityKey": "codeRepo_key",
            "_toEntityKey": "npm_package:hizurur"
        }]
    })
}

fn load(docs: &[(&str, serde_json::Value)], strict: bool) -> Result<Graph, LoadError> {
    let mut loader = Loader::new(LoadOptions {
        strict,
        timestamp_ms: Some(0),
        ..LoadOptions::default()
    });
    for (name, doc) in docs {
        loader.add_json_value(name, doc)?;
    }
    loader.finish()
}

#[test]
fn the_seed_bulk_payload_loads_with_key_source_scope() {
    let g = load(
        &[
            ("repos.json", integration_repo()),
            ("upload.json", seed_payload()),
        ],
        true,
    )
    .unwrap();
    assert_eq!(g.entity_count(), 2);
    assert_eq!(g.relationship_count(), 1);
    let module = g.entities_of_class("CodeModule")[0];
    let m = g.entity(module);
    // Missing `source` is `api`, missing `scope` the file name without extension.
    assert_eq!(m.source(), "api");
    assert_eq!(m.scope(), "upload");
    let rel = g.relationship(g.incoming(module)[0].rel);
    assert_eq!(rel.class(), "USES");
    assert_eq!(rel.key(), "codeRepo:USES:codeModule");
    assert_eq!(g.entity(rel.from()).key(), "codeRepo_key");
    assert_eq!(g.entity(rel.from()).source(), "integration-managed");
    assert_eq!(rel.source(), "api");
    assert!(g.report().skipped_relationships.is_empty());
}

#[test]
fn a_bare_key_to_another_subgraph_is_refused_and_reported() {
    let mut payload = seed_payload();
    let rel = &mut payload["relationships"][0];
    rel.as_object_mut().unwrap().remove("_fromEntitySource");
    rel.as_object_mut().unwrap().remove("_fromEntityScope");
    let g = load(
        &[
            ("repos.json", integration_repo()),
            ("upload.json", payload.clone()),
        ],
        false,
    )
    .unwrap();
    assert_eq!(g.relationship_count(), 0);
    let skipped = &g.report().skipped_relationships;
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].file, "upload.json");
    assert_eq!(skipped[0].index, 0);
    assert_eq!(skipped[0].endpoint, "codeRepo_key");
    assert!(
        skipped[0].reason.contains("own subgraph"),
        "{}",
        skipped[0].reason
    );
    assert!(skipped[0]
        .reason
        .contains("integration-managed:integration_id"));
    // Strict mode makes it an error.
    let err = load(
        &[("repos.json", integration_repo()), ("upload.json", payload)],
        true,
    )
    .unwrap_err();
    assert!(
        matches!(err, LoadError::Unresolved(ref s) if s.len() == 1),
        "{err}"
    );
    assert!(err.to_string().contains("upload.json: relationships[0]"));
}

#[test]
fn an_id_endpoint_works_across_subgraphs() {
    let mut payload = seed_payload();
    let rel = payload["relationships"][0].as_object_mut().unwrap();
    rel.remove("_fromEntitySource");
    rel.remove("_fromEntityScope");
    rel.remove("_fromEntityKey");
    rel.insert(
        "_fromEntityId".into(),
        json!("2218b983-139b-4447-9889-f04f48761b15"),
    );
    let g = load(
        &[("repos.json", integration_repo()), ("upload.json", payload)],
        true,
    )
    .unwrap();
    assert_eq!(g.relationship_count(), 1);
    let r = g.relationships().next().unwrap();
    assert_eq!(
        g.entity(r.from()).id_str(),
        "2218b983-139b-4447-9889-f04f48761b15"
    );
}

#[test]
fn duplicate_keys_across_subgraphs_stay_apart() {
    let a = json!({"source": "integration-managed", "scope": "one",
        "entities": [{"_key": "k", "_type": "t", "_class": "Host", "n": 1}]});
    let b = json!({"scope": "two",
        "entities": [{"_key": "k", "_type": "t", "_class": "Host", "n": 2}],
        "relationships": [{"_class": "HAS", "_fromEntityKey": "k", "_toEntityKey": "k",
                           "_toEntitySource": "integration-managed", "_toEntityScope": "one"}]});
    let g = load(&[("a.json", a), ("b.json", b)], true).unwrap();
    assert_eq!(g.entity_count(), 2);
    assert_eq!(g.entities_with_key("k").len(), 2);
    assert_eq!(g.report().duplicates, 0);
    let one = g.entity_by_key("integration-managed", "one", "k").unwrap();
    let two = g.entity_by_key("api", "two", "k").unwrap();
    assert_ne!(one, two);
    assert_ne!(g.entity(one).id_str(), g.entity(two).id_str());
    let r = g.relationships().next().unwrap();
    assert_eq!((r.from(), r.to()), (two, one));
}

#[test]
fn a_later_duplicate_in_the_same_subgraph_updates_and_is_counted() {
    let doc = json!({"scope": "s", "entities": [
        {"_key": "k", "_type": "t", "_class": "Host", "a": 1, "b": true},
        {"_key": "k", "_type": "t", "_class": "Host", "a": 2}
    ]});
    let g = load(&[("x.json", doc)], false).unwrap();
    assert_eq!(g.entity_count(), 1);
    assert_eq!(g.report().duplicates, 1);
    let e = g.entity(g.entities_of_type("t")[0]);
    assert_eq!(e.property("a").and_then(|v| v.as_f64()), Some(2.0));
    assert_eq!(e.property("b"), None, "an upsert replaces the properties");
    assert_eq!(e.property("_version").and_then(|v| v.as_f64()), Some(2.0));
}

#[test]
fn ambiguous_key_with_only_a_source_is_reported() {
    let a = json!({"source": "integration-managed", "scope": "one",
        "entities": [{"_key": "k", "_type": "t", "_class": "Host"}]});
    let b = json!({"source": "integration-managed", "scope": "two",
        "entities": [{"_key": "k", "_type": "t", "_class": "Host"}]});
    let c = json!({"scope": "mine",
        "entities": [{"_key": "m", "_type": "t", "_class": "Host"}],
        "relationships": [{"_class": "HAS", "_fromEntityKey": "m", "_toEntityKey": "k",
                           "_toEntitySource": "integration-managed"}]});
    let g = load(&[("a.json", a), ("b.json", b), ("c.json", c)], false).unwrap();
    assert_eq!(g.relationship_count(), 0);
    let reason = &g.report().skipped_relationships[0].reason;
    assert!(reason.contains("ambiguous, 2 entities"), "{reason}");
}
