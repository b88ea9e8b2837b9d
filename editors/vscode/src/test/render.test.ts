import * as assert from "node:assert/strict";
import { test } from "node:test";

import {
  cellText,
  entityGrid,
  errorPageHtml,
  escapeHtml,
  gridHtml,
  MAX_PROPERTY_COLUMNS,
  MAX_ROWS,
  resultBodyHtml,
  resultPageHtml,
  rowGrid,
} from "../render";

const OPTIONS = { query: "FIND User", cspSource: "vscode-resource:", showJsonCommand: "command:j1ql.showResultJson" };

function entity(id: string, displayName: string, type: string, properties: Record<string, unknown> = {}) {
  return {
    id,
    entity: { _id: id, _key: `k-${id}`, _type: [type], _class: ["User"], displayName },
    properties,
  };
}

test("escapeHtml escapes the five HTML characters", () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
});

test("cell texts: scalars, arrays, entities, objects", () => {
  assert.equal(cellText(null), "");
  assert.equal(cellText(undefined), "");
  assert.equal(cellText(false), "false");
  assert.equal(cellText(1.5), "1.5");
  assert.equal(cellText(["a", "b"]), "a, b");
  assert.equal(cellText(entity("1", "Alice", "okta_user")), "Alice (okta_user)");
  assert.equal(cellText({ a: 1 }), '{"a":1}');
  assert.equal(cellText([{ a: 1 }]), '[{"a":1}]');
});

test("a list result is a table of entities with their properties", () => {
  const html = resultBodyHtml({
    type: "list",
    data: [entity("1", "Alice", "okta_user", { active: true, email: "a@x" }), entity("2", "Bob", "okta_user", { mfa: false })],
  });
  assert.match(html, /<p class="summary">2 entities<\/p>/);
  assert.match(
    html,
    /<tr><th>displayName<\/th><th>_type<\/th><th>_class<\/th><th>_key<\/th><th>_id<\/th><th>active<\/th><th>email<\/th><th>mfa<\/th><\/tr>/,
  );
  assert.match(html, /<tr><td>Alice<\/td><td>okta_user<\/td><td>User<\/td><td>k-1<\/td><td>1<\/td><td>true<\/td><td>a@x<\/td><td><\/td><\/tr>/);
  assert.match(html, /<tr><td>Bob<\/td>.*<td><\/td><td><\/td><td>false<\/td><\/tr>/);
});

test("data is escaped everywhere: cells, column names, the query and the JSON", () => {
  const evil = "<script>alert('x')</script>";
  const page = resultPageHtml(
    { type: "table", data: [{ [evil]: evil, "u.name": "a & b" }] },
    { ...OPTIONS, query: `FIND User WITH name = "${evil}"` },
  );
  assert.ok(!page.includes("<script>"), page);
  assert.match(page, /<th>&lt;script&gt;alert\(&#39;x&#39;\)&lt;\/script&gt;<\/th>/);
  assert.match(page, /<td>a &amp; b<\/td>/);
  assert.match(page, /<pre class="query">FIND User WITH name = &quot;&lt;script&gt;/);
  assert.match(page, /<details><summary>JSON<\/summary><pre>\{\n {2}&quot;type&quot;: &quot;table&quot;/);
  assert.ok(!errorPageHtml(evil, OPTIONS).includes("<script>"));
  assert.match(errorPageHtml("1:6: expected a class", OPTIONS), /<pre class="error">1:6: expected a class<\/pre>/);
  // What the query ran on, escaped; nothing when unknown.
  const ran = resultPageHtml({ type: "list", data: [] }, { ...OPTIONS, dataSource: "the workspace data (`<d>`)" });
  assert.match(ran, /<p class="note">Ran on the workspace data \(`&lt;d&gt;`\)\.<\/p>/);
  assert.ok(!resultPageHtml({ type: "list", data: [] }, OPTIONS).includes("Ran on"));
});

test("the page allows no scripts and links Show JSON to the command", () => {
  const page = resultPageHtml({ type: "table", data: [] }, OPTIONS);
  assert.match(page, /content="default-src &#39;none&#39;; style-src vscode-resource: &#39;unsafe-inline&#39;;"/);
  assert.match(page, /<a href="command:j1ql.showResultJson">Show JSON<\/a>/);
  assert.match(page, /<p class="summary">0 rows<\/p>/);
});

test("a table result keeps the columns in first-seen order", () => {
  const grid = rowGrid([{ "u.username": "alice", n: 1 }, { n: 2, extra: null }, "not a row"]);
  assert.deepEqual(grid.columns, ["u.username", "n", "extra"]);
  assert.deepEqual(grid.rows, [["alice", "1", ""], ["", "2", ""], ["", "", ""]]);
});

test("entities in table cells show their name and type", () => {
  const html = resultBodyHtml({ type: "table", data: [{ u: entity("1", "Alice", "okta_user"), n: 3 }] });
  assert.match(html, /<td>Alice \(okta_user\)<\/td><td>3<\/td>/);
});

test("a tree result shows vertices and edges with the vertices' names", () => {
  const html = resultBodyHtml({
    type: "tree",
    data: {
      vertices: [entity("u1", "Alice", "okta_user"), entity("p1", "Alice Smith", "employee")],
      edges: [{ id: "e1", fromVertexId: "u1", toVertexId: "p1", relationship: { _class: "IS", _type: "is" }, properties: {} }],
    },
  });
  assert.match(html, /2 vertices, 1 edge/);
  assert.match(html, /<caption>vertices<\/caption>/);
  assert.match(html, /<caption>edges<\/caption><thead><tr><th>from<\/th><th>_class<\/th><th>to<\/th><th>_type<\/th>/);
  assert.match(html, /<tr><td>Alice \(okta_user\)<\/td><td>IS<\/td><td>Alice Smith \(employee\)<\/td><td>is<\/td><\/tr>/);
});

test("long results are cut, and the cut is said", () => {
  const rows = Array.from({ length: MAX_ROWS + 5 }, (_, i) => ({ i }));
  const grid = rowGrid(rows);
  assert.equal(grid.rows.length, MAX_ROWS);
  assert.equal(grid.total, MAX_ROWS + 5);
  assert.match(gridHtml(grid), /showing 500 of 505 rows/);
  const props = Object.fromEntries(Array.from({ length: MAX_PROPERTY_COLUMNS + 3 }, (_, i) => [`p${i}`, i]));
  const eg = entityGrid([entity("1", "A", "t", props)]);
  assert.equal(eg.columns.length, 5 + MAX_PROPERTY_COLUMNS);
  assert.match(gridHtml(eg), /3 more property columns in the JSON/);
  assert.ok(!gridHtml(rowGrid([{ a: 1 }])).includes("class=\"note\""));
});

test("results of another shape say so and still offer the JSON", () => {
  assert.match(resultBodyHtml(null), /Not a j1ql result/);
  assert.match(resultBodyHtml({ type: "<graph>" }), /Unknown result type &quot;&lt;graph&gt;&quot;/);
  assert.match(resultPageHtml(42, OPTIONS), /<details><summary>JSON<\/summary><pre>42<\/pre>/);
});
