-- The J1QL language server (`j1ql lsp`), in nvim-lspconfig's `lsp/<name>.lua` style:
-- Neovim 0.11+ reads it through `vim.lsp.config('j1ql', ...)` / `vim.lsp.enable('j1ql')`.
-- Set `vim.g.j1ql_cmd` (a list) to use another binary than `j1ql` on PATH.
return {
  cmd = vim.g.j1ql_cmd or { 'j1ql', 'lsp' },
  filetypes = { 'j1ql' },
  root_markers = { 'j1ql.toml', '.git' },
  -- diagnosticsDelayMs: debounce of diagnostics after a change;
  -- docsUrl: where diagnostic codes link to (`<docsUrl>#<code>`).
  init_options = { diagnosticsDelayMs = 50 },
}
