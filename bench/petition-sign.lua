-- wrk script of the petition peak benchmark (bench/petition-peak.sh): POSTs signatures to
-- the URL given to wrk (/api/v1/petitions/<id>/signatures), each with an e-mail address of
-- its own (thread, run and counter in it), and counts the answers by status.
--
--   wrk -t2 -c64 -d60s --timeout 10s -s bench/petition-sign.lua URL
--
-- Its last line reads: RESULT accepted=N other=N statuses=429:N,... p50_us=N p99_us=N ...

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + id)
  -- A run's addresses never collide with an earlier run's, nor across threads.
  prefix = string.format("bench-%d-%d-%d-", id, os.time(), math.random(1, 1000000000))
  counter = 0
  accepted = 0
  other = 0
  statuses = {}
  status_text = ""
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"name":"Camille Martin","email":"%s%d@exemple.fr","postcode":"59000","consent":true}',
    prefix, counter)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status == 202 then
    accepted = accepted + 1
  else
    other = other + 1
    statuses[status] = (statuses[status] or 0) + 1
    -- Only strings and numbers cross from a thread to done(): the other statuses travel as
    -- "429:3,503:1", made again at each (rare) other status.
    local parts = {}
    for code, count in pairs(statuses) do
      table.insert(parts, code .. ":" .. count)
    end
    status_text = table.concat(parts, ",")
  end
end

function done(summary, latency, requests)
  local total_accepted, total_other, all_statuses = 0, 0, {}
  for _, thread in ipairs(threads) do
    total_accepted = total_accepted + thread:get("accepted")
    total_other = total_other + thread:get("other")
    local text = thread:get("status_text")
    if text ~= "" then table.insert(all_statuses, text) end
  end
  local errors = summary.errors
  io.write(string.format(
    "RESULT accepted=%d other=%d statuses=%s p50_us=%d p99_us=%d requests=%d duration_us=%d socket_errors=%d timeouts=%d\n",
    total_accepted, total_other, table.concat(all_statuses, ","), latency:percentile(50), latency:percentile(99),
    summary.requests, summary.duration, errors.connect + errors.read + errors.write, errors.timeout))
end
