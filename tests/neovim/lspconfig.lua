-- The nvim-lspconfig form of the server's config (editors/neovim/lspconfig/j1ql.lua) used as
-- nvim-lspconfig ships it: `lsp/j1ql.lua` on the runtime path, `vim.lsp.enable('j1ql')`, and
-- `j1ql` found on PATH. No plugin of ours is loaded.
local t = dofile(vim.env.J1QL_TESTS .. '/t.lua')
local check = t.check

local config = vim.lsp.config.j1ql
check(config ~= nil, 'vim.lsp.config.j1ql read from lsp/j1ql.lua')
check(vim.deep_equal(config.cmd, { 'j1ql', 'lsp' }), 'cmd is { "j1ql", "lsp" }')
check(vim.deep_equal(config.filetypes, { 'j1ql' }), 'filetypes')
check(vim.deep_equal(config.root_markers, { 'j1ql.toml', '.git' }), 'root_markers')

local buf = vim.api.nvim_get_current_buf()
check(vim.bo[buf].filetype == 'j1ql', 'filetype from vim.filetype.add')
local attached = t.wait(10000, function()
  return #vim.lsp.get_clients({ bufnr = buf, name = 'j1ql' }) > 0
end)
check(attached, 'j1ql lsp attached')
local client = vim.lsp.get_clients({ bufnr = buf, name = 'j1ql' })[1]
if client then
  check(client.root_dir ~= nil and vim.fn.filereadable(client.root_dir .. '/j1ql.toml') == 1,
    'root is the folder of j1ql.toml: ' .. tostring(client.root_dir))
end
local got = t.wait(10000, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == 'S010' then
      return true
    end
  end
  return false
end)
check(got, 'S010 published through the lspconfig config')
t.finish()
