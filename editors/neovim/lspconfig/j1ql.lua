---@brief
---
--- https://github.com/<owner>/j1ql
---
--- The JupiterOne Query Language (J1QL) language server: diagnostics, completion, hover,
--- formatting, code actions and running queries. Install with `pip install j1ql`, `pipx install
--- j1ql`, `:MasonInstall j1ql` or `cargo install --locked j1ql`.
---
--- Neovim has no `j1ql` filetype of its own; add one (or use editors/neovim of the j1ql
--- repository, which also brings highlighting and commands):
--- ```lua
--- vim.filetype.add({ extension = { j1ql = 'j1ql' } })
--- ```

---@type vim.lsp.Config
return {
  cmd = { 'j1ql', 'lsp' },
  filetypes = { 'j1ql' },
  root_markers = { 'j1ql.toml', '.git' },
}
