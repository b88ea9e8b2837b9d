// Shared by the corpus scripts: reading the shipped queries of the corpus and building a
// TextMate registry over this folder's grammar files.
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

/** The grammars/ folder, which grammar file paths are relative to. */
const root = path.join(__dirname, '..');
const SHIPPED = new Set(['question-yaml', 'json', 'dashboard-json']);

/**
 * The shipped rows (question-yaml, json, dashboard-json) of the corpus at `arg`, $J1QL_CORPUS (the
 * corpus folder, or the file itself) or ../shared/corpus/queries.jsonl beside the repository;
 * exits 2 when the file is missing.
 */
function shippedQueries(arg) {
  // J1QL_CORPUS names the corpus folder (as in CI and the Rust tests); a file path works too.
  let corpus = arg || process.env.J1QL_CORPUS || path.join(root, '..', '..', 'shared', 'corpus');
  if (fs.existsSync(corpus) && fs.statSync(corpus).isDirectory()) {
    corpus = path.join(corpus, 'queries.jsonl');
  }
  if (!fs.existsSync(corpus)) {
    console.error(`error: the corpus is missing: expected ${corpus} (or set J1QL_CORPUS)`);
    process.exit(2);
  }
  return fs
    .readFileSync(corpus, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l))
    .filter((r) => SHIPPED.has(r.source_kind));
}

/** A registry loading `files` (scope name → path under grammars/) with `injections` (host → scopes). */
async function registry(files, injections = {}) {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  return new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p) => new oniguruma.OnigScanner(p),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (name) =>
      files[name]
        ? vsctm.parseRawGrammar(fs.readFileSync(path.join(root, files[name]), 'utf8'), files[name])
        : null,
    getInjections: (name) => injections[name],
  });
}

module.exports = { root, shippedQueries, registry };
