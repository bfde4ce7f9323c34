-- What the petition benchmark's wrk scripts share: the thread registry, the count of answers
-- by status, and the RESULT line bench/petition-peak.sh reads. Loaded with dofile by
-- petition-sign.lua and petition-confirm.lua.

threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

-- In each thread's init.
function reset_answers()
  accepted = 0
  other = 0
  statuses = {}
  status_text = ""
end

-- 202 is the answer wanted; any other status is counted apart.
function count_answer(status)
  if status == 202 then
    accepted = accepted + 1
    return
  end
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

-- The RESULT line, with `extra` (e.g. " unanswered=3") at its end.
function write_result(summary, latency, extra)
  local total_accepted, total_other, all_statuses = 0, 0, {}
  for _, thread in ipairs(threads) do
    total_accepted = total_accepted + thread:get("accepted")
    total_other = total_other + thread:get("other")
    local text = thread:get("status_text")
    if text ~= "" then table.insert(all_statuses, text) end
  end
  local errors = summary.errors
  io.write(string.format(
    "RESULT accepted=%d other=%d statuses=%s p50_us=%d p99_us=%d requests=%d duration_us=%d socket_errors=%d timeouts=%d%s\n",
    total_accepted, total_other, table.concat(all_statuses, ","), latency:percentile(50), latency:percentile(99),
    summary.requests, summary.duration, errors.connect + errors.read + errors.write, errors.timeout, extra or ""))
end
