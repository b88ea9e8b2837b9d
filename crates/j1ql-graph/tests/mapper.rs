//! Seed 001: the relationship mapper's rule format, target search and creation, accumulation,
//! cascades and the guard against endless creation.

use j1ql_graph::{Graph, LoadOptions, Loader, MappingRule};
use serde_json::{json, Value};

fn load_with(doc: Value, options: LoadOptions) -> Graph {
    let mut loader = Loader::new(LoadOptions {
        timestamp_ms: Some(0),
        ..options
    });
    loader.add_json_value("fixture.json", &doc).unwrap();
    loader.finish().unwrap()
}

fn load(doc: Value) -> Graph {
    load_with(doc, LoadOptions::default())
}

/// The example rule of seed 001.
fn person_rule() -> Value {
    json!({
        "sourceFilter": {"_class": "Person"},
        "relationshipProperties": {"_class": "IS"},
        "relationshipDirection": "REVERSE",
        "targetFilterKeys": [["_class", "email"], ["_class", "username"]],
        "propertyMappings": [
            {"sourceProperty": "email", "targetProperty": "email"},
            {"sourceProperty": "email", "targetProperty": "username"},
            {"targetValue": "User", "targetProperty": "_class"}
        ],
        "skipTargetCreation": true
    })
}

fn people_and_users() -> Value {
    json!([
        {"_key": "p1", "_type": "employee", "_class": "Person", "email": "ada@example.com"},
        {"_key": "p2", "_type": "employee", "_class": "Person", "email": "nobody@example.com"},
        {"_key": "u1", "_type": "okta_user", "_class": "User", "email": "ada@example.com"},
        {"_key": "u2", "_type": "github_user", "_class": "User", "username": "ada@example.com"},
        {"_key": "u3", "_type": "aws_iam_user", "_class": "User", "email": "other@example.com"},
        {"_key": "h1", "_type": "host", "_class": "Host", "email": "ada@example.com"}
    ])
}

#[test]
fn the_person_user_example_rule() {
    let g = load(json!({"entities": people_and_users(), "mappingRules": [person_rule()]}));
    // REVERSE: target -> source, so User -IS-> Person; one relationship per matching target
    // (by email for u1, by username for u2); the Host is not a User; nothing is created.
    let p1 = g.entity_by_key("api", "fixture", "p1").unwrap();
    let mut from: Vec<&str> = g
        .incoming(p1)
        .iter()
        .map(|e| g.entity(e.other).key())
        .collect();
    from.sort();
    assert_eq!(from, ["u1", "u2"]);
    let r = g.relationship(g.incoming(p1)[0].rel);
    assert_eq!(r.class(), "IS");
    assert_eq!(r.source(), "system-mapper");
    assert_eq!(g.report().mapper_relationships, 2);
    assert_eq!(g.report().mapper_entities, 0, "skipTargetCreation");
    let p2 = g.entity_by_key("api", "fixture", "p2").unwrap();
    assert!(g.incoming(p2).is_empty());
    assert_eq!(g.entity_count(), 6);
}

#[test]
fn forward_direction_and_relationship_properties() {
    let mut rule = person_rule();
    rule["relationshipDirection"] = json!("FORWARD");
    rule["relationshipProperties"] =
        json!({"_class": "is", "_type": "person_is_user", "confidence": 0.9});
    let g = load(json!({"entities": people_and_users(), "mappingRules": [rule]}));
    let p1 = g.entity_by_key("api", "fixture", "p1").unwrap();
    assert_eq!(g.outgoing(p1).len(), 2);
    let r = g.relationship(g.outgoing(p1)[0].rel);
    assert_eq!(r.class(), "IS", "verbs are stored upper case");
    assert_eq!(r.type_name(), "person_is_user");
    assert_eq!(r.property("confidence").and_then(|v| v.as_f64()), Some(0.9));
    assert!(g.incoming(p1).is_empty());
}

