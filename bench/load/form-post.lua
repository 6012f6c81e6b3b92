-- wrk script: every request is an `application/x-www-form-urlencoded` POST with client
-- authentication (RFC 6749 §2.3.1, HTTP Basic), read from the file named by the first script
-- argument: line 1 the Authorization header value, line 2 the form body, line 3 a text every
-- good response body contains. Like bearer-tokens.lua, every response outside 200–299 is
-- counted so the harness can refuse the run — and so is a 2xx without that text, since an
-- introspection endpoint answers 200 `{"active":false}` for a token it does not know.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local prepared
local expected
non2xx = 0
firstBadStatus = 0

function init(args)
  local lines = {}
  for line in io.lines(args[1]) do lines[#lines + 1] = line end
  if #lines < 3 then error("expected Authorization, body and expected-text lines in " .. args[1]) end
  expected = lines[3]
  prepared = wrk.format("POST", nil, {
    ["Authorization"] = lines[1],
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, lines[2])
end

function request()
  return prepared
end

function response(status, headers, body)
  if status < 200 or status > 299 or not string.find(body, expected, 1, true) then
    non2xx = non2xx + 1
    if firstBadStatus == 0 then firstBadStatus = status end
  end
end

function done(summary, latency, requests)
  local bad, first = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
    local status = thread:get("firstBadStatus")
    if first == 0 and status ~= 0 then first = status end
  end
  io.write(string.format("lua non-2xx: %d first-status: %d\n", bad, first))
end
