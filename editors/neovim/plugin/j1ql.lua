-- Starts `j1ql lsp` for J1QL buffers. Neovim 0.11+: through vim.lsp.enable (the config is
-- lsp/j1ql.lua); 0.9/0.10: vim.lsp.start on the FileType event.
if vim.g.loaded_j1ql then
  return
end
vim.g.loaded_j1ql = true

vim.filetype.add({ extension = { j1ql = 'j1ql' } })

if vim.lsp.enable and vim.lsp.config then
  vim.lsp.enable('j1ql')
else
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'j1ql',
    callback = function(args)
      local config = dofile(vim.api.nvim_get_runtime_file('lsp/j1ql.lua', false)[1])
      local root = vim.fs.root and vim.fs.root(args.buf, config.root_markers) or vim.fn.getcwd()
      vim.lsp.start({
        name = 'j1ql',
        cmd = config.cmd,
        root_dir = root,
        init_options = config.init_options,
      }, { bufnr = args.buf })
    end,
  })
end

vim.api.nvim_create_user_command('J1qlRun', function()
  local params = {
    command = 'j1ql.runQuery',
    arguments = { vim.uri_from_bufnr(0), vim.lsp.util.make_position_params(0, 'utf-16').position },
  }
  vim.lsp.buf_request(0, 'workspace/executeCommand', params, function(err, result)
    if err then
      vim.notify(err.message, vim.log.levels.ERROR)
      return
    end
    local lines = vim.split(vim.json.encode(result), '\n')
    vim.cmd('new')
    vim.bo.buftype = 'nofile'
    vim.bo.filetype = 'json'
    vim.api.nvim_buf_set_lines(0, 0, -1, false, lines)
  end)
end, { desc = 'Run the J1QL query under the cursor on the workspace data' })
