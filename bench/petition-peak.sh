# shellcheck shell=bash
# shellcheck disable=SC2154  # bench_dir, bin, pg_port, amqp_url are bench/run's
#
# The petition peak benchmark of bench/run (BENCH_ONLY=petitions): sourced by bench/run,
# whose variables it uses (bench_dir, bin, pg_port, amqp_url, amqp_port) once PostgreSQL
# and RabbitMQ run and the platform is bootstrapped.
#
# (a) The bare ceiling: pgbench inserts one signature row per transaction, 16 clients, into
#     a copy of petitions.signatures (same columns, indexes and foreign key).
# (b) The platform: the release gateway and BENCH_PETITION_REPLICAS petitions-service
#     replicas; wrk POSTs signatures (unique addresses) for BENCH_PETITION_SECONDS while a
#     second wrk reads the petition's page; then the bench waits until every accepted
#     signature is stored, takes the confirmation tokens from the service's outbox (the
#     notification worker is not run: its mail rate is the mail benchmark), POSTs each once
#     to the confirmation API, and waits until all are confirmed and counted. Last, /healthz
#     and the petition's page alone, for comparison.

petition_seconds=${BENCH_PETITION_SECONDS:-60}
petition_connections=${BENCH_PETITION_CONNECTIONS:-64}
petition_replicas=${BENCH_PETITION_REPLICAS:-2}
read_connections=${BENCH_READ_CONNECTIONS:-8}
ceiling_seconds=${BENCH_CEILING_SECONDS:-30}
ceiling_clients=16
# The longest wait for the services to catch up with what was accepted, in seconds.
drain_timeout=${BENCH_DRAIN_TIMEOUT:-600}
# HTTP ports below the ephemeral range (32768-60999 on Linux): a port in it may be taken by
# any outgoing connection's local end at the moment a service binds it.
gateway_port=${DIALOGUE_BENCH_GATEWAY_HTTP_PORT:-31080}
# The gateway's operations listener (/healthz, /readyz, /metrics), apart from its site.
gateway_operations_port=$((gateway_port + 100))
# Replica i listens on this port + i - 1.
petitions_port=${DIALOGUE_BENCH_PETITIONS_HTTP_PORT:-31181}
# A load generator on one address would hit the per-address and per-domain signature limits
# at once: lifted for the bench gateway (said so in the figures).
bench_rate_limits=(
  RATE_LIMIT_SIGNATURE_BURST=100000000/60
  RATE_LIMIT_SIGNATURE_SUSTAINED=100000000/3600
  RATE_LIMIT_SIGNATURE_DOMAIN=100000000/60
)

# "label executable" of each server the petition bench started, for stop_petition_services.
petition_daemons=()

