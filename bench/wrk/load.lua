-- wrk script of the bench (bench/loadgen.py): GET the paths of a file in turn, or POST the JSON
-- bodies of a file (one per line) with a fresh Idempotency-Key per request. Counts statuses per
-- thread and prints one BENCH_RESULT JSON line at the end.
-- Arguments after "--": lines-file headers-file method post-path expected-status run-id

local threads = {}
local next_tid = 0

function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
  table.insert(threads, thread)
end

local function read_lines(path)
  local out = {}
  for line in io.lines(path) do
    if #line > 0 then out[#out + 1] = line end
  end
  return out
end

function init(args)
  lines = read_lines(args[1])
  headers = {}
  for _, line in ipairs(read_lines(args[2])) do
    local k, v = line:match("^([^:]+):%s*(.*)$")
    if k then headers[k] = v end
  end
  method = args[3]
  post_path = args[4]
  expect = tonumber(args[5])
  run = args[6]
  if method == "POST" then headers["Content-Type"] = "application/json" end
  n = 0
  statuses = {}
  reported = false
end

function request()
  n = n + 1
  -- threads walk the file from different places, so that they do not ask for the same lines
  local line = lines[((n + tid * 7919) % #lines) + 1]
  if method == "POST" then
    headers["Idempotency-Key"] = string.format("%s-%04x-4%03x-8000-%012x", run, tid % 65536, tid % 4096, n)
    return wrk.format("POST", post_path, headers, line)
  end
  return wrk.format("GET", line, headers)
end

function response(status, hdrs, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status ~= expect and not reported then
    reported = true
    io.stderr:write(string.format("first unexpected response: %d %s\n", status, string.sub(body or "", 1, 300)))
  end
end

function done(summary, latency, requests)
  local merged = {}
  for _, t in ipairs(threads) do
    local st = t:get("statuses")
    if st then
      for k, v in pairs(st) do merged[tostring(k)] = (merged[tostring(k)] or 0) + v end
    end
  end
  local parts = {}
  for k, v in pairs(merged) do parts[#parts + 1] = string.format('"%s":%d', k, v) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"errors":{"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d},"statuses":{%s},"mean_us":%.1f,"p50_us":%.1f,"p90_us":%.1f,"p99_us":%.1f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(parts, ","), latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99)))
end
