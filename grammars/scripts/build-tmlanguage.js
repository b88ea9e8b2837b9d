#!/usr/bin/env node
// Writes j1ql.tmLanguage.json from src/j1ql.tmLanguage.js. With --check, fails (exit 1) if the
// committed JSON differs from what the source produces.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const out = path.join(root, 'j1ql.tmLanguage.json');
const text = `${JSON.stringify(require('../src/j1ql.tmLanguage.js'), null, 2)}\n`;
if (process.argv.includes('--check')) {
  const current = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  if (current !== text) {
    console.error('j1ql.tmLanguage.json is out of date: run `npm run build` in grammars/');
    process.exit(1);
  }
  console.log('j1ql.tmLanguage.json is up to date');
} else {
  fs.writeFileSync(out, text);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}
