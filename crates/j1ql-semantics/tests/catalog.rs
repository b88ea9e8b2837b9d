//! Tests of the data-model catalog (`j1ql_semantics::catalog`).

use std::path::PathBuf;

use j1ql_semantics::catalog::{
    Catalog, MappingDirection, Observations, Origin, PropertySource, PropertyType,
};

/// A file of the corpus the catalog is generated from, in the folder `$J1QL_CORPUS` names (CI
/// sets it to the `shared/corpus` folder beside the repository). Tests that need it are
/// skipped (with a note) when the variable is not set; set but missing is a failure.
fn corpus_file(name: &str) -> Option<PathBuf> {
    let Some(dir) = std::env::var_os("J1QL_CORPUS") else {
        eprintln!("note: J1QL_CORPUS is not set; skipping the corpus comparison");
        return None;
    };
    let path = PathBuf::from(dir).join(name);
    assert!(path.exists(), "J1QL_CORPUS: {} is missing", path.display());
    Some(path)
}

#[test]
fn counts_are_pinned() {
    let catalog = Catalog::builtin();
    assert_eq!(catalog.classes().len(), 98, "entity classes");
    assert_eq!(catalog.verbs().len(), 47, "relationship verbs");
    assert_eq!(
        catalog.metadata_properties().len(),
        17,
        "metadata properties"
    );
    assert_eq!(
        catalog.relationship_metadata_properties().len(),
        4,
        "relationship-only metadata"
    );
    assert_eq!(
        catalog.entity_common_properties().count(),
        29,
        "Entity common properties"
    );
    assert_eq!(catalog.global_entities().len(), 2, "global entities");
    // 1,046 documented entity types + 2 global entities + 56 named only as relationship
    // endpoints, after dropping prose rows (see docs/catalog.md).
    assert_eq!(catalog.types().len(), 1104, "entity types");
    assert_eq!(
        catalog.types().filter(|t| t.endpoint_only).count(),
        56,
        "endpoint-only types"
    );
    assert_eq!(
        catalog.relationship_types().len(),
        1419,
        "relationship types"
    );
    assert_eq!(
        catalog.relationship_types().filter(|r| r.mapped).count(),
        70,
        "mapped relationship types"
    );
}

