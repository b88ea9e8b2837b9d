import * as assert from "node:assert/strict";
import { test } from "node:test";

import { OutputTail, startFailureMessage } from "../serverOutput";

test("keeps the server's last lines without escapes or blank lines", () => {
  const t = new OutputTail(200);
  t.push("starting /usr/bin/j1ql lsp\n");
  t.push("\u001b[31merror:\u001b[0m unexpected argument '--stdio' found\r\n\r\n");
  t.push("Usage: j1ql lsp\n");
  t.push("[Error - 10:00:01 PM] Server initialization failed.\n");
  assert.equal(t.lines(), "error: unexpected argument '--stdio' found\nUsage: j1ql lsp");
});

test("cuts long output at a line start and marks the cut", () => {
  const t = new OutputTail(30);
  for (let i = 0; i < 20; i++) {
    t.push(`line number ${i}\n`);
  }
  const out = t.lines();
  assert.ok(out.startsWith("…line number"), out);
  assert.ok(out.endsWith("line number 19"), out);
  assert.ok(out.length <= 31, out);
});

test("clear forgets an earlier start", () => {
  const t = new OutputTail();
  t.push("old failure\n");
  t.clear();
  assert.equal(t.lines(), "");
});

test("the message quotes the server when it said something", () => {
  assert.equal(
    startFailureMessage("j1ql", "Server process exited with code 2", "error: bad flag"),
    "The j1ql language server (j1ql lsp) failed to start: Server process exited with code 2. It said: error: bad flag",
  );
  assert.equal(
    startFailureMessage("j1ql", "spawn EACCES", "  "),
    "The j1ql language server (j1ql lsp) failed to start: spawn EACCES",
  );
});
