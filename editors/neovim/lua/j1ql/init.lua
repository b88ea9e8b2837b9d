-- The j1ql Neovim plugin: `require('j1ql').setup{}` for users who configure plugins in Lua.
-- `plugin/j1ql.lua` already calls `setup()` with the defaults when Neovim sources it, so
-- installing the plugin is enough; calling `setup{...}` again (before opening a .j1ql file)
-- changes the options. setup() is also all it takes when only `lua/` is reachable (lazy.nvim
-- adding the subfolder to the runtime path in `config`).
local M = {}

--- The options and their defaults.
M.defaults = {
  -- The server command; `vim.g.j1ql_cmd` (a list) also sets it.
  cmd = nil,
  -- Start `j1ql lsp` for j1ql buffers (Neovim 0.11+: vim.lsp.enable('j1ql')).
  lsp = true,
  -- Extra fields merged into the LSP config (init_options, root_markers, on_attach, ...).
  lsp_config = {},
  -- Start tree-sitter highlighting in j1ql buffers when the parser is installed.
  treesitter = true,
}

M.options = vim.deepcopy(M.defaults)

local has_011 = vim.fn.has('nvim-0.11') == 1

--- The LSP config: `lsp/j1ql.lua` from the runtime path, the `cmd` option, `lsp_config`.
function M.lsp_config()
  local file = vim.api.nvim_get_runtime_file('lsp/j1ql.lua', false)[1]
  local base = file and dofile(file) or {}
  local config = vim.tbl_deep_extend('force', base, M.options.lsp_config or {})
  config.cmd = M.options.cmd or vim.g.j1ql_cmd or config.cmd or { 'j1ql', 'lsp' }
  return config
end

local fallback_autocmd

--- Starts the server for j1ql buffers: vim.lsp.config + vim.lsp.enable on 0.11+,
--- vim.lsp.start on FileType on 0.9/0.10.
local function enable_lsp()
  if has_011 and vim.lsp.enable then
    local config = M.lsp_config()
    -- `lsp/j1ql.lua` is read by vim.lsp.config itself; pass only what setup() changes.
    vim.lsp.config('j1ql', vim.tbl_deep_extend('force', M.options.lsp_config or {}, { cmd = config.cmd }))
    vim.lsp.enable('j1ql')
    return
  end
  if fallback_autocmd then
    return
  end
  fallback_autocmd = vim.api.nvim_create_autocmd('FileType', {
    pattern = 'j1ql',
    group = vim.api.nvim_create_augroup('j1ql_lsp', { clear = true }),
    callback = function(args)
      local config = M.lsp_config()
      local root = vim.fs.root and vim.fs.root(args.buf, config.root_markers) or vim.fn.getcwd()
      vim.lsp.start(vim.tbl_extend('force', config, { name = 'j1ql', root_dir = root }), { bufnr = args.buf })
    end,
  })
end

--- Whether `client` registered file watchers with Neovim (it cannot where Neovim offers no
--- dynamic registration of `workspace/didChangeWatchedFiles`, as on Linux by default).
local function client_watches(client)
  local caps = client.config and client.config.capabilities or {}
  local ws = caps.workspace or {}
  return ws.didChangeWatchedFiles and ws.didChangeWatchedFiles.dynamicRegistration == true
end

--- Tells each j1ql server that `file` changed (`workspace/didChangeWatchedFiles`), when it
--- could not register a watcher: a written `j1ql.toml` or data file then reaches the server
--- as it does in editors with watchers. The server ignores files its workspaces do not use.
function M.notify_written(file)
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  for _, client in ipairs(get({ name = 'j1ql' })) do
    if not client_watches(client) then
      local params = { changes = { { uri = vim.uri_from_fname(file), type = 2 } } }
      if has_011 then
        client:notify('workspace/didChangeWatchedFiles', params)
      else
        client.notify('workspace/didChangeWatchedFiles', params)
      end
    end
  end
end

--- Applies `opts` (see M.defaults) and starts what they ask for. Safe to call more than once.
function M.setup(opts)
  M.options = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts or {})
  M.did_setup = true
  vim.filetype.add({ extension = { j1ql = 'j1ql' } })
  require('j1ql.commands').register()
  require('j1ql.treesitter').register()
  vim.api.nvim_create_autocmd('BufWritePost', {
    group = vim.api.nvim_create_augroup('j1ql_watch', { clear = true }),
    pattern = { 'j1ql.toml', '*.json', '*.jsonl', '*.yaml', '*.yml' },
    callback = function(args)
      M.notify_written(vim.fn.fnamemodify(args.file, ':p'))
    end,
  })
  if M.options.lsp then
    enable_lsp()
  elseif has_011 and vim.lsp.enable then
    vim.lsp.enable('j1ql', false)
  end
end

--- The j1ql client attached to `buf` (or nil and an error message).
function M.client(buf)
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  local client = get({ bufnr = buf, name = 'j1ql' })[1]
  if not client then
    return nil, 'j1ql: no language server attached to this buffer (see :checkhealth j1ql)'
  end
  return client
end

--- Sends a request through `client` on Neovim 0.10 and 0.11+ alike.
function M.request(client, method, params, handler, buf)
  if has_011 then
    return client:request(method, params, handler, buf)
  end
  return client.request(method, params, handler, buf)
end

return M
