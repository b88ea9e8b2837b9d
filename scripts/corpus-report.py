#!/usr/bin/env python3
"""Generates docs/corpus-report.md: how the real J1QL corpus parses.

Runs the real parser through the CLI (`j1ql corpus-check FILE --format json`) over
`queries.jsonl` and `queries-history.jsonl` of the shared corpus, then writes the parse rate per
`source_kind`, the lossless check (every tree's text equals its query), and every failing query
with its first error and a hand-written reason why it is not valid J1QL.

The reasons are a mapping below, keyed by a regular expression of the query. A failing query that
no reason matches makes the script fail: a new failure needs a human look (is it the parser's
fault, or invalid J1QL?) before the report can be regenerated.

Usage (from anywhere):
    python3 scripts/corpus-report.py                  # write docs/corpus-report.md
    python3 scripts/corpus-report.py --check          # exit 1 if the file is out of date
    python3 scripts/corpus-report.py --bin target/release/j1ql --corpus-dir ../shared/corpus
"""

import argparse
import json
import os
import re
import subprocess
import sys
from collections import Counter, OrderedDict

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CORPUS = os.path.join(os.path.dirname(REPO), "shared", "corpus")
OUTPUT = os.path.join(REPO, "docs", "corpus-report.md")

# The kinds CI holds to zero failures (`.ci/run`).
SHIPPED_KINDS = ["question-yaml", "json", "dashboard-json"]

