#!/usr/bin/env python3
"""Generate the data-model catalog embedded by `j1ql-semantics`.

Usage:
    python3 scripts/gen-catalog.py [CORPUS_DIR] [--check]

CORPUS_DIR defaults to `../shared/corpus` relative to the repository root. The script reads
`data-model.json`, `data-model-schemas-full.json` and `types.jsonl` and writes
`crates/j1ql-semantics/data/catalog.json`: facts only (names, `extends`, required properties,
property types/enums/formats, verbs, metadata properties, entity and relationship `_type`s).
No upstream description text is copied.

`crates/j1ql-semantics/data/descriptions.json` is hand-written and never touched by this script;
the script only warns when a class or verb has no description there (or when it describes a
name the data model does not have).

With `--check`, nothing is written: the script exits 1 if regenerating would change
`catalog.json` (use it in CI). Cleaning statistics go to stderr.

Standard library only.
"""

import json
import re
import sys
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "crates" / "j1ql-semantics" / "data"
CATALOG_PATH = DATA_DIR / "catalog.json"
DESCRIPTIONS_PATH = DATA_DIR / "descriptions.json"

# A `_type` (entity or relationship) is a lowercase snake_case identifier.
TYPE_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")

JSON_TYPES = {"string", "number", "integer", "boolean", "array", "object"}

# Metadata properties the data model does not list but the corpus README documents from the
# JupiterOne Go client (`jupiterone/domain/query.go`) and the bulk-upload schema. `applies_to`
# is "any" or "relationship".
EXTRA_METADATA = [
    ("_scope", ["string"], None, "any"),
    ("_accountId", ["string"], None, "any"),
    ("_fromEntityId", ["string"], None, "relationship"),
    ("_toEntityId", ["string"], None, "relationship"),
    ("_fromEntityKey", ["string"], None, "relationship"),
    ("_toEntityKey", ["string"], None, "relationship"),
]


def warn(msg):
    print(f"gen-catalog: {msg}", file=sys.stderr)


def normalize_type(raw):
    """JSON-schema `type` (string or list, or docs text `string|string[]`) -> (types, nullable)."""
    if raw is None:
        return [], False
    if isinstance(raw, str):
        parts = [p.strip() for p in raw.split("|")]
    else:
        parts = list(raw)
    types, nullable = [], False
    for p in parts:
        if p == "null":
            nullable = True
            continue
        if p.endswith("[]"):
            p = "array"
        if p not in JSON_TYPES:
            warn(f"unknown property type {p!r}; kept as is")
        if p not in types:
            types.append(p)
    return types, nullable


