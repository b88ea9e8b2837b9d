#!/usr/bin/env node
// Embeds every shipped real query of the corpus in a YAML question file (question-yaml rows, as
// `query: |` block scalars and, when the query allows it, as plain scalars) and in Markdown
// ```j1ql fences (all shipped rows), tokenizes both with the injection grammars, and checks
// that each query's lines are J1QL (meta.embedded.*.j1ql, FIND scoped as a keyword) and that
// the YAML key or Markdown paragraph after it is not. Exits 1 and prints the failing queries.
// Usage: node scripts/check-injections.js [CORPUS]   (default as scripts/parse-corpus.py)
'use strict';
const vsctm = require('vscode-textmate');

const { shippedQueries, registry } = require('./common');

const files = {
  'source.j1ql': 'j1ql.tmLanguage.json',
  'markdown.j1ql.codeblock': 'j1ql.markdown.injection.tmLanguage.json',
  'yaml.j1ql.query': 'j1ql.yaml.injection.tmLanguage.json',
  'text.html.markdown': 'node_modules/tm-grammars/grammars/markdown.json',
  'source.yaml': 'node_modules/tm-grammars/grammars/yaml.json',
};

/** Tokenizes `lines`; returns per line the list of [text, scopes]. */
function tokenize(grammar, lines) {
  let stack = vsctm.INITIAL;
  return lines.map((line) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes]);
  });
}

const embedded = (scopes) => scopes.some((s) => /^meta\.embedded\.(block|line)\.j1ql$/.test(s));

/**
 * Checks one embedded query: its lines [first, last] hold only J1QL tokens (blank text aside),
 * its first FIND is a keyword, and line `after` holds no J1QL.
 */
function check(tokens, first, last, after) {
  for (let i = first; i <= last; i++) {
    for (const [text, scopes] of tokens[i]) {
      if (text.trim() && !embedded(scopes)) return `line ${i - first + 1}: \`${text}\` is not J1QL`;
    }
  }
  const find = tokens
    .slice(first, last + 1)
    .flat()
    .find(([text]) => /^find$/i.test(text));
  if (find && !find[1].includes('keyword.control.find.j1ql')) return 'FIND is not a keyword';
  if (tokens[after].some(([text, scopes]) => text.trim() && embedded(scopes))) {
    return 'the text after the query is still J1QL';
  }
  return null;
}

async function main() {
  const rows = shippedQueries(process.argv[2]);
  const reg = await registry(files, {
    'text.html.markdown': ['markdown.j1ql.codeblock'],
    'source.yaml': ['yaml.j1ql.query'],
  });
  const failures = [];
  let checked = 0;

  // YAML: each question-yaml query as a block scalar; one-line ones also as plain scalars.
  const yamlGrammar = await reg.loadGrammar('source.yaml');
  const lines = ['questions:'];
  const spans = [];
  for (const [n, row] of rows.filter((r) => r.source_kind === 'question-yaml').entries()) {
    const body = row.query.replace(/\n$/, '').split('\n');
    lines.push(`  - id: q${n}`, '    queries:', '      - name: good', '        query: |');
    spans.push([row, lines.length, lines.length + body.length - 1, 'block']);
    lines.push(...body.map((l) => (l ? `          ${l}` : '')));
    lines.push('        resultsAre: BAD');
    if (body.length === 1 && !/: |\s#|^[\s'"|>&*!%@`{[\]-]/.test(body[0])) {
      lines.push(`      - query: ${body[0]}`);
      spans.push([row, lines.length - 1, lines.length - 1, 'plain']);
      lines.push('        resultsAre: GOOD');
    }
  }
  const yamlTokens = tokenize(yamlGrammar, lines);
  for (const [row, first, last, style] of spans) {
    // The plain scalar starts on the key's line: check only the text after `query: `.
    const t =
      style === 'plain'
        ? yamlTokens.map((line, i) => (i === first ? line.filter(([, s]) => !s.includes('entity.name.tag.yaml') && !s.some((x) => x.startsWith('punctuation'))) : line))
        : yamlTokens;
    const why = check(t, first, last, last + 1);
    checked++;
    if (why) failures.push(`YAML (${style}): ${why}\n${row.query}`);
  }

  // Markdown: every shipped query in a ```j1ql fence, followed by a paragraph.
  const mdGrammar = await reg.loadGrammar('text.html.markdown');
  const md = [];
  const mdSpans = [];
  for (const row of rows) {
    const body = row.query.replace(/\n$/, '').split('\n');
    md.push('```j1ql');
    mdSpans.push([row, md.length, md.length + body.length - 1]);
    md.push(...body, '```', '', 'Some prose.', '');
  }
  const mdTokens = tokenize(mdGrammar, md);
  for (const [row, first, last] of mdSpans) {
    const why = check(mdTokens, first, last, last + 3);
    checked++;
    if (why) failures.push(`Markdown: ${why}\n${row.query}`);
  }

  for (const f of failures) console.log(`--- FAILED ${f}`);
  console.log(`${checked - failures.length} of ${checked} embedded corpus queries highlighted as J1QL (${failures.length} failed)`);
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
