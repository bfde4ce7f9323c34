# shellcheck shell=bash
#
# Shared helpers for deploy/local/{up,down,test}. Source this file; do not run it.
#
# Everything runs as plain background daemons under a project-local folder
# (.local/, git-ignored): the target machines and CI have no systemd, and two
# instances (the platform and the tests) must be able to run side by side.
#
# Layout of a run folder DIR (one per instance):
#   DIR/secrets.env         generated passwords (mode 600), never printed
#   DIR/pg/data, DIR/pg/run PostgreSQL cluster and its unix socket
#   DIR/rabbitmq/...        RabbitMQ node: mnesia, log, home (Erlang cookie), config
#   DIR/rabbitmq/tls        private CA and server certificate of the TLS listener
#   DIR/bin/rabbitmqctl     wrapper pointing the CLI at this node
#   DIR/logs/*.log          PostgreSQL and service logs
#   DIR/pids/*.pid          pid files of the Swift services

# The repository root, found from this file's location so the scripts work
# from any current directory.
# shellcheck disable=SC2034  # used by the scripts that source this file
DIALOGUE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Debian packages the scripts and the Swift build need. One array so that a
# later need (e.g. chromium for browser tests) is a one-line addition.
DIALOGUE_SYSTEM_PACKAGES=(
  postgresql
  postgresql-contrib
  rabbitmq-server
  librabbitmq-dev
  # Snowball's stemmers, for the French text trends of the synthesis reporter (Sources/CStemmer).
  libstemmer-dev
  libssl-dev
  libcurl4-openssl-dev
  python3
  python3-venv
  python3-aiosmtpd
  # The fault suite runs the dashboard's and the alerts' queries in a Prometheus of its own.
  prometheus
  python3-yaml
  chromium
  chromium-driver
  curl
  openssl
  # Load generator of the petition peak benchmark (bench/run); pgbench comes with postgresql.
  wrk
)

# The long-running executables of the platform, one row each:
#   <executable>  <schema>  <default HTTP port>
# The schema gives the database role (dialogue_<schema>) and its password
# variable (DB_PASSWORD_<SCHEMA>, generated into secrets.env). The HTTP port
# can be overridden with DIALOGUE_<EXECUTABLE>_HTTP_PORT (upper case, dashes
# as underscores), e.g. DIALOGUE_SURVEY_SERVICE_HTTP_PORT=9182. It is the
# gateway's site and API; the other services serve nothing but their operations
# endpoints (/healthz, /readyz, /metrics), so it is their operations port. The
# gateway's operations port is apart from its site (see service_operations_port).
DIALOGUE_SERVICES=(
  "gateway               identity        8080"
  "petitions-service     petitions       8181"
  "survey-service        surveys         8182"
  "consultation-service  consultations   8183"
  "moderation-worker     moderation      8184"
  "notification-worker   notifications   8185"
  "synthesis-reporter    synthesis       8186"
)

# RabbitMQ's own scripts. The /usr/sbin entry points are not used on purpose:
# as root they re-run themselves through `su rabbitmq`, which resets HOME (so
# the CLI reads the wrong Erlang cookie) and needs the rabbitmq user to own our
# folders; as any other user they refuse to run at all.
RABBITMQ_SCRIPTS=/usr/lib/rabbitmq/bin

# ---------------------------------------------------------------------------
# Messages

info() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# Prints the last lines of a log file to stderr, framed, to explain a failure.
show_log_tail() {
  local file=$1 lines=${2:-30}
  if [[ -r $file ]]; then
    printf -- '--- last %s lines of %s ---\n' "$lines" "$file" >&2
    tail -n "$lines" "$file" >&2 || true
    printf -- '--- end of %s ---\n' "$file" >&2
  else
    printf '(no log at %s)\n' "$file" >&2
  fi
}

# ---------------------------------------------------------------------------
# System packages

