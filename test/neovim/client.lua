-- A second LSP client for the Service Lens language server: headless Neovim (0.7 or newer) starts
-- `node dist/server.js --stdio` on a workspace folder, attaches it to the file given on the command
-- line, waits for that file's diagnostics and asks for hovers, definitions and completions, then writes what it
-- saw as JSON and quits. Driven by test/neovim/neovim.test.ts:
--
--   nvim --headless --clean -n -u test/neovim/client.lua <file>
--
-- Environment:
--   SERVICE_LENS_SERVER     path of dist/server.js
--   SERVICE_LENS_ROOT       the workspace folder
--   SERVICE_LENS_RESULT     where to write the JSON result
--   SERVICE_LENS_EXPECT     how many diagnostics to wait for (and the end of the workspace scan)
--   SERVICE_LENS_HOVERS     JSON list of {line, character} (0-based) to hover
--   SERVICE_LENS_DEFINITIONS JSON list of {line, character} (0-based) to go to the definition of
--   SERVICE_LENS_COMPLETIONS JSON list of {line, character} (0-based) to complete at
--   SERVICE_LENS_TIMEOUT_MS how long to wait for each answer

local env = vim.env
local timeout = tonumber(env.SERVICE_LENS_TIMEOUT_MS) or 20000
local started = vim.loop.hrtime()

local function elapsed_ms()
  return math.floor((vim.loop.hrtime() - started) / 1e6)
end

local function write_result(result)
  local file = assert(io.open(env.SERVICE_LENS_RESULT, 'w'))
  file:write(vim.json.encode(result))
  file:close()
end

local function hover_text(contents)
  if type(contents) == 'string' then
    return contents
  end
  if contents.value ~= nil then
    return contents.value
  end
  local parts = {}
  for _, part in ipairs(contents) do
    table.insert(parts, type(part) == 'string' and part or part.value)
  end
  return table.concat(parts, '\n\n')
end

local function run()
  local result = { diagnostics = {}, hovers = {}, definitions = {}, completions = {}, errors = {}, indexing = {}, timedOut = false }
  local root = env.SERVICE_LENS_ROOT
  local bufnr = vim.api.nvim_get_current_buf()

  local client_id = vim.lsp.start_client({
    name = 'service-lens',
    cmd = { 'node', env.SERVICE_LENS_SERVER, '--stdio' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') } },
    -- Answered to workspace/configuration (section `serviceLens`).
    settings = { serviceLens = { defaultNamespace = 'default', clusterDomain = 'cluster.local', exclude = {}, rules = {} } },
    handlers = {
      -- The server's own notification around each workspace scan.
      ['serviceLens/indexing'] = function(_, params)
        table.insert(result.indexing, params)
      end,
    },
    on_exit = function(code)
      if code ~= 0 then
        table.insert(result.errors, 'the language server exited with ' .. code)
      end
    end,
  })
  if client_id == nil then
    table.insert(result.errors, 'vim.lsp.start_client failed')
    return result
  end
  vim.lsp.buf_attach_client(bufnr, client_id)

  -- Diagnostics arrive by push (textDocument/publishDiagnostics) once the folder is indexed.
  local expected = tonumber(env.SERVICE_LENS_EXPECT) or 1
  local arrived = vim.wait(timeout, function()
    return #vim.diagnostic.get(bufnr) >= expected and #result.indexing >= 2
  end, 20)
  result.timedOut = not arrived
  result.diagnosticsAfterMs = elapsed_ms()
  for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (diagnostic.user_data or {}).lsp or {}
    table.insert(result.diagnostics, {
      line = diagnostic.lnum,
      character = diagnostic.col,
      endLine = diagnostic.end_lnum,
      endCharacter = diagnostic.end_col,
      severity = diagnostic.severity,
      source = diagnostic.source,
      code = lsp.code,
      href = lsp.codeDescription and lsp.codeDescription.href or vim.NIL,
      message = diagnostic.message,
    })
  end

  for _, position in ipairs(vim.json.decode(env.SERVICE_LENS_HOVERS or '[]')) do
    local params = { textDocument = vim.lsp.util.make_text_document_params(bufnr), position = position }
    local responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', params, timeout)
    local text = vim.NIL
    if responses == nil then
      table.insert(result.errors, 'hover: ' .. tostring(err))
    else
      for _, response in pairs(responses) do
        if response.err then
          table.insert(result.errors, 'hover: ' .. vim.inspect(response.err))
        elseif response.result and response.result.contents then
          text = hover_text(response.result.contents)
        end
      end
    end
    table.insert(result.hovers, text)
  end

  -- Each definition answer as a list of {uri, line, character} (Location or LocationLink).
  for _, position in ipairs(vim.json.decode(env.SERVICE_LENS_DEFINITIONS or '[]')) do
    local params = { textDocument = vim.lsp.util.make_text_document_params(bufnr), position = position }
    local responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/definition', params, timeout)
    local targets = {}
    if responses == nil then
      table.insert(result.errors, 'definition: ' .. tostring(err))
    else
      for _, response in pairs(responses) do
        if response.err then
          table.insert(result.errors, 'definition: ' .. vim.inspect(response.err))
        elseif response.result then
          local locations = response.result
          if locations.uri ~= nil or locations.targetUri ~= nil then
            locations = { locations }
          end
          for _, location in ipairs(locations) do
            local range = location.targetSelectionRange or location.range
            table.insert(targets, { uri = location.targetUri or location.uri, line = range.start.line, character = range.start.character })
          end
        end
      end
    end
    table.insert(result.definitions, targets)
  end

  -- Each completion answer as a list of {label, detail, newText, range} (CompletionList or items).
  for _, position in ipairs(vim.json.decode(env.SERVICE_LENS_COMPLETIONS or '[]')) do
    local params = { textDocument = vim.lsp.util.make_text_document_params(bufnr), position = position }
    local responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', params, timeout)
    local items = {}
    if responses == nil then
      table.insert(result.errors, 'completion: ' .. tostring(err))
    else
      for _, response in pairs(responses) do
        if response.err then
          table.insert(result.errors, 'completion: ' .. vim.inspect(response.err))
        elseif response.result then
          for _, item in ipairs(response.result.items or response.result) do
            local edit = item.textEdit or {}
            table.insert(items, { label = item.label, detail = item.detail or vim.NIL, newText = edit.newText or vim.NIL, range = edit.range or vim.NIL })
          end
        end
      end
    end
    table.insert(result.completions, items)
  end
  result.finishedAfterMs = elapsed_ms()

  vim.lsp.stop_client(client_id)
  return result
end

-- A `-u` script runs before the files on the command line are loaded: start once they are.
vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  callback = function()
    local ok, result = pcall(run)
    if not ok then
      result = { diagnostics = {}, hovers = {}, definitions = {}, completions = {}, errors = { tostring(result) }, timedOut = false }
    end
    write_result(result)
    vim.cmd('qall!')
  end,
})
