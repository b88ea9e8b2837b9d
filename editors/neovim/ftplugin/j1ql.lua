-- Buffer settings for J1QL: what `j1ql fmt` writes (2-space indent, spaces) and how the
-- language comments lines (`// ...`), so `gc`, `>>` and `gq` agree with the formatter.
-- `formatexpr` formats through the language server (range formatting: the queries the
-- lines touch), falling back to Vim's own formatting when no server is attached.
vim.bo.commentstring = '// %s'
vim.bo.comments = 's1:/*,mb:*,ex:*/,://'
vim.bo.expandtab = true
vim.bo.shiftwidth = 2
vim.bo.softtabstop = 2
vim.bo.tabstop = 2
vim.bo.formatexpr = 'v:lua.vim.lsp.formatexpr()'

vim.b.undo_ftplugin = (vim.b.undo_ftplugin and (vim.b.undo_ftplugin .. ' | ') or '')
  .. 'setlocal commentstring< comments< expandtab< shiftwidth< softtabstop< tabstop< formatexpr<'