#[test]
fn source_filter_arrays_are_any_of_and_all_keys_must_match() {
    let rule = json!({
        "sourceFilter": {"_type": ["okta_user", "github_user"], "active": true},
        "relationshipProperties": {"_class": "HAS"},
        "targetFilterKeys": [["_type"]],
        "propertyMappings": [{"targetValue": "account", "targetProperty": "_type"}],
        "skipTargetCreation": true
    });
    let g = load(json!({"entities": [
        {"_key": "a", "_type": "account", "_class": "Account"},
        {"_key": "u1", "_type": "okta_user", "_class": "User", "active": true},
        {"_key": "u2", "_type": "github_user", "_class": "User", "active": true},
        {"_key": "u3", "_type": "github_user", "_class": "User", "active": false},
        {"_key": "u4", "_type": "aws_iam_user", "_class": "User", "active": true}
    ], "mappingRules": [rule]}));
    let mut keys: Vec<&str> = g
        .relationships()
        .map(|r| g.entity(r.from()).key())
        .collect();
    keys.sort();
    assert_eq!(keys, ["u1", "u2"]);
}

#[test]
fn negated_source_filter_extension() {
    let rule = json!({
        "sourceFilter": {"_class": "Team", "organization": {"not": null}},
        "relationshipProperties": {"_class": "HAS"},
        "relationshipDirection": "REVERSE",
        "targetFilterKeys": [["_key"]],
        "propertyMappings": [{"sourceProperty": "organization", "targetProperty": "_key"}],
        "skipTargetCreation": true
    });
    let g = load(json!({"entities": [
        {"_key": "org", "_type": "org", "_class": "Organization"},
        {"_key": "t1", "_type": "team", "_class": "Team", "organization": "org"},
        {"_key": "t2", "_type": "team", "_class": "Team"}
    ], "mappingRules": [rule]}));
    assert_eq!(g.relationship_count(), 1);
    let r = g.relationships().next().unwrap();
    assert_eq!(
        (g.entity(r.from()).key(), g.entity(r.to()).key()),
        ("org", "t1")
    );
}

#[test]
fn target_creation_and_accumulation() {
    // Two rules resolve to the same mapper-made Vendor; it gathers properties from both.
    let vendor_rule = |source_type: &str, extra: Value| {
        let mut mappings = vec![
            json!({"sourceProperty": "vendor", "targetProperty": "name"}),
            json!({"targetValue": "Vendor", "targetProperty": "_class"}),
            json!({"targetValue": "vendor", "targetProperty": "_type"}),
        ];
        mappings.push(extra);
        json!({
            "sourceFilter": {"_type": source_type},
            "relationshipProperties": {"_class": "HOSTS"},
            "relationshipDirection": "REVERSE",
            "targetFilterKeys": [["_type", "name"]],
            "propertyMappings": mappings
        })
    };
    let g = load(json!({"entities": [
        {"_key": "a1", "_type": "okta_account", "_class": "Account", "vendor": "Okta"},
        {"_key": "a2", "_type": "okta_app", "_class": "Application", "vendor": "Okta", "site": "okta.com"}
    ], "mappingRules": [
        vendor_rule("okta_account", json!({"targetValue": "Identity", "targetProperty": "category"})),
        vendor_rule("okta_app", json!({"sourceProperty": "site", "targetProperty": "website"}))
    ]}));
    assert_eq!(g.report().mapper_entities, 1);
    let vendors = g.entities_of_class("Vendor");
    assert_eq!(vendors.len(), 1);
    let v = g.entity(vendors[0]);
    assert_eq!(v.source(), "system-mapper");
    assert_eq!(v.type_name(), "vendor");
    let s = |k: &str| v.property(k).and_then(|p| p.as_sym()).map(|s| g.str(s));
    assert_eq!(s("name"), Some("Okta"));
    assert_eq!(s("category"), Some("Identity"));
    assert_eq!(s("website"), Some("okta.com"));
    // Both accounts are hosted by it (REVERSE: Vendor -HOSTS-> source).
    assert_eq!(g.outgoing(vendors[0]).len(), 2);
    // Deterministic keys and ids.
    let again = load(json!({"entities": [
        {"_key": "a1", "_type": "okta_account", "_class": "Account", "vendor": "Okta"}
    ], "mappingRules": [vendor_rule("okta_account", json!({"targetValue": "x", "targetProperty": "y"}))]}));
    let v2 = again.entity(again.entities_of_class("Vendor")[0]);
    assert_eq!(v2.key(), v.key());
    assert_eq!(v2.id_str(), v.id_str());
}

