-- :checkhealth j1ql — Neovim version, the j1ql binary and its version, the LSP config, the
-- tree-sitter parser and queries, and the j1ql.toml governing the current file.
local M = {}

local health = vim.health
local ok, warn, err, info = health.ok, health.warn, health.error, health.info
local start = health.start

local function check_neovim()
  start('j1ql: Neovim')
  local v = vim.version()
  local text = string.format('Neovim %d.%d.%d', v.major, v.minor, v.patch)
  if vim.fn.has('nvim-0.11') == 1 then
    ok(text .. ' (vim.lsp.enable, lsp/j1ql.lua)')
  elseif vim.fn.has('nvim-0.9') == 1 then
    warn(text .. ': the server starts through vim.lsp.start; 0.11+ is what is tested')
  else
    err(text .. ': j1ql needs Neovim 0.9 or newer')
  end
end

local function check_binary()
  start('j1ql: language server')
  local config = require('j1ql').lsp_config()
  local cmd = config.cmd
  if type(cmd) ~= 'table' or not cmd[1] then
    return err('the LSP cmd is not a list: ' .. vim.inspect(cmd))
  end
  local exe = vim.fn.exepath(cmd[1])
  if exe == '' then
    return err('`' .. cmd[1] .. '` not found', {
      'pipx install j1ql, or cargo install --locked --path . (in the j1ql checkout), or put j1ql on PATH',
      "or set vim.g.j1ql_cmd = { '/path/to/j1ql', 'lsp' } / require('j1ql').setup{ cmd = {...} }",
    })
  end
  local out = vim.fn.system({ exe, '--version' })
  if vim.v.shell_error ~= 0 then
    return err(exe .. ' --version failed: ' .. vim.trim(out))
  end
  ok('binary ' .. exe .. ': ' .. vim.trim(out))
  ok('command: ' .. table.concat(cmd, ' '))
  if vim.lsp.config and vim.lsp.is_enabled then
    if vim.lsp.is_enabled('j1ql') then
      ok("vim.lsp.enable('j1ql') is on")
    else
      warn("the j1ql LSP config is not enabled (setup{ lsp = false }?)")
    end
  end
end

local function check_treesitter()
  start('j1ql: tree-sitter')
  local ts = require('j1ql.treesitter')
  local lang = vim.treesitter.language.get_lang('j1ql')
  if lang == 'j1ql' then
    ok('filetype j1ql uses the tree-sitter language j1ql')
  else
    warn('filetype j1ql is mapped to ' .. tostring(lang))
  end
  if ts.has_parser() then
    local where = vim.api.nvim_get_runtime_file('parser/j1ql.*', true)
    ok('parser installed: ' .. (where[1] or 'j1ql'))
  else
    return warn('parser not installed: no highlighting from tree-sitter', {
      ':J1qlInstallParser (needs a C compiler and grammars/tree-sitter-j1ql/src/parser.c)',
    })
  end
  local okq, q = pcall(vim.treesitter.query.get, 'j1ql', 'highlights')
  if okq and q then
    ok('highlights query loaded (' .. #q.captures .. ' capture names)')
  else
    err('queries/j1ql/highlights.scm does not load: ' .. tostring(q))
  end
end

local function check_config()
  start('j1ql: configuration')
  -- :checkhealth runs in its own buffer: look from the j1ql buffer used last.
  local name, last = '', -1
  for _, b in ipairs(vim.fn.getbufinfo({ bufloaded = 1 })) do
    if vim.bo[b.bufnr].filetype == 'j1ql' and b.name ~= '' and b.lastused > last then
      name, last = b.name, b.lastused
    end
  end
  local dir = name ~= '' and vim.fn.fnamemodify(name, ':p:h') or vim.fn.getcwd()
  local found = vim.fs.find('j1ql.toml', { upward = true, path = dir, type = 'file' })[1]
  if found then
    -- The binary reads it as every command does: a broken file is an error here too.
    local exe = vim.fn.exepath(require('j1ql').lsp_config().cmd[1] or '')
    if exe == '' then
      return warn('config found but not checked (no j1ql binary): ' .. found)
    end
    local res = vim.system({ exe, 'check', '-' }, { cwd = vim.fs.dirname(found), stdin = '', text = true }):wait()
    if res.code == 2 then
      return err('config does not load: ' .. vim.trim(res.stderr or ''), {
        'fix ' .. found .. ' (until then the server uses the default settings and the demo account)',
      })
    end
    ok('config found and valid: ' .. found)
  else
    info('no j1ql.toml above ' .. dir .. ': default settings, queries run on the demo account')
  end
end

--- Runs the checks (called by :checkhealth j1ql).
function M.check()
  check_neovim()
  check_binary()
  check_treesitter()
  check_config()
end

return M
