# shellcheck shell=bash
# shellcheck disable=SC2154  # bench_dir, bin, pg_port, amqp_url are bench/run's
#
# The survey benchmark of bench/run (BENCH_ONLY=surveys): sourced by bench/run after
# bench/petition-peak.sh, whose helpers it uses (start_bench_service, admin_sql, rate...).
#
# 1. BENCH_SURVEY_RESPONSES (default 1,000,000) responses to a survey of 20 questions with
#    conditional paths, generated in PostgreSQL (bench/survey-data.sql).
# 2. The bare baseline: count(*) over the survey's answer rows, in psql.
# 3. The full results data (GET /api/v1/surveys/{id}/results) and a filtered cross-tab
#    (mode × age band, Nord only), through the release gateway and survey-service; best of 3.
# 4. The CSV export (GET /admin/enquetes/{id}/reponses.csv) to /dev/null: its time, and the
#    gateway's RSS sampled every 50 ms against its RSS at rest.
# 5. Paper questionnaires POSTed by wrk to /api/v1/surveys/{id}/responses for
#    BENCH_SURVEY_SECONDS (default 30): accepted and stored per second, against pgbench
#    inserting the same kind of rows (a response and 20 answer rows per transaction) into copies
#    of the tables, the ceiling of bare PostgreSQL.

survey_responses=${BENCH_SURVEY_RESPONSES:-1000000}
survey_seconds=${BENCH_SURVEY_SECONDS:-30}
survey_connections=${BENCH_SURVEY_CONNECTIONS:-64}
surveys_port=${DIALOGUE_BENCH_SURVEYS_HTTP_PORT:-31182}

# best_of_3 COMMAND...: the smallest of three wall times of COMMAND, in ms.
best_of_3() {
  local best="" started elapsed
  for _ in 1 2 3; do
    started=$(now_ms)
    "$@" >/dev/null || die "failed: $*"
    elapsed=$(($(now_ms) - started))
    [[ -n $best && $best -le $elapsed ]] || best=$elapsed
  done
  echo "$best"
}

# rss_kb PID: the resident set of PID, in kB.
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