#[test]
fn skip_target_creation_false_is_the_default() {
    let mut rule = person_rule();
    rule.as_object_mut().unwrap().remove("skipTargetCreation");
    let g = load(json!({"entities": [
        {"_key": "p", "_type": "employee", "_class": "Person", "email": "x@example.com"}
    ], "mappingRules": [rule]}));
    let users = g.entities_of_class("User");
    assert_eq!(users.len(), 1);
    let u = g.entity(users[0]);
    assert_eq!(
        u.type_name(),
        "user",
        "derived from the class when no _type is mapped"
    );
    assert_eq!(
        u.property("username")
            .and_then(|p| p.as_sym())
            .map(|s| g.str(s)),
        Some("x@example.com")
    );
}

#[test]
fn cascades_reach_a_fixed_point() {
    // Host -> creates a Network; a Network -> creates an Internet gateway; each exactly once.
    let rules = json!([
        {"sourceFilter": {"_class": "Host"},
         "relationshipProperties": {"_class": "CONNECTS"},
         "targetFilterKeys": [["_type", "cidr"]],
         "propertyMappings": [{"sourceProperty": "cidr", "targetProperty": "cidr"},
                              {"targetValue": "network", "targetProperty": "_type"},
                              {"targetValue": "Network", "targetProperty": "_class"}]},
        {"sourceFilter": {"_class": "Network"},
         "relationshipProperties": {"_class": "CONNECTS"},
         "targetFilterKeys": [["_type"]],
         "propertyMappings": [{"targetValue": "internet", "targetProperty": "_type"},
                              {"targetValue": "Gateway", "targetProperty": "_class"}]}
    ]);
    let g = load(json!({"entities": [
        {"_key": "h1", "_type": "host", "_class": "Host", "cidr": "10.0.0.0/16"},
        {"_key": "h2", "_type": "host", "_class": "Host", "cidr": "10.0.0.0/16"},
        {"_key": "h3", "_type": "host", "_class": "Host", "cidr": "10.1.0.0/16"}
    ], "mappingRules": rules}));
    assert_eq!(g.entities_of_type("network").len(), 2);
    assert_eq!(g.entities_of_type("internet").len(), 1);
    assert_eq!(g.report().mapper_entities, 3);
    // 3 host->network + 2 network->internet.
    assert_eq!(g.report().mapper_relationships, 5);
    assert!(g.report().mapper_warnings.is_empty());
}

#[test]
fn endless_creation_is_stopped_and_reported() {
    // Each Node creates a parent Node keyed by its own key: a chain that never ends.
    let rule = json!({
        "sourceFilter": {"_class": "Node"},
        "relationshipProperties": {"_class": "HAS"},
        "relationshipDirection": "REVERSE",
        "targetFilterKeys": [["_class", "childKey"]],
        "propertyMappings": [{"sourceProperty": "_key", "targetProperty": "childKey"},
                             {"targetValue": "Node", "targetProperty": "_class"},
                             {"targetValue": "node", "targetProperty": "_type"}]
    });
    let g = load_with(
        json!({"entities": [{"_key": "n0", "_type": "node", "_class": "Node"}], "mappingRules": [rule]}),
        LoadOptions {
            max_mapper_depth: 5,
            ..LoadOptions::default()
        },
    );
    assert_eq!(g.report().mapper_entities, 5);
    let warnings = &g.report().mapper_warnings;
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].contains("cascade stopped at depth 5"),
        "{warnings:?}"
    );
}

