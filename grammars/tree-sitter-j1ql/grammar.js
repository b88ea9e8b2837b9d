/**
 * @file Tree-sitter grammar for the JupiterOne Query Language (J1QL).
 *
 * Mirrors the recursive-descent parser of `crates/j1ql-syntax` (see its `grammar/mod.rs`):
 *
 *   Document  = (Query | ';')*
 *   Query     = (FIND [UNIQUE] Entity | "full text" ...) (Traversal | Optional)*
 *               (Where | Return | Having | OrderBy | Skip | Limit)*
 *   Entity    = Selector (WITH Filter | AS name)*
 *   Traversal = THAT [!] (Verb [TO] | RELATES TO | '(' Verb ('|' Verb)* ')')
 *               (<< | >> | AS name)* Entity
 *   Optional  = '(' (Traversal | Optional)+ ')?' [AS name]
 *
 * Keywords are case-insensitive and contextual: tree-sitter's keyword extraction (`word`) only
 * turns an identifier into a keyword where the keyword is valid, so `WITH limit = 5` reads
 * `limit` as a property, as the Rust parser does.
 */

/* eslint-disable arrow-parens, camelcase */

/** A case-insensitive regular expression for a keyword. */
function ci(word) {
  return new RegExp(
    word
      .split('')
      .map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c))
      .join(''),
  );
}

/** A keyword node, shown as its upper-case spelling (an anonymous node such as `"FIND"`). */
function kw(word) {
  return alias(ci(word), word.toUpperCase());
}

/** One or more `rule`s separated by `sep`. */
function sep1(rule, sep) {
  return seq(rule, repeat(seq(sep, rule)));
}

const PREC = {
  or: 1,
  and: 2,
  add: 1,
  mul: 2,
  unary: 4,
  pow: 3,
};