survey_bench() {
  local survey staff token cookie out=$bench_dir/surveys started generated_ms load_before
  rm -rf "$out"
  mkdir -p "$out"
  survey=$(</proc/sys/kernel/random/uuid)
  staff=$(</proc/sys/kernel/random/uuid)
  token=dlg_$(random_hex)
  cookie=$(random_hex)
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  load_secrets "$bench_dir"
  command -v wrk >/dev/null || die "wrk not found (it is in DIALOGUE_SYSTEM_PACKAGES of deploy/local/lib.sh)"
  command -v pgbench >/dev/null || die "pgbench not found (it comes with postgresql)"

  info "Starting survey-service on 127.0.0.1:$surveys_port and the gateway on 127.0.0.1:$gateway_port"
  start_bench_service survey-service survey-service surveys "$surveys_port"
  start_bench_service gateway gateway identity "$gateway_operations_port" HTTP_HOST=127.0.0.1 HTTP_PORT="$gateway_port" \
    GATEWAY_SECRET="$GATEWAY_SECRET" COOKIE_SECURE=false PUBLIC_BASE_URL="http://127.0.0.1:$gateway_port"
  local gateway_pid
  gateway_pid=$(<"$bench_dir/pids/gateway.pid")

  # A staff member of its own per run, with a bearer token (API) and a session (pages).
  admin_sql <<SQL
INSERT INTO identity.accounts (id, email, email_normalized, display_name, roles, email_confirmed_at)
VALUES ('$staff', 'banc-$staff@exemple.fr', 'banc-$staff@exemple.fr', 'Banc d''essai', '{staff}', now());
INSERT INTO identity.api_tokens (id, account_id, label, token_hash, expires_at)
VALUES (gen_random_uuid(), '$staff', 'bench/run', sha256(convert_to('$token', 'UTF8')), now() + interval '1 day');
INSERT INTO identity.sessions (token_hash, account_id, expires_at, absolute_expires_at)
VALUES (sha256(convert_to('$cookie', 'UTF8')), '$staff', now() + interval '1 day', now() + interval '1 day');
SQL

  info "Generating $survey_responses responses in PostgreSQL (bench/survey-data.sql)"
  started=$(now_ms)
  admin_sql -v survey="$survey" -v responses="$survey_responses" -f "$DIALOGUE_ROOT/bench/survey-data.sql"
  generated_ms=$(($(now_ms) - started))
  local answer_rows tallies
  answer_rows=$(admin_sql -c "SELECT count(*) FROM surveys.answers WHERE survey_id = '$survey'")
  tallies=$(admin_sql -c "SELECT count(*) FROM surveys.answer_tallies WHERE survey_id = '$survey'")

  local base=http://127.0.0.1:$gateway_port api baseline results crosstab
  api=(curl -fsS -o /dev/null -H "Authorization: Bearer $token")
  info "Timing the baseline, the results and a filtered cross-tab (best of 3)"
  baseline=$(best_of_3 admin_sql -c "SELECT count(*) FROM surveys.answers WHERE survey_id = '$survey'")
  results=$(best_of_3 "${api[@]}" "$base/api/v1/surveys/$survey/results")
  crosstab=$(best_of_3 "${api[@]}" "$base/api/v1/surveys/$survey/results/crosstab?rows=question:mode&columns=profile:ageBand&departement=59")
  curl -fsS -H "Authorization: Bearer $token" -o "$out/results.json" "$base/api/v1/surveys/$survey/results"

  info "Exporting the responses as CSV while sampling the gateway's memory"
  local idle_kb peak_kb sample export_ms export_bytes
  sleep 2
  idle_kb=$(rss_kb "$gateway_pid")
  peak_kb=$idle_kb
  started=$(now_ms)
  curl -fsS -b "dialogue_session=$cookie" -o "$out/export.csv" "$base/admin/enquetes/$survey/reponses.csv" &
  local export_pid=$!
  while pid_alive "$export_pid"; do
    sample=$(rss_kb "$gateway_pid")
    ((sample <= peak_kb)) || peak_kb=$sample
    sleep 0.05
  done
  wait "$export_pid" || die "the CSV export failed"
  export_ms=$(($(now_ms) - started))
  export_bytes=$(stat -c %s "$out/export.csv")
  local exported_lines
  exported_lines=$(($(wc -l <"$out/export.csv") - 1))
  rm -f "$out/export.csv"

  info "Ceiling: pgbench, a response and its answer rows per transaction, 16 clients, ${ceiling_seconds}s"
  admin_sql <<SQL
DROP SCHEMA IF EXISTS bench_ceiling CASCADE;
CREATE SCHEMA bench_ceiling;
CREATE TABLE bench_ceiling.responses (LIKE surveys.responses INCLUDING ALL);
CREATE TABLE bench_ceiling.answers (LIKE surveys.answers INCLUDING ALL);
SQL
  cat >"$out/ceiling.sql" <<SQL
WITH fresh AS (
  INSERT INTO bench_ceiling.responses (id, survey_id, channel, departement, age_band, entered_by, entered_by_name, submitted_at)
  VALUES (gen_random_uuid(), '$survey', 'paper', '59', '25_34', '$staff', 'Banc d''essai', now()) RETURNING id
)
INSERT INTO bench_ceiling.answers (response_id, survey_id, question_id, kind, value, number, first_of_answer, channel, departement, age_band)
SELECT fresh.id, '$survey', q, k, v, n, f, 'paper', '59', '25_34'
FROM fresh, unnest(
  '{mode,freins,satisfaction,recommandation,km,priorites,priorites,priorites,qualite,qualite,qualite,qualite,abonnement,frequence,confiance,minutes,services,services,services,commune}'::text[],
  '{option,option,point,point,number,rank,rank,rank,row,row,row,row,option,option,point,number,row,row,row,place}'::text[],
  '{train,prix,4,7,"",prix,securite,confort,proprete,ponctualite,accueil,information,non,quotidien,3,"",wifi,velos,accessibilite,59350}'::text[],
  '{NULL,NULL,4,7,12,1,2,3,4,3,2,5,NULL,NULL,3,25,8,6,9,NULL}'::float8[],
  '{t,t,t,t,t,t,f,f,t,f,f,f,t,t,t,t,t,f,f,t}'::boolean[]
) AS a(q, k, v, n, f);
SQL
  PGPASSWORD=$DIALOGUE_ADMIN_PASSWORD pgbench -n -h 127.0.0.1 -p "$pg_port" -U dialogue_admin \
    -c 16 -j 2 -T "$ceiling_seconds" -f "$out/ceiling.sql" dialogue >"$out/pgbench.txt" 2>&1 ||
    { cat "$out/pgbench.txt" >&2; die "pgbench failed"; }
  local ceiling_tps
  ceiling_tps=$(awk '/^tps = / { printf "%.0f", $3; exit }' "$out/pgbench.txt")
  admin_sql -c "DROP SCHEMA bench_ceiling CASCADE" -c "CHECKPOINT"

  info "wrk: paper questionnaires for ${survey_seconds}s ($survey_connections connections)"
  local before accepted other statuses p50 p99 stored_ms stored
  before=$(admin_sql -c "SELECT count(*) FROM surveys.responses WHERE survey_id = '$survey'")
  started=$(now_ms)
  wrk -t2 -c"$survey_connections" -d"${survey_seconds}s" --timeout 10s -s "$DIALOGUE_ROOT/bench/survey-answer.lua" \
    "$base/api/v1/surveys/$survey/responses" -- "$token" >"$out/answer.txt" 2>&1 ||
    { cat "$out/answer.txt" >&2; die "wrk (responses) failed"; }
  accepted=$(result_field "$out/answer.txt" accepted)
  other=$(result_field "$out/answer.txt" other)
  statuses=$(result_field "$out/answer.txt" statuses)
  p50=$(result_field "$out/answer.txt" p50_us)
  p99=$(result_field "$out/answer.txt" p99_us)
  [[ -n $accepted ]] || { cat "$out/answer.txt" >&2; die "no RESULT line from wrk (responses)"; }
  info "Waiting until the $accepted accepted responses are stored"
  stored_ms=$(wait_for 600 "responses stored" "SELECT count(*) FROM surveys.responses WHERE survey_id = '$survey'" \
    $((before + accepted))) || true
  stored_ms=$((stored_ms - started))
  stored=$(($(admin_sql -c "SELECT count(*) FROM surveys.responses WHERE survey_id = '$survey'") - before))
  stop_petition_services

  echo
  echo "== Surveys (release, $(nproc) cores, load $load_before before, $(cut -d' ' -f1 /proc/loadavg) after)"
  printf '   %s responses generated in %.1f s: %s answer rows, %s tallies\n' "$survey_responses" \
    "$(awk -v ms="$generated_ms" 'BEGIN { print ms / 1000 }')" "$answer_rows" "$tallies"
  printf '%-60s%6s ms\n' "baseline: count(*) over the answer rows (psql)" "$baseline"
  printf '%-60s%6s ms\n' "full results data (GET …/results, through the gateway)" "$results"
  printf '%-60s%6s ms\n' "cross-tab mode × age band, Nord only (GET …/crosstab)" "$crosstab"
  printf '%-60s%6s ms  (%s lines, %s MB)\n' "CSV export (GET /admin/enquetes/{id}/reponses.csv)" "$export_ms" "$exported_lines" \
    "$(awk -v b="$export_bytes" 'BEGIN { printf "%.0f", b / 1048576 }')"
  printf '%-60s%6s MB  (at rest: %s MB, target: under 100 MB)\n' "gateway RSS, peak during the export" \
    "$(awk -v kb="$peak_kb" 'BEGIN { printf "%.0f", kb / 1024 }')" "$(awk -v kb="$idle_kb" 'BEGIN { printf "%.0f", kb / 1024 }')"
  printf '%-60s%6s tx/s\n' "pgbench ceiling: a response and its 20 answer rows per tx" "$ceiling_tps"
  printf 'responses POSTed %ss (%s connections): accepted %s/s (202: %s, other: %s%s), p50 %s ms, p99 %s ms\n' \
    "$survey_seconds" "$survey_connections" "$(rate "$accepted" $((survey_seconds * 1000)))" "$accepted" "$other" \
    "${statuses:+ [$statuses]}" "$(awk -v us="$p50" 'BEGIN { printf "%.1f", us / 1000 }')" \
    "$(awk -v us="$p99" 'BEGIN { printf "%.1f", us / 1000 }')"
  printf '    stored %s/s (%s stored %.1f s after the first POST) — ratio to the ceiling: %s\n' \
    "$(rate "$stored" "$stored_ms")" "$stored" "$(awk -v ms="$stored_ms" 'BEGIN { print ms / 1000 }')" \
    "$(awk -v s="$(rate "$stored" "$stored_ms")" -v a="$ceiling_tps" 'BEGIN { printf "%.2f", (a > 0 ? s / a : 0) }')"
  echo "   (wrk and pgbench outputs, the results' JSON in $out)"
}