#[test]
fn every_class_and_verb_of_the_data_model_is_known() {
    let Some(path) = corpus_file("data-model.json") else {
        return;
    };
    let dm: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let catalog = Catalog::builtin();
    let classes = dm["entity_classes"].as_array().unwrap();
    assert_eq!(classes.len(), catalog.classes().len());
    for class in classes {
        let name = class["class"].as_str().unwrap();
        let info = catalog
            .class(name)
            .unwrap_or_else(|| panic!("class {name} unknown"));
        let expected: Vec<&str> = class["property_names"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        let mut own: Vec<&str> = info.properties.iter().map(|p| p.name.as_str()).collect();
        let mut expected_sorted = expected.clone();
        own.sort();
        expected_sorted.sort();
        assert_eq!(own, expected_sorted, "own properties of {name}");
        assert_eq!(
            info.extends.as_deref(),
            class["extends"][0].as_str(),
            "extends of {name}"
        );
    }
    let verbs = dm["relationship_classes"].as_array().unwrap();
    assert_eq!(verbs.len(), catalog.verbs().len());
    for verb in verbs {
        let name = verb["verb"].as_str().unwrap();
        assert!(catalog.is_known_verb(name), "verb {name} unknown");
        assert!(
            catalog.is_known_verb(&name.to_lowercase()),
            "verb {name} is case-insensitive"
        );
    }
}

#[test]
fn every_class_and_verb_has_a_description() {
    let catalog = Catalog::builtin();
    for class in catalog.classes() {
        assert!(
            !class.description.trim().is_empty(),
            "class {} has no description",
            class.name
        );
        assert!(
            !class.description.contains('\n'),
            "class {} description is one line",
            class.name
        );
    }
    for verb in catalog.verbs() {
        assert!(
            !verb.description.trim().is_empty(),
            "verb {} has no description",
            verb.name
        );
    }
    for property in catalog
        .metadata_properties()
        .chain(catalog.relationship_metadata_properties())
    {
        assert!(
            property.description.is_some(),
            "metadata {} has no description",
            property.name
        );
    }
}

#[test]
fn descriptions_are_not_upstream_text() {
    let Some(path) = corpus_file("data-model.json") else {
        return;
    };
    let dm: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let catalog = Catalog::builtin();
    let normalize = |s: &str| {
        s.to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
    };
    for class in dm["entity_classes"].as_array().unwrap() {
        let name = class["class"].as_str().unwrap();
        let upstream = normalize(class["description"].as_str().unwrap_or(""));
        let ours = normalize(&catalog.class(name).unwrap().description);
        assert_ne!(ours, upstream, "description of {name} copies upstream");
    }
    for verb in dm["relationship_classes"].as_array().unwrap() {
        let name = verb["verb"].as_str().unwrap();
        let upstream = normalize(verb["doc"].as_str().unwrap_or(""));
        let ours = normalize(&catalog.verb(name).unwrap().description);
        assert_ne!(ours, upstream, "description of {name} copies upstream");
    }
}

#[test]
fn class_lookup_is_case_sensitive_and_verb_lookup_is_not() {
    let catalog = Catalog::builtin();
    assert!(catalog.is_known_class("DataStore"));
    assert!(!catalog.is_known_class("Datastore"));
    assert!(!catalog.is_known_class("datastore"));
    assert_eq!(catalog.verb("has").unwrap().name, "HAS");
    assert_eq!(catalog.verb("Has").unwrap().name, "HAS");
    assert!(!catalog.is_known_verb("RELATES"));
    assert_eq!(
        catalog.class("DataStore").unwrap().origin,
        Origin::DataModel
    );
}

#[test]
fn property_types_enums_and_formats() {
    let catalog = Catalog::builtin();
    let data_store = catalog.class("DataStore").unwrap();
    assert_eq!(data_store.required, ["classification", "encrypted"]);
    let encrypted = data_store.property("encrypted").unwrap();
    assert_eq!(encrypted.ty, PropertyType::Boolean);
    assert!(encrypted.nullable);

    let host = catalog.class("Host").unwrap();
    let platform = host.property("platform").unwrap();
    assert_eq!(platform.ty, PropertyType::String);
    assert!(platform.enum_values.iter().any(|v| v == "linux"));
    let ip = host.property("publicIpAddress").unwrap();
    assert_eq!(ip.types, [PropertyType::String, PropertyType::Array]);
    assert_eq!(ip.type_text(), "string | array");

    let firewall = catalog
        .class("Firewall")
        .unwrap()
        .property("category")
        .unwrap();
    assert_eq!(firewall.ty, PropertyType::Array);
    assert!(firewall.enum_items);

    let ip_version = catalog
        .class("IpAddress")
        .unwrap()
        .property("ipVersion")
        .unwrap();
    assert_eq!(ip_version.ty, PropertyType::Integer);
    assert_eq!(
        ip_version.enum_values,
        [serde_json::json!(4), serde_json::json!(6)]
    );
    assert!(ip_version.accepts(PropertyType::Number));
    assert!(!ip_version.accepts(PropertyType::String));

    let created = catalog
        .class("Entity")
        .unwrap()
        .property("createdOn")
        .unwrap();
    assert!(created.is_date());
    assert_eq!(created.type_text(), "number (date-time)");
}

#[test]
fn metadata_properties() {
    let catalog = Catalog::builtin();
    let names: Vec<&str> = catalog
        .metadata_properties()
        .map(|p| p.name.as_str())
        .collect();
    for expected in [
        "_class",
        "_type",
        "_key",
        "_id",
        "_source",
        "_scope",
        "_createdOn",
        "_beginOn",
        "_endOn",
        "_deleted",
        "_version",
        "_integrationClass",
        "_integrationType",
        "_integrationName",
        "_integrationDefinitionId",
        "_integrationInstanceId",
        "_accountId",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from metadata"
        );
    }
    assert_eq!(
        catalog.metadata_property("_class").unwrap().types,
        [PropertyType::String, PropertyType::Array]
    );
    assert!(catalog.metadata_property("_beginOn").unwrap().is_date());
    assert!(catalog.metadata_property("_fromEntityKey").is_some());
    assert!(
        !names.contains(&"_fromEntityKey"),
        "relationship-only metadata is listed apart"
    );
    assert!(catalog.is_prefixed_property("tag.Production"));
    assert!(!catalog.is_prefixed_property("tag."));
    assert!(!catalog.is_prefixed_property("tags"));
}