module.exports = grammar({
  name: 'j1ql',

  extras: ($) => [/\s/, $.comment],

  word: ($) => $.identifier,

  // `FIND #Smart (` is either a class group `(A|B)` of the selector or an optional traversal
  // `(THAT ...)?` after it: the token after `(` decides, so let the GLR parser look.
  conflicts: ($) => [[$.selector]],

  rules: {
    /** A document: queries, optionally ended by `;`. */
    source_file: ($) => repeat(choice($.query, ';')),

    /** One query: FIND (or a bare full-text string), traversals, then the closing clauses in any order. */
    query: ($) =>
      prec.right(
        seq(
          choice(
            seq(kw('find'), optional(kw('unique')), field('start', alias($.start_entity, $.entity))),
            field('start', alias($.full_text_entity, $.entity)),
          ),
          repeat(choice($.traversal, $.optional_traversal)),
          repeat(
            choice(
              $.where_clause,
              $.return_clause,
              $.having_clause,
              $.order_clause,
              $.skip_clause,
              $.limit_clause,
            ),
          ),
        ),
      ),

    // ---- entities ----

    /** An entity pattern: what to match, then WITH filters and an AS alias. */
    entity: ($) => prec.right(seq($.selector, repeat(choice($.with_clause, $.alias)))),

    /** The entity after FIND: a selector, or a full-text search string. */
    start_entity: ($) =>
      prec.right(
        seq(
          choice($.selector, alias($.full_text, $.selector)),
          repeat(choice($.with_clause, $.alias)),
        ),
      ),

    /** A query without FIND: full-text search for a string. */
    full_text_entity: ($) =>
      prec.right(seq(alias($.full_text, $.selector), repeat(choice($.with_clause, $.alias)))),

    full_text: ($) => $.string,

    /** Smart classes, then a class/type name, `*` or a `(A|B)` group. */
    selector: ($) =>
      choice(seq(repeat1($.smart_class), optional($._selector_core)), $._selector_core),

    _selector_core: ($) => choice($.entity_name, $.wildcard, $.selector_group),

    /** A class (TitleCase) or a type (snake_case); the case tells them apart. */
    entity_name: ($) => $.identifier,

    /** `*`: any entity (or, in a property, every property). */
    wildcard: (_) => '*',

    /** `(Host|aws_instance|*)`. */
    selector_group: ($) => seq('(', sep1(choice($.entity_name, $.wildcard), '|'), ')'),

    /** `#CriticalAsset`, `#Production`. */
    smart_class: (_) => /#[\p{L}_][\p{L}\p{N}_]*/,

    /** `AS name` on an entity, a relationship or an optional traversal. */
    alias: ($) => seq(kw('as'), field('name', $.identifier)),

    // ---- traversals ----

    /** `THAT relationship target`. */
    traversal: ($) => seq(kw('that'), $.relationship, field('target', $.entity)),

    /** `[!] verb [<< | >>] [AS name]`. */
    relationship: ($) =>
      seq(
        optional($.negation),
        choice($.verb, $.verb_group),
        repeat(choice($.direction, $.alias)),
      ),

    /** `!` before a verb: entities without such a relationship. */
    negation: (_) => '!',

    /** `HAS`, `HAS TO` (filler TO), or `RELATES TO` (any relationship). */
    verb: ($) =>
      choice(
        seq(kw('relates'), kw('to')),
        seq(field('name', $.identifier), optional(kw('to'))),
      ),

    /** `(ALLOWS|PERMITS)`. */
    verb_group: ($) => seq('(', sep1($.verb, '|'), ')'),

    /** `>>` outgoing, `<<` incoming. */
    direction: (_) => choice('<<', '>>'),

    /** `(THAT ... THAT ...)? [AS name]`. */
    optional_traversal: ($) =>
      prec.right(
        seq(
          '(',
          repeat1(choice($.traversal, $.optional_traversal)),
          choice(')?', seq(')', '?')),
          optional($.alias),
        ),
      ),

    // ---- filters ----

    with_clause: ($) => seq(kw('with'), $._filter),
    where_clause: ($) => seq(kw('where'), $._filter),
    having_clause: ($) => seq(kw('having'), $._filter),

    _filter: ($) => choice($.binary_filter, $.parenthesized_filter, $.comparison),

    binary_filter: ($) =>
      choice(
        prec.left(PREC.or, seq(field('left', $._filter), field('operator', kw('or')), field('right', $._filter))),
        prec.left(PREC.and, seq(field('left', $._filter), field('operator', kw('and')), field('right', $._filter))),
      ),

    parenthesized_filter: ($) => seq('(', $._filter, ')'),

    comparison: ($) =>
      seq(
        field('left', choice($.property, $._literal, $.relative_date)),
        field('operator', $.comparison_operator),
        field('right', $._value),
      ),

    comparison_operator: (_) =>
      choice('=', '!=', '>', '<', '>=', '<=', '~=', '^=', '$=', '!~=', '!^=', '!$='),

    /** `tag.Production`, `u.email`, `[tag.special-name]`, `p.[x-y]`, `u.*`. */
    property: ($) =>
      prec.right(
        seq(
          choice($.identifier, $.bracketed_name),
          repeat(
            seq(
              token.immediate('.'),
              choice($.identifier, $.bracketed_name, $.number, alias('*', $.wildcard)),
            ),
          ),
        ),
      ),

    bracketed_name: (_) => /\[[^\]\n]*\]/,

    _value: ($) => choice($._literal, $.relative_date, $.value_group, $.property),

    _literal: ($) =>
      choice(
        $.string,
        $.number,
        $.boolean,
        $.undefined,
        $.date,
        $.regex,
        $.parameter,
        $.placeholder,
        $.negative_number,
      ),

    negative_number: ($) => seq(choice('-', '+'), $.number),

    value_group: ($) => seq('(', sep1($._value, choice(kw('or'), kw('and'))), ')'),

    /** `date.now`, `date.now - 7 days`, `- 1 day`. */
    relative_date: ($) =>
      prec.right(
        choice(
          seq($.date_now, optional(seq(choice('-', '+'), $.number, $.time_unit))),
          seq(choice('-', '+'), $.number, $.time_unit),
        ),
      ),

    time_unit: ($) => $.identifier,

    date_now: (_) => token(seq(ci('date'), '.', ci('now'))),

    /** `date(2019-10-30)` and the other ISO 8601 forms. */
    date: (_) => token(seq(ci('date'), '(', /[^()\n]*/, ')')),

    // ---- RETURN, ORDER BY, SKIP, LIMIT ----

    return_clause: ($) =>
      prec.right(seq(kw('return'), choice(kw('tree'), sep1($.return_item, ',')))),

    return_item: ($) => seq($._expression, optional($.column_alias)),

    column_alias: ($) => seq(kw('as'), field('name', choice($.identifier, $.string))),

    _expression: ($) =>
      choice(
        $.binary_expression,
        $.unary_expression,
        $.parenthesized_expression,
        $.call_expression,
        $.property,
        $.string,
        $.number,
        $.boolean,
        $.undefined,
        $.parameter,
        $.placeholder,
        $.date,
        $.wildcard,
      ),

    binary_expression: ($) =>
      choice(
        prec.left(PREC.add, seq(field('left', $._expression), field('operator', choice('+', '-')), field('right', $._expression))),
        prec.left(PREC.mul, seq(field('left', $._expression), field('operator', choice('*', '/')), field('right', $._expression))),
        prec.right(PREC.pow, seq(field('left', $._expression), field('operator', '^'), field('right', $._expression))),
      ),

    unary_expression: ($) =>
      prec(PREC.unary, seq(field('operator', choice('-', '+')), field('operand', $._expression))),

    parenthesized_expression: ($) => seq('(', $._expression, ')'),

    call_expression: ($) =>
      seq(field('function', $.identifier), field('arguments', $.arguments)),

    arguments: ($) => seq('(', optional(sep1($._expression, ',')), ')'),

    order_clause: ($) => seq(kw('order'), kw('by'), sep1($.order_item, ',')),

    order_item: ($) =>
      seq(choice($.property, $.string), optional(choice(kw('asc'), kw('desc')))),

    skip_clause: ($) => seq(kw('skip'), $._count),
    limit_clause: ($) => seq(kw('limit'), $._count),

    _count: ($) => choice($.number, $.negative_number, $.parameter, $.placeholder),

    // ---- tokens ----

    boolean: (_) => choice(kw('true'), kw('false')),

    undefined: (_) => kw('undefined'),

    number: (_) => /[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/,

    string: ($) =>
      choice(
        seq(
          '\'',
          repeat(choice(alias(token.immediate(prec(1, /[^'\\\n]+/)), $.string_content), $.escape_sequence)),
          token.immediate('\''),
        ),
        seq(
          '"',
          repeat(choice(alias(token.immediate(prec(1, /[^"\\\n]+/)), $.string_content), $.escape_sequence)),
          token.immediate('"'),
        ),
      ),

    escape_sequence: (_) => token.immediate(/\\[^\n]/),

    /** `/pattern/flags`; only where a value is expected, so `/` elsewhere is division. */
    regex: (_) => token(seq('/', /([^/\\\n*]|\\[^\n])([^/\\\n]|\\[^\n])*/, '/', /[a-zA-Z]*/)),

    /** `${ param.name }` or `${name}`. */
    parameter: (_) => /\$\{[^}\n]*\}/,

    /** `{{placeholder}}` of question templates. */
    placeholder: (_) => /\{\{[^}\n]*\}\}/,

    comment: (_) =>
      token(
        prec(2, choice(seq('//', /[^\n]*/), seq('/*', /[^*]*\*+([^/*][^*]*\*+)*/, '/'))),
      ),

    // Last, so that `true`, `false` and `undefined` (which tree-sitter cannot treat as extracted
    // keywords here) win over an identifier of the same length: rule order breaks that tie.
    identifier: (_) => /[\p{L}_][\p{L}\p{N}_]*/,
  },
});
