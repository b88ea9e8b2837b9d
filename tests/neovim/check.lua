-- Headless Neovim check of `j1ql lsp`: loads editors/neovim as a user's plugin, opens a
-- .j1ql file with an error, waits for the diagnostic, completes after FIND and THAT, hovers,
-- formats. Exits non-zero on the first failure.
local t = dofile(vim.env.J1QL_TESTS .. '/t.lua')
local check = t.check

local buf = vim.api.nvim_get_current_buf()
check(vim.bo[buf].filetype == 'j1ql', 'filetype detected: ' .. vim.bo[buf].filetype)

-- The ftplugin: comments and indentation as `j1ql fmt` writes them, formatting through the server.
check(vim.bo[buf].commentstring == '// %s', 'commentstring is // %s: ' .. vim.bo[buf].commentstring)
check(vim.bo[buf].shiftwidth == 2 and vim.bo[buf].expandtab, '2-space indent with spaces')
check(vim.bo[buf].formatexpr:find('lsp') ~= nil, 'formatexpr formats through the server')

local client = t.client(buf)
for _, name in ipairs({ 'J1qlRun', 'J1qlNormalize', 'J1qlInstallParser' }) do
  check(vim.fn.exists(':' .. name) == 2, ':' .. name .. ' defined')
end
check(vim.treesitter.language.get_lang('j1ql') == 'j1ql', 'filetype j1ql registered for tree-sitter')

local got = vim.wait(10000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
local diags = vim.diagnostic.get(buf)
check(got, 'diagnostics published (' .. #diags .. ')')
local found = false
for _, d in ipairs(diags) do
  if d.code == 'S010' and d.lnum == 0 then
    found = true
  end
end
check(found, 'S010 unknown class on line 1')

local function request(method, params)
  local result = client:request_sync(method, params, 5000, buf)
  return result and result.result, result and result.err
end

local function labels(res)
  local items = res and (res.items or res) or {}
  local out = {}
  for _, i in ipairs(items) do
    out[i.label] = true
  end
  return out
end

local uri = vim.uri_from_bufnr(buf)
-- Line 2 is `FIND ` and line 3 `FIND User THAT `.
local res = request('textDocument/completion', { textDocument = { uri = uri }, position = { line = 1, character = 5 } })
check(labels(res)['User'] ~= nil, 'completion after FIND offers User')
res = request('textDocument/completion', { textDocument = { uri = uri }, position = { line = 2, character = 15 } })
check(labels(res)['HAS'] ~= nil, 'completion after THAT offers HAS')

res = request('textDocument/hover', { textDocument = { uri = uri }, position = { line = 2, character = 6 } })
check(res and res.contents and res.contents.value:find('class') ~= nil, 'hover on User')

-- The document has syntax errors in lines 2 and 3: formatting still formats line 1.
local err
vim.api.nvim_buf_set_lines(buf, 0, 1, false, { 'find Hots with active = true' })
vim.wait(300, function() return false end, 50)
res, err = request('textDocument/formatting', { textDocument = { uri = uri }, options = { tabSize = 2, insertSpaces = true } })
check(
  err == nil and res and #res == 1 and res[1].range.start.line == 0 and res[1].newText == 'FIND Hots WITH active = true',
  'formatting formats the query that parses beside two that do not: ' .. vim.inspect(res)
)

-- Fix the class with the quick fix, then the document formats.
vim.api.nvim_buf_set_lines(buf, 0, -1, false, { 'find Host with active = true' })
vim.wait(300, function() return false end, 50)
res, err = request('textDocument/formatting', { textDocument = { uri = uri }, options = { tabSize = 2, insertSpaces = true } })
check(err == nil and res and #res == 1 and res[1].newText:find('^FIND Host WITH') ~= nil, 'formatting upper-cases keywords')

t.finish()
