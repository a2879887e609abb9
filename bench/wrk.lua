-- Used by bench/http_bench.py: the request comes from the environment (method, body, headers), the summary is printed
-- as one machine-readable line (wrk's own --latency table has no p95). A body of several lines is several bodies,
-- sent in turn (counter receptions with different applicants).
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local auth = os.getenv("BENCH_AUTHORIZATION")

wrk.method = method
if body and body ~= "" then
  wrk.headers["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE") or "application/json"
end
if auth and auth ~= "" then
  wrk.headers["Authorization"] = auth
end

local bodies = {}
for line in string.gmatch(body or "", "[^\n]+") do
  bodies[#bodies + 1] = line
end
if #bodies == 1 then
  wrk.body = bodies[1]
elseif #bodies > 1 then
  local requests, turn = {}, 0
  init = function(args)
    for i, each in ipairs(bodies) do
      requests[i] = wrk.format(nil, nil, nil, each)
    end
  end
  request = function()
    turn = turn % #requests + 1
    return requests[turn]
  end
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local codes_bad = summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout
  io.write(string.format("BENCH requests=%d seconds=%.3f rps=%.1f p50=%.2f p95=%.2f p99=%.2f errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, codes_bad))
end
