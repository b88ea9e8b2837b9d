#!/usr/bin/env python3
"""Converts JupiterOne's published global mapping rules (shared/corpus/mapping-rules.json, a
docs-derived form) into the rule format of seed 001, for `--global-mappings`.

    python3 crates/j1ql-graph/scripts/convert-mappings.py \
        ../shared/corpus/mapping-rules.json > crates/j1ql-graph/data/global-mappings.json

Rules that cannot be expressed are listed under "skipped" with the reason (see docs/graph.md).
Two documented extensions are used: a source filter value {"not": V} and a property mapping
"transform": "lowerCase".
"""
import json
import re
import sys

SRC = re.compile(r"^source\.([A-Za-z0-9_.\-]+)$")
LOWER = re.compile(r"^toLowerCase\(source\.([A-Za-z0-9_.\-]+)\)$")


def is_class(name):
    return name[:1].isupper()


def scalar(text):
    if text == "true":
        return True
    if text == "false":
        return False
    if text == "null":
        return None
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return text[1:-1]
    return text


def alternatives(text):
    """`(a|b)` -> [a, b]; anything else -> None."""
    if text.startswith("(") and text.endswith(")") and "|" in text:
        return [scalar(p.strip()) for p in text[1:-1].split("|")]
    return None


def source_filter_value(text):
    if "****" in text:
        raise ValueError("account-specific (a redacted _accountId in the source filter)")
    negated = text.startswith("!")
    body = text[1:] if negated else text
    alts = alternatives(body)
    value = alts if alts is not None else scalar(body)
    return {"not": value} if negated else value


def mapping(target_property, text):
    """A property mapping for `target_property` from the docs' value text (list for [a,b])."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        return [mapping(target_property, p)[0] for p in text[1:-1].split(",")]
    m = SRC.match(text)
    if m:
        return [{"sourceProperty": m.group(1), "targetProperty": target_property}]
    m = LOWER.match(text)
    if m:
        return [{"sourceProperty": m.group(1), "targetProperty": target_property,
                 "transform": "lowerCase"}]
    if "{" in text or "source." in text:
        raise ValueError(f"value {text!r} is an expression the rule format cannot express")
    if text.startswith("!"):
        raise ValueError(f"negated target filter {text!r}")
    alts = alternatives(text)
    return [{"targetValue": alts if alts is not None else scalar(text),
             "targetProperty": target_property}]


def split_names(names):
    """Class names and type names separately (a rule needs one of the two)."""
    classes = [n for n in names if is_class(n)]
    types = [n for n in names if not is_class(n)]
    groups = []
    if classes:
        groups.append(("_class", classes))
    if types:
        groups.append(("_type", types))
    return groups


def convert(rule):
    if "<ROOT>" in rule["target"] or "<ROOT>" in rule["source"]:
        raise ValueError("targets the account root entity, which fixture data does not have")
    if not rule["target_filters"]:
        raise ValueError("no target filter in the docs (it would relate every target)")
    creates = bool(rule["transferred_properties"])
    source_filter = {}
    for f in rule["source_filters"]:
        source_filter[f["property"]] = source_filter_value(f["value"])
    # Target filters: each gives one key; a [a, b] list gives alternatives (separate rules).
    alternatives_per_key = []
    for f in rule["target_filters"]:
        alternatives_per_key.append((f["property"], mapping(f["property"], f["value"])))
    multi = [k for k, ms in alternatives_per_key if len(ms) > 1]
    if multi and creates:
        raise ValueError("several source values for one target key in a rule that creates targets")
    transferred = []
    for t in rule["transferred_properties"]:
        try:
            transferred.extend(mapping(t["property"], t["value"]))
        except ValueError:
            # A property the format cannot compute is left out; the rest still transfers.
            continue
    out = []
    combos = [[]]
    for key, ms in alternatives_per_key:
        combos = [c + [(key, m)] for c in combos for m in ms]
    source_groups = split_names([n for n in rule["source"] if n != "*"]) or [(None, None)]
    target_groups = split_names([n for n in rule["target"] if n != "*"]) or [(None, None)]
    for skey, snames in source_groups:
        for tkey, tnames in target_groups:
            for combo in combos:
                sf = dict(source_filter)
                if skey:
                    sf[skey] = snames if len(snames) > 1 else snames[0]
                keys = [k for k, _ in combo]
                mappings = [m for _, m in combo]
                if tkey:
                    keys = [tkey] + keys
                    mappings.append({"targetValue": tnames if len(tnames) > 1 else tnames[0],
                                     "targetProperty": tkey})
                seen = {m["targetProperty"] for m in mappings}
                mappings += [m for m in transferred if m["targetProperty"] not in seen]
                out.append({
                    "title": rule["title"],
                    "sourceFilter": sf,
                    "relationshipProperties": {"_class": rule["relationship_class"]},
                    "relationshipDirection": rule["direction"],
                    "targetFilterKeys": [keys],
                    "propertyMappings": mappings,
                    "skipTargetCreation": not creates,
                })
    return out


def main():
    data = json.load(open(sys.argv[1]))
    rules, skipped = [], []
    for rule in data["rules"]:
        if rule["scope"] != "global":
            continue
        try:
            rules.extend(convert(rule))
        except ValueError as e:
            skipped.append({"title": rule["title"], "reason": str(e)})
    doc = {
        "description": "JupiterOne's published global mapping rules (JupiterOne-Archives/docs "
                       "mappings-global.md, via shared/corpus/mapping-rules.json) converted to "
                       "the seed-001 rule format by scripts/convert-mappings.py. Extensions: "
                       "sourceFilter {\"not\": V}, propertyMappings \"transform\": \"lowerCase\".",
        "published": sum(1 for r in data["rules"] if r["scope"] == "global"),
        "converted": len(data["rules"]) and sum(1 for r in data["rules"] if r["scope"] == "global") - len(skipped),
        "rules": rules,
        "skipped": skipped,
    }
    json.dump(doc, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