# start_bench_service LABEL EXECUTABLE SCHEMA PORT [VAR=VALUE...]: starts BIN/EXECUTABLE
# (pid file and log named LABEL) with its own database role, its operations endpoints on
# PORT and the extra variables, and waits until it is ready.
start_bench_service() {
  local label=$1 executable=$2 schema=$3 port=$4 password_var pidfile logfile pid
  shift 4
  password_var=DB_PASSWORD_${schema^^}
  pidfile=$bench_dir/pids/$label.pid
  logfile=$bench_dir/logs/$label.log
  tcp_port_open "$port" && die "port $port (for $label) is already in use"
  [[ -f $logfile ]] && mv -f "$logfile" "$logfile.prev"
  mkdir -p "$bench_dir/pids" "$bench_dir/logs"
  (
    export DATABASE_URL="postgres://dialogue_$schema:${!password_var}@127.0.0.1:$pg_port/dialogue"
    export AMQP_URL=$amqp_url OPERATIONS_HOST=127.0.0.1 OPERATIONS_PORT=$port LOG_FORMAT=json
    (($# == 0)) || export "${@?}"
    spawn_daemon "$pidfile" "$logfile" "$bin/$executable"
  )
  petition_daemons+=("$label $executable")
  pid=$(<"$pidfile")
  if ! wait_http "http://127.0.0.1:$port/readyz" 90 "$pid"; then
    show_log_tail "$logfile"
    die "$label is not ready; its log: $logfile"
  fi
}

# Stops what start_bench_service started (bench/run's EXIT trap calls it).
stop_petition_services() {
  local row label executable pid
  for row in ${petition_daemons[@]+"${petition_daemons[@]}"}; do
    read -r label executable <<<"$row"
    if pid=$(live_pid_from_file "$bench_dir/pids/$label.pid" "/$executable"); then
      terminate_pid "$pid" "$label" 20
    fi
    rm -f "$bench_dir/pids/$label.pid"
  done
  petition_daemons=()
}

# SQL as the administrator over TCP (like the services); the password stays in the
# environment of psql alone.
admin_sql() {
  PGPASSWORD=$DIALOGUE_ADMIN_PASSWORD PGOPTIONS="-c client_min_messages=warning" psql -X -q -At -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$pg_port" -U dialogue_admin -d dialogue "$@"
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# rate COUNT MILLISECONDS: COUNT per second, rounded.
rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.0f", (ms > 0 ? n * 1000 / ms : 0) }'; }

# result_field FILE NAME: NAME=VALUE of the RESULT line the wrk scripts print.
result_field() { sed -n "s/^RESULT .*\b$2=\([^ ]*\).*/\1/p" "$1" | tail -n 1; }

# requests_per_second FILE: the Requests/sec figure of wrk's own report.
requests_per_second() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1"; }

# wait_for TIMEOUT WHAT QUERY EXPECTED: polls QUERY (one number) until it reaches EXPECTED;
# prints the milliseconds of the last poll. Warns and returns 1 at the timeout or when the
# figure stops moving for 120 s.
wait_for() {
  local timeout=$1 what=$2 query=$3 expected=$4 deadline value last="" moved=$SECONDS
  deadline=$((SECONDS + timeout))
  while :; do
    value=$(admin_sql -c "$query")
    if ((value >= expected)); then
      now_ms
      return 0
    fi
    [[ $value == "$last" ]] || moved=$SECONDS
    last=$value
    if ((SECONDS >= deadline || SECONDS - moved >= 120)); then
      warn "$what: $value of $expected after $((SECONDS - deadline + timeout)) s; giving up"
      now_ms
      return 1
    fi
    sleep 0.2
  done
}

# "name pid" of each server of the petition bench, for the CPU line of the figures.
petition_servers() {
  local row label executable
  for row in "${petition_daemons[@]}"; do
    read -r label executable <<<"$row"
    echo "$label $(<"$bench_dir/pids/$label.pid")"
  done
  echo "PostgreSQL $(sed -n 1p "$bench_dir/pg/data/postmaster.pid")"
  echo "RabbitMQ $(<"$bench_dir/rabbitmq/launcher.pid")"
}

petition_peak() {
  local petition replica ceiling_tps started out=$bench_dir/petitions
  local accepted other statuses p50 p99 stored stored_ms tokens confirm_accepted confirmed_ms
  local count distinct page_reads healthz_alone page_alone confirm_ms confirm_statuses
  rm -rf "$out"
  mkdir -p "$out/done"
  petition=$(</proc/sys/kernel/random/uuid)
  # The load before the bench's own: whether builds or tests shared the cores.
  local load_before
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  load_secrets "$bench_dir"
  command -v wrk >/dev/null || die "wrk not found (it is in DIALOGUE_SYSTEM_PACKAGES of deploy/local/lib.sh)"
  command -v pgbench >/dev/null || die "pgbench not found (it comes with postgresql)"

  # The services first: they migrate their schemas as they start. They idle during (a).
  for ((replica = 1; replica <= petition_replicas; replica++)); do
    info "Starting petitions-service replica $replica on 127.0.0.1:$((petitions_port + replica - 1))"
    start_bench_service "petitions-service-$replica" petitions-service petitions $((petitions_port + replica - 1))
  done
  info "Starting the gateway on 127.0.0.1:$gateway_port (signature rate limits lifted)"
  start_bench_service gateway gateway identity "$gateway_operations_port" HTTP_HOST=127.0.0.1 HTTP_PORT="$gateway_port" \
    GATEWAY_SECRET="$GATEWAY_SECRET" COOKIE_SECURE=false PUBLIC_BASE_URL="http://127.0.0.1:$gateway_port" \
    "${bench_rate_limits[@]}"

  # An open, published petition of its own per run; the threshold is out of reach so that
  # the run measures signing, not the threshold's events.
  admin_sql -c "INSERT INTO petitions.petitions (id, title, body, threshold, status, visible, opened_at, closes_at, author_name)
    VALUES ('$petition', 'Banc d''essai : un pic de signatures', 'Une pétition du banc d''essai (bench/run).',
            10000000, 'open', true, now(), now() + interval '30 days', 'Banc d''essai')"

  # (a) ------------------------------------------------------------------------------------
  info "(a) pgbench: one signature row per transaction, $ceiling_clients clients, ${ceiling_seconds}s"
  admin_sql <<SQL
DROP SCHEMA IF EXISTS bench_ceiling CASCADE;
CREATE SCHEMA bench_ceiling;
CREATE TABLE bench_ceiling.signatures (LIKE petitions.signatures INCLUDING ALL);
ALTER TABLE bench_ceiling.signatures ADD FOREIGN KEY (petition_id) REFERENCES petitions.petitions (id);
SQL
  # What the service writes for a pending signature (a fresh address, its link's hash).
  cat >"$out/ceiling.sql" <<SQL
WITH fresh AS (SELECT gen_random_uuid() AS id)
INSERT INTO bench_ceiling.signatures (id, petition_id, name, email, email_normalized, postcode, departement,
    signed_at, confirmation_hash, confirmation_expires_at, show_name, wants_answer, client_address)
SELECT id, '$petition', 'Camille Martin', 'bench-' || id || '@exemple.fr', 'bench-' || id || '@exemple.fr',
    '59000', '59', now(), sha256(convert_to(id::text, 'UTF8')), now() + interval '7 days', false, false, '127.0.0.1'
FROM fresh;
SQL
  PGPASSWORD=$DIALOGUE_ADMIN_PASSWORD pgbench -n -h 127.0.0.1 -p "$pg_port" -U dialogue_admin \
    -c "$ceiling_clients" -j 2 -T "$ceiling_seconds" -f "$out/ceiling.sql" dialogue >"$out/pgbench.txt" 2>&1 ||
    { cat "$out/pgbench.txt" >&2; die "pgbench failed"; }
  ceiling_tps=$(awk '/^tps = / { printf "%.0f", $3; exit }' "$out/pgbench.txt")
  admin_sql -c "DROP SCHEMA bench_ceiling CASCADE" -c "CHECKPOINT"

  # (b) ------------------------------------------------------------------------------------
  local base=http://127.0.0.1:$gateway_port
  curl -fsS -o /dev/null "$base/petitions/$petition" || die "the petition's page does not answer"

  local signing="petition_id = '$petition'"
  declare -A ticks=()
  local name pid
  while read -r name pid; do ticks[$name]=$(cpu_ticks "$pid"); done < <(petition_servers)

  info "(b) wrk: signatures for ${petition_seconds}s ($petition_connections connections), the page read meanwhile ($read_connections connections)"
  started=$(now_ms)
  local signing_started=$started
  wrk -t2 -c"$read_connections" -d"${petition_seconds}s" --timeout 10s "$base/petitions/$petition" >"$out/reads.txt" 2>&1 &
  local reads_pid=$!
  wrk -t2 -c"$petition_connections" -d"${petition_seconds}s" --timeout 10s \
    -s "$DIALOGUE_ROOT/bench/petition-sign.lua" "$base/api/v1/petitions/$petition/signatures" >"$out/sign.txt" 2>&1 ||
    { cat "$out/sign.txt" >&2; die "wrk (signatures) failed"; }
  wait "$reads_pid" || { cat "$out/reads.txt" >&2; die "wrk (page reads) failed"; }
  # How far the services lag behind the gateway when signing stops.
  local stored_at_end
  stored_at_end=$(admin_sql -c "SELECT count(*) FROM petitions.signatures WHERE petition_id = '$petition'")
  accepted=$(result_field "$out/sign.txt" accepted)
  other=$(result_field "$out/sign.txt" other)
  statuses=$(result_field "$out/sign.txt" statuses)
  p50=$(result_field "$out/sign.txt" p50_us)
  p99=$(result_field "$out/sign.txt" p99_us)
  [[ -n $accepted ]] || { cat "$out/sign.txt" >&2; die "no RESULT line from wrk (signatures)"; }
  page_reads=$(requests_per_second "$out/reads.txt")

  info "Waiting until the $accepted accepted signatures are stored"
  stored_ms=$(wait_for "$drain_timeout" "signatures stored" \
    "SELECT count(*) FROM petitions.signatures WHERE $signing" "$accepted") || true
  stored=$(admin_sql -c "SELECT count(*) FROM petitions.signatures WHERE $signing")
  stored_ms=$((stored_ms - started))

  # The links' secrets: only in the events (and the mails the worker would send).
  admin_sql -c "SELECT convert_from(body, 'UTF8')::jsonb ->> 'token' FROM petitions.outbox
    WHERE message_type = 'petition.signature_confirmation_requested'
      AND lower(convert_from(body, 'UTF8')::jsonb ->> 'petitionID') = '$petition'" >"$out/tokens.txt"
  tokens=$(wc -l <"$out/tokens.txt")

  info "(b) wrk: $tokens confirmations, each once"
  started=$(now_ms)
  wrk -t2 -c"$petition_connections" -d3600s --timeout 10s -s "$DIALOGUE_ROOT/bench/petition-confirm.lua" \
    "$base/api/v1/petitions/signatures/confirmation" -- "$out/tokens.txt" "$out/done" 2 >"$out/confirm.txt" 2>&1 &
  local confirm_pid=$! deadline=$((SECONDS + drain_timeout))
  until (($(find "$out/done" -type f | wc -l) >= 2)); do
    pid_alive "$confirm_pid" || break
    ((SECONDS < deadline)) || { warn "the confirmations did not all get an answer"; break; }
    sleep 0.1
  done
  confirm_ms=$(($(now_ms) - started))
  kill -INT "$confirm_pid" 2>/dev/null || true
  wait "$confirm_pid" || { cat "$out/confirm.txt" >&2; die "wrk (confirmations) failed"; }
  confirm_accepted=$(result_field "$out/confirm.txt" accepted)
  confirm_statuses=$(result_field "$out/confirm.txt" statuses)
  [[ -n $confirm_accepted ]] || { cat "$out/confirm.txt" >&2; die "no RESULT line from wrk (confirmations)"; }

  info "Waiting until the $confirm_accepted confirmations are stored and counted"
  confirmed_ms=$(wait_for "$drain_timeout" "signatures confirmed and counted" \
    "SELECT least((SELECT count(*) FROM petitions.signatures WHERE $signing AND confirmed_at IS NOT NULL),
                  (SELECT signature_count FROM petitions.petitions WHERE id = '$petition'))" "$confirm_accepted") || true
  confirmed_ms=$((confirmed_ms - started))
  local usage="" total_ms=$(($(now_ms) - signing_started))
  while read -r name pid; do
    usage+=$(awk -v name="$name" -v ticks=$(($(cpu_ticks "$pid") - ticks[$name])) -v hz="$(getconf CLK_TCK)" \
      'BEGIN { printf "%s %.0f s, ", name, ticks / hz }')
  done < <(petition_servers)
  # Every confirmed row counted once, whichever replica's batch took it.
  read -r count distinct < <(admin_sql -F ' ' -c "SELECT p.signature_count - p.paper_count,
      (SELECT count(DISTINCT s.email_normalized) FROM petitions.signatures s
        WHERE s.petition_id = p.id AND s.confirmed_at IS NOT NULL AND s.invalidated_at IS NULL)
    FROM petitions.petitions p WHERE p.id = '$petition'")

  info "wrk: /healthz, then the petition's page, alone (${read_connections} connections, 15s each)"
  wrk -t2 -c"$read_connections" -d15s "http://127.0.0.1:$gateway_operations_port/healthz" >"$out/healthz.txt" 2>&1
  healthz_alone=$(requests_per_second "$out/healthz.txt")
  wrk -t2 -c"$read_connections" -d15s "$base/petitions/$petition" >"$out/page.txt" 2>&1
  page_alone=$(requests_per_second "$out/page.txt")

  stop_petition_services
  # The events wait in the queues of consumers that did not run (the notification worker's
  # above all, which the mail benchmark of a later run would otherwise mail).
  local queue
  for queue in $("$bench_dir/bin/rabbitmqctl" -s list_queues name); do
    "$bench_dir/bin/rabbitmqctl" -q purge_queue "$queue" >/dev/null
  done

  local machine
  machine="$(nproc) cores, load $load_before before, $(cut -d' ' -f1 /proc/loadavg) after"
  echo
  echo "== Petition peak (release, $machine, $petition_replicas petitions-service replicas, one gateway)"
  echo "   signature rate limits lifted for the load generator: ${bench_rate_limits[*]}"
  echo "   notification worker not run (the confirmation events stay queued, then purged)"
  printf '%-48s%s rows/s\n' "(a) pgbench ceiling, 1 row/tx, $ceiling_clients clients:" "$ceiling_tps"
  printf '(b) signatures POSTed %ss (%s connections): accepted %s/s (202: %s, other: %s%s), p50 %s ms, p99 %s ms\n' \
    "$petition_seconds" "$petition_connections" "$(rate "$accepted" $((petition_seconds * 1000)))" "$accepted" "$other" \
    "${statuses:+ [$statuses]}" "$(awk -v us="$p50" 'BEGIN { printf "%.1f", us / 1000 }')" \
    "$(awk -v us="$p99" 'BEGIN { printf "%.1f", us / 1000 }')"
  # wrk counts no answer after its duration: the requests then in flight are stored too.
  printf '    stored (pending) %s/s: the %s accepted stored %.1f s after the first POST — ratio to (a): %s\n' \
    "$(rate "$accepted" "$stored_ms")" "$accepted" "$(awk -v ms="$stored_ms" 'BEGIN { print ms / 1000 }')" \
    "$(awk -v s="$(rate "$accepted" "$stored_ms")" -v a="$ceiling_tps" 'BEGIN { printf "%.2f", (a > 0 ? s / a : 0) }')"
  printf '    rows stored: %s (with %s sent as wrk stopped, whose answers it did not count)\n' "$stored" $((stored - accepted))
  # Near the whole: the services kept up, and the gateway's intake set the pace.
  printf '    rows stored as signing stopped: %s (lag behind the gateway: %s)\n' "$stored_at_end" $((stored > stored_at_end ? stored - stored_at_end : 0))
  printf '    confirmations (%s tokens): accepted %s/s (202: %s, other: %s%s), p50 %s ms, p99 %s ms\n' \
    "$tokens" "$(rate "$confirm_accepted" "$confirm_ms")" "$confirm_accepted" "$(result_field "$out/confirm.txt" other)" \
    "${confirm_statuses:+ [$confirm_statuses]}" \
    "$(awk -v us="$(result_field "$out/confirm.txt" p50_us)" 'BEGIN { printf "%.1f", us / 1000 }')" \
    "$(awk -v us="$(result_field "$out/confirm.txt" p99_us)" 'BEGIN { printf "%.1f", us / 1000 }')"
  printf '    confirmed and counted %s/s; count check: signature_count %s %s %s distinct confirmed rows\n' \
    "$(rate "$confirm_accepted" "$confirmed_ms")" "$count" "$([[ $count == "$distinct" ]] && echo '==' || echo '!=')" "$distinct"
  printf '    petition page reads during signing: %s/s; alone: %s/s; /healthz alone: %s/s\n' \
    "$page_reads" "$page_alone" "$healthz_alone"
  printf '    CPU during signing and confirming (%.0f s x %d cores): %s\n' \
    "$(awk -v ms="$total_ms" 'BEGIN { print ms / 1000 }')" "$(nproc)" "${usage%, }"
  local errors
  errors=$(result_field "$out/sign.txt" socket_errors)/$(result_field "$out/sign.txt" timeouts)
  [[ $errors == 0/0 ]] || warn "signing: $errors socket errors/timeouts (no answer, not counted above)"
  errors=$(result_field "$out/confirm.txt" socket_errors)/$(result_field "$out/confirm.txt" timeouts)
  [[ $errors == 0/0 ]] || warn "confirming: $errors socket errors/timeouts"
  [[ $(result_field "$out/confirm.txt" unanswered) == 0 ]] ||
    warn "confirming: $(result_field "$out/confirm.txt" unanswered) tokens got no answer"
  echo "   (wrk outputs and pgbench's in $out)"
  [[ $count == "$distinct" ]] || die "signature_count ($count) differs from the distinct confirmed rows ($distinct)"
}
