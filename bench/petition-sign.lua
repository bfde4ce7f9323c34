-- wrk script of the petition peak benchmark (bench/petition-peak.sh): POSTs signatures to
-- the URL given to wrk (/api/v1/petitions/<id>/signatures), each with an e-mail address of
-- its own (thread, run and counter in it), and counts the answers by status.
--
--   wrk -t2 -c64 -d60s --timeout 10s -s bench/petition-sign.lua URL
--
-- Its last line reads: RESULT accepted=N other=N statuses=429:N,... p50_us=N p99_us=N ...

dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "petition-answers.lua")

function init(args)
  math.randomseed(os.time() * 1000 + id)
  -- A run's addresses never collide with an earlier run's, nor across threads.
  prefix = string.format("bench-%d-%d-%d-", id, os.time(), math.random(1, 1000000000))
  counter = 0
  reset_answers()
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"name":"Camille Martin","email":"%s%d@exemple.fr","postcode":"59000","consent":true}',
    prefix, counter)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  count_answer(status)
end

function done(summary, latency, requests)
  write_result(summary, latency)
end
