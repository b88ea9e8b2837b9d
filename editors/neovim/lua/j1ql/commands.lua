-- :J1qlRun, :J1qlNormalize and :J1qlInstallParser.
local j1ql = require('j1ql')
local query = require('j1ql.query')
local render = require('j1ql.render')

local M = {}

M.result_name = 'j1ql://result'

local function notify(msg, level)
  vim.notify(msg, level or vim.log.levels.ERROR, { title = 'j1ql' })
end

--- Shows `lines` in the result scratch buffer (reused, opened in a split when not visible).
function M.show(lines, filetype)
  local buf = vim.fn.bufnr(M.result_name)
  if buf == -1 then
    buf = vim.api.nvim_create_buf(false, true)
    vim.api.nvim_buf_set_name(buf, M.result_name)
    vim.bo[buf].buftype = 'nofile'
    vim.bo[buf].bufhidden = 'hide'
    vim.bo[buf].swapfile = false
  end
  local win = vim.fn.bufwinid(buf)
  if win == -1 then
    local from = vim.api.nvim_get_current_win()
    vim.cmd('botright split')
    win = vim.api.nvim_get_current_win()
    vim.api.nvim_win_set_buf(win, buf)
    vim.wo[win].wrap = false
    vim.api.nvim_set_current_win(from)
  end
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  vim.bo[buf].filetype = filetype
  return buf
end

--- Runs the query under the cursor through `workspace/executeCommand` `j1ql.runQuery` and
--- shows the result: a table, or pretty JSON when `format` is 'json'. `done(buf)` (optional)
--- is called with the result buffer.
function M.run(format, done)
  if format ~= nil and format ~= '' and format ~= 'json' and format ~= 'table' then
    return notify('J1qlRun: unknown format ' .. format .. ' (table or json)')
  end
  local buf = vim.api.nvim_get_current_buf()
  local client, err = j1ql.client(buf)
  if not client then
    return notify(err)
  end
  local cursor = vim.api.nvim_win_get_cursor(0)
  local text, _, _, anchor = query.at(buf, cursor[1] - 1)
  j1ql.request(client, 'workspace/executeCommand', {
    command = 'j1ql.runQuery',
    arguments = { vim.uri_from_bufnr(buf), anchor },
  }, function(e, result)
    if e then
      return notify('J1qlRun: ' .. (e.message or vim.inspect(e)))
    end
    -- Which data it ran on (the demo account, or the workspace's `data`), from the server.
    j1ql.request(client, 'workspace/executeCommand', {
      command = 'j1ql.dataSource',
      arguments = { vim.uri_from_bufnr(buf) },
    }, function(_, source)
      local on = type(source) == 'string' and (' — on ' .. source) or ''
      local lines
      if format == 'json' then
        lines = render.json(result)
      else
        lines = render.table(result, query.return_columns(text))
        local first = vim.split(text, '\n')[1]
        table.insert(lines, 1, '-- ' .. first .. (text:find('\n') and ' …' or '') .. on)
      end
      local out = M.show(lines, format == 'json' and 'json' or 'j1qlresult')
      if done then
        done(out)
      end
    end, buf)
  end, buf)
end

local function rewrite_actions(client, buf, anchor, last, prefix)
  local lines = vim.api.nvim_buf_get_lines(buf, last, last + 1, false)
  local res
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    range = {
      start = anchor,
      ['end'] = { line = last, character = #lines[#lines] },
    },
    context = { diagnostics = {}, only = { 'refactor.rewrite' } },
  }
  if vim.fn.has('nvim-0.11') == 1 then
    res = client:request_sync('textDocument/codeAction', params, 5000, buf)
  else
    res = client.request_sync('textDocument/codeAction', params, 5000, buf)
  end
  if not res then
    return nil, 'no answer from j1ql lsp'
  end
  if res.err then
    return nil, res.err.message
  end
  local out = {}
  for _, a in ipairs(res.result or {}) do
    if a.edit and a.title and vim.startswith(a.title, prefix) then
      out[#out + 1] = a
    end
  end
  return out
end

--- Rewrites every filter of the query under the cursor into its De Morgan expanded form
--- (`p != ('a' OR 'b')` → `p != 'a' AND p != 'b'`), or collapsed with `direction` 'collapse',
--- by applying the server's code actions one at a time. Returns how many were applied.
function M.normalize(direction)
  direction = (direction == nil or direction == '') and 'expand' or direction
  if direction ~= 'expand' and direction ~= 'collapse' then
    notify('J1qlNormalize: expand or collapse, not ' .. direction)
    return 0
  end
  local prefix = (direction == 'expand' and 'Expand' or 'Collapse') .. ' (De Morgan)'
  local buf = vim.api.nvim_get_current_buf()
  local client, err = j1ql.client(buf)
  if not client then
    notify(err)
    return 0
  end
  local applied = 0
  -- Each edit changes the text, so the actions are asked again after each one.
  for _ = 1, 100 do
    local _, _, last, anchor = query.at(buf, vim.api.nvim_win_get_cursor(0)[1] - 1)
    local actions, e = rewrite_actions(client, buf, anchor, last, prefix)
    if not actions then
      notify('J1qlNormalize: ' .. e)
      return applied
    end
    if #actions == 0 then
      break
    end
    local before = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
    vim.lsp.util.apply_workspace_edit(actions[1].edit, client.offset_encoding)
    if vim.deep_equal(before, vim.api.nvim_buf_get_lines(buf, 0, -1, false)) then
      break
    end
    applied = applied + 1
  end
  if applied == 0 then
    notify('J1qlNormalize: nothing to ' .. direction .. ' in this query', vim.log.levels.INFO)
  end
  return applied
end

--- Registers the user commands.
function M.register()
  vim.api.nvim_create_user_command('J1qlRun', function(o)
    M.run(o.args)
  end, {
    nargs = '?',
    complete = function() return { 'table', 'json' } end,
    desc = 'Run the J1QL query under the cursor; the result in a scratch buffer (table, or json)',
  })
  vim.api.nvim_create_user_command('J1qlNormalize', function(o)
    M.normalize(o.args)
  end, {
    nargs = '?',
    complete = function() return { 'expand', 'collapse' } end,
    desc = 'De Morgan: expand (default) or collapse the filters of the query under the cursor',
  })
  vim.api.nvim_create_user_command('J1qlInstallParser', function(o)
    local ok, msg = require('j1ql.treesitter').install(o.args ~= '' and o.args or nil)
    notify(msg, ok and vim.log.levels.INFO or vim.log.levels.ERROR)
  end, {
    nargs = '?',
    complete = 'dir',
    desc = 'Compile the tree-sitter-j1ql parser (cc) into the plugin\'s parser/j1ql.so',
  })
end

return M