# (regex searched in the query, reason it is not valid J1QL, possibly valid?)
# First match wins, so specific patterns come before general ones. Set the third field to True
# for a failure that might be valid J1QL the parser should accept: the report lists those apart.
REASONS = [
    # --- docs pseudo-syntax and placeholders -------------------------------------------------
    (r"FIND <entity> \[WITH", "docs grammar summary in pseudo-syntax (`<entity>`, `[...]`), not a query", False),
    (r"<entity_type>", "docs pseudo-syntax: `<entity_type>` placeholder", False),
    (r"\{Entity class or type\}|\{class or type of an asset\}", "docs placeholder in braces (`{class or type}`), not a class", False),
    (r"tag\.\{tagName\}", "docs placeholders `{tagName}`/`{tagValue}` where a property name is required", False),
    (r"\{days\} days", "template placeholder `{days}` (single braces) where a number is required", False),
    (r"\{\{\$\{jupiterone_dashboard_parameter", "Terraform interpolation `${...}` inside `{{...}}`: template code, not J1QL", False),
    (r"\$\{codeModules", "JavaScript template literal (`${codeModules.map(...)}`): template code, not J1QL", False),
    (r"^n/a$", "not a query (`n/a` in a docs table)", False),
    (r"^return\s", "fragment: a RETURN clause without its FIND (docs excerpt)", False),
    (r"THAT IS\? Person", "pseudo-syntax `IS?` for an optional traversal (J1QL writes `(THAT IS Person)?`)", False),
    (r"THAT >> HAS", "direction before the verb: J1QL writes `THAT HAS >> Device`", False),
    (r"\n\nOR\n\nFind", "two alternative queries joined by a prose `OR` line", False),
    (r"\(edited\)", "curly quotes `“ ”` around a column name (and a trailing `(edited)` copied from a chat)", False),
    (r"trusted\.name`", "stray Markdown backtick at the end of the query", False),
    (r"^Find google_user ASSIGNED google_iam_role$", "release-note prose naming a relationship, not a query (no `THAT` before the verb)", False),
    # --- `#` comments from LLM-facing guides --------------------------------------------------
    (r"(^|\s)# ", "`#` used as a comment (J1QL comments are `//` and `/* */`; `#` starts a smart class)", False),
    # --- escaping artefacts of the source file --------------------------------------------------
    (r"\\'", "Python string escapes `\\'` left in the query text", False),
    (r'\\"', 'JSON/YAML string escapes `\\"` left in the query text', False),
    # --- quoting mistakes ----------------------------------------------------------------------
    (r"[“”]", "curly quotes `“ ”` instead of `'` or `\"`", False),
    (r"public!=true'|/CidrIp/i'$", "stray `'` after a value (unterminated string)", False),
    (r"!='\(/\*'debug5'", "quote before the value group and a comment around its first values: unbalanced quotes", False),
    # --- parentheses ---------------------------------------------------------------------------
    (r"\^2\)\) as score", "unbalanced parenthesis: one `)` too many in the RETURN math (docs typo)", False),
    (r"or tags = 'CriticalAsset'$", "unbalanced parenthesis: the condition group is never closed (docs typo)", False),
    (r"status = 'FAILED'\) AND", "unbalanced parenthesis: a `)` with no `(`", False),
    (r"google_sql_instance \|\n\)", "trailing `|` before `)` in a class/type group", False),
    # --- missing keywords ----------------------------------------------------------------------
    (r"^FIND \w+ !\w+ ", "missing THAT before verb (`FIND a !HAS b`)", False),
    (r"^Find google_user ASSIGNED", "missing THAT before verb", False),
    (r"^FIND orca_account mfaEnabled", "missing WITH before the condition", False),
    (r"\) AND displayName ~=", "`AND` where `WITH` is needed before the first condition", False),
    (r"^FIND trellix_apiKey or trellix_mobileApiKey", "`or` between types: J1QL writes a group `(trellix_apiKey|trellix_mobileApiKey)`", False),
    (r"THAT IS okta_user\|azure_user", "class/type alternation without parentheses: J1QL writes `(okta_user|azure_user|google_user)`", False),
    (r"with with ", "`with` written twice", False),
    (r"google_compute instance", "typo: space inside the type name `google_compute instance`", False),
    (r"AS ManagerType\n", "missing `,` between RETURN items (at the end of a line)", False),
    (r"as \"Monthly ?Cost\", \n order by", "trailing `,` after the last RETURN item, before ORDER BY", False),
    (r"THAT ALLOWS as perm \* aws_glue", "two targets after the verb (`* aws_glue`)", False),
    # --- values --------------------------------------------------------------------------------
    (r"<= /\*|> /\*", "template: the value is left as a comment (`/* Set number ... */`)", False),
    (r"\"currentDate in J1QL\"|\"array is (not )?empty\"", "pseudo-code in quotes describing the check, not J1QL", False),
    (r"~= \"NOT_INITIATED\" OR \"IN_PROCESS\"|= 'Critical' or 'Major'|= 'removedFailed' or|!= 'compliant' OR 'Compliant'",
     "bare value after OR: several values need a value group `= ('a' OR 'b')`", False),
    (r"createdOn/firstSeenOn", "prose `createdOn/firstSeenOn` (one property or the other) where a property is required", False),
    (r"sophos_role that has permissionSet = defined", "prose: a traversal inside a WITH filter, and `defined` is not a value", False),
    (r"that has a updatedAt", "prose (`has a updatedAt`), not a traversal or a filter", False),
    (r"ag\.startOn > cyberark_epm_hostagent startOn", "compares with another entity's property (`cyberark_epm_hostagent startOn`): not a J1QL value", False),
    # Last: several queries above also have this mistake besides their main one.
    (r"> \d+ days|< 24 hours", "relative date without `date.now -` (J1QL writes `> date.now - 30 days`)", False),
    # --- possibly valid --------------------------------------------------------------------------
    (r"as policy and tag\.AccountName", "WITH filter continued with `and` after the `AS` alias (J1QL docs' own example; the parser wants `as policy with tag...`)", True),
]

HISTORY_KIND_RULES = [
    (re.compile(r"questions\.ya?ml$"), "question-yaml"),
    (re.compile(r"board\.json$"), "dashboard-json"),
    (re.compile(r"^rule-packs/.*\.json$"), "json"),
]