#[test]
fn inheritance_through_extends() {
    let catalog = Catalog::builtin();
    // Disk extends DataStore extends Entity.
    assert_eq!(
        catalog.class("Disk").unwrap().extends.as_deref(),
        Some("DataStore")
    );
    assert_eq!(
        catalog.class_ancestors("Disk"),
        ["DataStore", "Entity", "GraphObject"]
    );
    assert!(catalog.class_is_a("Disk", "Entity"));
    assert!(!catalog.class_is_a("Entity", "Disk"));

    let props = catalog.class_properties("Disk");
    let find = |name: &str| props.iter().find(|p| p.name == name).copied();
    assert_eq!(
        find("encrypted").unwrap().source,
        PropertySource::Class("DataStore")
    );
    assert_eq!(
        find("displayName").unwrap().source,
        PropertySource::Class("Entity")
    );
    assert!(find("_type").is_none(), "metadata is not a class property");
    // Names are listed once, for the nearest class (`public` is declared by DataStore, not Entity).
    assert_eq!(props.iter().filter(|p| p.name == "public").count(), 1);
    assert_eq!(
        find("public").unwrap().source,
        PropertySource::Class("DataStore")
    );

    // AccessKey extends Key: gets Key's `fingerprint`.
    assert!(catalog
        .class_properties("AccessKey")
        .iter()
        .any(|p| p.name == "fingerprint"));
    assert!(catalog.class_properties("NoSuchClass").is_empty());
}

#[test]
fn entity_and_relationship_types() {
    let catalog = Catalog::builtin();
    let bucket = catalog.entity_type("aws_s3_bucket").unwrap();
    assert_eq!(bucket.classes, ["DataStore"]);
    assert_eq!(bucket.integration.as_deref(), Some("aws"));
    assert!(catalog
        .types_of_class("DataStore")
        .any(|t| t.name == "aws_s3_bucket"));

    let endpoint = catalog.entity_type("user_endpoint").unwrap();
    assert!(
        endpoint.integrations.len() > 1,
        "documented by several integrations"
    );
    assert!(endpoint.classes.contains(&"Device".to_string()));

    // Junk rows are gone; an unknown class was dropped from a type's classes.
    assert!(!catalog
        .types()
        .any(|t| t.name.contains(' ') || t.name.contains('(')));
    assert!(catalog
        .types()
        .all(|t| t.classes.iter().all(|c| catalog.is_known_class(c))));
    assert_eq!(
        catalog
            .entity_type("aws_accessanalyzer_analyzer")
            .unwrap()
            .classes,
        ["Scanner"]
    );

    // A type named only as a relationship endpoint.
    let ec2 = catalog.entity_type("aws_ec2").unwrap();
    assert!(ec2.endpoint_only && ec2.classes.is_empty());

    // Global entities.
    let internet = catalog.entity_type("internet").unwrap();
    assert_eq!(internet.origin, Origin::DataModel);
    assert!(internet.properties.contains(&"CIDR".to_string()));
    assert!(catalog
        .global_entities()
        .any(|g| g.type_name() == Some("everyone")));

    let uses: Vec<_> = catalog.relationship_type("aws_instance_uses_ami").collect();
    assert!(!uses.is_empty());
    assert_eq!(
        (
            uses[0].from.as_str(),
            uses[0].verb.as_str(),
            uses[0].to.as_str()
        ),
        ("aws_instance", "USES", "aws_ami")
    );
    assert!(catalog
        .relationship_types()
        .all(|r| catalog.is_known_verb(&r.verb)));

    let reverse = catalog
        .relationship_type("github_issue_assigned_user")
        .find(|r| r.mapped)
        .unwrap();
    assert_eq!(reverse.direction, Some(MappingDirection::Reverse));
    assert_eq!(
        (reverse.edge_from(), reverse.edge_to()),
        ("github_user", "github_issue")
    );
}

#[test]
fn type_properties_combine_classes_data_and_metadata() {
    let catalog = Catalog::builtin();
    let props = catalog.type_properties("aws_s3_bucket");
    let find = |name: &str| props.iter().find(|p| p.name == name).copied();
    assert_eq!(
        find("encrypted").unwrap().source,
        PropertySource::Class("DataStore")
    );
    assert_eq!(
        find("displayName").unwrap().source,
        PropertySource::Class("Entity")
    );
    assert_eq!(find("_createdOn").unwrap().source, PropertySource::Metadata);

    let internet = catalog.type_properties("internet");
    assert!(internet.iter().any(|p| p.name == "CIDRv6"));

    let unknown = catalog.type_properties("no_such_type");
    assert_eq!(unknown.len(), catalog.metadata_properties().len());

    let rel = catalog.relationship_properties("aws_instance_uses_ami");
    assert!(rel.iter().any(|p| p.name == "_fromEntityKey"));
}

