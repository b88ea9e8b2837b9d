; A query folds as a whole, and so do its long parts.
[
  (query)
  (return_clause)
  (where_clause)
  (with_clause)
  (optional_traversal)
  (value_group)
] @fold

(comment) @fold
