#!/usr/bin/env node
// Prints the TextMate tokens of a file (or stdin) with their scopes: a debugging aid for
// writing tests. Usage: node scripts/dump-tokens.js [--scope source.yaml] [file]
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const root = path.join(__dirname, '..');
const grammars = {
  'source.j1ql': 'j1ql.tmLanguage.json',
  'markdown.j1ql.codeblock': 'j1ql.markdown.injection.tmLanguage.json',
  'yaml.j1ql.query': 'j1ql.yaml.injection.tmLanguage.json',
  'text.html.markdown': 'node_modules/tm-grammars/grammars/markdown.json',
  'source.yaml': 'node_modules/tm-grammars/grammars/yaml.json',
};
const injections = {
  'text.html.markdown': ['markdown.j1ql.codeblock'],
  'source.yaml': ['yaml.j1ql.query'],
};

async function main() {
  const args = process.argv.slice(2);
  let scope = 'source.j1ql';
  const i = args.indexOf('--scope');
  if (i >= 0) {
    scope = args[i + 1];
    args.splice(i, 2);
  }
  const text = fs.readFileSync(args[0] || 0, 'utf8');
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p) => new oniguruma.OnigScanner(p),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (name) => {
      const file = grammars[name];
      if (!file || !fs.existsSync(path.join(root, file))) return null;
      return vsctm.parseRawGrammar(fs.readFileSync(path.join(root, file), 'utf8'), file);
    },
    getInjections: (name) => injections[name],
  });
  const grammar = await registry.loadGrammar(scope);
  let stack = vsctm.INITIAL;
  for (const line of text.split('\n')) {
    const r = grammar.tokenizeLine(line, stack);
    for (const t of r.tokens) {
      const s = line.slice(t.startIndex, t.endIndex);
      if (s.trim()) console.log(JSON.stringify(s).padEnd(28), t.scopes.slice(1).join(' '));
    }
    stack = r.ruleStack;
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