def property_row(name, spec):
    types, nullable = normalize_type(spec.get("type"))
    row = {"name": name, "type": types}
    if nullable:
        row["nullable"] = True
    if "format" in spec:
        row["format"] = spec["format"]
    if "enum" in spec:
        row["enum"] = spec["enum"]
    if "items_enum" in spec:
        # For array properties the allowed values constrain the items; J1QL's `=` on an
        # array means "contains", so the same list serves for both.
        row["enum"] = spec["items_enum"]
        row["enumItems"] = True
    return row


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def build(corpus):
    dm = json.loads((corpus / "data-model.json").read_text(encoding="utf-8"))
    full = json.loads((corpus / "data-model-schemas-full.json").read_text(encoding="utf-8"))
    type_rows = load_jsonl(corpus / "types.jsonl")
    stats = Counter()

    # ---- classes -------------------------------------------------------------------------
    schemas = {s["class"]: s for s in full}
    classes = []
    class_names = set()
    for c in dm["entity_classes"]:
        name = c["class"]
        class_names.add(name)
        extends = c.get("extends") or []
        if len(extends) > 1:
            warn(f"class {name} extends several classes {extends}; keeping the first")
        schema = schemas.get(name)
        props = []
        if schema is None:
            warn(f"class {name} has no full schema; property types unknown")
            props = [{"name": p, "type": []} for p in c.get("property_names", [])]
        else:
            for pname, spec in schema["properties"].items():
                if pname.startswith("__") or not isinstance(spec, dict):
                    continue
                props.append(property_row(pname, spec))
            missing = set(c.get("property_names", [])) - {p["name"] for p in props}
            for pname in sorted(missing):
                props.append({"name": pname, "type": []})
        props.sort(key=lambda p: p["name"])
        classes.append(
            {
                "name": name,
                "extends": extends[0] if extends else None,
                "required": list(c.get("required", [])),
                "properties": props,
            }
        )
    classes.sort(key=lambda c: c["name"])

    # ---- verbs ---------------------------------------------------------------------------
    verbs = sorted({v["verb"].upper() for v in dm["relationship_classes"]})

    # ---- metadata properties -------------------------------------------------------------
    meta = {}
    graph_object = dm.get("graph_object_metadata_properties", {})
    patterns = []
    for pname, spec in graph_object.items():
        if pname == "__patternProperties__":
            patterns.extend(spec)
            continue
        row = property_row(pname, spec)
        row["appliesTo"] = "any"
        meta[pname] = row
    docs_meta = dm.get("metadata_properties_from_docs", {}).get("properties", [])
    for p in docs_meta:
        pname = p["property"]
        types, nullable = normalize_type(p.get("type"))
        row = meta.get(pname) or {"name": pname, "type": types, "appliesTo": "any"}
        if not row["type"]:
            row["type"] = types
        if nullable:
            row["nullable"] = True
        if p.get("group") == "Timestamps":
            row["format"] = "date-time"
        meta[pname] = row
    for pname, types, fmt, applies in EXTRA_METADATA:
        if pname not in meta:
            row = {"name": pname, "type": types, "appliesTo": applies}
            if fmt:
                row["format"] = fmt
            meta[pname] = row
    metadata = sorted(meta.values(), key=lambda r: r["name"])
    # `^tag\.` -> prefix `tag.`; only plain-prefix patterns are supported.
    prefixes = []
    for pat in patterns:
        m = re.fullmatch(r"\^([A-Za-z0-9_]+)\\\.", pat)
        if m:
            prefixes.append(m.group(1) + ".")
        else:
            warn(f"property pattern {pat!r} is not a plain prefix; skipped")

    common = sorted(dm.get("entity_common_properties", {}).keys())

    # ---- global entities -----------------------------------------------------------------
    global_entities = sorted(dm.get("global_entities", []), key=lambda g: g["name"])

    # ---- entity types --------------------------------------------------------------------
    # _type -> {"classes": [...first-seen order...], "integrations": set, "properties": set}
    etypes = {}
    dropped_classes = Counter()

    def add_type(name, classes_, integration, props=()):
        entry = etypes.setdefault(name, {"classes": [], "integrations": set(), "properties": set()})
        for c in classes_:
            if c not in class_names:
                dropped_classes[c] += 1
                continue
            if c not in entry["classes"]:
                entry["classes"].append(c)
        if integration:
            entry["integrations"].add(integration)
        entry["properties"].update(props)

    for r in type_rows:
        if r["kind"] != "entity":
            continue
        stats["entity rows"] += 1
        t = r["_type"].strip()
        if not TYPE_RE.match(t):
            stats["entity rows dropped (bad _type)"] += 1
            warn(f"dropped entity row with _type {t!r} ({r['integration']})")
            continue
        add_type(t, r.get("_class", []), r["integration"])

    global_types = set()
    for g in global_entities:
        e = g["entity"]
        global_types.add(e["_type"])
        cls = e.get("_class", [])
        if isinstance(cls, str):
            cls = [cls]
        props = [k for k in e if not k.startswith("_")]
        add_type(e["_type"], cls, None, props)

    documented_types = set(etypes)

    # ---- relationship types --------------------------------------------------------------
    rels = {}

    def endpoint_ok(x):
        return bool(TYPE_RE.match(x)) or x in class_names

    for r in type_rows:
        if r["kind"] == "entity":
            continue
        mapped = r["kind"] == "mapped"
        stats["relationship rows"] += 1
        frm = r["from"].strip()
        to = (r.get("to_type_mapped") or r["to"]).strip()
        verb = r["_class"].strip().upper()
        reasons = []
        if not endpoint_ok(frm):
            reasons.append("from")
        if not endpoint_ok(to):
            reasons.append("to")
        if verb not in verbs:
            reasons.append("verb")
        if reasons:
            for why in reasons:
                stats[f"relationship rows dropped (bad {why})"] += 1
            stats["relationship rows dropped"] += 1
            warn(
                f"dropped {r['kind']} row {frm!r} {r['_class']!r} {to!r} "
                f"({r['integration']}; bad {', '.join(reasons)})"
            )
            continue
        rtype = r.get("derived_relationship_type")
        if rtype is not None and not TYPE_RE.match(rtype):
            rtype = None
        direction = r.get("direction") if mapped else None
        key = (frm, verb, to, mapped, direction or "", rtype or "")
        entry = rels.setdefault(
            key,
            {
                "from": frm,
                "verb": verb,
                "to": to,
                "type": rtype,
                "mapped": mapped,
                "direction": direction,
                "integrations": set(),
            },
        )
        entry["integrations"].add(r["integration"])
        # Endpoint `_type`s that no entity table lists are still real types.
        if TYPE_RE.match(frm) and frm not in etypes:
            add_type(frm, [], r["integration"])
            stats["entity types added from relationship endpoints"] += 1
        if TYPE_RE.match(to) and to not in etypes:
            add_type(to, [], None if mapped else r["integration"])
            stats["entity types added from relationship endpoints"] += 1

    stats["relationship rows merged (duplicates)"] = (
        stats["relationship rows"] - stats["relationship rows dropped"] - len(rels)
    )

    entity_types = []
    for name in sorted(etypes):
        e = etypes[name]
        row = {"type": name, "classes": e["classes"], "integrations": sorted(e["integrations"])}
        if e["properties"]:
            row["properties"] = sorted(e["properties"])
        if name not in documented_types:
            row["endpointOnly"] = True
        if name in global_types:
            row["globalEntity"] = True
        entity_types.append(row)

    relationship_types = []
    for key in sorted(rels):
        e = rels[key]
        row = {
            "from": e["from"],
            "verb": e["verb"],
            "to": e["to"],
            "type": e["type"],
            "integrations": sorted(e["integrations"]),
        }
        if e["mapped"]:
            row["mapped"] = True
            row["direction"] = e["direction"]
        relationship_types.append(row)

    for c, n in sorted(dropped_classes.items()):
        warn(f"dropped unknown class {c!r} from {n} entity type row(s)")
    stats["unknown class names dropped from types"] = sum(dropped_classes.values())

    catalog = {
        "classes": classes,
        "verbs": verbs,
        "metadataProperties": metadata,
        "propertyPrefixes": prefixes,
        "entityCommonProperties": common,
        "globalEntities": global_entities,
        "entityTypes": entity_types,
        "relationshipTypes": relationship_types,
    }
    stats["classes"] = len(classes)
    stats["verbs"] = len(verbs)
    stats["metadata properties"] = len(metadata)
    stats["entity types"] = len(entity_types)
    stats["relationship types"] = len(relationship_types)
    return catalog, stats


