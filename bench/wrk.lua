-- wrk script of the Elexxion benchmarks.
-- MAX_REQUESTS: each thread stops after that many responses (bounds the run in requests as
--   well as in time). BODY: sent as a JSON POST. URLS: space-separated paths taken in turn
--   (a mix for the soak run); otherwise the URL given to wrk.
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

if #urls > 0 then
  function request()
    next_url = next_url % #urls + 1
    return wrk.format(nil, urls[next_url])
  end
end

function response(status, headers, body)
  count = count + 1
  if status >= 500 then
    server_errors = server_errors + 1
  end
  if max > 0 and count >= max then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get("server_errors") or 0)
  end
  io.write(string.format("5xx responses: %d\n", total))
end
