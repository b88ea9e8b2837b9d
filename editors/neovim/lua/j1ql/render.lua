-- Rendering a `j1ql.runQuery` result (`{type = 'list'|'table'|'tree', data = ...}`) as a
-- readable table, and as pretty-printed JSON. Pure functions: tested headless.
local M = {}

local islist = vim.islist or vim.tbl_islist
local empty_dict_mt = getmetatable(vim.empty_dict())

local function is_null(v)
  return v == nil or v == vim.NIL
end

local function number(v)
  if v == math.floor(v) and math.abs(v) < 2 ^ 53 then
    return string.format('%d', v)
  end
  return vim.json.encode(v)
end

--- The text of one cell: arrays joined with ", ", entities by displayName, null as "".
function M.cell(v)
  if is_null(v) then
    return ''
  elseif type(v) == 'string' then
    return v
  elseif type(v) == 'number' then
    return number(v)
  elseif type(v) == 'table' then
    if v.entity then
      return M.cell(v.entity.displayName)
    elseif islist(v) then
      return table.concat(vim.tbl_map(M.cell, v), ', ')
    end
    return vim.json.encode(v)
  end
  return tostring(v)
end

local function align(header, rows)
  local widths = {}
  for i, h in ipairs(header) do
    widths[i] = vim.fn.strdisplaywidth(h)
  end
  for _, row in ipairs(rows) do
    for i = 1, #header do
      widths[i] = math.max(widths[i], vim.fn.strdisplaywidth(row[i] or ''))
    end
  end
  local function line(cells)
    local parts = {}
    for i = 1, #header do
      local c = (cells[i] or ''):gsub('\n', ' ')
      parts[i] = c .. string.rep(' ', widths[i] - vim.fn.strdisplaywidth(c))
    end
    return (table.concat(parts, ' │ '):gsub('%s+$', ''))
  end
  local rule = {}
  for i = 1, #header do
    rule[i] = string.rep('─', widths[i])
  end
  local out = { line(header), table.concat(rule, '─┼─') }
  for _, row in ipairs(rows) do
    out[#out + 1] = line(row)
  end
  return out
end

--- The lines of a readable table of `result`. `columns` orders a `table` result's columns
--- (the RETURN clause: JSON objects reach Lua without their key order); others follow sorted.
function M.table(result, columns)
  local data = result and result.data
  local header, rows
  if result and result.type == 'list' then
    header = { 'displayName', '_type', '_class', '_key' }
    rows = {}
    for _, item in ipairs(data or {}) do
      local e = item.entity or {}
      rows[#rows + 1] = { M.cell(e.displayName), M.cell(e._type), M.cell(e._class), M.cell(e._key) }
    end
  elseif result and result.type == 'table' then
    header = {}
    local seen = {}
    for _, c in ipairs(columns or {}) do
      if not seen[c] then
        seen[c] = true
        header[#header + 1] = c
      end
    end
    local extra = {}
    for _, row in ipairs(data or {}) do
      for k in pairs(row) do
        if not seen[k] then
          seen[k] = true
          extra[#extra + 1] = k
        end
      end
    end
    table.sort(extra)
    vim.list_extend(header, extra)
    rows = {}
    for _, row in ipairs(data or {}) do
      local cells = {}
      for i, c in ipairs(header) do
        cells[i] = M.cell(row[c])
      end
      rows[#rows + 1] = cells
    end
  elseif result and result.type == 'tree' then
    header = { 'from', 'relationship', 'to' }
    local names = {}
    for _, v in ipairs((data or {}).vertices or {}) do
      names[v.id] = M.cell((v.entity or {}).displayName)
    end
    rows = {}
    for _, e in ipairs((data or {}).edges or {}) do
      rows[#rows + 1] = {
        names[e.fromVertexId] or M.cell(e.fromVertexId),
        M.cell((e.relationship or {})._class),
        names[e.toVertexId] or M.cell(e.toVertexId),
      }
    end
  else
    return { 'unexpected result: ' .. vim.inspect(result):gsub('\n', ' ') }
  end
  local out = align(header, rows)
  out[#out + 1] = string.format('%d %s', #rows, #rows == 1 and 'row' or 'rows')
  return out
end

-- Keys that read best first; the others follow sorted.
local first_keys = { type = 1, data = 2, id = 3, entity = 4, properties = 5, vertices = 6, edges = 7 }

local function key_order(a, b)
  local ra, rb = first_keys[a] or 100, first_keys[b] or 100
  if ra ~= rb then
    return ra < rb
  end
  return a < b
end

local function encode(v, indent, out)
  local pad = string.rep('  ', indent)
  if type(v) ~= 'table' or v == vim.NIL then
    if type(v) == 'number' then
      return number(v)
    end
    return vim.json.encode(v == nil and vim.NIL or v)
  end
  if next(v) == nil then
    return getmetatable(v) == empty_dict_mt and '{}' or '[]'
  end
  local parts = {}
  if islist(v) then
    for _, item in ipairs(v) do
      parts[#parts + 1] = pad .. '  ' .. encode(item, indent + 1, out)
    end
    return '[\n' .. table.concat(parts, ',\n') .. '\n' .. pad .. ']'
  end
  local keys = vim.tbl_keys(v)
  table.sort(keys, key_order)
  for _, k in ipairs(keys) do
    parts[#parts + 1] = pad .. '  ' .. vim.json.encode(k) .. ': ' .. encode(v[k], indent + 1, out)
  end
  return '{\n' .. table.concat(parts, ',\n') .. '\n' .. pad .. '}'
end

--- Pretty-printed JSON of `value` (2-space indent), as lines.
function M.json(value)
  return vim.split(encode(value, 0), '\n', { plain = true })
end

return M
