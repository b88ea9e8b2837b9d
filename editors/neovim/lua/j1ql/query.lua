-- Finding the query under the cursor and the column names of its RETURN clause, the way the
-- server cuts a document: a query starts at each line whose first word is FIND.
local M = {}

local function starts_query(line)
  return line:match('^%s*[Ff][Ii][Nn][Dd]%f[^%w_]') ~= nil
end

--- The 0-based first and last line of the query around `line` (0-based) in `lines`.
function M.range(lines, line)
  -- `//` comment lines right above a FIND line belong to that query (as for the server).
  local below = line + 1
  while lines[below] and lines[below]:match('^%s*//') do
    below = below + 1
  end
  if below > line + 1 and lines[below] and starts_query(lines[below]) then
    line = below - 1
  end
  local first = line + 1
  while first > 1 and not starts_query(lines[first]) do
    first = first - 1
  end
  local last = line + 1
  while last < #lines and not starts_query(lines[last + 1]) do
    last = last + 1
  end
  while last > first and (lines[last]:match('^%s*$') or lines[last]:match('^%s*//')) do
    last = last - 1
  end
  return first - 1, last - 1
end

--- The text of the query around the cursor of `buf` (0-based line), its first and last line,
--- and an anchor: a position inside its FIND keyword (`{line, character}`, 0-based). Requests
--- about the query use the anchor: the server takes a position at the very start of a query
--- (line start) as the end of the query before it.
function M.at(buf, line)
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  if #lines == 0 then
    return '', 0, 0, { line = 0, character = 0 }
  end
  local first, last = M.range(lines, line)
  local indent = #(lines[first + 1]:match('^%s*'))
  return table.concat(vim.list_slice(lines, first + 1, last + 1), '\n'),
    first,
    last,
    { line = first, character = indent + 1 }
end

-- Splits `text` into top-level tokens: words, strings, parenthesised groups, commas.
local function words(text)
  local out, i, n = {}, 1, #text
  while i <= n do
    local c = text:sub(i, i)
    if c:match('%s') then
      i = i + 1
    elseif text:sub(i, i + 1) == '//' then
      i = (text:find('\n', i, true) or n) + 1
    elseif text:sub(i, i + 1) == '/*' then
      i = (select(2, text:find('*/', i + 2, true)) or n) + 1
    elseif c == "'" or c == '"' then
      local j = i + 1
      while j <= n and text:sub(j, j) ~= c do
        j = j + (text:sub(j, j) == '\\' and 2 or 1)
      end
      out[#out + 1] = { kind = 'string', text = text:sub(i, j) }
      i = j + 1
    elseif c == ',' then
      out[#out + 1] = { kind = 'comma', text = ',' }
      i = i + 1
    else
      -- A word runs to the next space or comma, taking parentheses along (`count(u)`).
      local j, depth = i, 0
      while j <= n do
        local d = text:sub(j, j)
        if d == '(' then
          depth = depth + 1
        elseif d == ')' then
          depth = depth - 1
        elseif depth <= 0 and (d:match('%s') or d == ',') then
          break
        end
        j = j + 1
      end
      out[#out + 1] = { kind = 'word', text = text:sub(i, j - 1) }
      i = j
    end
  end
  return out
end

local stops = { ORDER = true, SKIP = true, LIMIT = true }

--- The column names of the RETURN clause of `query`, in order (`AS` aliases, else the
--- expression text). Empty when there is no RETURN, or for `RETURN TREE`.
function M.return_columns(query)
  local toks = words(query)
  local start
  for i, t in ipairs(toks) do
    if t.kind == 'word' and t.text:upper() == 'RETURN' then
      start = i + 1
    end
  end
  if not start or (toks[start] and toks[start].text:upper() == 'TREE') then
    return {}
  end
  local columns, item = {}, {}
  local function flush()
    if #item > 0 then
      local name
      if #item >= 3 and item[#item - 1].text:upper() == 'AS' then
        name = item[#item].text:gsub('^["\'](.*)["\']$', '%1')
      else
        name = table.concat(vim.tbl_map(function(t) return t.text end, item), ' ')
      end
      columns[#columns + 1] = name
    end
    item = {}
  end
  for i = start, #toks do
    local t = toks[i]
    if t.kind == 'word' and stops[t.text:upper()] then
      break
    elseif t.kind == 'comma' then
      flush()
    else
      item[#item + 1] = t
    end
  end
  flush()
  return columns
end

return M
