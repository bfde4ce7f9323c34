-- wrk script of the petition peak benchmark (bench/petition-peak.sh): POSTs each token of
-- a file once to the URL given to wrk (/api/v1/petitions/signatures/confirmation). The
-- threads share the tokens (thread i of n takes lines i, i+n, ...); a thread that has all
-- its answers writes DONE_DIR/<thread> and stops. wrk itself only stops at the end of its
-- duration, so the caller waits for the n files and then sends it SIGINT.
--
--   wrk -t2 -c32 -d3600s --timeout 10s -s bench/petition-confirm.lua URL -- TOKENS DONE_DIR 2
--
-- Its last line reads: RESULT accepted=N other=N statuses=404:N,... p50_us=N p99_us=N ...

dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "petition-answers.lua")

function init(args)
  local file, done_dir, count = args[1], args[2], tonumber(args[3])
  tokens = {}
  local index = 0
  for line in io.lines(file) do
    if (index % count) + 1 == id then table.insert(tokens, line) end
    index = index + 1
  end
  done_file = done_dir .. "/" .. id
  sent = 0
  answered = 0
  reset_answers()
  unanswered = #tokens
  if #tokens == 0 then io.open(done_file, "w"):close() end
end

function request()
  -- wrk calls the first thread's request() once before the run, to check what it returns:
  -- that call gets the filler, so no token is lost to it (harmless if a wrk does not).
  if id == 1 and not verified then
    verified = true
    return wrk.format("GET", "/healthz")
  end
  sent = sent + 1
  if sent > #tokens then
    -- Nothing left for this connection: a cheap request until the thread stops.
    exhausted_at = exhausted_at or os.time()
    return wrk.format("GET", "/healthz")
  end
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" },
    '{"token":"' .. tokens[sent] .. '"}')
end

function response(status, headers, body)
  -- 200 answers only the filler /healthz; a confirmation answers 202, or 4xx/5xx.
  if status == 200 then
    -- A request lost to a socket error or a timeout (wrk's --timeout, 10 s in the bench) is
    -- never answered: past that time, the thread stops all the same (the rest unanswered).
    if exhausted_at and os.time() - exhausted_at > 12 then finish() end
    return
  end
  answered = answered + 1
  unanswered = #tokens - answered
  count_answer(status)
  if answered == #tokens then finish() end
end

function finish()
  io.open(done_file, "w"):close()
  wrk.thread:stop()
end

function done(summary, latency, requests)
  local total_unanswered = 0
  for _, thread in ipairs(threads) do total_unanswered = total_unanswered + thread:get("unanswered") end
  write_result(summary, latency, string.format(" unanswered=%d", total_unanswered))
end
