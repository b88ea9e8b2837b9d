-- Headless check of the tree-sitter support (:J1qlInstallParser, highlighting started by the
-- plugin, captures on highlight.j1ql) and of :checkhealth j1ql.
local t = dofile(vim.env.J1QL_TESTS .. '/t.lua')
local check = t.check
local ts = require('j1ql.treesitter')

local buf = vim.api.nvim_get_current_buf()
t.client(buf)

local function health_lines()
  vim.cmd('checkhealth j1ql')
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  vim.cmd('bwipe! health://')
  vim.cmd('buffer ' .. buf)
  return lines
end

local function has(lines, pattern)
  for _, l in ipairs(lines) do
    if l:find(pattern) then
      return l
    end
  end
end

-- Before the parser is built: a warning that says how to build it.
check(vim.fn.filereadable(ts.parser_path()) == 0, 'no parser before :J1qlInstallParser')
local report = health_lines()
check(has(report, 'WARNING parser not installed') ~= nil, 'checkhealth warns that the parser is missing')
check(has(report, ':J1qlInstallParser') ~= nil, 'checkhealth says how to install it')

vim.cmd('J1qlInstallParser')
check(vim.fn.filereadable(ts.parser_path()) == 1, ':J1qlInstallParser built ' .. ts.parser_path())
check(ts.has_parser(), 'Neovim loads the j1ql parser')

-- Reopening the file runs the plugin's FileType autocmd, which starts highlighting.
vim.cmd('edit')
buf = vim.api.nvim_get_current_buf()
check(vim.treesitter.highlighter.active[buf] ~= nil, 'tree-sitter highlighting started for the j1ql buffer')
local tree = vim.treesitter.get_parser(buf, 'j1ql'):parse()[1]
check(tree and not tree:root():has_error(), 'highlight.j1ql parses without errors')

local function captures(row, col)
  local names = {}
  for _, c in ipairs(vim.treesitter.get_captures_at_pos(buf, row, col)) do
    names[#names + 1] = c.capture
  end
  return names
end

local line = vim.api.nvim_buf_get_lines(buf, 1, 2, false)[1]
local function expect(word, capture)
  local col = assert(line:find(word, 1, true), word) - 1
  local names = captures(1, col)
  check(vim.tbl_contains(names, capture), ('%s is @%s (%s)'):format(word, capture, table.concat(names, ', ')))
end
expect('FIND', 'keyword')
expect('User', 'type')
expect('WITH', 'keyword')
expect('active', 'property')
expect('true', 'boolean')
expect('~=', 'operator')
expect("'.com'", 'string')
local c = captures(0, 3)
check(vim.tbl_contains(c, 'comment'), 'the first line is @comment (' .. table.concat(c, ', ') .. ')')

-- The report once everything is in place: OK lines, no error.
report = health_lines()
local version = vim.trim(t.j1ql({ '--version' }))
check(has(report, '^%- ✅ OK Neovim 0%.11') ~= nil, 'checkhealth: OK Neovim 0.11')
check(has(report, 'OK binary .*' .. vim.pesc(version) .. '$') ~= nil, 'checkhealth: OK binary, ' .. version)
check(has(report, "OK vim%.lsp%.enable%('j1ql'%) is on") ~= nil, 'checkhealth: OK vim.lsp.enable')
check(has(report, 'OK parser installed: .*j1ql%.so') ~= nil, 'checkhealth: OK parser installed')
check(has(report, 'OK highlights query loaded') ~= nil, 'checkhealth: OK highlights query')
check(has(report, 'OK config found and valid: .*project/j1ql%.toml') ~= nil, 'checkhealth: OK config found and valid')
check(has(report, 'ERROR') == nil and has(report, 'WARNING') == nil, 'checkhealth: no error or warning')
if has(report, 'ERROR') or has(report, 'WARNING') then
  print(table.concat(report, '\n'))
end

-- A broken j1ql.toml is an error in the report; writing it from Neovim tells the server
-- (no file watchers on Linux), which shows an error message.
local toml = vim.fn.fnamemodify('j1ql.toml', ':p')
local saved = vim.fn.readfile(toml)
vim.cmd('split ' .. toml)
vim.api.nvim_buf_set_lines(0, 0, -1, false, { 'data = [' })
t.messages = {}
vim.cmd('write')
vim.cmd('close')
vim.cmd('buffer ' .. buf)
report = health_lines()
if not check(
  has(report, 'ERROR config does not load: .*j1ql%.toml') ~= nil and has(report, 'unclosed array') ~= nil,
  'checkhealth: a broken j1ql.toml is an ERROR'
) then
  print(table.concat(report, '\n'))
end
local told = t.wait(10000, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == 'config' then
      return true
    end
  end
  return false
end)
check(told, 'the server heard of the written j1ql.toml (config diagnostic)')
local shown = t.wait(5000, function()
  for _, m in ipairs(t.messages) do
    if tostring(m):find('workspace settings not used') then
      return true
    end
  end
  return false
end)
check(shown, 'the broken j1ql.toml is an error message')
vim.fn.writefile(saved, toml)

-- A missing binary is an error in the report.
require('j1ql').setup({ cmd = { vim.fn.tempname() .. '/j1ql', 'lsp' } })
report = health_lines()
check(has(report, 'ERROR .*j1ql` not found') ~= nil, 'checkhealth: a missing binary is an ERROR')

t.finish()
