-- wrk script of the survey benchmark (bench/survey-bench.sh): POSTs paper questionnaires, as
-- a staff member entering them (bearer token given after --), to the URL given to wrk
-- (/api/v1/surveys/<id>/responses), each with its own answers and profile, and counts the
-- answers by status. Paper questionnaires name nobody, so one token enters as many as wrk sends.
--
--   wrk -t2 -c64 -d30s --timeout 10s -s bench/survey-answer.lua URL -- TOKEN
--
-- Its last line reads: RESULT accepted=N other=N statuses=422:N,... p50_us=N p99_us=N ...

dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "petition-answers.lua")

local modes = { "train", "bus", "voiture", "velo" }
local freins = { "prix", "temps", "confort", "securite", "horaires" }
local departements = { "02", "59", "60", "62", "80" }
local ages = { "18_24", "25_34", "35_49", "50_64", "65_plus" }

function init(args)
  math.randomseed(os.time() * 1000 + id)
  token = args[1]
  reset_answers()
end

function request()
  local mode = modes[math.random(#modes)]
  local body = string.format(
    '{"channel":"paper","profile":{"departement":"%s","ageBand":"%s"},"answers":{' ..
    '"mode":{"optionIDs":["%s"]},"freins":{"optionIDs":["%s"]},"satisfaction":{"number":%d},' ..
    '"recommandation":{"number":%d},"km":{"number":%d},"priorites":{"optionIDs":["prix","securite","confort"]},' ..
    '"qualite":{"rows":{"proprete":%d,"ponctualite":%d,"accueil":%d,"information":%d}},"abonnement":{"optionIDs":["non"]},' ..
    '"frequence":{"optionIDs":["quotidien"]},"confiance":{"number":%d},"minutes":{"number":%d},' ..
    '"services":{"rows":{"wifi":%d,"velos":%d,"accessibilite":%d}},"commune":{"place":"59350"}}}',
    departements[math.random(#departements)], ages[math.random(#ages)], mode, freins[math.random(#freins)],
    math.random(1, 5), math.random(0, 10), math.random(0, 150), math.random(1, 5), math.random(1, 5), math.random(1, 5),
    math.random(1, 5), math.random(1, 5), math.random(5, 120), math.random(0, 10), math.random(0, 10), math.random(0, 10))
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end

function response(status, headers, body)
  count_answer(status)
end

function done(summary, latency, requests)
  write_result(summary, latency)
end
