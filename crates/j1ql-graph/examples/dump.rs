//! `cargo run --release -p j1ql-graph --example dump -- PATH... > dump.txt`: loads fixtures
//! (with `_createdOn` fixed at 0) and prints everything the graph holds, one line per entity,
//! relationship and adjacency list, with the interned [`j1ql_graph::Sym`] numbers of names and
//! values. Two loader versions that print the same dump built the same graph, down to string
//! numbering (which orders properties); `docs/performance.md` uses it to check that a faster
//! loader changed nothing.
use std::io::{BufWriter, Write};

use j1ql_graph::{load_paths, Graph, LoadOptions, PropValue};

fn value(g: &Graph, v: &PropValue) -> String {
    match v {
        PropValue::String(s) => format!("#{}={:?}", s.index(), g.str(*s)),
        PropValue::Array(items) => {
            let parts: Vec<String> = items.iter().map(|i| value(g, i)).collect();
            format!("[{}]", parts.join(","))
        }
        other => g.value_to_json(other).to_string(),
    }
}

fn main() -> std::io::Result<()> {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let options = LoadOptions {
        timestamp_ms: Some(0),
        ..LoadOptions::default()
    };
    let g = match load_paths(&paths, options) {
        Ok(g) => g,
        Err(e) => {
            println!("error: {e}");
            return Ok(());
        }
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    writeln!(out, "{}", serde_json::to_string(g.report())?)?;
    writeln!(out, "strings {}", g.strings().len())?;
    for e in g.entities() {
        let g = e.graph();
        let classes: Vec<String> = e
            .class_syms()
            .iter()
            .map(|c| format!("#{}={}", c.index(), g.str(*c)))
            .collect();
        let props: Vec<String> = e
            .property_syms()
            .iter()
            .map(|(k, v)| format!("#{}={}:{}", k.index(), g.str(*k), value(g, v)))
            .collect();
        let sym = |s: &str| g.sym(s).map_or(u32::MAX, |s| s.index());
        writeln!(
            out,
            "E{} id=#{}={} key=#{}={} type=#{}={} class={} sg={}/{} props={}",
            e.id().0,
            sym(e.id_str()),
            e.id_str(),
            sym(e.key()),
            e.key(),
            e.type_sym().index(),
            e.type_name(),
            classes.join(","),
            e.source(),
            e.scope(),
            props.join(" ")
        )?;
        let edges = |edges: &[j1ql_graph::Edge]| -> String {
            edges
                .iter()
                .map(|x| format!("{}/{}/{}", x.rel.0, x.verb.index(), x.other.0))
                .collect::<Vec<_>>()
                .join(" ")
        };
        writeln!(out, "  out {}", edges(e.outgoing()))?;
        writeln!(out, "  in {}", edges(e.incoming()))?;
    }
    for r in g.relationships() {
        let sym = |s: &str| g.sym(s).map_or(u32::MAX, |s| s.index());
        writeln!(
            out,
            "R{} {} id#{} key#{} type#{} verb#{}",
            r.id().0,
            r.to_json(),
            sym(r.id_str()),
            sym(r.key()),
            sym(r.type_name()),
            r.verb().index()
        )?;
    }
    Ok(())
}
