-- Shared by the headless checks: `check(ok, what)` prints ok/FAIL, `finish()` exits Neovim
-- with status 1 when anything failed, `wait(ms, fn)` polls.
local M = { failures = 0, messages = {} }

-- Messages from the plugin: kept in M.messages, and printed on their own lines (headless
-- Neovim prints them without a newline).
vim.notify = function(msg)
  M.messages[#M.messages + 1] = msg
  io.stdout:write('     (' .. tostring(msg):gsub('\n', ' ') .. ')\n')
end

function M.check(ok, what)
  io.stdout:write((ok and 'ok   ' or 'FAIL ') .. what .. '\n')
  if not ok then
    M.failures = M.failures + 1
  end
  return ok
end

function M.wait(ms, fn)
  return vim.wait(ms, fn, 20)
end

--- The j1ql client of `buf`, after waiting for it to attach.
function M.client(buf)
  local attached = M.wait(10000, function()
    return #vim.lsp.get_clients({ bufnr = buf, name = 'j1ql' }) > 0
  end)
  M.check(attached, 'j1ql lsp attached')
  return vim.lsp.get_clients({ bufnr = buf, name = 'j1ql' })[1]
end

--- Runs the j1ql binary (the one the plugin uses) and returns its stdout.
function M.j1ql(args, stdin)
  local cmd = { require('j1ql').lsp_config().cmd[1] }
  vim.list_extend(cmd, args)
  local res = vim.system(cmd, { text = true, stdin = stdin }):wait()
  assert(res.code == 0, table.concat(cmd, ' ') .. ': ' .. (res.stderr or ''))
  return res.stdout
end

function M.finish()
  vim.cmd(M.failures == 0 and 'qa!' or 'cq')
end

return M
