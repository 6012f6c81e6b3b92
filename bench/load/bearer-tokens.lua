-- wrk script: every request carries `Authorization: Bearer <token>` (RFC 6750 §2.1), the tokens
-- taken round-robin from the file named by the first script argument (one per line), and every
-- response that is not 2xx is counted, so the harness can refuse a run that was not all 2xx
-- (wrk's own "Non-2xx or 3xx" line counts 3xx as success).
local threads = {}
local threadCount = 0

function setup(thread)
  thread:set("id", threadCount)
  threadCount = threadCount + 1
  table.insert(threads, thread)
end

local prepared = {}
local nextIndex = 1
non2xx = 0
firstBadStatus = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      prepared[#prepared + 1] = wrk.format(nil, nil, { ["Authorization"] = "Bearer " .. line })
    end
  end
  if #prepared == 0 then error("no tokens in " .. args[1]) end
  -- Threads start at different offsets so they do not send the same token at the same time.
  nextIndex = (id * math.floor(#prepared / math.max(threadCount, 1))) % #prepared + 1
end

function request()
  local r = prepared[nextIndex]
  nextIndex = nextIndex + 1
  if nextIndex > #prepared then nextIndex = 1 end
  return r
end

function response(status, headers, body)
  if status < 200 or status > 299 then
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
