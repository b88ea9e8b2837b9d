// activate() with a stand-in for the `vscode` module (no VS Code instance in CI): the commands
// it registers match package.json, a missing server gives the install message with its
// buttons, and the commands that need no server behave. The language client itself is covered
// by the end-to-end tests against `j1ql lsp`.

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import { test } from "node:test";

type Fn = (...args: unknown[]) => unknown;

/** A value on which any property or call gives another such value (for what is not used). */
function anything(): Fn {
  // A `function` (not an arrow) so that `class X extends vscode.Y` works.
  const f = function () {
    return anything();
  } as Fn;
  return new Proxy(f, {
    get: (t, key) => (key === "then" ? undefined : key === "prototype" ? (t as { prototype: unknown }).prototype : anything()),
    construct: () => anything(),
  });
}

/** An object with the given members, and `anything()` for the rest. */
function partial<T extends object>(members: T): T {
  return new Proxy(members, {
    get: (t, key) => (key in t ? (t as Record<string | symbol, unknown>)[key] : anything()),
  });
}

const log = {
  errors: [] as { message: string; items: unknown[] }[],
  infos: [] as string[],
  output: [] as string[],
  opened: [] as { language?: string; content?: string }[],
  commands: new Map<string, Fn>(),
};

const settings: Record<string, { globalValue?: unknown; workspaceValue?: unknown }> = {
  "server.path": { globalValue: "/nonexistent/bin/j1ql" },
  "format.indent": { workspaceValue: 4 },
  "lint.severity": { globalValue: { L001: "error" } },
  "format.lineWidth": { globalValue: 3 },
};

const vscodeStub = partial({
  window: partial({
    createOutputChannel: () => partial({ appendLine: (line: string) => log.output.push(line), dispose: () => undefined }),
    showErrorMessage: (message: string, ...items: unknown[]) => {
      log.errors.push({ message, items });
      return Promise.resolve(undefined);
    },
    showWarningMessage: () => Promise.resolve(undefined),
    showInformationMessage: (message: string) => {
      log.infos.push(message);
      return Promise.resolve(undefined);
    },
    showTextDocument: () => Promise.resolve(undefined),
  }),
  commands: partial({
    registerCommand: (id: string, f: Fn) => {
      log.commands.set(id, f);
      return { dispose: () => undefined };
    },
    registerTextEditorCommand: (id: string, f: Fn) => {
      log.commands.set(id, f);
      return { dispose: () => undefined };
    },
    executeCommand: () => Promise.resolve(undefined),
  }),
  workspace: partial({
    workspaceFolders: undefined,
    getConfiguration: () => ({
      get: (key: string) => settings[key]?.globalValue,
      inspect: (key: string) => settings[key],
    }),
    onDidChangeConfiguration: () => ({ dispose: () => undefined }),
    openTextDocument: (doc: { language?: string; content?: string }) => {
      log.opened.push(doc);
      return Promise.resolve({});
    },
  }),
});

// Make `require("vscode")` give the stand-in.
const loader = Module as unknown as { _resolveFilename: Fn };
const resolve = loader._resolveFilename;
loader._resolveFilename = function (this: unknown, request: unknown, ...rest: unknown[]) {
  return request === "vscode" ? "vscode" : resolve.call(this, request, ...rest);
};
const cache = (Module as unknown as { _cache: Record<string, unknown> })._cache;
cache["vscode"] = { id: "vscode", filename: "vscode", loaded: true, exports: vscodeStub };

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as {
  contributes: { commands: { command: string }[] };
};

test("activate without a server: the commands exist, and the message says how to install", async () => {
  const ext = await import("../extension");
  const context = { subscriptions: [] as unknown[], extensionUri: { fsPath: "/ext" } };
  await ext.activate(context as never);

  assert.deepEqual(
    [...log.commands.keys()].sort(),
    manifest.contributes.commands.map((c) => c.command).sort(),
    "registered commands = package.json commands",
  );
  assert.equal(log.errors.length, 1);
  assert.match(log.errors[0].message, /\/nonexistent\/bin\/j1ql \(from the setting j1ql\.server\.path\) does not exist/);
  assert.match(log.errors[0].message, /cargo install --locked --path \./);
  assert.deepEqual(log.errors[0].items, ["Open Settings", "Install Steps"]);
  assert.ok(log.output.some((l) => l.includes("does not exist")));

  // Run Query without a server: an error, not a hang or a crash.
  log.commands.get("j1ql.run")!({ selection: { active: { line: 0, character: 0 } }, document: { uri: { toString: () => "file:///a.j1ql" } } });
  await new Promise((r) => setImmediate(r));
  assert.match(log.errors[1].message, /not running/);

  // Show JSON before any run.
  await log.commands.get("j1ql.showResultJson")!();
  assert.match(log.infos[0], /run a query first/);

  // Settings as j1ql.toml: the explicit settings, the invalid one named.
  await log.commands.get("j1ql.showSettingsToml")!();
  assert.equal(log.opened[0].language, "toml");
  assert.equal(
    log.opened[0].content,
    [
      "# j1ql.toml equivalent of your j1ql.* settings (only the ones you set).",
      "# j1ql.format.lineWidth: expected a whole number from 20 to 100000, got 3; ignored",
      "[format]",
      "indent = 4",
      "",
      "[lint.severity]",
      'L001 = "error"',
      "",
    ].join("\n"),
  );
  await ext.deactivate();
});