def dump(catalog):
    """Compact, deterministic JSON with one row per line (diff-friendly)."""

    def compact(v):
        return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    out = ["{"]
    keys = sorted(catalog)
    for i, key in enumerate(keys):
        value = catalog[key]
        sep = "," if i + 1 < len(keys) else ""
        if isinstance(value, list) and value and isinstance(value[0], dict):
            out.append(f"{json.dumps(key)}:[")
            for j, row in enumerate(value):
                out.append(compact(row) + ("," if j + 1 < len(value) else ""))
            out.append("]" + sep)
        else:
            out.append(f"{json.dumps(key)}:{compact(value)}{sep}")
    out.append("}")
    return "\n".join(out) + "\n"


def check_descriptions(catalog):
    if not DESCRIPTIONS_PATH.exists():
        warn(f"{DESCRIPTIONS_PATH.relative_to(REPO_ROOT)} is missing: write it by hand")
        return 1
    desc = json.loads(DESCRIPTIONS_PATH.read_text(encoding="utf-8"))
    problems = 0
    for section, names in (
        ("classes", [c["name"] for c in catalog["classes"]]),
        ("verbs", catalog["verbs"]),
        ("metadata", [m["name"] for m in catalog["metadataProperties"]]),
    ):
        have = desc.get(section, {})
        for n in names:
            if not str(have.get(n, "")).strip():
                warn(f"descriptions.json: {section} {n!r} has no description")
                problems += 1
        for n in sorted(set(have) - set(names)):
            warn(f"descriptions.json: {section} {n!r} is not in the data model")
            problems += 1
    return problems


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    flags = {a for a in argv if a.startswith("--")}
    unknown = flags - {"--check"}
    if unknown or len(args) > 1:
        print(__doc__, file=sys.stderr)
        return 2
    corpus = Path(args[0]) if args else REPO_ROOT / ".." / "shared" / "corpus"
    corpus = corpus.resolve()
    catalog, stats = build(corpus)
    text = dump(catalog)
    for k in sorted(stats):
        warn(f"{k}: {stats[k]}")
    check_descriptions(catalog)
    if "--check" in flags:
        current = CATALOG_PATH.read_text(encoding="utf-8") if CATALOG_PATH.exists() else None
        if current != text:
            warn(f"{CATALOG_PATH.relative_to(REPO_ROOT)} is out of date: run python3 scripts/gen-catalog.py")
            return 1
        warn("catalog.json is up to date")
        return 0
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    CATALOG_PATH.write_text(text, encoding="utf-8")
    warn(f"wrote {CATALOG_PATH.relative_to(REPO_ROOT)} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
