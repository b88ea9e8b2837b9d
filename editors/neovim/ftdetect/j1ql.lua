vim.filetype.add({ extension = { j1ql = 'j1ql' } })