def infer_kind(row):
    """`queries-history.jsonl` rows have no `source_kind`: infer it from the path."""
    if row.get("source_kind"):
        return row["source_kind"]
    for pattern, kind in HISTORY_KIND_RULES:
        if pattern.search(row.get("path", "")):
            return kind
    return "unknown"


def run_corpus_check(j1ql, path):
    result = subprocess.run(
        j1ql + ["corpus-check", path, "--format", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if result.returncode not in (0, 1):
        sys.exit(f"j1ql corpus-check {path} failed ({result.returncode}):\n{result.stderr}")
    return json.loads(result.stdout)


def reason_for(query):
    for pattern, reason, possibly_valid in REASONS:
        if re.search(pattern, query):
            return reason, possibly_valid
    return None, False


def analyse(j1ql, path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if line.strip():
                rows[i] = json.loads(line)
    report = run_corpus_check(j1ql, path)
    failures = {f["line"]: f for f in report["failures"]}
    per_kind = OrderedDict()
    for line, row in rows.items():
        kind = infer_kind(row)
        stats = per_kind.setdefault(kind, Counter())
        stats["total"] += 1
        stats["failed" if line in failures else "passed"] += 1
    unexplained = []
    for failure in report["failures"]:
        failure["kind"] = infer_kind(rows[failure["line"]])
        reason, possibly_valid = reason_for(failure["query"])
        failure["reason"] = reason
        failure["possibly_valid"] = possibly_valid
        if reason is None:
            unexplained.append(failure)
    return {
        "path": path,
        "total": len(rows),
        "summary": report["summary"],
        "per_kind": per_kind,
        "failures": report["failures"],
        "unexplained": unexplained,
    }


def pct(part, whole):
    return "—" if whole == 0 else f"{100.0 * part / whole:.1f}%"


def cell(text):
    """Escapes `|` for a Markdown table cell."""
    return text.replace("|", "\\|")


def kind_table(result, kind_note):
    lines = [
        "| source_kind | queries | parse cleanly | fail | parse rate |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    kinds = sorted(result["per_kind"].items(), key=lambda kv: (-kv[1]["total"], kv[0]))
    for kind, s in kinds:
        shipped = " (shipped)" if kind in SHIPPED_KINDS and kind_note else ""
        lines.append(
            f"| `{kind}`{shipped} | {s['total']} | {s['passed']} | {s['failed']} | {pct(s['passed'], s['total'])} |"
        )
    s = result["summary"]
    total = s["passed"] + s["failed"]
    lines.append(f"| **all** | **{total}** | **{s['passed']}** | **{s['failed']}** | **{pct(s['passed'], total)}** |")
    return "\n".join(lines)


def fence(query):
    ticks = "```"
    while ticks in query:
        ticks += "`"
    return f"{ticks}text\n{query.rstrip()}\n{ticks}"


def failure_list(result, name):
    out = []
    for n, f in enumerate(result["failures"], 1):
        d = f["diagnostics"][0] if f["diagnostics"] else None
        origin = f"{f.get('repo', '?')} `{f.get('path', '?')}`"
        out.append(f"{n}. **{f['reason']}**{'  _(possibly valid, see above)_' if f['possibly_valid'] else ''}  ")
        out.append(f"   `{f['kind']}` · {origin} · {name} line {f['line']}  ")
        if d:
            out.append(f"   First error: `{d['code']}` ({d['name']}) at {d['line']}:{d['column']}: {d['message']}")
        if not f["lossless"]:
            out.append("   **The tree's text differs from the query.**")
        out.append("")
        out.append("\n".join("   " + l if l else "" for l in fence(f["query"]).split("\n")))
        out.append("")
    return "\n".join(out)


def reason_counts(results):
    counts = Counter()
    for r in results:
        for f in r["failures"]:
            counts[f["reason"]] += 1
    lines = ["| reason | queries |", "| --- | ---: |"]
    for reason, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"| {cell(reason)} | {count} |")
    return "\n".join(lines)


# Semantic diagnostics that JupiterOne's own shipped queries trigger on purpose or by real
# mistake, with what each finding means (reviewed by hand; a code missing here stops the script).
SEMANTIC_NOTES = {
    "S001": "real bugs: an alias that is not defined (the one shipped case writes `cm,displayName` for `cm.displayName`)",
    "S003": "`UNIQUE` without `RETURN`: the spec says they go together, but JupiterOne ships such queries, so it is a warning (UNIQUE has no effect)",
    "S010": "classes outside the published data model (`UnifiedVulnerability`, `Token`) and real typos (`Worlkoad`, `HOST`)",
    "S011": "verbs outside the published data model (`PERMITS`, `REJECTS`)",
    "S014": "`FIND *` followed by THAT without WITH, which the spec warns is slow",
}


def semantic_section(j1ql, path):
    """Runs `j1ql check --format json` on the shipped queries (one document, `;` between them)
    and tallies the semantic diagnostics (errors and warnings) by code."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                if infer_kind(row) in SHIPPED_KINDS:
                    rows.append(row)
    doc, starts = [], []
    line_no = 1
    for row in rows:
        starts.append(line_no)
        text = row["query"].rstrip("\n")
        doc.append(text)
        line_no += text.count("\n") + 2  # the query's lines, then the `;` line
    document = "\n;\n".join(doc) + "\n"
    result = subprocess.run(j1ql + ["check", "--format", "json", "-"], input=document,
                            capture_output=True, text=True)
    report = json.loads(result.stdout)
    by_code = OrderedDict()
    import bisect
    for d in report["diagnostics"]:
        if not d["code"].startswith("S"):
            sys.exit(f"error: a shipped query has a syntax error: {d}")
        q = rows[bisect.bisect_right(starts, d["line"]) - 1]
        by_code.setdefault((d["code"], d["name"], d["severity"]), []).append((q, d["message"]))
    lines = [
        "## Semantic diagnostics on the shipped queries",
        "",
        f"`j1ql check` (syntax plus semantics, errors and warnings) over the {len(rows)} shipped queries.",
        "Info-level findings (such as `S013` unknown entity types, which are common because the",
        "integration docs list only part of the types) are not shown by `check` and not counted.",
        "",
        "| code | name | severity | queries | what it means here |",
        "| --- | --- | --- | ---: | --- |",
    ]
    for (code, name, severity), hits in sorted(by_code.items()):
        note = SEMANTIC_NOTES.get(code)
        if note is None:
            sys.exit(f"error: no SEMANTIC_NOTES entry for {code}: review its hits and add one")
        lines.append(f"| `{code}` | {name} | {severity} | {len(hits)} | {cell(note)} |")
    errors = [(q, m) for (c, _, sev), hits in by_code.items() if sev == "error" for q, m in hits]
    lines += ["", f"Semantic errors in shipped queries: **{len(errors)}**."]
    for q, m in errors:
        lines += ["", f"- {cell(m)} ({q.get('repo', '?')} `{q.get('path', '?')}`)", "",
                  "\n".join("  " + l if l else "" for l in fence(q["query"]).split("\n"))]
    return "\n".join(lines)


def render(main, history, semantics=""):
    def lossless_line(r):
        s = r["summary"]
        total = s["passed"] + s["failed"]
        return f"{s['lossless']} of {total} trees have exactly the text of their query" + (
            " (lossless)." if s["lossless"] == total else " — **NOT lossless**."
        )

    shipped_failures = [f for f in main["failures"] if f["kind"] in SHIPPED_KINDS]
    possibly_valid = [f for r in (main, history) for f in r["failures"] if f["possibly_valid"]]
    parts = [
        "# Corpus report",
        "",
        "<!-- Generated by `python3 scripts/corpus-report.py`; do not edit by hand. -->",
        "",
        "How the J1QL parser (`j1ql-syntax`, through `j1ql corpus-check --format json`) handles the",
        "real-world queries of the shared corpus (`shared/corpus/`, see its README). A query *parses",
        "cleanly* when it has no syntax error; every tree is also checked to hold exactly the",
        "query's text. Regenerate with `python3 scripts/corpus-report.py` after a parser change.",
        "",
        "## `queries.jsonl`",
        "",
        kind_table(main, True),
        "",
        lossless_line(main),
        "",
        f"The shipped kinds (`{'`, `'.join(SHIPPED_KINDS)}`: managed question files, alert-rule packs,",
        "dashboards) must parse with zero errors; CI checks it with",
        "`j1ql corpus-check ../shared/corpus/queries.jsonl --kinds " + ",".join(SHIPPED_KINDS) + "`.",
        f"Failures among them today: **{len(shipped_failures)}**. The failures below all come from",
        "docs and code strings (pseudo-syntax, placeholders, typos).",
        "",
        semantics,
        "",
        "## `queries-history.jsonl`",
        "",
        "Queries that appear only in the git history of question, dashboard and rule-pack files; they",
        "have no `source_kind`, so it is inferred from the path (`questions.yaml` → `question-yaml`,",
        "`board.json` → `dashboard-json`, `rule-packs/*.json` → `json`). Many of the failures were",
        "later fixed upstream, which is why they are only in the history.",
        "",
        kind_table(history, False),
        "",
        lossless_line(history),
        "",
        "## Failures by reason",
        "",
        reason_counts([main, history]),
        "",
        "## Failures that might be valid J1QL",
        "",
    ]
    if possibly_valid:
        parts.append("Each of these is rejected by the parser, but the rejection deserves a second look:")
        parts.append("")
        for f in possibly_valid:
            parts.append(f"- {f['reason']}: {f.get('repo', '?')} `{f.get('path', '?')}`")
            parts.append("")
            parts.append("\n".join("  " + l if l else "" for l in fence(f["query"]).split("\n")))
            parts.append("")
    else:
        parts.append("None: every failure below is invalid J1QL.")
        parts.append("")
    parts += [
        f"## Every failing query in `queries.jsonl` ({len(main['failures'])})",
        "",
        failure_list(main, "queries.jsonl"),
        f"## Every failing query in `queries-history.jsonl` ({len(history['failures'])})",
        "",
        failure_list(history, "queries-history.jsonl"),
    ]
    return "\n".join(parts).rstrip() + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus-dir", default=os.environ.get("J1QL_CORPUS_DIR", DEFAULT_CORPUS))
    ap.add_argument("--bin", help="a built j1ql binary (default: `cargo run --release -q --`)")
    ap.add_argument("--output", default=OUTPUT)
    ap.add_argument("--check", action="store_true", help="exit 1 if the output file is out of date")
    args = ap.parse_args()

    j1ql = [os.path.abspath(args.bin)] if args.bin else ["cargo", "run", "--release", "-q", "--"]
    results = []
    for name in ("queries.jsonl", "queries-history.jsonl"):
        path = os.path.join(args.corpus_dir, name)
        if not os.path.isfile(path):
            sys.exit(f"error: corpus file `{path}` not found (use --corpus-dir)")
        results.append(analyse(j1ql, path))

    unexplained = [f for r in results for f in r["unexplained"]]
    if unexplained:
        for f in unexplained:
            d = f["diagnostics"][0] if f["diagnostics"] else {}
            print(f"UNEXPLAINED line {f['line']} ({f['kind']}): {d.get('code')} {d.get('message')}\n{f['query']}\n",
                  file=sys.stderr)
        sys.exit(f"error: {len(unexplained)} failing queries have no reason in REASONS: review them and add one")

    semantics = semantic_section(j1ql, os.path.join(args.corpus_dir, "queries.jsonl"))
    text = render(*results, semantics=semantics)
    if args.check:
        with open(args.output, encoding="utf-8") as f:
            if f.read() != text:
                sys.exit(f"error: {args.output} is out of date: run python3 scripts/corpus-report.py")
        print(f"{args.output} is up to date")
        return
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
