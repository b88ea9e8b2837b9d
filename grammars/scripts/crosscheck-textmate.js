#!/usr/bin/env node
// Cross-checks the two grammars on every shipped real query: the names the tree-sitter parser
// reads as classes, types, relationship verbs, aliases and smart classes must be exactly the
// tokens the TextMate grammar scopes that way (same line, column and kind). The TextMate grammar
// only sees regular expressions, so this is what keeps its context rules (a name after FIND or
// after a verb is a class/type, the first word after THAT is a verb) honest on real input.
// Needs the tree-sitter CLI on PATH. Usage: node scripts/crosscheck-textmate.js [CORPUS]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const vsctm = require('vscode-textmate');

const { root, shippedQueries, registry } = require('./common');

/** tree-sitter capture name -> TextMate scope that must mark the same token. */
const KINDS = {
  class: 'entity.name.type.class.j1ql',
  type: 'support.type.j1ql',
  verb: 'entity.name.function.verb.j1ql',
  alias: 'variable.other.alias.j1ql',
  smart: 'entity.name.tag.smart-class.j1ql',
};
const QUERY = `
((entity_name) @class (#match? @class "^[A-Z]"))
((entity_name) @type (#not-match? @type "^[A-Z]"))
(verb name: (identifier) @verb)
(alias name: (identifier) @alias)
(column_alias name: (identifier) @alias)
(smart_class) @smart
`;

function treeSitterNames(files, tmp) {
  const queryFile = path.join(tmp, 'names.scm');
  fs.writeFileSync(queryFile, QUERY);
  const list = path.join(tmp, 'paths.txt');
  fs.writeFileSync(list, files.join('\n') + '\n');
  const out = execFileSync('tree-sitter', ['query', queryFile, '--paths', list], {
    cwd: path.join(root, 'tree-sitter-j1ql'),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const byFile = new Map(files.map((f) => [f, new Set()]));
  let current = null;
  for (const line of out.split('\n')) {
    if (byFile.has(line.trim())) current = byFile.get(line.trim());
    const m = /capture: \d+ - (\w+), start: \((\d+), (\d+)\)/.exec(line);
    if (m && current) current.add(`${m[2]}:${m[3]}:${m[1]}`);
  }
  return byFile;
}

async function main() {
  const rows = shippedQueries(process.argv[2]);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'j1ql-crosscheck-'));
  const files = rows.map((r, i) => {
    const f = path.join(tmp, `q${String(i).padStart(5, '0')}.j1ql`);
    fs.writeFileSync(f, r.query);
    return f;
  });
  const expected = treeSitterNames(files, tmp);
  fs.rmSync(tmp, { recursive: true, force: true });

  const grammar = await (await registry({ 'source.j1ql': 'j1ql.tmLanguage.json' })).loadGrammar('source.j1ql');

  let failed = 0;
  let names = 0;
  rows.forEach((row, i) => {
    const got = new Set();
    let stack = vsctm.INITIAL;
    row.query.split('\n').forEach((line, n) => {
      const r = grammar.tokenizeLine(line, stack);
      stack = r.ruleStack;
      let previous = null;
      for (const t of r.tokens) {
        const kind = Object.keys(KINDS).find((k) => t.scopes.includes(KINDS[k]));
        // A smart class is two tokens (`#` and the name): count the run once.
        if (kind && !(kind === previous && kind === 'smart')) got.add(`${n}:${t.startIndex}:${kind}`);
        previous = kind;
      }
    });
    const want = expected.get(files[i]);
    names += want.size;
    const missing = [...want].filter((x) => !got.has(x));
    const extra = [...got].filter((x) => !want.has(x));
    if (missing.length || extra.length) {
      failed++;
      console.log(`--- MISMATCH: ${row.repo || '?'} ${row.path || '?'}`);
      console.log(row.query.replace(/\n$/, ''));
      if (missing.length) console.log(`  tree-sitter only (line:column:kind): ${missing.join(' ')}`);
      if (extra.length) console.log(`  TextMate only (line:column:kind): ${extra.join(' ')}`);
    }
  });
  console.log(
    `${rows.length - failed} of ${rows.length} shipped corpus queries: TextMate and tree-sitter agree ` +
      `on all ${names} class/type/verb/alias/smart-class names (${failed} mismatched)`,
  );
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