#[test]
fn suggestions() {
    let catalog = Catalog::builtin();
    assert_eq!(catalog.suggest_class("Usr"), Some("User"));
    assert_eq!(catalog.suggest_class("Datastore"), Some("DataStore"));
    assert_eq!(catalog.suggest_class("Vulnerabilty"), Some("Vulnerability"));
    assert_eq!(catalog.suggest_class("Worlkoad"), Some("Workload"));
    assert_eq!(catalog.suggest_class("Xyzzy"), None);
    assert_eq!(
        catalog.suggest_class("User"),
        None,
        "a known class needs no suggestion"
    );
    assert_eq!(catalog.suggest_verb("HASS"), Some("HAS"));
    assert_eq!(catalog.suggest_verb("alows"), Some("ALLOWS"));
    assert_eq!(
        catalog.suggest_verb("has"),
        None,
        "verbs are case-insensitive"
    );
    assert_eq!(catalog.suggest_verb("Xyzzy"), None);
    assert_eq!(catalog.suggest_type("aws_s3_buckt"), Some("aws_s3_bucket"));
    assert_eq!(catalog.suggest_type("AWS_S3_BUCKET"), Some("aws_s3_bucket"));
    assert_eq!(catalog.suggest_type("xyzzy"), None);
}

#[test]
fn extension_by_observations() {
    let builtin = Catalog::builtin();
    let mut observations = Observations::new();
    observations.observe_entity(
        "acme_widget",
        ["Widget", "Device"],
        ["colour", "sizeCm", "_key"],
    );
    observations.observe_entity("aws_s3_bucket", ["DataStore"], ["bucketPolicyEnabled"]);
    observations.observe_relationship(
        "acme_widget_frobs_host",
        "frobs",
        "acme_widget",
        "acme_host",
        ["strength"],
    );

    let extended = builtin.extended(&observations);
    assert!(!extended.ptr_eq(builtin));
    // The builtin catalog is unchanged.
    assert!(!builtin.is_known_type("acme_widget"));
    assert!(!builtin.is_known_verb("FROBS"));

    let widget = extended.entity_type("acme_widget").unwrap();
    assert_eq!(widget.origin, Origin::Observed);
    assert_eq!(widget.classes, ["Device", "Widget"]);
    assert_eq!(
        widget.properties,
        ["colour", "sizeCm"],
        "metadata names are not data properties"
    );
    assert!(
        extended.is_known_type("acme_host"),
        "relationship endpoints become types"
    );
    assert!(extended.is_known_class("Widget"));
    assert_eq!(extended.class("Widget").unwrap().origin, Origin::Observed);
    assert!(extended.is_known_verb("frobs"));
    assert_eq!(extended.verb("Frobs").unwrap().name, "FROBS");
    assert!(extended.is_known_relationship_type("acme_widget_frobs_host"));
    let rel = extended.relationship_properties("acme_widget_frobs_host");
    assert!(rel
        .iter()
        .any(|p| p.name == "strength" && p.source == PropertySource::Data));

    // A documented type gains the properties seen in data, keeps its classes and origin.
    let bucket = extended.entity_type("aws_s3_bucket").unwrap();
    assert_eq!(bucket.origin, Origin::IntegrationDocs);
    assert_eq!(bucket.properties, ["bucketPolicyEnabled"]);
    let props = extended.type_properties("aws_s3_bucket");
    assert!(props
        .iter()
        .any(|p| p.name == "bucketPolicyEnabled" && p.source == PropertySource::Data));
    assert!(!props.iter().any(|p| p.name == "sizeCm"));
    // Widget properties: Device's (declared) and the observed ones.
    let widget_props = extended.type_properties("acme_widget");
    assert!(widget_props.iter().any(|p| p.name == "serial"));
    assert!(widget_props.iter().any(|p| p.name == "colour"));

    assert_eq!(extended.suggest_type("acme_widgit"), Some("acme_widget"));
    assert_eq!(extended.classes().len(), 99);

    // Extending in place; an empty observation changes nothing.
    let mut copy = builtin.clone();
    copy.extend(&Observations::new());
    assert!(copy.ptr_eq(builtin));
    copy.extend(&observations);
    assert!(copy.is_known_type("acme_widget"));
    assert!(!builtin.is_known_type("acme_widget"));
}

#[test]
fn observations_merge() {
    let mut a = Observations::new();
    a.observe_entity("t1", ["User"], ["p1"]);
    let mut b = Observations::new();
    b.observe_entity("t1", ["Person"], ["p2"]);
    b.observe_relationship("t1_has_t2", "HAS", "t1", "t2", []);
    a.merge(b);
    let t1 = &a.entity_types["t1"];
    assert_eq!(t1.classes.len(), 2);
    assert_eq!(t1.properties.len(), 2);
    assert!(a.verbs.contains("HAS"));
    assert!(!a.is_empty());
}

#[test]
fn builtin_is_one_instance() {
    let a = Catalog::builtin();
    let b = Catalog::builtin();
    assert!(std::ptr::eq(a, b));
    assert!(a.ptr_eq(b));
    let cloned = a.clone();
    assert!(cloned.ptr_eq(a), "cloning shares the data");
    assert!(Catalog::default().ptr_eq(a));
}
