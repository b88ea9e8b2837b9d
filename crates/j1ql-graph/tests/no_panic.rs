//! No input makes the loader panic: random bytes, random JSON, mutated payloads.

use j1ql_graph::{LoadOptions, Loader};
use proptest::prelude::*;

fn load_bytes(name: &str, bytes: &[u8], global: bool) {
    let mut loader = Loader::new(LoadOptions {
        global_mappings: global,
        timestamp_ms: Some(0),
        ..LoadOptions::default()
    });
    if loader.add_bytes(name, bytes).is_ok() {
        let _ = loader.finish();
    }
}

const SEED: &str = r#"{"source":"api","scope":"s","entities":[
 {"_key":"p","_type":"employee","_class":"Person","email":"a@b.c","tag":{"x":true}},
 {"_key":"u","_type":"okta_user","_class":["User"],"email":"a@b.c","_id":"id-1"}],
 "relationships":[{"_class":"IS","_fromEntityId":"id-1","_toEntityKey":"p"},
 {"_class":"HAS","_fromEntityKey":"p","_toEntityKey":"u","_toEntitySource":"api"}],
 "mappingRules":[{"sourceFilter":{"_class":"Person"},"relationshipProperties":{"_class":"IS"},
 "targetFilterKeys":[["_class","email"]],"propertyMappings":[{"sourceProperty":"email","targetProperty":"email"},
 {"targetValue":"User","targetProperty":"_class"}]}]}"#;

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<f64>().prop_map(|f| serde_json::json!(f)),
        "[_a-zA-Z.]{0,8}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("_key".to_string()),
                        Just("_type".to_string()),
                        Just("_class".to_string()),
                        Just("_id".to_string()),
                        Just("entities".to_string()),
                        Just("relationships".to_string()),
                        Just("mappingRules".to_string()),
                        Just("sourceFilter".to_string()),
                        Just("_fromEntityKey".to_string()),
                        Just("_toEntityId".to_string()),
                        "[a-z]{1,4}".prop_map(|s| s),
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|kv| serde_json::Value::Object(kv.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        load_bytes("x.json", &bytes, false);
        load_bytes("x.jsonl", &bytes, false);
    }

    #[test]
    fn random_json(value in json_value()) {
        load_bytes("x.json", value.to_string().as_bytes(), true);
    }

    #[test]
    fn mutated_payload(at in 0..SEED.len(), cut in 0usize..20, byte in any::<u8>()) {
        let mut bytes = SEED.as_bytes().to_vec();
        let end = (at + cut).min(bytes.len());
        bytes.splice(at..end, [byte]);
        load_bytes("m.json", &bytes, true);
        load_bytes("m.jsonl", &bytes, false);
    }
}
