-- wrk script of bench/inference.py: POSTs the JSON bodies of a file (one a line) in turn, each thread from its own
-- starting line, and prints the latency percentiles as one JSON line at the end. Without a bodies file (an empty
-- first argument) it GETs the URL: the floor measurement.
--   wrk -t2 -c64 -d15s -s bench/inference.lua URL -- bodies.jsonl "Bearer …"
local bodies, next_body, threads = {}, 1, 0
local headers = {["Content-Type"] = "application/json"}

function setup(thread)
  thread:set("offset", threads * 997)
  threads = threads + 1
end

function init(args)
  if args[1] ~= "" then
    for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
  end
  if args[2] and args[2] ~= "" then headers["Authorization"] = args[2] end
  next_body = (offset or 0) % math.max(#bodies, 1) + 1
end

function request()
  if #bodies == 0 then return wrk.format("GET", nil, headers) end
  local body = bodies[next_body]
  next_body = next_body % #bodies + 1
  return wrk.format("POST", nil, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, ' ..
    '"timeout": %d}, "latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p99": %d, "p99.9": %d, "max": %d}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max))
end
