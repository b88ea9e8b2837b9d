; Highlights for J1QL (capture names follow nvim-treesitter's conventions).

; ---- keywords (case-insensitive in the source; anonymous nodes spelled upper case) ----
[
  "FIND"
  "WITH"
  "THAT"
  "WHERE"
  "RETURN"
  "HAVING"
  "ORDER"
  "BY"
  "SKIP"
  "LIMIT"
] @keyword

[
  "AS"
  "UNIQUE"
  "TREE"
  "ASC"
  "DESC"
] @keyword.modifier

; `TO` after a verb is filler.
(verb
  name: (identifier)
  "TO" @keyword.modifier)

[
  "AND"
  "OR"
] @keyword.operator

; RELATES TO: the predefined "any relationship" verb.
(verb
  "RELATES" @keyword.operator
  "TO" @keyword.operator)

; ---- classes (TitleCase), types (snake_case), smart classes, the wildcard ----
((entity_name) @type
  (#match? @type "^[A-Z]"))

((entity_name) @type.builtin
  (#not-match? @type.builtin "^[A-Z]"))

(smart_class) @attribute

(wildcard) @character.special

; ---- relationships ----
(verb
  name: (identifier) @function.method)

(negation) @operator

(direction) @operator

; ---- names ----
(alias
  name: (identifier) @variable)

(column_alias
  name: (identifier) @variable)

(property
  (identifier) @property)

(property
  (bracketed_name) @property)

(time_unit) @keyword.modifier

; ---- functions ----
; The aggregate and scalar functions J1QL knows, in the spellings queries use (lower, UPPER,
; Capitalised; `#any-of?` is exact and works in Neovim and the tree-sitter CLI alike). The two
; patterns exclude each other, so their order does not matter.
((call_expression
  function: (identifier) @function.builtin)
  (#any-of? @function.builtin
    "count"
    "COUNT"
    "Count"
    "min"
    "MIN"
    "Min"
    "max"
    "MAX"
    "Max"
    "avg"
    "AVG"
    "Avg"
    "sum"
    "SUM"
    "Sum"
    "concat"
    "CONCAT"
    "Concat"
    "merge"
    "MERGE"
    "Merge"
    "round"
    "ROUND"
    "Round"
    "abs"
    "ABS"
    "Abs"
    "ceil"
    "CEIL"
    "Ceil"
    "floor"
    "FLOOR"
    "Floor"
    "sqrt"
    "SQRT"
    "Sqrt"
    "coalesce"
    "COALESCE"
    "Coalesce"))

((call_expression
  function: (identifier) @function.call)
  (#not-any-of? @function.call
    "count"
    "COUNT"
    "Count"
    "min"
    "MIN"
    "Min"
    "max"
    "MAX"
    "Max"
    "avg"
    "AVG"
    "Avg"
    "sum"
    "SUM"
    "Sum"
    "concat"
    "CONCAT"
    "Concat"
    "merge"
    "MERGE"
    "Merge"
    "round"
    "ROUND"
    "Round"
    "abs"
    "ABS"
    "Abs"
    "ceil"
    "CEIL"
    "Ceil"
    "floor"
    "FLOOR"
    "Floor"
    "sqrt"
    "SQRT"
    "Sqrt"
    "coalesce"
    "COALESCE"
    "Coalesce"))

; ---- literals ----
(string) @string

(escape_sequence) @string.escape

(regex) @string.regexp

(number) @number

(boolean) @boolean

(undefined) @constant.builtin

(date) @string.special

(date_now) @constant.builtin

(parameter) @variable.parameter

(placeholder) @string.special

; Spell-check comments (Neovim); listed first so that @comment is the colour.
(comment) @spell

(comment) @comment

; ---- operators and punctuation ----
(comparison_operator) @operator

(binary_expression
  operator: _ @operator)

(unary_expression
  operator: _ @operator)

(negative_number
  [
    "-"
    "+"
  ] @operator)

(relative_date
  [
    "-"
    "+"
  ] @operator)

[
  "("
  ")"
  ")?"
] @punctuation.bracket

[
  ","
  ";"
  "|"
] @punctuation.delimiter

"." @punctuation.delimiter
