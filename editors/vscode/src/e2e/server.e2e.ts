// The extension's assumptions about `j1ql lsp`, checked against the real server: the argument
// shapes of `j1ql.runQuery` the commands send, the result shapes the webview renders, the De
// Morgan action titles "Normalize" picks, the code lens, formatting, and that the server accepts
// the initializationOptions built from settings. Needs J1QL_BIN (the `j1ql` binary); fails
// without it. Run: J1QL_BIN=../../target/release/j1ql npm run test:e2e

import * as assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";

import {
  createMessageConnection,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver-protocol/node";

import { deMorganActions, describeRun, RUN_QUERY, runQueryArguments } from "../commands";
import { errorPageHtml, resultBodyHtml, resultPageHtml } from "../render";
import { mapSettings, toToml } from "../settings";

const TEXT = [
  "find User with active=true",
  "",
  "FIND User AS u THAT IS Person AS p",
  "RETURN u.username, p.email",
  "",
  "FIND User WITH username != 'alice@acme.com' AND username != 'bob@acme.com'",
  "",
].join("\n");

const OPTIONS = { query: "q", cspSource: "vscode-resource:", showJsonCommand: "command:j1ql.showResultJson" };

let server: ChildProcess;
let conn: MessageConnection;
let dir: string;
let uri: string;
let capabilities: { executeCommandProvider?: { commands: string[] }; codeLensProvider?: unknown };
const diagnostics = new Map<string, unknown[]>();

before(async () => {
  const bin = process.env.J1QL_BIN;
  assert.ok(bin !== undefined && bin !== "", "set J1QL_BIN to the j1ql binary (cargo build --release → target/release/j1ql)");
  assert.ok(fs.existsSync(bin), `J1QL_BIN=${bin} does not exist`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "j1ql-vscode-e2e-"));
  const file = path.join(dir, "queries.j1ql");
  fs.writeFileSync(file, TEXT);
  uri = pathToFileURL(file).toString();
  server = spawn(bin, ["lsp"], { stdio: ["pipe", "pipe", "inherit"] });
  conn = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  conn.onNotification("textDocument/publishDiagnostics", (p: { uri: string; diagnostics: unknown[] }) => {
    diagnostics.set(p.uri, p.diagnostics);
  });
  conn.onNotification("window/logMessage", () => undefined);
  conn.listen();
  const mapped = mapSettings({ "diagnostics.delayMs": 0, "format.indent": 4, "lint.maxLimit": 100 });
  assert.deepEqual(mapped.problems, []);
  const init: { capabilities: typeof capabilities } = await conn.sendRequest("initialize", {
    processId: process.pid,
    rootUri: pathToFileURL(dir).toString(),
    capabilities: { general: { positionEncodings: ["utf-16"] } },
    initializationOptions: mapped.initializationOptions,
  });
  capabilities = init.capabilities;
  await conn.sendNotification("initialized", {});
  await conn.sendNotification("textDocument/didOpen", {
    textDocument: { uri, languageId: "j1ql", version: 1, text: TEXT },
  });
});

after(async () => {
  if (conn !== undefined) {
    await conn.sendRequest("shutdown");
    await conn.sendNotification("exit");
    conn.dispose();
  }
  server?.kill();
  if (dir !== undefined) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the server offers j1ql.runQuery and code lenses", () => {
  assert.ok(capabilities.executeCommandProvider?.commands.includes(RUN_QUERY));
  assert.ok(capabilities.codeLensProvider !== undefined);
});

