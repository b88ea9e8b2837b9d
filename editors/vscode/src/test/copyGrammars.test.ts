import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";

const root = path.join(__dirname, "..", "..");
const script = path.join(root, "scripts", "copy-grammars.mjs");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
  contributes: { grammars: { path: string; scopeName: string }[] };
};

function run(source: string, dest: string): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [script, source, dest], { encoding: "utf8" });
  return { status: r.status, stderr: r.stderr };
}

function withDirs(f: (source: string, dest: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "j1ql-grammars-"));
  try {
    fs.mkdirSync(path.join(dir, "src"));
    f(path.join(dir, "src"), path.join(dir, "out"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function writeAll(source: string): void {
  for (const g of manifest.contributes.grammars) {
    fs.writeFileSync(path.join(source, path.basename(g.path)), JSON.stringify({ scopeName: g.scopeName, patterns: [] }));
  }
}

test("the build fails naming each missing grammar", () => {
  withDirs((source, dest) => {
    const r = run(source, dest);
    assert.equal(r.status, 1);
    for (const g of manifest.contributes.grammars) {
      assert.ok(r.stderr.includes(`missing grammar ${path.join(source, path.basename(g.path))}`), r.stderr);
    }
  });
});

test("a grammar whose scopeName differs from package.json fails the build", () => {
  withDirs((source, dest) => {
    writeAll(source);
    const first = manifest.contributes.grammars[0];
    fs.writeFileSync(path.join(source, path.basename(first.path)), JSON.stringify({ scopeName: "source.other" }));
    const r = run(source, dest);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`has scopeName "source.other", but package.json declares "${first.scopeName}"`));
  });
});

test("invalid JSON fails the build", () => {
  withDirs((source, dest) => {
    writeAll(source);
    fs.writeFileSync(path.join(source, path.basename(manifest.contributes.grammars[1].path)), "{ nope");
    const r = run(source, dest);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /is not valid JSON/);
  });
});

test("good grammars are copied", () => {
  withDirs((source, dest) => {
    writeAll(source);
    const r = run(source, dest);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(dest).sort(), manifest.contributes.grammars.map((g) => path.basename(g.path)).sort());
  });
});
