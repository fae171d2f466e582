-- Neovim 0.7 (Debian) as a real LSP client of the built factorlint server.
-- Run: SERVER=/abs/server.js FILE=/abs/server.ts OUT=/abs/log.txt RULE=<rule id> ACTION=<title part> \
--        [ONLY=<code action kind>] nvim --headless -n -i NONE -u init.lua
-- 0.7 specifics: start_client + buf_attach_client (no vim.lsp.start), vim.wait to pump the loop in
-- headless mode. The action is taken through Neovim's own `vim.lsp.buf.code_action` (its context
-- from get_line_diagnostics, which rebuilds full LSP diagnostics, `data` included), with
-- `vim.ui.select` answering for the user: Neovim sends `codeAction/resolve` itself for an action
-- offered without its edit, then applies the edit.
local SERVER, FILE, OUT = os.getenv('SERVER'), os.getenv('FILE'), os.getenv('OUT')
local RULE = os.getenv('RULE') or 'port-binding/hardcoded-port'
local ACTION = os.getenv('ACTION') or 'process.env.PORT'
local ONLY = os.getenv('ONLY')
local out = assert(io.open(OUT, 'w'))
local t0 = vim.loop.hrtime()
local function log(msg) out:write(string.format('[%7.1f ms] %s\n', (vim.loop.hrtime() - t0) / 1e6, msg)); out:flush() end
local function check(cond, msg) if not cond then error('ASSERTION FAILED: ' .. msg, 0) end end
local function rule_diags(bufnr)
  return vim.tbl_filter(function(d) return d.code == RULE end, vim.diagnostic.get(bufnr))
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(FILE))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'factorlint', cmd = { 'node', SERVER, '--stdio' },
    root_dir = vim.fn.fnamemodify(FILE, ':h'),
    on_exit = function(code) log('server exited with ' .. tostring(code)) end,
  })
  check(client_id, 'start_client failed')
  vim.lsp.buf_attach_client(bufnr, client_id)
  check(vim.wait(15000, function() local c = vim.lsp.get_client_by_id(client_id); return c and c.initialized end, 10), 'initialize timed out')
  local client = vim.lsp.get_client_by_id(client_id)
  log('initialized: ' .. vim.inspect(client.server_capabilities.codeActionProvider))

  -- 1. the pushed diagnostic
  check(vim.wait(15000, function() return #rule_diags(bufnr) > 0 end, 10), 'no ' .. RULE .. ' diagnostic')
  local d = rule_diags(bufnr)[1]
  log(string.format('diagnostic %d:%d %s [%s %s]', d.lnum + 1, d.col + 1, d.message, d.source, d.code))
  check(d.source == 'factorlint', 'source is ' .. tostring(d.source))

  -- 2. code actions for it, through Neovim's UI path; the user picks the one titled ACTION
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  local picked = false
  vim.ui.select = function(items, opts, on_choice)
    local choice
    for _, item in ipairs(items) do
      local a = item[2]
      log('code action: ' .. a.title .. ' (' .. tostring(a.kind) .. ') edit=' .. (a.edit and 'yes' or 'no'))
      if not choice and a.title:find(ACTION, 1, true) then choice = item end
    end
    picked = choice ~= nil
    on_choice(choice)
  end
  local tick = vim.api.nvim_buf_get_changedtick(bufnr)
  vim.lsp.buf.code_action(ONLY and { only = { ONLY } } or nil)
  check(vim.wait(10000, function() return picked end, 10), 'no action "' .. ACTION .. '" among the code actions')

  -- 3. applied (after Neovim's codeAction/resolve when the action came without its edit), saved
  check(vim.wait(10000, function() return vim.api.nvim_buf_get_changedtick(bufnr) ~= tick end, 10), 'the action changed nothing')
  vim.cmd('silent write')
  log('buffer after edit: ' .. vim.inspect(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)))

  -- 4. re-validated after didChange: the diagnostic is gone
  check(vim.wait(15000, function() return #rule_diags(bufnr) == 0 end, 10), 'diagnostic not cleared after the fix')
  log('diagnostics cleared after didChange')
  client.stop()
  vim.wait(3000, function() return client.is_stopped() end, 10)
  log('PASS')
end)
if not ok then log('FAIL: ' .. tostring(err)); out:close(); vim.cmd('cquit 1') end
out:close()
vim.cmd('qall!')
