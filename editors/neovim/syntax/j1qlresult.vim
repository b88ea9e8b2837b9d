" The :J1qlRun result table: the query line, the rule under the header, the row count.
if exists('b:current_syntax')
  finish
endif
syntax match j1qlResultQuery /\%1l^-- .*/
syntax match j1qlResultHeader /\%2l.*/
syntax match j1qlResultRule /^[─┼]\+$/
syntax match j1qlResultSep /│/
syntax match j1qlResultCount /^\d\+ rows\?$/
highlight default link j1qlResultQuery Comment
highlight default link j1qlResultHeader Title
highlight default link j1qlResultRule Comment
highlight default link j1qlResultSep Comment
highlight default link j1qlResultCount Comment
let b:current_syntax = 'j1qlresult'
