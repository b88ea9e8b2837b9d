-- Headless check of :J1qlRun (table and json) and :J1qlNormalize on commands.j1ql. The
-- expected results come from the j1ql CLI (`j1ql run --format table|json`, `j1ql normalize`)
-- on the same (demo) data, so a change on either side that makes them disagree fails.
local t = dofile(vim.env.J1QL_TESTS .. '/t.lua')
local check = t.check

local buf = vim.api.nvim_get_current_buf()
local client = t.client(buf)
local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)

local function line_of(pattern)
  for i, l in ipairs(lines) do
    if l:find(pattern, 1, true) then
      return i
    end
  end
  error('no line with ' .. pattern)
end

-- The query of the block starting at `first` (1-based), as the CLI gets it.
local function query_text(first)
  local out = { lines[first] }
  local i = first + 1
  while lines[i] and lines[i]:match('^%s+%S') do
    out[#out + 1] = lines[i]
    i = i + 1
  end
  return table.concat(out, '\n')
end

-- Cells of a table: the CLI's (comfy-table, `┆` between cells) or the plugin's (`│`).
local function cells(line, sep)
  local out = {}
  for c in (line .. sep):gmatch('(.-)' .. sep) do
    out[#out + 1] = vim.trim((c:gsub('^│', ''):gsub('│$', '')))
  end
  return out
end

local function cli_rows(query)
  local out = {}
  for _, l in ipairs(vim.split(t.j1ql({ 'run', '--format', 'table', query }), '\n')) do
    if l:find('┆', 1, true) then
      out[#out + 1] = cells(l, '┆')
    end
  end
  return out -- header first
end

local function result_lines()
  local rb = vim.fn.bufnr('j1ql://result')
  return rb ~= -1 and vim.api.nvim_buf_get_lines(rb, 0, -1, false) or {}
end

-- Runs :J1qlRun [args] with the cursor on `line` and waits for a new result.
local function run(line, args)
  local rb = vim.fn.bufnr('j1ql://result')
  if rb ~= -1 then
    vim.bo[rb].modifiable = true
    vim.api.nvim_buf_set_lines(rb, 0, -1, false, {})
  end
  vim.api.nvim_win_set_cursor(0, { line, 0 })
  vim.cmd('J1qlRun ' .. (args or ''))
  t.wait(10000, function()
    return #result_lines() > 1
  end)
  return result_lines()
end

local function check_table(name, first, cursor)
  local query = query_text(first)
  local want = cli_rows(query)
  local got = run(cursor)
  local rows = {}
  for i = 2, #got - 1 do
    if not got[i]:match('^[─┼]+$') then
      rows[#rows + 1] = cells(got[i], '│')
    end
  end
  check(#want > 1, name .. ': the CLI finds rows (' .. (#want - 1) .. ')')
  check(vim.startswith(got[1] or '', '-- ' .. lines[first]), name .. ': first line names the query: ' .. tostring(got[1]))
  check(vim.endswith(got[1] or '', ' — on the demo account'), name .. ': first line says which data it ran on: ' .. tostring(got[1]))
  check(got[#got] == string.format('%d %s', #want - 1, #want == 2 and 'row' or 'rows'),
    name .. ': row count line ' .. tostring(got[#got]))
  check(vim.deep_equal(rows, want), name .. ': header and rows equal `j1ql run --format table`')
  if not vim.deep_equal(rows, want) then
    print(vim.inspect({ got = rows, want = want }))
  end
  check(vim.fn.win_gettype(vim.fn.bufwinid('j1ql://result')) == '' and vim.fn.bufwinid('j1ql://result') ~= -1,
    name .. ': result shown in a window')
  check(vim.api.nvim_get_current_buf() == buf, name .. ': the cursor stays in the query buffer')
  return got
end

local list = line_of('FIND User WITH active = true')
local tbl = line_of('FIND User AS u')
local tree = line_of('RETURN TREE') - 1
check_table('list result', list, list)
-- On the comment line above a query: that query (the comment belongs to it).
check_table('list result from its comment line', list, list - 1)
-- Cursor on the RETURN line of a two-line query; column order is the RETURN order.
local got = check_table('table result', tbl, tbl + 1)
check(got[2]:match('^u%.username%s+│ Active%?') ~= nil, 'table result: columns in RETURN order: ' .. got[2])
check_table('tree result', tree, tree)

-- :J1qlRun json: the same JSON as `j1ql run` (nulls inside objects aside: Neovim's LSP
-- client drops them, so both sides are decoded that way).
local json = run(tbl, 'json')
local ok, decoded = pcall(vim.json.decode, table.concat(json, '\n'), { luanil = { object = true } })
local want = vim.json.decode(t.j1ql({ 'run', query_text(tbl) }), { luanil = { object = true } })
check(ok and vim.deep_equal(decoded, want), ':J1qlRun json equals `j1ql run` JSON')
check(vim.bo[vim.fn.bufnr('j1ql://result')].filetype == 'json', ':J1qlRun json buffer has filetype json')
check(json[2] == '  "type": "table",', ':J1qlRun json is pretty-printed, type first: ' .. tostring(json[2]))

-- A query with syntax errors is not run: the server's message, and no result buffer.
local bad = line_of('FIND Host WITH = 3')
vim.cmd('bwipe! j1ql://result')
t.messages = {}
vim.api.nvim_win_set_cursor(0, { bad, 0 })
vim.cmd('J1qlRun')
t.wait(5000, function() return #t.messages > 0 end)
check(#t.messages == 1 and t.messages[1]:find('^J1qlRun: .*error') ~= nil,
  ':J1qlRun on a broken query reports the error: ' .. tostring(t.messages[1]))
-- ... and lists the errors, with their place in the query and their code.
check(t.messages[1]:find('1:%d+ P%d%d%d: expected') ~= nil,
  ':J1qlRun lists the refused query\'s errors: ' .. tostring(t.messages[1]))
check(vim.fn.bufnr('j1ql://result') == -1, ':J1qlRun on a broken query opens no result')
check(vim.fn.exists(':J1qlRun') == 2 and pcall(vim.cmd, 'J1qlRun xml') and t.messages[2]
  and t.messages[2]:find('unknown format') ~= nil, ':J1qlRun with an unknown format says so')

-- Cells: whole numbers in full (JSON numbers are doubles in Lua), arrays joined, null empty.
local render = require('j1ql.render')
check(render.cell(1761091200000) == '1761091200000', 'cell: epoch milliseconds in full')
check(render.cell(0.25) == '0.25' and render.cell(-3) == '-3', 'cell: fractions and negatives')
check(render.cell({ 'a', 'b' }) == 'a, b' and render.cell(vim.NIL) == '' and render.cell(false) == 'false',
  'cell: arrays, null, false')
check(table.concat(render.json({ a = {}, b = vim.empty_dict(), type = 'x' }), '') == '{  "type": "x",  "a": [],  "b": {}}',
  'json: type first, empty array and empty object kept apart')

-- :J1qlNormalize expands every filter of the query under the cursor, as `j1ql normalize`.
local norm = line_of('!= (')
local before = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local expected = vim.trim(t.j1ql({ 'normalize', '-' }, lines[norm]))
vim.api.nvim_win_set_cursor(0, { norm, 0 })
vim.cmd('J1qlNormalize')
local after = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
check(after[norm] == expected, ':J1qlNormalize gives `j1ql normalize`: ' .. after[norm] .. ' | ' .. expected)
check(after[norm] ~= before[norm], ':J1qlNormalize changed the query')
local others = true
for i, l in ipairs(before) do
  if i ~= norm and after[i] ~= l then
    others = false
  end
end
check(others and #after == #before, ':J1qlNormalize leaves the other queries alone')

vim.cmd('J1qlNormalize collapse')
local collapsed = vim.api.nvim_buf_get_lines(buf, norm - 1, norm, false)[1]
check(collapsed == before[norm], ':J1qlNormalize collapse restores the value groups: ' .. collapsed)

-- A query without filters to rewrite: nothing changes.
vim.api.nvim_win_set_cursor(0, { list, 0 })
local n = require('j1ql.commands').normalize()
check(n == 0 and vim.deep_equal(vim.api.nvim_buf_get_lines(buf, 0, -1, false)[list], before[list]),
  ':J1qlNormalize on a query without value groups changes nothing')

t.finish()
