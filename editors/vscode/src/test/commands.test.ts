import * as assert from "node:assert/strict";
import { test } from "node:test";

import { deMorganActions, describeRun, isRunCommand, RUN_QUERY, RUN_QUERY_REMOTE, runQueryArguments } from "../commands";

test("runQuery arguments for the cursor are [uri, {line, character}]", () => {
  assert.deepEqual(runQueryArguments("file:///w/a.j1ql", 3, 7), ["file:///w/a.j1ql", { line: 3, character: 7 }]);
  // What the server parses: the position is plain JSON.
  assert.equal(JSON.stringify(runQueryArguments("file:///a.j1ql", 0, 1)), '["file:///a.j1ql",{"line":0,"character":1}]');
});

test("run titles for code lens, cursor and text arguments", () => {
  assert.equal(describeRun(["file:///w/my%20queries.j1ql", 0]), "my queries.j1ql · query 1");
  assert.equal(describeRun(["file:///w/a.j1ql", { line: 9, character: 0 }]), "a.j1ql:10");
  assert.equal(describeRun(["FIND User"]), "FIND User");
  assert.equal(describeRun([]), "j1ql query");
  assert.equal(describeRun([42]), "j1ql query");
});

test("De Morgan actions are picked out of the code actions, expand first", () => {
  const actions = [
    { title: "Collapse (De Morgan): name != ('a' OR 'b')" },
    { title: "Expand smart class: _type = 'x'" },
    { title: "Replace `find` with `FIND`" },
    { title: "Expand (De Morgan): name != 'a' AND name != 'b'" },
  ];
  assert.deepEqual(
    deMorganActions(actions).map((a) => a.title),
    ["Expand (De Morgan): name != 'a' AND name != 'b'", "Collapse (De Morgan): name != ('a' OR 'b')"],
  );
  assert.deepEqual(deMorganActions([{ title: "Expand smart class: x" }]), []);
});

test("runs on the live account are titled so and shown like local runs", () => {
  assert.equal(describeRun(["file:///w/a.j1ql", 0], RUN_QUERY_REMOTE), "a.j1ql · query 1 · on JupiterOne");
  assert.equal(describeRun(["file:///w/a.j1ql", 0], RUN_QUERY), "a.j1ql · query 1");
  assert.equal(describeRun(["file:///w/a.j1ql", 0]), "a.j1ql · query 1");
  assert.ok(isRunCommand(RUN_QUERY) && isRunCommand(RUN_QUERY_REMOTE));
  assert.ok(!isRunCommand("j1ql.explain"));
});
