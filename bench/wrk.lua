-- wrk script of the Elexxion benchmarks.
-- MAX_REQUESTS: each thread stops after that many responses (bounds the run in requests as
--   well as in time). BODY: sent as a JSON POST. URLS: space-separated paths taken in turn
--   (a mix for the soak run); otherwise the URL given to wrk.
-- COUNT=requests: counts the requests sent instead of the responses, and defines no
--   `response` callback, so that wrk does not copy each body for Lua: on the same two cores
--   as the server, that copy took a tenth of the throughput of a 57 KB answer. 5xx answers
--   are then not told apart: wrk's own "Non-2xx or 3xx responses" counts every refusal.
local max = tonumber(os.getenv("MAX_REQUESTS") or "0") or 0
local body = os.getenv("BODY") or ""
local urls = {}
for path in string.gmatch(os.getenv("URLS") or "", "%S+") do
  urls[#urls + 1] = path
end
local count = 0
local next_url = 0
server_errors = 0
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

if body ~= "" then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end

local count_requests = os.getenv("COUNT") == "requests"

if #urls > 0 or count_requests then
  function request()
    if count_requests then
      count = count + 1
      if max > 0 and count > max then
        wrk.thread:stop()
      end
    end
    if #urls == 0 then
      return wrk.format()
    end
    next_url = next_url % #urls + 1
    return wrk.format(nil, urls[next_url])
  end
end

if not count_requests then
  function response(status, headers, body)
    count = count + 1
    if status >= 500 then
      server_errors = server_errors + 1
    end
    if max > 0 and count >= max then
      wrk.thread:stop()
    end
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get("server_errors") or 0)
  end
  io.write(string.format("5xx responses: %d\n", total))
end
