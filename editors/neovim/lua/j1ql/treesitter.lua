-- Tree-sitter: the `j1ql` language for the `j1ql` filetype, highlighting from the plugin's
-- `queries/j1ql/*.scm` (copies of grammars/tree-sitter-j1ql/queries), and compiling the
-- parser into the plugin's `parser/j1ql.so`.
local M = {}

--- The plugin folder (editors/neovim): three levels above this file.
function M.plugin_dir()
  local source = debug.getinfo(1, 'S').source:sub(2)
  return vim.fn.fnamemodify(source, ':p:h:h:h')
end

--- Where the grammar is in a j1ql checkout: ../../grammars/tree-sitter-j1ql from the plugin's
--- real folder (a `pack/*/start/j1ql` symlink to editors/neovim leads back to the checkout).
function M.default_grammar_dir()
  local real = (vim.uv or vim.loop).fs_realpath(M.plugin_dir()) or M.plugin_dir()
  return vim.fn.simplify(real .. '/../../grammars/tree-sitter-j1ql')
end

--- The compiled parser's path.
function M.parser_path()
  return M.plugin_dir() .. '/parser/j1ql.so'
end

--- Whether Neovim can load the j1ql parser (from any `parser/j1ql.*` on the runtime path).
function M.has_parser()
  -- 0.11's add returns nil and a message on failure, older ones raise: inspect tells.
  pcall(vim.treesitter.language.add, 'j1ql')
  return (pcall(vim.treesitter.language.inspect, 'j1ql'))
end

local registered = false

--- Maps the `j1ql` filetype to the `j1ql` tree-sitter language and starts highlighting in
--- j1ql buffers when the parser is there (option `treesitter`).
function M.register()
  if registered then
    return
  end
  registered = true
  vim.treesitter.language.register('j1ql', 'j1ql')
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'j1ql',
    group = vim.api.nvim_create_augroup('j1ql_treesitter', { clear = true }),
    callback = function(args)
      if require('j1ql').options.treesitter and M.has_parser() then
        pcall(vim.treesitter.start, args.buf, 'j1ql')
      end
    end,
  })
end

--- Compiles `<grammar>/src/parser.c` (and `scanner.c` when there is one) with `cc` (or $CC)
--- into the plugin's `parser/j1ql.so`. Returns ok and a message.
function M.install(grammar_dir)
  grammar_dir = vim.fn.simplify(vim.fn.fnamemodify(grammar_dir or M.default_grammar_dir(), ':p'))
  grammar_dir = grammar_dir:gsub('/$', '')
  local src = grammar_dir .. '/src'
  if vim.fn.filereadable(src .. '/parser.c') == 0 then
    return false, 'J1qlInstallParser: no ' .. src .. '/parser.c (pass the tree-sitter-j1ql folder: :J1qlInstallParser /path/to/grammars/tree-sitter-j1ql)'
  end
  local cc = vim.env.CC or 'cc'
  if vim.fn.executable(cc) == 0 then
    return false, 'J1qlInstallParser: no C compiler (' .. cc .. ') on PATH'
  end
  local out = M.parser_path()
  vim.fn.mkdir(vim.fn.fnamemodify(out, ':h'), 'p')
  local tmp = out .. '.tmp'
  local cmd = { cc, '-shared', '-fPIC', '-O2', '-std=c11', '-I', src, src .. '/parser.c' }
  if vim.fn.filereadable(src .. '/scanner.c') == 1 then
    table.insert(cmd, src .. '/scanner.c')
  end
  vim.list_extend(cmd, { '-o', tmp })
  local res
  if vim.system then
    res = vim.system(cmd, { text = true }):wait()
  else
    res = { stderr = vim.fn.system(cmd) }
    res.code = vim.v.shell_error
  end
  if res.code ~= 0 then
    vim.fn.delete(tmp)
    return false, 'J1qlInstallParser: ' .. table.concat(cmd, ' ') .. ' failed:\n' .. (res.stderr or '')
  end
  -- A loaded library cannot be replaced in place: rename over it (a new inode).
  local ok, err = os.rename(tmp, out)
  if not ok then
    return false, 'J1qlInstallParser: cannot write ' .. out .. ': ' .. tostring(err)
  end
  return true, 'J1qlInstallParser: built ' .. out .. ' (restart Neovim if an older parser was loaded)'
end

return M
