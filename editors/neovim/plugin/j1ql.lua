-- The j1ql plugin: filetype, `j1ql lsp` (Neovim 0.11+: vim.lsp.enable('j1ql') with the config
-- in lsp/j1ql.lua; 0.9/0.10: vim.lsp.start on FileType), tree-sitter registration, and the
-- commands :J1qlRun, :J1qlNormalize, :J1qlInstallParser. `require('j1ql').setup{...}` changes
-- the options; `vim.g.j1ql_no_setup = true` leaves everything to that call.
if vim.g.loaded_j1ql then
  return
end
vim.g.loaded_j1ql = true

-- A setup{...} call that came first (from a plugin manager's config) is kept.
if not vim.g.j1ql_no_setup and not require('j1ql').did_setup then
  require('j1ql').setup()
end