test("diagnostics are published for the opened document", async () => {
  for (let i = 0; i < 100 && !diagnostics.has(uri); i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const found = diagnostics.get(uri) as { code?: string; message: string }[] | undefined;
  assert.ok(found !== undefined, "no publishDiagnostics");
  assert.ok(found.length > 0, "lower-case keywords should get a lint finding");
});

test("each query has a Run lens whose arguments describeRun understands", async () => {
  const lenses: { command: { title: string; command: string; arguments: unknown[] } }[] = await conn.sendRequest(
    "textDocument/codeLens",
    { textDocument: { uri } },
  );
  assert.equal(lenses.length, 3);
  assert.deepEqual(lenses[1].command.arguments, [uri, 1]);
  assert.equal(lenses[1].command.command, RUN_QUERY);
  assert.equal(describeRun(lenses[1].command.arguments), "queries.j1ql · query 2");
});

test("Run Query at the cursor: a table result rendered as a table", async () => {
  const args = runQueryArguments(uri, 3, 4);
  const result: { type: string; data: Record<string, unknown>[] } = await conn.sendRequest("workspace/executeCommand", {
    command: RUN_QUERY,
    arguments: args,
  });
  assert.equal(result.type, "table");
  assert.ok(result.data.length > 0);
  const html = resultBodyHtml(result);
  assert.match(html, /<tr><th>u\.username<\/th><th>p\.email<\/th><\/tr>/);
  assert.match(html, new RegExp(`<p class="summary">${result.data.length} rows</p>`));
  if (process.env.E2E_RECORD !== undefined) {
    fs.writeFileSync(process.env.E2E_RECORD, resultPageHtml(result, { ...OPTIONS, query: describeRun(args) }));
  }
});

test("the code lens arguments: a list result rendered as entities", async () => {
  const result: { type: string; data: unknown[] } = await conn.sendRequest("workspace/executeCommand", {
    command: RUN_QUERY,
    arguments: [uri, 0],
  });
  assert.equal(result.type, "list");
  const html = resultBodyHtml(result);
  assert.match(html, /<th>displayName<\/th><th>_type<\/th><th>_class<\/th><th>_key<\/th><th>_id<\/th>/);
  assert.match(html, /<td>okta_user<\/td><td>User<\/td>/);
});

test("RETURN TREE renders vertices and edges", async () => {
  const result = await conn.sendRequest("workspace/executeCommand", {
    command: RUN_QUERY,
    arguments: ["FIND User THAT IS Person RETURN TREE"],
  });
  const html = resultBodyHtml(result);
  assert.match(html, /<caption>edges<\/caption>/);
  assert.match(html, /<td>IS<\/td>/);
});

test("the server says what a run used, and the result page shows it", async () => {
  const source: string = await conn.sendRequest("workspace/executeCommand", {
    command: "j1ql.dataSource",
    arguments: ["untitled:query.j1ql"],
  });
  assert.equal(source, "the demo account");
  const result = await conn.sendRequest("workspace/executeCommand", {
    command: RUN_QUERY,
    arguments: ["FIND User THAT IS Person"],
  });
  assert.match(resultPageHtml(result, { ...OPTIONS, dataSource: source }), /<p class="note">Ran on the demo account\.<\/p>/);
});

test("a broken query comes back as an error the error page shows", async () => {
  await assert.rejects(
    conn.sendRequest("workspace/executeCommand", { command: RUN_QUERY, arguments: ["FIND User WITH"] }),
    (e: Error) => {
      // One error per line, each with line:column and code, kept as lines on the page.
      assert.match(errorPageHtml(e.message, OPTIONS), /<pre class="error">[^<]*\n1:15 P009: [^<]+<\/pre>/);
      return true;
    },
  );
});

test("Normalize finds the server's De Morgan rewrites of the filter under the cursor", async () => {
  const actions: { title: string; kind?: string; edit?: unknown }[] = await conn.sendRequest("textDocument/codeAction", {
    textDocument: { uri },
    range: { start: { line: 5, character: 20 }, end: { line: 5, character: 20 } },
    context: { diagnostics: [], only: ["refactor.rewrite"] },
  });
  const rewrites = deMorganActions(actions);
  assert.ok(rewrites.length > 0, JSON.stringify(actions.map((a) => a.title)));
  assert.match(rewrites[0].title, /^(Expand|Collapse) \(De Morgan\): /);
  assert.ok(rewrites[0].edit !== undefined);
});

test("Format Document gets edits from the server", async () => {
  const edits: { newText: string }[] = await conn.sendRequest("textDocument/formatting", {
    textDocument: { uri },
    options: { tabSize: 2, insertSpaces: true },
  });
  assert.ok(edits.length > 0);
  assert.ok(edits.some((e) => e.newText.includes("FIND User WITH")));
});

test("the j1ql.toml written from every setting is one j1ql reads, and it takes effect", () => {
  const suite = fs.mkdtempSync(path.join(os.tmpdir(), "j1ql-vscode-toml-"));
  try {
    const file = path.join(suite, "q.j1ql");
    fs.writeFileSync(file, "FIND User WITH active = true\n");
    const j1ql = (...args: string[]) => spawnSync(process.env.J1QL_BIN!, args, { cwd: suite, encoding: "utf8" });
    assert.equal(j1ql("fmt", "--check", file).status, 0, "already formatted with the defaults");
    const mapped = mapSettings({
      "data.paths": ["fixtures"],
      now: "2025-01-01T00:00:00Z",
      params: { minAge: 40 },
      smartClasses: { Prod: "tag.Production = true" },
      "format.lineWidth": 100,
      "format.indent": 4,
      "format.keywordCase": "lower",
      "format.quoteStyle": "double",
      "lint.select": ["S", "L"],
      "lint.ignore": ["L007"],
      "lint.severity": { L001: "error" },
      "lint.maxLimit": 1000,
      "lint.alertPaths": ["rules/**"],
    });
    assert.deepEqual(mapped.problems, []);
    fs.writeFileSync(path.join(suite, "j1ql.toml"), toToml(mapped.initializationOptions.config));
    const lint = j1ql("lint", file);
    assert.notEqual(lint.status, 2, lint.stderr);
    assert.doesNotMatch(lint.stderr, /invalid configuration/);
    const fmt = j1ql("fmt", "--check", file);
    assert.equal(fmt.status, 1, "keyword-case = lower must make the upper-case query unformatted: " + fmt.stdout + fmt.stderr);
    assert.match(fmt.stdout + fmt.stderr, /find User with active = true/);
  } finally {
    fs.rmSync(suite, { recursive: true, force: true });
  }
});
