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

; ---- functions (the two patterns exclude each other, so their order does not matter) ----
((call_expression
  function: (identifier) @function.builtin)
  (#match? @function.builtin "^([cC][oO][uU][nN][tT]|[mM][iI][nN]|[mM][aA][xX]|[aA][vV][gG]|[sS][uU][mM]|[cC][oO][nN][cC][aA][tT]|[mM][eE][rR][gG][eE]|[rR][oO][uU][nN][dD]|[aA][bB][sS]|[cC][eE][iI][lL]|[fF][lL][oO][oO][rR]|[sS][qQ][rR][tT]|[cC][oO][aA][lL][eE][sS][cC][eE])$"))

((call_expression
  function: (identifier) @function.call)
  (#not-match? @function.call "^([cC][oO][uU][nN][tT]|[mM][iI][nN]|[mM][aA][xX]|[aA][vV][gG]|[sS][uU][mM]|[cC][oO][nN][cC][aA][tT]|[mM][eE][rR][gG][eE]|[rR][oO][uU][nN][dD]|[aA][bB][sS]|[cC][eE][iI][lL]|[fF][lL][oO][oO][rR]|[sS][qQ][rR][tT]|[cC][oO][aA][lL][eE][sS][cC][eE])$"))

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
