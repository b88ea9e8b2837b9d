//! The synthetic account generator: deterministic, and `relationships` adds relationships
//! without changing anything else.

use j1ql_graph::generate::{generate, generate_with, GenerateOptions, GeneratedFile};
use j1ql_graph::{Graph, LoadOptions, Loader};

fn with_options(options: GenerateOptions) -> Vec<GeneratedFile> {
    let mut out = Vec::new();
    generate_with(options, |f| {
        out.push(f);
        Ok(())
    })
    .unwrap();
    out
}

fn load(files: &[GeneratedFile]) -> Graph {
    let mut loader = Loader::new(LoadOptions {
        timestamp_ms: Some(0),
        ..LoadOptions::default()
    });
    for f in files {
        loader.add_bytes(&f.name, f.text.as_bytes()).unwrap();
    }
    loader.finish().unwrap()
}

#[test]
fn same_seed_same_bytes() {
    assert_eq!(generate(12_000, 7), generate(12_000, 7));
    assert_ne!(generate(12_000, 7), generate(12_000, 8));
}

#[test]
fn extra_relationships_reach_the_total_and_keep_the_rest() {
    let plain = generate(12_000, 3);
    let plain_rels: usize = plain.iter().map(|f| f.relationships).sum();
    let entities: usize = plain.iter().map(|f| f.entities).sum();
    assert!(
        plain_rels < 2 * entities,
        "{plain_rels} relationships on their own"
    );

    let wanted = 2 * entities;
    let dense = with_options(GenerateOptions {
        entities: 12_000,
        seed: 3,
        relationships: Some(wanted),
    });
    let dense_rels: usize = dense.iter().map(|f| f.relationships).sum();
    assert!(
        (wanted..wanted + dense.len()).contains(&dense_rels),
        "{dense_rels} relationships for {wanted} asked"
    );
    for (p, d) in plain.iter().zip(&dense) {
        assert_eq!(p.name, d.name);
        assert_eq!(p.entities, d.entities);
        // Same entities, the plain relationships first, then the extras.
        let (p_head, _) = p.text.split_once("\n  ]\n}").unwrap();
        assert!(d.text.starts_with(p_head), "{} changed", p.name);
    }

    let graph = load(&dense);
    assert_eq!(
        graph.report().relationships,
        dense_rels,
        "every extra resolves"
    );
    assert!(graph.report().skipped_relationships.is_empty());
    assert_eq!(graph.report().duplicates, 0);
}

#[test]
fn fewer_than_the_shapes_make_changes_nothing() {
    let plain = generate(6_000, 5);
    let asked = with_options(GenerateOptions {
        entities: 6_000,
        seed: 5,
        relationships: Some(10),
    });
    assert_eq!(plain, asked);
}