# Installs the missing packages of DIALOGUE_SYSTEM_PACKAGES. Does nothing (no
# apt-get update, no sudo prompt) when all are installed, which is the common
# case after the first run.
install_system_packages() {
  local pkg missing=()
  for pkg in "${DIALOGUE_SYSTEM_PACKAGES[@]}"; do
    # shellcheck disable=SC2016  # ${Status} is dpkg-query's format, not ours
    if [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true) != "install ok installed" ]]; then
      missing+=("$pkg")
    fi
  done
  ((${#missing[@]} > 0)) || return 0

  command -v apt-get >/dev/null || die "missing packages (${missing[*]}) and no apt-get to install them"
  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || die "missing packages (${missing[*]}): install them as root, or install sudo"
    sudo=(sudo)
  fi

  info "Installing system packages: ${missing[*]}"
  # The package lists are refreshed once per process only: a fresh machine
  # has none, and later calls in the same run gain nothing from a second update.
  if [[ -z ${DIALOGUE_APT_UPDATED:-} ]]; then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DIALOGUE_APT_UPDATED=1
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# ---------------------------------------------------------------------------
# Small process and network helpers

# True when PID names a live process (a zombie left by one of our own
# background jobs counts as dead).
pid_alive() {
  local pid=$1 state
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  state=$(awk '/^State:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || return 1
  [[ -n $state && $state != Z ]]
}

# Prints the pid stored in FILE if that process is alive and its command line
# contains EXPECTED; guards against a stale pid file whose pid was reused.
live_pid_from_file() {
  local file=$1 expected=$2 pid cmdline
  [[ -r $file ]] || return 1
  pid=$(<"$file") || return 1
  pid_alive "$pid" || return 1
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmdline == *"$expected"* ]] || return 1
  printf '%s\n' "$pid"
}

# Sends SIGTERM to PID, waits up to TIMEOUT seconds, then SIGKILL.
terminate_pid() {
  local pid=$1 what=$2 timeout=${3:-20} deadline
  kill -TERM "$pid" 2>/dev/null || return 0
  deadline=$((SECONDS + timeout))
  while pid_alive "$pid"; do
    if ((SECONDS >= deadline)); then
      warn "$what (pid $pid) ignored SIGTERM for ${timeout}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
}

# Percent-encodes STRING for use in a URL query value: every byte except the
# unreserved characters of RFC 3986 and '/', kept so that paths stay readable.
percent_encode() {
  local LC_ALL=C
  local string=$1 encoded="" char i
  for ((i = 0; i < ${#string}; i++)); do
    char=${string:i:1}
    case $char in
      [A-Za-z0-9._~/-]) encoded+=$char ;;
      *) printf -v char '%%%02X' "'$char" && encoded+=$char ;;
    esac
  done
  printf '%s\n' "$encoded"
}

# Fails unless VALUE is a TCP port number; WHAT names it in the message.
require_port() {
  local what=$1 value=$2
  if [[ ! $value =~ ^[0-9]{1,5}$ ]] || ((10#$value < 1 || 10#$value > 65535)); then
    die "$what must be a TCP port number (1-65535), not '$value'"
  fi
}

# True when something accepts TCP connections on 127.0.0.1:PORT.
tcp_port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Starts CMD... as a daemon: own session (no controlling terminal, so a Ctrl-C
# in the terminal that ran the script does not reach it), stdin from
# /dev/null, output appended to LOGFILE. The pid written to PIDFILE is the
# command's own pid (the bash -c shell execs it), whether or not setsid forks.
spawn_daemon() {
  local pidfile=$1 logfile=$2 deadline
  shift 2
  rm -f "$pidfile"
  # shellcheck disable=SC2016  # $$ and $@ belong to the inner shell
  setsid bash -c 'echo "$$" >"$0" && exec nohup "$@"' "$pidfile" "$@" \
    >>"$logfile" 2>&1 </dev/null &
  deadline=$((SECONDS + 10))
  until [[ -s $pidfile ]]; do
    ((SECONDS < deadline)) || die "could not start $1 (no pid file $pidfile)"
    sleep 0.1
  done
}

# wait_http URL TIMEOUT [PID]: waits until URL answers with a 2xx status.
# With PID, gives up early when that process has exited.
wait_http() {
  local url=$1 timeout=$2 pid=${3:-} deadline
  deadline=$((SECONDS + timeout))
  until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    if [[ -n $pid ]] && ! pid_alive "$pid"; then
      warn "process $pid exited while waiting for $url"
      return 1
    fi
    if ((SECONDS >= deadline)); then
      warn "$url did not answer within ${timeout}s"
      return 1
    fi
    sleep 0.5
  done
}

# ---------------------------------------------------------------------------
# Secrets

# The password variable of each service's database role.
db_password_vars() {
  local row name schema port
  for row in "${DIALOGUE_SERVICES[@]}"; do
    read -r name schema port <<<"$row"
    printf 'DB_PASSWORD_%s\n' "${schema^^}"
  done
}

# The password variable of each service's broker user (dialogue_<schema>, the
# same name as its database role).
amqp_password_vars() {
  local row name schema port
  for row in "${DIALOGUE_SERVICES[@]}"; do
    read -r name schema port <<<"$row"
    printf 'AMQP_PASSWORD_%s\n' "${schema^^}"
  done
}

# 48 random hex digits (192 bits): safe in URLs, SQL literals and shell files.
random_hex() {
  local hex
  hex=$(od -An -v -tx1 -N24 /dev/urandom | tr -d ' \n')
  ((${#hex} == 48)) || die "could not read /dev/urandom"
  printf '%s\n' "$hex"
}

# Creates DIR/secrets.env (mode 600) and adds any password it lacks, so a
# service added to DIALOGUE_SERVICES gets its password without a reset and
# existing passwords never change.
ensure_secrets() {
  local dir=$1 file=$1/secrets.env var value
  mkdir -p "$dir"
  (umask 077 && touch "$file")
  chmod 600 "$file"
  for var in DIALOGUE_ADMIN_PASSWORD GATEWAY_SECRET NOTIFICATION_LINK_SECRET LOCAL_ADMINISTRATOR_PASSWORD $(db_password_vars) $(amqp_password_vars); do
    if ! grep -q "^$var=" "$file"; then
      value=$(random_hex)
      printf '%s=%s\n' "$var" "$value" >>"$file"
    fi
  done
}

# Reads DIR/secrets.env into shell variables of this shell. They are NOT
# exported: callers export them only to the processes that need them.
load_secrets() {
  ensure_secrets "$1"
  # shellcheck source=/dev/null
  source "$1/secrets.env"
}

# Exports the DB_PASSWORD_* variables (after load_secrets).
export_db_passwords() {
  local var
  for var in $(db_password_vars); do
    export "${var?}"
  done
}

# Exports the AMQP_PASSWORD_* variables (after load_secrets).
export_amqp_passwords() {
  local var
  for var in $(amqp_password_vars); do
    export "${var?}"
  done
}

# ---------------------------------------------------------------------------
# PostgreSQL

# Runs a command as the owner of the PostgreSQL files: the postgres system
# user when we are root (PostgreSQL refuses to run as root), ourselves
# otherwise. From / so postgres never starts in a folder it cannot read.
as_pg_owner() {
  if ((EUID == 0)); then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# The PostgreSQL binaries: those of the cluster's version when DATA exists,
# else the newest installed.
pg_bin_dir() {
  local data=$1 version dir
  if [[ -r $data/PG_VERSION ]]; then
    version=$(<"$data/PG_VERSION")
    dir=/usr/lib/postgresql/$version/bin
    [[ -x $dir/pg_ctl ]] || die "$data needs PostgreSQL $version, which is not installed"
  else
    dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n 1)
    [[ -n $dir && -x $dir/initdb ]] || die "no PostgreSQL server found under /usr/lib/postgresql"
  fi
  printf '%s\n' "$dir"
}

# Fails with a clear message naming the first folder on the way to DIR that
# USER cannot enter.
require_traversable_by() {
  local user=$1 dir=$2 path="" part parts
  runuser -u "$user" -- test -x "$dir" 2>/dev/null && return 0
  IFS=/ read -ra parts <<<"${dir#/}"
  for part in "${parts[@]}"; do
    path+=/$part
    if ! runuser -u "$user" -- test -x "$path" 2>/dev/null; then
      die "the '$user' user cannot enter $path ($(stat -c '%U:%G %A' "$path")); PostgreSQL runs as '$user' and needs to reach $dir. Allow it (e.g. chmod o+x $path) or move the project."
    fi
  done
  die "the '$user' user cannot enter $dir"
}

pg_psql_local() {
  local dir=$1 port=$2 bin
  shift 2
  bin=$(pg_bin_dir "$dir/pg/data")
  as_pg_owner "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/pg/run" -p "$port" -U postgres -d postgres "$@"
}

# True when the cluster in DIR/pg/data is running.
pg_is_running() {
  local data=$1/pg/data bin
  [[ -f $data/PG_VERSION ]] || return 1
  bin=$(pg_bin_dir "$data")
  as_pg_owner "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1
}

# start_postgres DIR PORT: creates (once) and starts a cluster in DIR/pg/data
# listening on 127.0.0.1:PORT only, with the superuser role dialogue_admin
# (password DIALOGUE_ADMIN_PASSWORD of DIR/secrets.env) and database dialogue.
start_postgres() {
  local dir=$1 port=$2
  local data=$dir/pg/data run=$dir/pg/run logfile=$dir/logs/postgres.log bin started
  started=$SECONDS
  require_port "PostgreSQL port" "$port"

  # Unix socket paths are limited to 107 bytes.
  ((${#run} + ${#port} + 10 <= 107)) || die "socket path under $run is too long for PostgreSQL; use a shorter project path"

  (umask 022 && mkdir -p "$dir/pg" "$run" "$dir/logs")
  touch "$logfile"
  if ((EUID == 0)); then
    id postgres >/dev/null 2>&1 || die "the 'postgres' system user does not exist (is the postgresql package installed?)"
    chown postgres: "$dir/pg" "$run" "$logfile"
    require_traversable_by postgres "$dir/pg"
  fi
  chmod 700 "$run"

  if pg_is_running "$dir"; then
    # Line 4 of postmaster.pid is the port the running server listens on.
    local running_port
    running_port=$(sed -n 4p "$data/postmaster.pid" 2>/dev/null || true)
    [[ $running_port == "$port" ]] ||
      die "PostgreSQL of $dir already runs on port ${running_port:-?}, not $port; stop it first"
    info "PostgreSQL already running on 127.0.0.1:$port ($data)"
  else
    tcp_port_open "$port" && die "port $port is already in use by another program; choose another PostgreSQL port"

    if [[ ! -f $data/PG_VERSION ]]; then
      bin=$(pg_bin_dir "$data")
      info "Creating PostgreSQL cluster in $data"
      # initdb into a temporary folder then rename, so an interrupted initdb
      # never leaves a half-made cluster that later runs would trip over.
      as_pg_owner rm -rf "$data.tmp"
      as_pg_owner "$bin/initdb" -D "$data.tmp" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >>"$logfile" 2>&1 ||
        { show_log_tail "$logfile"; die "initdb failed"; }
      echo "include_if_exists = 'dialogue.conf'" | as_pg_owner tee -a "$data.tmp/postgresql.conf" >/dev/null
      as_pg_owner mv "$data.tmp" "$data"
    fi
    bin=$(pg_bin_dir "$data")

    # Rewritten at each start so that a changed port or folder takes effect.
    as_pg_owner tee "$data/dialogue.conf" >/dev/null <<EOF
# Generated by deploy/local/lib.sh at each start; edits are overwritten.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '${run//\'/\'\'}'
unix_socket_permissions = 0700
max_connections = 1000
password_encryption = 'scram-sha-256'
EOF
    # The socket (reachable only by its owner, see above) is trusted; TCP
    # always needs a password, so services authenticate like in production.
    as_pg_owner tee "$data/pg_hba.conf" >/dev/null <<'EOF'
# Generated by deploy/local/lib.sh at each start; edits are overwritten.
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 trust
host    all       all   127.0.0.1/32  scram-sha-256
EOF

    info "Starting PostgreSQL on 127.0.0.1:$port (log: $logfile)"
    as_pg_owner "$bin/pg_ctl" start -w -t 60 -D "$data" -l "$logfile" >/dev/null ||
      { show_log_tail "$logfile"; die "PostgreSQL did not start; see $logfile"; }
  fi

  # Every start re-applies the admin role and database: cheap, idempotent, and
  # keeps the role's password equal to secrets.env. The password goes through
  # stdin, never through a command line.
  load_secrets "$dir"
  printf '%s\n' \
    "SELECT 'CREATE ROLE dialogue_admin' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dialogue_admin')\\gexec" \
    "ALTER ROLE dialogue_admin WITH LOGIN SUPERUSER PASSWORD '$DIALOGUE_ADMIN_PASSWORD';" \
    "SELECT 'CREATE DATABASE dialogue OWNER dialogue_admin' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'dialogue')\\gexec" |
    pg_psql_local "$dir" "$port" >/dev/null ||
    die "could not create the dialogue_admin role / dialogue database (log: $logfile)"
  info "PostgreSQL ready on 127.0.0.1:$port in $((SECONDS - started))s"
}

# stop_postgres DIR: fast shutdown (rolls back open transactions); data kept.
stop_postgres() {
  local dir=$1 data=$1/pg/data bin
  pg_is_running "$dir" || return 0
  bin=$(pg_bin_dir "$data")
  info "Stopping PostgreSQL ($data)"
  as_pg_owner "$bin/pg_ctl" stop -w -t 60 -m fast -D "$data" >/dev/null ||
    warn "PostgreSQL in $data did not stop cleanly"
}

# ---------------------------------------------------------------------------
# RabbitMQ

# Besides AMQP, an Erlang node needs an epmd port (node name registry), a
# distribution port (node to node, and CLI to node) and a few ports for the
# CLI tools. All are derived from the AMQP port so that instances on
# different AMQP ports never collide: a block of 12 ports starting at
# PORT-10000 (or PORT+20000 for ports below 20000, RabbitMQ's own offset).
# Prints "<dist port> <epmd port> <cli min> <cli max>".
rabbitmq_side_ports() {
  local port=$1 base
  if ((port >= 20000)); then base=$((port - 10000)); else base=$((port + 20000)); fi
  ((base + 11 <= 65535)) || die "AMQP port $port leaves no room for RabbitMQ's side ports"
  printf '%s %s %s %s\n' "$base" $((base + 1)) $((base + 2)) $((base + 11))
}

# write_rabbitmq_env DIR PORT [TLS_PORT]: writes DIR/rabbitmq/rabbitmq.env,
# the environment that points both the server and the CLI tools at this
# instance (sourced by start_rabbitmq and by the generated DIR/bin wrappers),
# and the wrappers themselves.
write_rabbitmq_env() {
  local dir=$1 port=$2 tls_port=${3:-} rdir=$1/rabbitmq ports dist epmd cli_min cli_max
  ports=$(rabbitmq_side_ports "$port")
  read -r dist epmd cli_min cli_max <<<"$ports"
  {
    echo "# Generated by deploy/local/lib.sh: environment of the RabbitMQ node of this folder."
    printf 'export %s=%q\n' \
      DIALOGUE_AMQP_PORT "$port" \
      HOME "$rdir/home" \
      RABBITMQ_NODENAME "dialogue-$port@localhost" \
      RABBITMQ_DIST_PORT "$dist" \
      ERL_EPMD_PORT "${DIALOGUE_RABBITMQ_EPMD_PORT:-$epmd}" \
      ERL_EPMD_ADDRESS 127.0.0.1 \
      RABBITMQ_CTL_DIST_PORT_MIN "$cli_min" \
      RABBITMQ_CTL_DIST_PORT_MAX "$cli_max" \
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS "-kernel inet_dist_use_interface {127,0,0,1}" \
      RABBITMQ_MNESIA_BASE "$rdir/mnesia" \
      RABBITMQ_LOG_BASE "$rdir/log" \
      RABBITMQ_PID_FILE "$rdir/rabbitmq.pid" \
      RABBITMQ_ENABLED_PLUGINS_FILE "$rdir/enabled_plugins" \
      RABBITMQ_CONFIG_FILE "$rdir/rabbitmq.conf" \
      RABBITMQ_ADVANCED_CONFIG_FILE "$rdir/advanced.config" \
      RABBITMQ_CONF_ENV_FILE "$rdir/rabbitmq-env.conf"
    # Only with TLS, so that start_rabbitmq reads "no TLS" as an empty value.
    if [[ -n $tls_port ]]; then
      printf 'export %s=%q\n' DIALOGUE_AMQPS_PORT "$tls_port"
    fi
  } >"$rdir/rabbitmq.env"

  # CLI wrappers, so tests and people can run e.g. `DIR/bin/rabbitmqctl stop_app`.
  local tool
  mkdir -p "$dir/bin"
  for tool in rabbitmqctl rabbitmq-diagnostics; do
    cat >"$dir/bin/$tool" <<EOF
#!/usr/bin/env bash
# Generated by deploy/local/lib.sh: $tool for the RabbitMQ node of $dir.
set -euo pipefail
source $(printf '%q' "$rdir/rabbitmq.env")
exec $RABBITMQ_SCRIPTS/$tool "\$@"
EOF
    chmod 755 "$dir/bin/$tool"
  done
}

# make_certificate FOLDER NAME SUBJECT ISSUER EXTENSION...: a new RSA key
# FOLDER/NAME.key and a certificate FOLDER/NAME.pem valid 30 days, with the
# given X.509v3 extension lines, signed by the CA FOLDER/ISSUER.{pem,key}, or
# self-signed when ISSUER is empty. openssl's chatter goes to FOLDER/openssl.log.
# The extensions come only from our lines (`x509 -req -extfile`), never from
# the system's openssl.cnf, so the result is the same on every machine.
make_certificate() {
  local folder=$1 name=$2 subject=$3 issuer=$4 serial signer
  shift 4
  if [[ -n $issuer ]]; then
    signer=(-CA "$folder/$issuer.pem" -CAkey "$folder/$issuer.key")
  else
    signer=(-signkey "$folder/$name.key")
  fi
  # 128 random bits: serial numbers must be unique per CA and at most 20 bytes.
  serial=$(random_hex)
  {
    openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$folder/$name.key" &&
      openssl req -new -key "$folder/$name.key" -subj "$subject" -out "$folder/$name.csr" &&
      openssl x509 -req -in "$folder/$name.csr" "${signer[@]}" -days 30 -sha256 \
        -set_serial "0x${serial:0:32}" -extfile <(printf '%s\n' "$@") -out "$folder/$name.pem"
  } >>"$folder/openssl.log" 2>&1 || return 1
  rm -f "$folder/$name.csr"
}

# ensure_rabbitmq_tls DIR: makes (once) the files of RabbitMQ's TLS listener
# in DIR/rabbitmq/tls: a private CA (ca.pem, ca.key), a server certificate
# for localhost and 127.0.0.1 signed by it (server.pem, server.key), and an
# unrelated CA (other-ca.pem, other-ca.key) that tests trust instead to check
# that a client refuses a server it cannot verify. The set is made again when
# the server certificate expires within a day, so an old folder keeps working.
ensure_rabbitmq_tls() {
  local tls=$1/rabbitmq/tls tmp=$1/rabbitmq/tls.tmp
  if [[ -s $tls/other-ca.pem ]] && openssl x509 -checkend 86400 -noout -in "$tls/server.pem" >/dev/null 2>&1; then
    return 0
  fi
  command -v openssl >/dev/null || die "openssl not found; it makes the certificates of RabbitMQ's TLS listener"
  info "Creating a private CA and a certificate for localhost in $tls"
  # Made in a temporary folder then renamed, so an interrupted run never
  # leaves a half-made set (e.g. a key without its certificate). Only this
  # user (RabbitMQ's and the tests') reads the files, hence umask 077.
  rm -rf "$tmp"
  (umask 077 && mkdir -p "$tmp")
  if ! (
    umask 077
    make_certificate "$tmp" ca "/CN=Dialogue local CA" "" \
      "basicConstraints = critical, CA:TRUE" \
      "keyUsage = critical, keyCertSign, cRLSign" \
      "subjectKeyIdentifier = hash" &&
      make_certificate "$tmp" server "/CN=localhost" ca \
        "basicConstraints = critical, CA:FALSE" \
        "keyUsage = critical, digitalSignature, keyEncipherment" \
        "extendedKeyUsage = serverAuth" \
        "subjectAltName = DNS:localhost, IP:127.0.0.1" \
        "subjectKeyIdentifier = hash" \
        "authorityKeyIdentifier = keyid" &&
      make_certificate "$tmp" other-ca "/CN=Dialogue unrelated CA" "" \
        "basicConstraints = critical, CA:TRUE" \
        "keyUsage = critical, keyCertSign, cRLSign" \
        "subjectKeyIdentifier = hash"
  ); then
    show_log_tail "$tmp/openssl.log"
    die "could not create the TLS certificates in $tmp"
  fi
  rm -rf "$tls"
  mv "$tmp" "$tls"
}

# True when the RabbitMQ node of DIR is running (its Erlang VM is alive).
rabbitmq_is_running() {
  live_pid_from_file "$1/rabbitmq/rabbitmq.pid" beam >/dev/null ||
    live_pid_from_file "$1/rabbitmq/launcher.pid" rabbitmq-server >/dev/null
}

# start_rabbitmq DIR PORT [TLS_PORT]: starts a RabbitMQ node whose files all
# live in DIR/rabbitmq, listening for AMQP on 127.0.0.1:PORT (user
# guest/guest, which RabbitMQ allows from loopback only), no plugins. With
# TLS_PORT, it also listens for AMQP over TLS on 127.0.0.1:TLS_PORT with the
# certificate of ensure_rabbitmq_tls (clients connect to `localhost` and trust
# DIR/rabbitmq/tls/ca.pem; they need no certificate of their own).
start_rabbitmq() {
  local dir=$1 port=$2 tls_port=${3:-} rdir=$1/rabbitmq timeout=${DIALOGUE_RABBITMQ_START_TIMEOUT:-120}
  local started=$SECONDS deadline startup_log node_log listening

  require_port "AMQP port" "$port"
  listening=127.0.0.1:$port
  if [[ -n $tls_port ]]; then
    require_port "AMQP over TLS port" "$tls_port"
    local side_ports dist cli_max
    side_ports=$(rabbitmq_side_ports "$port")
    read -r dist _ _ cli_max <<<"$side_ports"
    ((10#$tls_port != 10#$port)) || die "the AMQP and AMQP over TLS ports must differ (both $port)"
    ((10#$tls_port < dist || 10#$tls_port > cli_max)) ||
      die "AMQP over TLS port $tls_port is one of the ports RabbitMQ derives from AMQP port $port ($dist-$cli_max); choose another"
    listening+=" and TLS on 127.0.0.1:$tls_port"
  fi
  [[ -x $RABBITMQ_SCRIPTS/rabbitmq-server ]] || die "RabbitMQ not found in $RABBITMQ_SCRIPTS (is rabbitmq-server installed?)"
  startup_log=$rdir/log/startup.log
  node_log=$rdir/log/dialogue-$port@localhost.log

  if rabbitmq_is_running "$dir"; then
    local running_port running_tls_port
    running_port=$(sed -n 's/^export DIALOGUE_AMQP_PORT=//p' "$rdir/rabbitmq.env" 2>/dev/null || true)
    [[ $running_port == "$port" ]] ||
      die "RabbitMQ of $dir already runs on port ${running_port:-?}, not $port; stop it first"
    running_tls_port=$(sed -n 's/^export DIALOGUE_AMQPS_PORT=//p' "$rdir/rabbitmq.env" 2>/dev/null || true)
    [[ $running_tls_port == "$tls_port" ]] ||
      die "RabbitMQ of $dir already runs with TLS port ${running_tls_port:-none}, not ${tls_port:-none}; stop it first"
    info "RabbitMQ already running on $listening"
  else
    tcp_port_open "$port" && die "port $port is already in use by another program; choose another AMQP port"
    if [[ -n $tls_port ]] && tcp_port_open "$tls_port"; then
      die "port $tls_port is already in use by another program; choose another AMQP over TLS port"
    fi

    (umask 022 && mkdir -p "$rdir/mnesia" "$rdir/log" "$dir/bin")
    (umask 077 && mkdir -p "$rdir/home")
    # Our own cookie, made before the node starts, so the server and the first
    # CLI call never race to create it.
    if [[ ! -s $rdir/home/.erlang.cookie ]]; then
      local cookie
      # The nodes of a cluster share theirs (start_rabbitmq_cluster).
      cookie=${DIALOGUE_RABBITMQ_COOKIE:-$(random_hex)}
      (umask 077 && echo "${cookie^^}" >"$rdir/home/.erlang.cookie")
      chmod 400 "$rdir/home/.erlang.cookie"
    fi
    cat >"$rdir/rabbitmq.conf" <<EOF
# Generated by deploy/local/lib.sh at each start; edits are overwritten.
listeners.tcp.default = 127.0.0.1:$port
EOF
    # RabbitMQ's Prometheus metrics only when asked for (the fault suite checks the
    # dashboard's and the alerts' queries against them).
    if [[ -n ${DIALOGUE_RABBITMQ_METRICS_PORT:-} ]]; then
      echo '[rabbitmq_prometheus].' >"$rdir/enabled_plugins"
      printf 'prometheus.tcp.ip = 127.0.0.1\nprometheus.tcp.port = %s\n' "$DIALOGUE_RABBITMQ_METRICS_PORT" >>"$rdir/rabbitmq.conf"
    else
      echo '[].' >"$rdir/enabled_plugins"
    fi
    if [[ -n $tls_port ]]; then
      ensure_rabbitmq_tls "$dir"
      # Clients are not asked for a certificate: they log in with a password,
      # as over plain AMQP. The server still proves itself with server.pem.
      cat >>"$rdir/rabbitmq.conf" <<EOF
listeners.ssl.default = 127.0.0.1:$tls_port
ssl_options.cacertfile = $rdir/tls/ca.pem
ssl_options.certfile = $rdir/tls/server.pem
ssl_options.keyfile = $rdir/tls/server.key
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false
EOF
    fi
    write_rabbitmq_env "$dir" "$port" "$tls_port"

    info "Starting RabbitMQ on $listening (log: $node_log)"
    # In a subshell, so the node's HOME and RABBITMQ_* settings stay out of
    # the caller's environment. The server runs in the foreground mode of its
    # script (not -detached) so we keep a pid to watch and its early output.
    (
      # shellcheck source=/dev/null
      source "$rdir/rabbitmq.env"
      spawn_daemon "$rdir/launcher.pid" "$startup_log" "$RABBITMQ_SCRIPTS/rabbitmq-server"
    )
  fi

  # Also when it was already running: it may still be booting. await_startup
  # needs the node to be reachable, so poll it until the timeout, and give up
  # at once if the server process has died.
  deadline=$((SECONDS + timeout))
  until "$dir/bin/rabbitmqctl" -q await_startup --timeout 10 >/dev/null 2>&1; do
    if ! rabbitmq_is_running "$dir"; then
      show_log_tail "$startup_log"
      show_log_tail "$node_log"
      die "RabbitMQ exited during startup; see $node_log and $startup_log"
    fi
    if ((SECONDS >= deadline)); then
      show_log_tail "$node_log"
      die "RabbitMQ did not start within ${timeout}s; see $node_log and $startup_log"
    fi
    sleep 1
  done

  tcp_port_open "$port" || die "RabbitMQ runs but does not accept AMQP connections on 127.0.0.1:$port; see $node_log"
  if [[ -n $tls_port ]]; then
    tcp_port_open "$tls_port" || die "RabbitMQ runs but does not accept TLS connections on 127.0.0.1:$tls_port; see $node_log"
  fi
  info "RabbitMQ ready on $listening in $((SECONDS - started))s"
}

# start_rabbitmq_cluster DIR PORT: a three-node RabbitMQ cluster on this machine, for the
# tests that take a node away. Node i (1-3) lives in DIR/node-i and listens for AMQP on
# 127.0.0.1:PORT+20(i-1) (each node's side ports follow its own, so they never overlap);
# the three share an Erlang cookie and node 1's epmd, and nodes 2 and 3 join node 1
# (`join_cluster`). Quorum queues declared on it get a replica on each node. Its CLI is
# DIR/node-i/bin/rabbitmqctl. Writes DIR/cluster.env (AMQP_CLUSTER_URL, the nodes' names).
start_rabbitmq_cluster() {
  local dir=$1 port=$2 cookie epmd node node_port first_node urls=()
  mkdir -p "$dir"
  if [[ ! -s $dir/cluster.cookie ]]; then
    (umask 077 && random_hex | tr '[:lower:]' '[:upper:]' >"$dir/cluster.cookie")
  fi
  cookie=$(<"$dir/cluster.cookie")
  read -r _ epmd _ _ <<<"$(rabbitmq_side_ports "$port")"
  first_node=dialogue-$port@localhost
  for node in 1 2 3; do
    node_port=$((port + 20 * (node - 1)))
    DIALOGUE_RABBITMQ_EPMD_PORT=$epmd DIALOGUE_RABBITMQ_COOKIE=$cookie start_rabbitmq "$dir/node-$node" "$node_port"
    urls+=("amqp://guest:guest@127.0.0.1:$node_port/")
    if ((node > 1)) && ! "$dir/node-$node/bin/rabbitmqctl" -q cluster_status --formatter json 2>/dev/null | grep -q "$first_node"; then
      info "RabbitMQ node $node joins $first_node"
      "$dir/node-$node/bin/rabbitmqctl" -q stop_app >/dev/null
      "$dir/node-$node/bin/rabbitmqctl" -q join_cluster "$first_node" >/dev/null ||
        die "RabbitMQ node $node could not join $first_node; see $dir/node-$node/rabbitmq/log"
      "$dir/node-$node/bin/rabbitmqctl" -q start_app >/dev/null
      "$dir/node-$node/bin/rabbitmqctl" -q await_startup --timeout 60 >/dev/null
    fi
  done
  {
    printf 'export %s=%q\n' AMQP_CLUSTER_URL "$(IFS=,; echo "${urls[*]}")"
    for node in 1 2 3; do
      printf 'export %s=%q\n' "RABBITMQ_CLUSTER_NODE_$node" "dialogue-$((port + 20 * (node - 1)))@localhost"
    done
  } >"$dir/cluster.env"
  info "RabbitMQ cluster of three nodes ready on 127.0.0.1:$port, $((port + 20)) and $((port + 40))"
}

# stop_rabbitmq_cluster DIR: stops the nodes of start_rabbitmq_cluster.
stop_rabbitmq_cluster() {
  local dir=$1 node
  for node in 3 2 1; do
    [[ -d $dir/node-$node ]] && stop_rabbitmq "$dir/node-$node"
  done
  return 0
}

# stop_rabbitmq DIR: asks the node to shut down; kills it if it does not.
stop_rabbitmq() {
  local dir=$1 rdir=$1/rabbitmq pid
  [[ -f $rdir/rabbitmq.env ]] || return 0
  if rabbitmq_is_running "$dir"; then
    info "Stopping RabbitMQ ($rdir)"
    if ! "$dir/bin/rabbitmqctl" -q shutdown --timeout 60 >/dev/null 2>&1; then
      warn "rabbitmqctl shutdown failed; terminating the RabbitMQ processes"
      if pid=$(live_pid_from_file "$rdir/rabbitmq.pid" beam); then
        terminate_pid "$pid" "RabbitMQ" 30
      fi
    fi
    # The launcher script exits when its VM does; make sure it is gone.
    if pid=$(live_pid_from_file "$rdir/launcher.pid" rabbitmq-server); then
      terminate_pid "$pid" "RabbitMQ launcher" 10
    fi
  fi
  rm -f "$rdir/rabbitmq.pid" "$rdir/launcher.pid"
  # Our private epmd (own port) was started by the node and outlives it.
  # `epmd -kill` refuses while any node is registered, so it cannot hurt a
  # node we do not own.
  (
    # shellcheck source=/dev/null
    source "$rdir/rabbitmq.env"
    epmd -kill >/dev/null 2>&1 || true
  )
}

# ---------------------------------------------------------------------------
# Platform services (the Swift executables of DIALOGUE_SERVICES)

# The HTTP port of service NAME: DIALOGUE_<NAME>_HTTP_PORT, else DEFAULT.
service_http_port() {
  local name=$1 default=$2 var
  var=DIALOGUE_${name//-/_}_HTTP_PORT
  var=${var^^}
  require_port "$var" "${!var:-$default}"
  printf '%s\n' "${!var:-$default}"
}

# The operations port of service NAME (/healthz, /readyz, /metrics). The
# gateway's is DIALOGUE_GATEWAY_OPERATIONS_PORT, else its HTTP port + 100, so
# that instances given ports of their own never share it; any other service
# listens on nothing else, so it is its HTTP port.
service_operations_port() {
  local name=$1 default=$2 port
  port=$(service_http_port "$name" "$default")
  if [[ $name == gateway ]]; then
    port=${DIALOGUE_GATEWAY_OPERATIONS_PORT:-$((port + 100))}
    require_port DIALOGUE_GATEWAY_OPERATIONS_PORT "$port"
  fi
  printf '%s\n' "$port"
}

# start_smtp_sink DIR PORT: a local SMTP server (deploy/local/smtp-sink.py) that
# writes each mail it receives to DIR/mail/*.eml. Extra arguments go to the
# script (e.g. --fail). Debian's interpreter runs it: it has python3-aiosmtpd.
start_smtp_sink() {
  local dir=$1 port=$2 pidfile=$1/pids/smtp-sink.pid deadline
  shift 2
  mkdir -p "$dir/mail" "$dir/pids" "$dir/logs"
  if live_pid_from_file "$pidfile" smtp-sink.py >/dev/null; then
    return 0
  fi
  tcp_port_open "$port" && die "port $port (for the SMTP sink) is already in use by another program"
  info "Starting the SMTP sink on 127.0.0.1:$port (mails in $dir/mail)"
  spawn_daemon "$pidfile" "$dir/logs/smtp-sink.log" /usr/bin/python3 "$DIALOGUE_ROOT/deploy/local/smtp-sink.py" \
    --port "$port" --dir "$dir/mail" "$@"
  deadline=$((SECONDS + 15))
  until tcp_port_open "$port"; do
    if ((SECONDS >= deadline)); then
      show_log_tail "$dir/logs/smtp-sink.log"
      die "the SMTP sink did not start"
    fi
    sleep 0.2
  done
}

# stop_smtp_sink DIR
stop_smtp_sink() {
  local pid
  if pid=$(live_pid_from_file "$1/pids/smtp-sink.pid" smtp-sink.py); then
    terminate_pid "$pid" "SMTP sink" 5
  fi
  rm -f "$1/pids/smtp-sink.pid"
}

# bootstrap_platform DIR BIN PG_PORT AMQP_PORT: creates the schemas, roles and
# broker topology with BIN/dialoguectl. Expects PostgreSQL and RabbitMQ of DIR
# to be running.
bootstrap_platform() {
  local dir=$1 bin=$2 pg_port=$3 amqp_port=$4
  load_secrets "$dir"

  info "Bootstrapping the database (dialoguectl db bootstrap)"
  (
    export DATABASE_ADMIN_URL="postgres://dialogue_admin:$DIALOGUE_ADMIN_PASSWORD@127.0.0.1:$pg_port/dialogue"
    export_db_passwords
    "$bin/dialoguectl" db bootstrap
  ) || die "dialoguectl db bootstrap failed"

  # As the broker's administrator (guest, which RabbitMQ admits from loopback only).
  info "Declaring the broker topology (dialoguectl topology declare)"
  AMQP_URL="amqp://guest:guest@127.0.0.1:$amqp_port/" "$bin/dialoguectl" topology declare ||
    die "dialoguectl topology declare failed"

  # One broker user per service, limited to its exchanges and queues; the passwords
  # (hashed by dialoguectl) go through a pipe, never a file or a command line.
  info "Creating the services' broker users (dialoguectl topology definitions | rabbitmqctl import_definitions)"
  (
    export_amqp_passwords
    "$bin/dialoguectl" topology definitions
  ) | "$dir/bin/rabbitmqctl" -q import_definitions >/dev/null ||
    die "could not create the services' broker users"
}

# start_platform DIR BIN PG_PORT AMQP_PORT [SMTP_PORT]: creates the schemas, roles and
# broker topology with dialoguectl, then starts every service of
# DIALOGUE_SERVICES from BIN in the background and waits until each is ready.
# Expects PostgreSQL and RabbitMQ of DIR to be running.
start_platform() {
  local dir=$1 bin=$2 pg_port=$3 amqp_port=$4 smtp_port=${5:-}
  local row name schema port logfile
  load_secrets "$dir"
  mkdir -p "$dir/logs" "$dir/pids"
  bootstrap_platform "$dir" "$bin" "$pg_port" "$amqp_port"

  for row in "${DIALOGUE_SERVICES[@]}"; do
    read -r name schema port <<<"$row"
    logfile=$dir/logs/$name.log
    # Keep the previous run's log for post-mortems, start a fresh one.
    [[ -f $logfile ]] && mv -f "$logfile" "$logfile.prev"
    start_service "$dir" "$bin" "$pg_port" "$amqp_port" "$smtp_port" "$name"
  done
  for row in "${DIALOGUE_SERVICES[@]}"; do
    read -r name schema port <<<"$row"
    wait_service_ready "$dir" "$name"
  done
}

# The "name schema port" row of DIALOGUE_SERVICES for service NAME.
service_row() {
  local row
  for row in "${DIALOGUE_SERVICES[@]}"; do
    [[ ${row%% *} == "$1" ]] && { printf '%s\n' "$row"; return 0; }
  done
  die "no service named $1"
}

# start_service DIR BIN PG_PORT AMQP_PORT SMTP_PORT NAME: starts one service of the platform
# (also used to restart one, e.g. by the fault suite), its output appended to DIR/logs/NAME.log;
# does not wait for it (wait_service_ready).
start_service() {
  local dir=$1 bin=$2 pg_port=$3 amqp_port=$4 smtp_port=$5 name=$6
  local schema port operations_port password_var amqp_password_var
  read -r _ schema port < <(service_row "$name")
  operations_port=$(service_operations_port "$name" "$port")
  port=$(service_http_port "$name" "$port")
  password_var=DB_PASSWORD_${schema^^}
  amqp_password_var=AMQP_PASSWORD_${schema^^}
  [[ -x $bin/$name ]] || die "$bin/$name not found; did the build produce it?"
  tcp_port_open "$port" && die "port $port (for $name) is already in use by another program"
  tcp_port_open "$operations_port" && die "port $operations_port (for $name) is already in use by another program"
  if [[ $port == "$operations_port" ]]; then
    info "Starting $name on 127.0.0.1:$port"
  else
    info "Starting $name on 127.0.0.1:$port (operations on 127.0.0.1:$operations_port)"
  fi
  # Each service sees only its own database role and broker user: the secrets
  # are exported in a subshell, never put on a command line.
  (
    export DATABASE_URL="postgres://dialogue_$schema:${!password_var}@127.0.0.1:$pg_port/dialogue"
    export AMQP_URL="amqp://dialogue_$schema:${!amqp_password_var}@127.0.0.1:$amqp_port/" OPERATIONS_HOST=127.0.0.1 OPERATIONS_PORT=$operations_port LOG_FORMAT=json
    if [[ $name == gateway ]]; then
      export HTTP_HOST=127.0.0.1 HTTP_PORT=$port
      # Plain HTTP on loopback: cookies cannot be Secure, links point here.
      export GATEWAY_SECRET COOKIE_SECURE=false PUBLIC_BASE_URL="http://127.0.0.1:$port"
    fi
    if [[ $name == notification-worker ]]; then
      # Links in mails lead to this run's gateway.
      export NOTIFICATION_LINK_SECRET PUBLIC_BASE_URL="http://127.0.0.1:$(service_http_port gateway 8080)"
      if [[ -n $smtp_port ]]; then export SMTP_URL="smtp://127.0.0.1:$smtp_port" SMTP_STARTTLS=none; fi
    fi
    spawn_daemon "$dir/pids/$name.pid" "$dir/logs/$name.log" "$bin/$name"
  )
}

# wait_service_ready DIR NAME: waits until service NAME answers on /readyz; fails with the
# tail of its log otherwise.
wait_service_ready() {
  local dir=$1 name=$2 port pid
  read -r _ _ port < <(service_row "$name")
  port=$(service_operations_port "$name" "$port")
  pid=$(<"$dir/pids/$name.pid")
  if ! wait_http "http://127.0.0.1:$port/readyz" 60 "$pid"; then
    show_log_tail "$dir/logs/$name.log" 30
    die "$name is not ready (http://127.0.0.1:$port/readyz); its log: $dir/logs/$name.log"
  fi
  info "$name ready"
}

# stop_platform DIR: stops the services started by start_platform, and only
# them: other daemons of DIR keep their pid files in DIR/pids too (the SMTP
# sink), and a restart of the services must not take them down.
stop_platform() {
  local dir=$1 row name schema port pidfile pid
  [[ -d $dir/pids ]] || return 0
  for row in "${DIALOGUE_SERVICES[@]}"; do
    read -r name schema port <<<"$row"
    pidfile=$dir/pids/$name.pid
    [[ -e $pidfile ]] || continue
    if pid=$(live_pid_from_file "$pidfile" "/$name"); then
      info "Stopping $name (pid $pid)"
      terminate_pid "$pid" "$name" 20
    fi
    rm -f "$pidfile"
  done
}

# stop_services DIR: stops everything of DIR (services, RabbitMQ,
# PostgreSQL); data is kept.
stop_services() {
  local dir=$1
  [[ -d $dir ]] || return 0
  stop_platform "$dir"
  stop_smtp_sink "$dir"
  stop_rabbitmq "$dir"
  stop_postgres "$dir"
}
