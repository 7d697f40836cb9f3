-- wrk script for scripts/loadtest.sh: POSTs /v1/recommend bodies read from a file (one JSON body a line, one per
-- user: varied users), picked at random per request; counts non-2xx answers and prints one RESULT line.
-- Usage: wrk ... -s scripts/loadtest.lua URL -- BODIES_FILE
local threads = {}

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   bodies = {}
   for line in io.lines(args[1]) do
      if #line > 0 then
         bodies[#bodies + 1] = line
      end
   end
   if #bodies == 0 then
      error("no request bodies in " .. tostring(args[1]))
   end
   math.randomseed(os.time() * 97 + id)
   non2xx = 0
   statuses = ""
   headers = {["Content-Type"] = "application/json"}
end

function request()
   return wrk.format("POST", "/v1/recommend", headers, bodies[math.random(#bodies)])
end

function response(status, hdrs, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
      if #statuses < 200 then
         statuses = statuses .. status .. " "
      end
   end
end

function done(summary, latency, requests)
   local bad = 0
   local seen = ""
   for _, t in ipairs(threads) do
      bad = bad + t:get("non2xx")
      seen = seen .. t:get("statuses")
   end
   local e = summary.errors
   local seconds = summary.duration / 1e6
   io.write(string.format("RESULT requests=%d seconds=%.1f qps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f "
         .. "max_ms=%.2f non2xx=%d socket_errors=%d timeouts=%d%s\n",
         summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
         latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000, bad,
         e.connect + e.read + e.write, e.timeout, seen == "" and "" or (" statuses=" .. seen)))
end
