// Source of `j1ql.tmLanguage.json` (the TextMate grammar for J1QL). Regular expressions are
// easier to read here than JSON-escaped; `npm run build` writes the JSON and CI checks that the
// committed JSON is up to date. Keywords follow `j1ql_syntax::KEYWORDS` (crates/j1ql-syntax).
'use strict';

const r = String.raw;

/** Words that end a selector region instead of being read as a class or type. */
const CLAUSE_WORDS = 'find|that|with|as|where|return|having|order|skip|limit';
const NAME = r`[\p{L}_][\p{L}\p{N}_]*`;
const STRING_RE = r`'(?:[^'\\\n]|\\.)*'?|"(?:[^"\\\n]|\\.)*"?`;
const REGEX_RE = r`/(?![/*])(?:[^/\\\n]|\\.)+/[a-zA-Z]*`;
const UNITS = 'hours|hour|hrs|hr|days|day|weeks|week|months|month|mos|mo|years|year|yrs|yr|minutes|minute|mins|min|seconds|second|secs|sec';
const AGGREGATES = 'count|min|max|avg|sum';
const SCALARS = 'concat|merge|round|abs|ceil|floor|sqrt|coalesce';

/**
 * The end of a region that expects an entity selector (after FIND or after a verb): the
 * selector itself (`*`, `(A|B)`, a full-text string, a class or a type), or a clause word /
 * punctuation that shows there is none. `stopWords` may not start a class or type name.
 */
function selectorEnd(stopWords, extraLookahead, extraChars = '') {
  return {
    end: [
      r`(\*|\([^()]*\)|${STRING_RE}|\b(?!(?i:${stopWords})\b)${NAME})`,
      r`|(?=\b(?i:${extraLookahead})\b|[^\s\p{L}\p{N}_#*("'/${extraChars}])`,
    ].join(''),
    endCaptures: { 1: { patterns: [{ include: '#selector-items' }] } },
  };
}

