-- wrk script for the benchmark: POSTs one signed body with a unique X-GitHub-Delivery per request.
--   wrk -t1 -c64 -d10s -s bench/wrk-signed.lua URL -- BODY_FILE DELIVERY_PREFIX [ids=FILE] "Name: value" ...
-- The signature (X-Hub-Signature-256) is one of the headers: it covers the body only, so it stays
-- valid while the delivery id changes. With ids=FILE, the X-Hookline-Message-Id of every 2xx answer
-- is written to FILE-<thread>, one a line, for the check that each is stored. done() prints one
-- line of JSON that load.mjs reads.

local counter = 0
local prefix = "bench"
local threads = {}

function setup(thread)
  thread:set("thread_index", #threads + 1)
  table.insert(threads, thread)
end

-- Defined only when asked for: wrk parses response headers only for a script with response().
local function record(path)
  local file = assert(io.open(path, "w"))
  -- Line-buffered: wrk exits without closing Lua's files, so nothing may wait in a buffer.
  file:setvbuf("line")
  response = function(status, headers)
    if status >= 200 and status < 300 then
      local id = headers["x-hookline-message-id"] or headers["X-Hookline-Message-Id"]
      if id then file:write(id, "\n") end
    end
  end
end

function init(args)
  local file = assert(io.open(args[1], "rb"))
  wrk.body = file:read("*a")
  file:close()
  wrk.method = "POST"
  prefix = args[2] .. "-" .. tostring(thread_index or 0)
  for i = 3, #args do
    local ids = string.match(args[i], "^ids=(.+)$")
    if ids then
      record(ids .. "-" .. tostring(thread_index or 0))
    else
      local name, value = string.match(args[i], "^([^:]+):%s*(.*)$")
      if name then wrk.headers[name] = value end
    end
  end
end

function request()
  counter = counter + 1
  wrk.headers["X-GitHub-Delivery"] = prefix .. "-" .. counter
  return wrk.format()
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"durationUs":%d,"bytes":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"statusErrors":%d,"timeouts":%d,"p50Us":%d,"p99Us":%d,"meanUs":%.1f,"maxUs":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean, latency.max))
end
