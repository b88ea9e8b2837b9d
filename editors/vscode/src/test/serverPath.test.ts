import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";

import {
  bundledServerPath,
  chooseServer,
  type LookupEnvironment,
  nodeEnvironment,
  resolveServerPath,
} from "../serverPath";

/** A fake machine whose executables are `files` (and `plain`: present, not executable). */
function env(files: string[], overrides: Partial<LookupEnvironment> = {}, plain: string[] = []): LookupEnvironment {
  return {
    platform: "linux",
    pathVariable: "/usr/bin:/home/me/.cargo/bin",
    pathExt: undefined,
    home: "/home/me",
    workspaceFolder: "/work/project",
    isExecutable: (f) => files.includes(f),
    exists: (f) => files.includes(f) || plain.includes(f),
    ...overrides,
  };
}

test("the default finds j1ql in a later PATH folder", () => {
  const r = resolveServerPath(undefined, env(["/home/me/.cargo/bin/j1ql"]));
  assert.deepEqual(r, { found: true, command: "/home/me/.cargo/bin/j1ql" });
  assert.deepEqual(resolveServerPath("  ", env(["/usr/bin/j1ql"])), { found: true, command: "/usr/bin/j1ql" });
});

test("the first PATH folder wins", () => {
  const r = resolveServerPath("j1ql", env(["/usr/bin/j1ql", "/home/me/.cargo/bin/j1ql"]));
  assert.deepEqual(r, { found: true, command: "/usr/bin/j1ql" });
});

test("missing from PATH: the message says where it looked and how to install", () => {
  const r = resolveServerPath("j1ql", env([]));
  assert.equal(r.found, false);
  assert.ok(!r.found);
  assert.match(r.message, /`j1ql` was not found on PATH \(2 folders searched\)/);
  assert.match(r.message, /cargo install --locked --path \./);
  assert.match(r.message, /j1ql\.server\.path/);
});

test("an empty PATH searches nothing", () => {
  const r = resolveServerPath("j1ql", env(["/usr/bin/j1ql"], { pathVariable: undefined }));
  assert.ok(!r.found);
  assert.match(r.message, /\(0 folders searched\)/);
});

test("an absolute path is used as it is, and must exist and be executable", () => {
  assert.deepEqual(resolveServerPath("/opt/j1ql/bin/j1ql", env(["/opt/j1ql/bin/j1ql"])), {
    found: true,
    command: "/opt/j1ql/bin/j1ql",
  });
  const missing = resolveServerPath("/opt/nope/j1ql", env(["/usr/bin/j1ql"]));
  assert.ok(!missing.found);
  assert.match(missing.message, /\/opt\/nope\/j1ql \(from the setting j1ql\.server\.path\) does not exist/);
  const plain = resolveServerPath("/opt/j1ql", env([], {}, ["/opt/j1ql"]));
  assert.ok(!plain.found);
  assert.match(plain.message, /is not an executable file/);
});

test("relative paths, ~ and ${workspaceFolder}", () => {
  const built = "/work/project/target/release/j1ql";
  assert.deepEqual(resolveServerPath("target/release/j1ql", env([built])), { found: true, command: built });
  assert.deepEqual(resolveServerPath("./target/release/j1ql", env([built])), { found: true, command: built });
  assert.deepEqual(resolveServerPath("${workspaceFolder}/target/release/j1ql", env([built])), {
    found: true,
    command: built,
  });
  assert.deepEqual(resolveServerPath("~/.cargo/bin/j1ql", env(["/home/me/.cargo/bin/j1ql"])), {
    found: true,
    command: "/home/me/.cargo/bin/j1ql",
  });
  const noFolder = resolveServerPath("${workspaceFolder}/j1ql", env([built], { workspaceFolder: undefined }));
  assert.ok(!noFolder.found);
  assert.match(noFolder.message, /no workspace folder is open/);
});

test("Windows: PATHEXT extensions and backslashes", () => {
  const win = (files: string[]): LookupEnvironment =>
    env(files, {
      platform: "win32",
      pathVariable: "C:\\Windows;C:\\Users\\me\\.cargo\\bin",
      pathExt: ".COM;.EXE",
      home: "C:\\Users\\me",
      workspaceFolder: "C:\\project",
    });
  assert.deepEqual(resolveServerPath("j1ql", win(["C:\\Users\\me\\.cargo\\bin\\j1ql.exe"])), {
    found: true,
    command: "C:\\Users\\me\\.cargo\\bin\\j1ql.exe",
  });
  assert.deepEqual(resolveServerPath("target\\release\\j1ql", win(["C:\\project\\target\\release\\j1ql.exe"])), {
    found: true,
    command: "C:\\project\\target\\release\\j1ql.exe",
  });
  assert.ok(!resolveServerPath("j1ql", win(["C:\\Users\\me\\.cargo\\bin\\j1ql.txt"])).found);
});

test("the real file system: only executable files count", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "j1ql-path-"));
  try {
    const exe = path.join(dir, "j1ql");
    fs.writeFileSync(exe, "#!/bin/sh\n");
    fs.chmodSync(exe, 0o644);
    const real = nodeEnvironment(dir);
    const before = resolveServerPath(exe, real);
    assert.ok(!before.found);
    assert.match(before.message, /is not an executable file/);
    fs.chmodSync(exe, 0o755);
    assert.deepEqual(resolveServerPath(exe, real), { found: true, command: exe });
    assert.deepEqual(resolveServerPath("j1ql", { ...real, pathVariable: dir }), { found: true, command: exe });
    assert.ok(!resolveServerPath(dir, real).found, "a folder is not a server");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a platform .vsix's bundled server is used unless the setting is set explicitly", () => {
  const bundled = bundledServerPath("/ext/j1ql.j1ql-0.1.0-linux-x64", "linux");
  assert.equal(bundled, "/ext/j1ql.j1ql-0.1.0-linux-x64/server/j1ql");
  const machine = env([bundled, "/usr/bin/j1ql", "/opt/j1ql"]);
  assert.deepEqual(chooseServer("j1ql", false, bundled, machine), { found: true, command: bundled });
  // Set explicitly (even to the default): the setting decides, the bundled server is not used.
  assert.deepEqual(chooseServer("j1ql", true, bundled, machine), { found: true, command: "/usr/bin/j1ql" });
  assert.deepEqual(chooseServer("/opt/j1ql", true, bundled, machine), { found: true, command: "/opt/j1ql" });
});

test("without a bundled server (the universal .vsix) the setting and PATH decide", () => {
  const bundled = bundledServerPath("/ext/j1ql", "linux");
  assert.deepEqual(chooseServer(undefined, false, bundled, env(["/usr/bin/j1ql"])), {
    found: true,
    command: "/usr/bin/j1ql",
  });
  const missing = chooseServer(undefined, false, bundled, env([]));
  assert.equal(missing.found, false);
});

test("Windows bundles server/j1ql.exe", () => {
  assert.equal(bundledServerPath("C:\\ext\\j1ql", "win32"), "C:\\ext\\j1ql\\server\\j1ql.exe");
});