const grammar = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'J1QL',
  scopeName: 'source.j1ql',
  fileTypes: ['j1ql'],
  patterns: [{ include: '#query' }],
  repository: {
    query: {
      patterns: [
        { include: '#comments' },
        { include: '#find-clause' },
        { include: '#that-at-end-of-line' },
        { include: '#that-clause' },
        { include: '#tokens' },
      ],
    },
    comments: {
      patterns: [
        {
          name: 'comment.block.j1ql',
          begin: r`/\*`,
          end: r`\*/`,
          beginCaptures: { 0: { name: 'punctuation.definition.comment.begin.j1ql' } },
          endCaptures: { 0: { name: 'punctuation.definition.comment.end.j1ql' } },
        },
        {
          name: 'comment.line.double-slash.j1ql',
          match: r`(//).*$`,
          captures: { 1: { name: 'punctuation.definition.comment.j1ql' } },
        },
      ],
    },
    // FIND [UNIQUE] [#Smart]* selector
    'find-clause': {
      name: 'meta.find.j1ql',
      begin: r`(?i)\b(find)\b`,
      beginCaptures: { 1: { name: 'keyword.control.find.j1ql' } },
      ...selectorEnd(`unique|${CLAUSE_WORDS}`, CLAUSE_WORDS),
      patterns: [
        { include: '#comments' },
        { match: r`(?i)\bunique\b`, name: 'keyword.other.unique.j1ql' },
        { include: '#smart-class' },
        { include: '#selector-group-multiline' },
      ],
    },
    // THAT [!] verb [TO] [<<|>>] [AS rel] [#Smart]* selector
    'that-clause': {
      name: 'meta.traversal.j1ql',
      begin: r`(?i)\b(that)\b\s*(!)?\s*(?:\b(relates)\s+(to)\b|(\()([^()]*)(\))|(${NAME}))?`,
      beginCaptures: {
        1: { name: 'keyword.control.that.j1ql' },
        2: { name: 'keyword.operator.negation.j1ql' },
        3: { name: 'keyword.other.relates-to.j1ql' },
        4: { name: 'keyword.other.relates-to.j1ql' },
        5: { name: 'punctuation.parenthesis.begin.j1ql' },
        6: { patterns: [{ include: '#verb-items' }] },
        7: { name: 'punctuation.parenthesis.end.j1ql' },
        8: { name: 'entity.name.function.verb.j1ql' },
      },
      ...selectorEnd(`to|${CLAUSE_WORDS}`, 'find|that|with|where|return|having|order|skip|limit', '<>'),
      patterns: [
        { include: '#comments' },
        { match: r`(?i)\bto\b`, name: 'keyword.other.to.j1ql' },
        { include: '#direction' },
        { include: '#alias' },
        { include: '#smart-class' },
        { include: '#selector-group-multiline' },
      ],
    },
    // THAT at the end of a line: the verb starts a following line. The region only waits for
    // it (comments and blank lines aside); `verb-on-next-line` then reads verb and target.
    'that-at-end-of-line': {
      name: 'meta.traversal.j1ql',
      begin: r`(?i)\b(that)\b(?=\s*(?://.*|/\*.*)?$)`,
      beginCaptures: { 1: { name: 'keyword.control.that.j1ql' } },
      end: r`(?=\S)`,
      applyEndPatternLast: true,
      patterns: [{ include: '#comments' }, { include: '#verb-on-next-line' }],
    },
    'verb-on-next-line': {
      begin: r`^\s*(!)?\s*(?:\b(?i:(relates)\s+(to))\b|(\()([^()]*)(\))|(?!(?i:to|${CLAUSE_WORDS})\b)(${NAME}))`,
      beginCaptures: {
        1: { name: 'keyword.operator.negation.j1ql' },
        2: { name: 'keyword.other.relates-to.j1ql' },
        3: { name: 'keyword.other.relates-to.j1ql' },
        4: { name: 'punctuation.parenthesis.begin.j1ql' },
        5: { patterns: [{ include: '#verb-items' }] },
        6: { name: 'punctuation.parenthesis.end.j1ql' },
        7: { name: 'entity.name.function.verb.j1ql' },
      },
      ...selectorEnd(`to|${CLAUSE_WORDS}`, 'find|that|with|where|return|having|order|skip|limit', '<>'),
      patterns: [
        { include: '#comments' },
        { match: r`(?i)\bto\b`, name: 'keyword.other.to.j1ql' },
        { include: '#direction' },
        { include: '#alias' },
        { include: '#smart-class' },
        { include: '#selector-group-multiline' },
      ],
    },
    // `(` with no `)` on its line: a class/type group written over several lines. The region
    // that expects the selector ends right after it (a clause word or punctuation follows).
    'selector-group-multiline': {
      begin: r`\((?!\s*(?i:that)\b)(?=[^()]*$)`,
      beginCaptures: { 0: { name: 'punctuation.parenthesis.begin.j1ql' } },
      end: r`\)`,
      endCaptures: { 0: { name: 'punctuation.parenthesis.end.j1ql' } },
      patterns: [{ include: '#selector-items' }],
    },
    'selector-items': {
      patterns: [
        { include: '#strings' },
        { match: r`\*`, name: 'constant.language.wildcard.j1ql' },
        { match: r`\(`, name: 'punctuation.parenthesis.begin.j1ql' },
        { match: r`\)`, name: 'punctuation.parenthesis.end.j1ql' },
        { match: r`\|`, name: 'punctuation.separator.alternation.j1ql' },
        { include: '#comments' },
        { match: r`\b\p{Lu}[\p{L}\p{N}_]*`, name: 'entity.name.type.class.j1ql' },
        { match: NAME, name: 'support.type.j1ql' },
      ],
    },
    'verb-items': {
      patterns: [
        { match: r`(?i)\b(relates)\s+(to)\b`, name: 'keyword.other.relates-to.j1ql' },
        { match: r`(?i)\bto\b`, name: 'keyword.other.to.j1ql' },
        { match: r`\|`, name: 'punctuation.separator.alternation.j1ql' },
        { match: NAME, name: 'entity.name.function.verb.j1ql' },
      ],
    },
    direction: {
      match: '<<|>>',
      name: 'keyword.operator.direction.j1ql',
    },
    alias: {
      match: r`(?i)\b(as)\b(?:\s*(${NAME}))?`,
      captures: {
        1: { name: 'keyword.other.as.j1ql' },
        2: { name: 'variable.other.alias.j1ql' },
      },
    },
    'smart-class': {
      match: r`(#)${NAME}`,
      name: 'entity.name.tag.smart-class.j1ql',
      captures: { 1: { name: 'punctuation.definition.smart-class.j1ql' } },
    },
    strings: {
      patterns: [
        {
          name: 'string.quoted.single.j1ql',
          begin: "'",
          end: r`'|$`,
          beginCaptures: { 0: { name: 'punctuation.definition.string.begin.j1ql' } },
          endCaptures: { 0: { name: 'punctuation.definition.string.end.j1ql' } },
          patterns: [{ include: '#escape' }],
        },
        {
          name: 'string.quoted.double.j1ql',
          begin: '"',
          end: r`"|$`,
          beginCaptures: { 0: { name: 'punctuation.definition.string.begin.j1ql' } },
          endCaptures: { 0: { name: 'punctuation.definition.string.end.j1ql' } },
          patterns: [{ include: '#escape' }],
        },
      ],
    },
    escape: { match: r`\\.`, name: 'constant.character.escape.j1ql' },
    tokens: {
      patterns: [
        { include: '#comments' },
        { include: '#strings' },
        { include: '#regex' },
        { include: '#date' },
        { include: '#parameter' },
        { include: '#placeholder' },
        { include: '#smart-class' },
        { include: '#keywords' },
        { include: '#alias' },
        { include: '#functions' },
        { include: '#relative-date' },
        { include: '#numbers' },
        { include: '#operators' },
        { include: '#punctuation' },
        { include: '#property' },
      ],
    },
    keywords: {
      patterns: [
        { match: r`(?i)\b(order)\s+(by)\b`, captures: { 1: { name: 'keyword.control.order.j1ql' }, 2: { name: 'keyword.control.by.j1ql' } } },
        { match: r`(?i)\b(with|where|having|return|order|by|skip|limit)\b`, name: 'keyword.control.${1:/downcase}.j1ql' },
        { match: r`(?i)\b(and|or)\b`, name: 'keyword.operator.logical.${1:/downcase}.j1ql' },
        { match: r`(?i)\b(asc|desc)\b`, name: 'keyword.other.${1:/downcase}.j1ql' },
        { match: r`(?i)\b(unique|tree)\b`, name: 'keyword.other.${1:/downcase}.j1ql' },
        { match: r`(?i)\b(relates)\s+(to)\b`, name: 'keyword.other.relates-to.j1ql' },
        { match: r`(?i)\bto\b`, name: 'keyword.other.to.j1ql' },
        { match: r`(?i)\b(true|false)\b`, name: 'constant.language.boolean.${1:/downcase}.j1ql' },
        { match: r`(?i)\bundefined\b`, name: 'constant.language.undefined.j1ql' },
      ],
    },
    functions: {
      patterns: [
        { match: r`(?i)\b(${AGGREGATES})(?=\s*\()`, name: 'support.function.aggregate.j1ql' },
        { match: r`(?i)\b(${SCALARS})(?=\s*\()`, name: 'support.function.scalar.j1ql' },
        { match: r`\b${NAME}(?=\()`, name: 'entity.name.function.call.j1ql' },
      ],
    },
    // date(2019-10-30T10:00:00Z)
    date: {
      patterns: [
        {
          match: r`(?i)\b(date)(\()([^()\n]*)(\))`,
          name: 'meta.date.j1ql',
          captures: {
            1: { name: 'support.function.date.j1ql' },
            2: { name: 'punctuation.parenthesis.begin.j1ql' },
            3: { name: 'constant.other.date.j1ql' },
            4: { name: 'punctuation.parenthesis.end.j1ql' },
          },
        },
        { match: r`(?i)\bdate\.now\b`, name: 'constant.language.date-now.j1ql' },
      ],
    },
    // - 1 day, date.now - 7days
    'relative-date': {
      match: r`(?<![\p{L}\p{N}_.])(\d+(?:\.\d+)?)\s*((?i:${UNITS}))\b`,
      captures: {
        1: { name: 'constant.numeric.j1ql' },
        2: { name: 'keyword.other.unit.j1ql' },
      },
    },
    numbers: {
      match: r`(?<![\p{L}\p{N}_])\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b`,
      name: 'constant.numeric.j1ql',
    },
    // A regex literal only where a value is expected: after a comparison operator, `(`, `,`,
    // AND or OR (the lexer's rule); elsewhere `/` is division.
    regex: {
      patterns: [
        {
          match: r`(!?[~^$]=|!=|>=|<=|=|>|<)\s*(${REGEX_RE})`,
          captures: {
            1: { patterns: [{ include: '#operators' }] },
            2: { name: 'string.regexp.j1ql' },
          },
        },
        {
          match: r`(?i)(\(|,|\band\b|\bor\b)\s*(${REGEX_RE})`,
          captures: {
            1: { patterns: [{ include: '#keywords' }, { include: '#punctuation' }] },
            2: { name: 'string.regexp.j1ql' },
          },
        },
      ],
    },
    parameter: {
      match: r`(\$\{)([^}\n]*)(\})`,
      name: 'meta.parameter.j1ql',
      captures: {
        1: { name: 'punctuation.definition.parameter.begin.j1ql' },
        2: { name: 'variable.parameter.j1ql' },
        3: { name: 'punctuation.definition.parameter.end.j1ql' },
      },
    },
    placeholder: {
      match: r`(\{\{)([^}\n]*)(\}\})`,
      name: 'meta.placeholder.j1ql',
      captures: {
        1: { name: 'punctuation.definition.placeholder.begin.j1ql' },
        2: { name: 'variable.other.placeholder.j1ql' },
        3: { name: 'punctuation.definition.placeholder.end.j1ql' },
      },
    },
    operators: {
      patterns: [
        { match: r`!~=|!\^=|!\$=|~=|\^=|\$=`, name: 'keyword.operator.comparison.string.j1ql' },
        { include: '#direction' },
        { match: r`!=|>=|<=|=|>|<`, name: 'keyword.operator.comparison.j1ql' },
        { match: r`!`, name: 'keyword.operator.negation.j1ql' },
        { match: r`\|`, name: 'punctuation.separator.alternation.j1ql' },
        { match: r`(?<=\()\s*\*(?=\s*\))|(?<=\.)\*`, name: 'constant.language.wildcard.j1ql' },
        { match: r`[+\-*/^]`, name: 'keyword.operator.arithmetic.j1ql' },
      ],
    },
    punctuation: {
      patterns: [
        { match: r`\)\?`, name: 'keyword.operator.optional.j1ql' },
        { match: r`\(`, name: 'punctuation.parenthesis.begin.j1ql' },
        { match: r`\)`, name: 'punctuation.parenthesis.end.j1ql' },
        { match: ',', name: 'punctuation.separator.comma.j1ql' },
        { match: ';', name: 'punctuation.terminator.statement.j1ql' },
      ],
    },
    // tag.Production, u.email, [tag.special-name], p.[x-y], u.*
    property: {
      patterns: [
        {
          match: r`(\[)([^\]\n]*)(\])`,
          captures: {
            1: { name: 'punctuation.definition.bracket.begin.j1ql' },
            2: { name: 'variable.other.property.j1ql' },
            3: { name: 'punctuation.definition.bracket.end.j1ql' },
          },
        },
        { match: r`(?<=[\p{L}\p{N}_\]])\.(?=[\p{L}\p{N}_\[*])`, name: 'punctuation.accessor.j1ql' },
        { match: r`(?<=\.)\*`, name: 'constant.language.wildcard.j1ql' },
        { match: NAME, name: 'variable.other.property.j1ql' },
      ],
    },
  },
};

module.exports = grammar;