#[test]
fn every_field_of_the_rule_format_parses() {
    let rule = MappingRule::from_json(&person_rule(), "t".into()).unwrap();
    assert_eq!(rule.source_filter.len(), 1);
    assert_eq!(rule.direction, j1ql_graph::Direction::Reverse);
    assert_eq!(
        rule.target_filter_keys,
        [vec!["_class", "email"], vec!["_class", "username"]]
    );
    assert_eq!(rule.property_mappings.len(), 3);
    assert!(rule.skip_target_creation);
    assert_eq!(rule.relationship_properties[0].0, "_class");
    for (bad, why) in [
        (
            json!({"relationshipProperties": {"_class": "IS"}}),
            "sourceFilter",
        ),
        (json!({"sourceFilter": {}}), "relationshipProperties"),
        (
            json!({"sourceFilter": {}, "relationshipProperties": {}}),
            "_class",
        ),
        (
            json!({"sourceFilter": {}, "relationshipProperties": {"_class": "IS"}, "relationshipDirection": "UP"}),
            "relationshipDirection",
        ),
        (
            json!({"sourceFilter": {}, "relationshipProperties": {"_class": "IS"}, "targetFilterKeys": [[1]]}),
            "targetFilterKeys",
        ),
        (
            json!({"sourceFilter": {}, "relationshipProperties": {"_class": "IS"}, "propertyMappings": [{"targetProperty": "x"}]}),
            "exactly one",
        ),
        (
            json!({"sourceFilter": {}, "relationshipProperties": {"_class": "IS"}, "skipTargetCreation": "yes"}),
            "skipTargetCreation",
        ),
        (
            json!({"sourceFilter": {}, "relationshipProperties": {"_class": "IS"}, "bogus": 1}),
            "bogus",
        ),
    ] {
        let err = MappingRule::from_json(&bad, "t".into()).unwrap_err();
        assert!(err.contains(why), "{err} should mention {why}");
    }
    // A bad rule in a fixture is an error naming the file and the rule.
    let mut loader = Loader::new(LoadOptions::default());
    let err = loader
        .add_json_value(
            "rules.json",
            &json!({"mappingRules": [{"sourceFilter": 3}]}),
        )
        .unwrap_err();
    assert!(
        err.to_string().starts_with("rules.json: mappingRules[0]:"),
        "{err}"
    );
}

#[test]
fn global_rules_are_opt_in() {
    let data = json!({"entities": [
        {"_key": "u", "_type": "okta_user", "_class": "User", "email": "Ada@Example.com"},
        {"_key": "p", "_type": "employee", "_class": "Person", "email": "ada@example.com"}
    ]});
    let off = load(data.clone());
    assert_eq!(off.report().mapping_rules, 0);
    assert_eq!(off.relationship_count(), 0);
    let on = load_with(
        data,
        LoadOptions {
            global_mappings: true,
            ..LoadOptions::default()
        },
    );
    assert!(
        on.report().mapping_rules > 50,
        "{}",
        on.report().mapping_rules
    );
    // `User -IS-> Person` by toLowerCase(source.email).
    let u = on.entity_by_key("api", "fixture", "u").unwrap();
    let is: Vec<_> = on
        .outgoing(u)
        .iter()
        .filter(|e| on.str(e.verb) == "IS")
        .map(|e| on.entity(e.other).key())
        .collect();
    assert_eq!(is, ["p"]);
}

#[test]
fn every_shipped_global_rule_parses() {
    let doc: Value = serde_json::from_str(j1ql_graph::mapper::GLOBAL_MAPPINGS_JSON).unwrap();
    let shipped = doc["rules"].as_array().unwrap().len();
    assert_eq!(j1ql_graph::mapper::global_rules().len(), shipped);
    assert!(shipped > 80);
}

#[test]
fn mapper_relationships_are_capped_and_reported() {
    // Every user matches every device through one shared `org`: 60 × 60 = 3,600 edges; the
    // limit stops the mapper at 1,000 with a warning instead of exhausting memory.
    let rule = json!({
        "sourceFilter": {"_class": "User"},
        "relationshipProperties": {"_class": "USES"},
        "targetFilterKeys": [["_class", "org"]],
        "skipTargetCreation": true,
        "propertyMappings": [{"sourceProperty": "org", "targetProperty": "org"},
                             {"targetValue": "Device", "targetProperty": "_class"}]
    });
    let mut entities = Vec::new();
    for i in 0..60 {
        entities
            .push(json!({"_key": format!("u{i}"), "_type": "user", "_class": "User", "org": "o"}));
        entities.push(
            json!({"_key": format!("d{i}"), "_type": "device", "_class": "Device", "org": "o"}),
        );
    }
    let g = load_with(
        json!({"entities": entities, "mappingRules": [rule.clone()]}),
        LoadOptions {
            max_mapper_relationships: 1_000,
            ..LoadOptions::default()
        },
    );
    assert_eq!(g.report().mapper_relationships, 1_000);
    let warnings = &g.report().mapper_warnings;
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("1000 relationships (the limit)")),
        "{warnings:?}"
    );
    // Without the limit every pair is related.
    let g = load_with(
        json!({"entities": entities, "mappingRules": [rule]}),
        LoadOptions::default(),
    );
    assert_eq!(g.report().mapper_relationships, 3_600);
}
