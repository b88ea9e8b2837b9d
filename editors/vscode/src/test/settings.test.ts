import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

import { explicitValue, MAPPED_SETTING_KEYS, MAPPINGS, mapSettings, toToml } from "../settings";

const FULL = {
  "data.paths": ["fixtures", "more/data.json"],
  now: "2025-01-01T00:00:00Z",
  params: { minAge: 40, env: "prod" },
  smartClasses: { Prod: "tag.Production = true" },
  "format.lineWidth": 100,
  "format.indent": 4,
  "format.keywordCase": "lower",
  "format.quoteStyle": "double",
  "lint.select": ["S", "L"],
  "lint.ignore": ["L007"],
  "lint.severity": { L001: "error", S014: "off" },
  "lint.maxLimit": 1000,
  "lint.alertPaths": ["rules/**"],
  "diagnostics.delayMs": 10,
  docsUrl: "https://example.com/lint-rules",
};

test("every setting maps to its j1ql.toml key", () => {
  const { initializationOptions, problems } = mapSettings(FULL);
  assert.deepEqual(problems, []);
  assert.deepEqual(initializationOptions, {
    diagnosticsDelayMs: 10,
    docsUrl: "https://example.com/lint-rules",
    config: {
      data: ["fixtures", "more/data.json"],
      now: "2025-01-01T00:00:00Z",
      params: { minAge: 40, env: "prod" },
      "smart-classes": { Prod: "tag.Production = true" },
      format: { "line-width": 100, indent: 4, "keyword-case": "lower", "quote-style": "double" },
      lint: {
        select: ["S", "L"],
        ignore: ["L007"],
        severity: { L001: "error", S014: "off" },
        "max-limit": 1000,
        "alert-paths": ["rules/**"],
      },
    },
  });
});

test("unset settings send nothing, so j1ql.toml stays in charge", () => {
  assert.deepEqual(mapSettings({}), { initializationOptions: { config: {} }, problems: [] });
  assert.deepEqual(mapSettings({ "format.indent": 3, docsUrl: "" }).initializationOptions, {
    config: { format: { indent: 3 } },
  });
});

test("invalid values are dropped and named", () => {
  const { initializationOptions, problems } = mapSettings({
    "format.lineWidth": 5,
    "format.indent": 2.5,
    "format.keywordCase": "title",
    "lint.select": ["S", 3],
    "lint.severity": { L001: "loud" },
    params: { a: null },
    now: 20250101,
    "lint.maxLimit": 250,
    "diagnostics.delayMs": -1,
    docsUrl: 7,
  });
  assert.deepEqual(initializationOptions, { config: { lint: { "max-limit": 250 } } });
  assert.deepEqual(problems, [
    "j1ql.now: expected a string, got 20250101; ignored",
    "j1ql.params: a: null has no j1ql.toml form; ignored",
    "j1ql.format.lineWidth: expected a whole number from 20 to 100000, got 5; ignored",
    "j1ql.format.indent: expected a whole number from 1 to 16, got 2.5; ignored",
    "j1ql.format.keywordCase: expected one of upper, lower, preserve, got \"title\"; ignored",
    'j1ql.lint.select: expected a list of strings, got ["S",3]; ignored',
    'j1ql.lint.severity: L001: expected one of error, warning, info, hint, off, got "loud"; ignored',
    "j1ql.diagnostics.delayMs: expected a whole number of milliseconds ≥ 0, got -1; ignored",
    "j1ql.docsUrl: expected a URL string, got 7; ignored",
  ]);
});

test("explicit values: folder over workspace over user; defaults do not count", () => {
  assert.equal(explicitValue(undefined), undefined);
  assert.equal(explicitValue({}), undefined);
  assert.equal(explicitValue({ globalValue: 1 }), 1);
  assert.equal(explicitValue({ globalValue: 1, workspaceValue: 2 }), 2);
  assert.equal(explicitValue({ globalValue: 1, workspaceValue: 2, workspaceFolderValue: 3 }), 3);
  assert.equal(explicitValue({ globalValue: false }), false);
});

test("toToml writes a j1ql.toml with tables after the top-level keys", () => {
  const text = toToml(mapSettings(FULL).initializationOptions.config);
  assert.equal(
    text,
    `data = ["fixtures", "more/data.json"]
now = "2025-01-01T00:00:00Z"

[params]
minAge = 40
env = "prod"

[smart-classes]
Prod = "tag.Production = true"

[format]
line-width = 100
indent = 4
keyword-case = "lower"
quote-style = "double"

[lint]
select = ["S", "L"]
ignore = ["L007"]
max-limit = 1000
alert-paths = ["rules/**"]

[lint.severity]
L001 = "error"
S014 = "off"
`,
  );
});

test("toToml quotes odd keys and escapes strings; nested params become sub-tables", () => {
  const text = toToml({ params: { "a b": 'say "hi"\n', nested: { x: [1, true] } } });
  assert.equal(text, '[params]\n"a b" = "say \\"hi\\"\\n"\n\n[params.nested]\nx = [1, true]\n');
  assert.equal(toToml({}), "\n");
  assert.equal(toToml({ lint: { severity: { L001: "off" } } }), '[lint.severity]\nL001 = "off"\n');
  assert.equal(toToml({ params: {} }), "[params]\n");
});

test("package.json declares exactly the mapped settings, with the same enums", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as {
    contributes: { configuration: { properties: Record<string, { enum?: string[]; additionalProperties?: { enum?: string[] } }> } };
  };
  const props = manifest.contributes.configuration.properties;
  const declared = Object.keys(props)
    .filter((k) => k !== "j1ql.server.path" && k !== "j1ql.trace.server")
    .map((k) => k.replace(/^j1ql\./, ""))
    .sort();
  assert.deepEqual(declared, [...MAPPED_SETTING_KEYS].sort());
  for (const m of MAPPINGS) {
    const p = props[`j1ql.${m.setting}`];
    if (m.kind.type === "enum") {
      assert.deepEqual(p.enum, m.kind.values, m.setting);
    }
    if (m.kind.type === "object" && m.kind.values !== undefined) {
      assert.deepEqual(p.additionalProperties?.enum, m.kind.values, m.setting);
    }
  }
});

test("the live account's settings map to [remote], never a key", () => {
  const { initializationOptions, problems } = mapSettings({
    "remote.account": "acc-1",
    "remote.region": "eu",
    "remote.url": "http://127.0.0.1:8080/graphql",
    "remote.keyCommand": "pass show j1",
    "remote.lens": true,
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(initializationOptions.config, {
    remote: { account: "acc-1", region: "eu", url: "http://127.0.0.1:8080/graphql", "key-command": "pass show j1", lens: true },
  });
  const bad = mapSettings({ "remote.lens": "yes", "remote.region": "ap" });
  assert.deepEqual(bad.initializationOptions.config, {});
  assert.deepEqual(bad.problems, [
    'j1ql.remote.region: expected one of us, eu, got "ap"; ignored',
    'j1ql.remote.lens: expected true or false, got "yes"; ignored',
  ]);
  assert.ok(!MAPPED_SETTING_KEYS.some((k) => /key$/i.test(k)), "no setting holds the key itself");
});
