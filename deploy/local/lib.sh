# shellcheck shell=bash
# Shared functions for the local infrastructure (PostgreSQL, Kafka, S3Proxy, Ray).
# Sourced by deploy/local/infra.sh and by ./dmlp; expects `set -euo pipefail` in the caller.
#
# Public functions:
#   ensure_prereqs [component...]   check/install java 17+ (JDK), mvn, python3 >= 3.11 + venv, postgresql, curl
#   ensure_wrk                      the HTTP load generator of ./dmlp bench inference (Debian's wrk)
#   ensure_venv                     build $DMLP_VENV from $DMLP_REQUIREMENTS when its stamp differs
#   infra_is_ready <component>      quick real readiness probe (exit 0 = up)
#   infra_start|infra_stop <component...>, infra_status
#   infra_pids <component>          every live process of ours for the component
#   ray_token                       prints the Ray bearer token (creates it on first use)
#   ray_env, ray_cli <args>         client environment for this Ray cluster / the venv's ray CLI with it
#   rss_of_pid <pid>, rss_of_pids <pid...>   resident set size in KiB
#   wait_for_http <url> <timeout> [curl args...]
# Components: postgres kafka s3 ray.

[[ -n ${DMLP_LIB_LOADED:-} ]] && return 0
DMLP_LIB_LOADED=1

DMLP_LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# shellcheck source=deploy/local/env.sh
source "$DMLP_LOCAL_DIR/env.sh"

DMLP_COMPONENTS=(postgres kafka s3 ray)
# Identifies this clone's processes: every process we start carries DMLP_INFRA_TAG=<id>/<component>
# in its environment, so stop/status can find exactly ours (never by process name).
DMLP_INFRA_ID="$(printf '%s' "$DMLP_DATA" | sha256sum | cut -c1-12)"

# ---------------------------------------------------------------------------------------------
# Generic helpers
# ---------------------------------------------------------------------------------------------

info() { printf '%s\n' "$*"; }
warn() { printf 'WARN: %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

_is_root() { [[ $(id -u) -eq 0 ]]; }

# Run a command as root (directly, or through passwordless sudo).
_as_root() {
  if _is_root; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo -n "$@"
  else die "needs root to run: $* (run it yourself, then retry)"
  fi
}

_DMLP_APT_UPDATED=
apt_install() {
  info "installing with apt-get: $*"
  if [[ -z $_DMLP_APT_UPDATED ]]; then
    _as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    _DMLP_APT_UPDATED=1
  fi
  _as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# Resident set size in KiB of one process (0 when it is gone).
rss_of_pid() {
  local rss
  rss=$(ps -o rss= -p "$1" 2>/dev/null | tr -d ' ') || true
  echo "${rss:-0}"
}

# Sum of the RSS of several processes, in KiB (shared pages are counted once per process).
rss_of_pids() {
  local total=0 p
  for p in "$@"; do total=$((total + $(rss_of_pid "$p"))); done
  echo "$total"
}

# A live process (a zombie, killed but not yet reaped by its parent, does not count).
_pid_alive() {
  [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null || return 1
  [[ $(ps -o stat= -p "$1" 2>/dev/null) != Z* ]]
}

# TCP port accepting connections on 127.0.0.1 (bash's /dev/tcp: no extra tool, instant refusal).
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Who listens on a port, for error hints (empty when unknown).
_port_owner() {
  command -v ss >/dev/null || return 0
  ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'users:(([^)]*))' | head -1 || true
}

# wait_for_http <url> <timeout-seconds> [extra curl args...]: 0 once the URL answers 2xx.
wait_for_http() {
  local url=$1 timeout=$2; shift 2
  local deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    curl -fsS -o /dev/null -m 2 "$@" "$url" 2>/dev/null && return 0
    sleep 0.5
  done
  return 1
}

_sha() { sha256sum "$@" | cut -d' ' -f1; }

_pidfile() { echo "$DMLP_RUN/$1.pid"; }
_read_pid() {
  local f
  f=$(_pidfile "$1")
  if [[ -s $f ]]; then cat "$f"; fi
}

_tag() { echo "$DMLP_INFRA_ID/$1"; }

# Every live process whose environment carries our tag for <component>, plus their descendants
# (some children rewrite their environment area, e.g. Ray workers' process titles).
infra_pids() {
  local tag files roots=() p
  tag=$(_tag "$1")
  files=$(grep -lszx -- "DMLP_INFRA_TAG=$tag" /proc/[0-9]*/environ 2>/dev/null || true)
  for p in $files; do p=${p#/proc/}; p=${p%/environ}; [[ $p != "$$" && $p != "$BASHPID" ]] && roots+=("$p"); done
  ((${#roots[@]})) || return 0
  # Add descendants of the tagged processes. "if", not "&&", below: a process that ended since ps listed it must
  # not fail the pipeline, and with it under set -e the caller (`pids=$(infra_pids ray)` exited a restart silently).
  ps -e -o pid=,ppid= | awk -v roots="${roots[*]}" '
    BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) keep[r[i]] = 1 }
    { parent[$1] = $2; pids[NR] = $1 }
    END {
      changed = 1
      while (changed) { changed = 0
        for (i in pids) { p = pids[i]; if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; changed = 1 } } }
      for (p in keep) print p
    }' | while read -r p; do if _pid_alive "$p"; then echo "$p"; fi; done | sort -n
}

# start_detached <component> <log> <command...>: run in a new session, stdin from /dev/null,
# output appended to <log>, tagged; survives the calling shell. Writes $DMLP_RUN/<component>.pid.
start_detached() {
  local c=$1 log=$2; shift 2
  local pidfile i
  pidfile=$(_pidfile "$c")
  rm -f "$pidfile"
  # The wrapper shell records its own pid and then becomes the command (exec): the pid is exact.
  # shellcheck disable=SC2016 # $$ and $@ belong to the inner shell
  DMLP_INFRA_TAG="$(_tag "$c")" setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" \
    </dev/null >>"$log" 2>&1 &
  for i in {1..50}; do [[ -s $pidfile ]] && return 0; sleep 0.1; done
  die "$c: could not launch $1"
}

# SIGTERM, wait up to <grace> seconds, then SIGKILL. Succeeds when the process is gone.
stop_pid() {
  local pid=$1 grace=${2:-15} i
  _pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do _pid_alive "$pid" || return 0; sleep 0.1; done
  warn "pid $pid did not exit after ${grace}s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for i in {1..50}; do _pid_alive "$pid" || return 0; sleep 0.1; done
  return 1
}

# Kill whatever is left of a component (by our tag), after its normal stop.
_kill_leftovers() {
  local c=$1 pids p i
  pids=$(infra_pids "$c")
  [[ -z $pids ]] && return 0
  warn "$c: killing leftover processes: ${pids//$'\n'/ }"
  for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
  # A killed process with much memory mapped (Ray's object store) can take seconds to go on a busy machine.
  for ((i = 0; i < 100; i++)); do
    pids=$(infra_pids "$c")
    [[ -n $pids ]] || return 0
    sleep 0.1
  done
  die "$c: processes still alive 10s after SIGKILL: ${pids//$'\n'/ }"
}

# Print the readiness failure and return 1.
_fail_ready() {
  local c=$1 timeout=$2 log=$3 why=${4:-} owner
  printf 'ERROR: %s did not become ready in %ss; see %s%s\n' "$c" "$timeout" "$log" "${why:+ ($why)}" >&2
  if [[ -f $log ]]; then
    printf -- '--- last 20 lines of %s ---\n' "$log" >&2
    tail -n 20 "$log" >&2
    printf -- '---\n' >&2
  fi
  owner=$(_port_owner "$(_port "$c")")
  [[ -n $owner ]] && printf 'hint: 127.0.0.1:%s is held by %s\n' "$(_port "$c")" "$owner" >&2
  return 1
}

_port() {
  case $1 in
    postgres) echo "$DMLP_PG_PORT" ;;
    kafka) echo "$DMLP_KAFKA_PORT" ;;
    s3) echo "$DMLP_S3_PORT" ;;
    ray) echo "$DMLP_RAY_DASHBOARD_PORT" ;;
  esac
}

# Every fixed port a component listens on.
_ports() {
  case $1 in
    postgres) echo "$DMLP_PG_PORT" ;;
    kafka) echo "$DMLP_KAFKA_PORT $DMLP_KAFKA_CONTROLLER_PORT" ;;
    s3) echo "$DMLP_S3_PORT" ;;
    ray) echo "$DMLP_RAY_DASHBOARD_PORT $DMLP_RAY_GCS_PORT $DMLP_RAY_CLIENT_PORT $DMLP_RAY_AGENT_PORT" ;;
  esac
}

_log() {
  case $1 in
    postgres) echo "$DMLP_LOGS/postgres.log" ;;
    kafka) echo "$DMLP_LOGS/kafka.log" ;;
    s3) echo "$DMLP_LOGS/s3proxy.log" ;;
    ray) echo "$DMLP_LOGS/ray.log" ;;
  esac
}

_check_component() {
  case ${1:-} in
    postgres | kafka | s3 | ray) ;;
    *) die "unknown component '${1:-}' (known: ${DMLP_COMPONENTS[*]})" ;;
  esac
}

_dirs() { mkdir -p "$DMLP_DATA" "$DMLP_LOGS" "$DMLP_RUN" "$DMLP_CACHE"; }

# _run_strict <function> [args...]: run a function of this file in a new bash with
# `set -euo pipefail`. Bash ignores `set -e` inside anything called from an if/&&/|| context
# (subshells included); a new process restores it, so a failing step really stops that start.
_run_strict() {
  # shellcheck disable=SC2016 # expanded by the inner shell
  bash -c 'set -euo pipefail; source "$0"; "$@"' "$DMLP_LOCAL_DIR/lib.sh" "$@"
}

# ---------------------------------------------------------------------------------------------
# Prerequisites
# ---------------------------------------------------------------------------------------------

_java_major() {
  java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ { print $2 }'
}

_ensure_java() {
  local v
  if command -v java >/dev/null && command -v javac >/dev/null; then
    v=$(_java_major)
    if [[ ${v%%.*} -ge 17 ]]; then return 0; fi
    warn "java $v found, need 17+"
  fi
  # A JDK, not a JRE: KafkaAdmin.java runs in source-launch mode, which needs the compiler.
  apt_install openjdk-17-jdk-headless
  v=$(_java_major)
  [[ ${v%%.*} -ge 17 ]] || die "java 17+ is required (found ${v:-none} first on PATH)"
}

_ensure_mvn() { command -v mvn >/dev/null || apt_install maven; }
_ensure_curl() { command -v curl >/dev/null || apt_install curl ca-certificates; }
ensure_wrk() { command -v wrk >/dev/null || apt_install wrk; }
# The console's build (console/) needs Node.js 20 or newer and npm (Vite 8); Debian's nodejs is older.
ensure_node() {
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || major=0
  ((major >= 20)) && command -v npm >/dev/null ||
    die "the console needs Node.js 20 or newer with npm on PATH (found: $(node -v 2>/dev/null || echo none))"
}
# The console's browser tests drive Debian's Chromium headless (playwright-core downloads no browser).
ensure_chromium() { [[ -x /usr/bin/chromium ]] || apt_install chromium; }

# kustomize, built from the Go module proxy into the shared cache (Go from the machine, or Debian's golang-go):
# renders deploy/k8s's overlays for their check in ./dmlp test. Prints the binary's path.
DMLP_KUSTOMIZE_VERSION=${DMLP_KUSTOMIZE_VERSION:-v5.7.1}
ensure_kustomize() {
  local bin="$DMLP_CACHE/go-bin/kustomize-$DMLP_KUSTOMIZE_VERSION"
  if [[ ! -x $bin ]]; then
    command -v go >/dev/null || apt_install golang-go
    info "building kustomize $DMLP_KUSTOMIZE_VERSION (go install)" >&2
    mkdir -p "$DMLP_CACHE/go-bin"
    GOBIN="$DMLP_CACHE/go-bin/tmp-$$" go install "sigs.k8s.io/kustomize/kustomize/v5@$DMLP_KUSTOMIZE_VERSION" >&2 ||
      die "go install of kustomize $DMLP_KUSTOMIZE_VERSION failed"
    mv "$DMLP_CACHE/go-bin/tmp-$$/kustomize" "$bin" && rmdir "$DMLP_CACHE/go-bin/tmp-$$"
  fi
  echo "$bin"
}

# The interpreter's real path (resolves pyenv shims), or fails.
_python_exe() {
  local py
  py=$(command -v "$DMLP_PYTHON") || return 1
  "$py" -c 'import sys; print(sys.executable)'
}

# The pinned requirements need Python >= 3.11 (numpy 2.4, pandas 2.3, ...).
_python_new_enough() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; }
# `python -m venv` needs ensurepip, which Debian ships separately (python3-venv).
_python_has_venv() { "$1" -c 'import venv, ensurepip' 2>/dev/null; }

_ensure_python() {
  local py
  py=$(_python_exe 2>/dev/null) || { apt_install python3 python3-venv; py=$(_python_exe) || die "no '$DMLP_PYTHON' on PATH"; }
  _python_new_enough "$py" || die "$py is Python $("$py" -V 2>&1 | cut -d' ' -f2); the pinned requirements need >= 3.11: set DMLP_PYTHON"
  _python_has_venv "$py" || apt_install python3-venv
  _python_has_venv "$py" || die "$py has no venv/ensurepip module (install python3-venv or set DMLP_PYTHON)"
}

# The PostgreSQL bin directory (initdb, pg_ctl, psql), or fails.
pg_bindir() {
  local d
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    d=$(dirname "$(readlink -f "$(command -v pg_ctl)")")
    [[ -x $d/initdb && -x $d/psql ]] && { echo "$d"; return 0; }
  fi
  # Debian keeps the server binaries off PATH; take the newest installed major version.
  for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
    [[ -x $d/initdb && -x $d/pg_ctl && -x $d/psql ]] && { echo "$d"; return 0; }
  done
  return 1
}

_ensure_postgres_bin() {
  pg_bindir >/dev/null && return 0
  apt_install postgresql
  pg_bindir >/dev/null || die "PostgreSQL binaries not found after installing postgresql"
}

# ensure_prereqs [component...] (default: all components)
ensure_prereqs() {
  local c need_java='' need_py='' need_pg=
  (($#)) || set -- "${DMLP_COMPONENTS[@]}"
  command -v ps >/dev/null || apt_install procps
  _ensure_curl
  for c in "$@"; do
    _check_component "$c"
    case $c in
      postgres) need_pg=1 ;;
      kafka | s3) need_java=1 ;;
      ray) need_py=1 ;;
    esac
  done
  [[ -z $need_pg ]] || _ensure_postgres_bin
  [[ -z $need_java ]] || { _ensure_java; _ensure_mvn; }
  [[ -z $need_py ]] || _ensure_python
}

# ---------------------------------------------------------------------------------------------
# Python virtualenv (shared between clones, in $DMLP_CACHE)
# ---------------------------------------------------------------------------------------------

# Stamp = sha256 of requirements.txt + the interpreter version: rebuild when either changes.
_venv_wanted_stamp() {
  local py=$1
  echo "$(_sha "$DMLP_REQUIREMENTS") $("$py" -c 'import platform; print(platform.python_version())')"
}

ensure_venv() {
  local py want stamp="$DMLP_VENV/.dmlp-stamp" log="$DMLP_LOGS/venv-install.log"
  _dirs
  py=$(_python_exe) || die "no '$DMLP_PYTHON' on PATH (run ensure_prereqs ray)"
  want=$(_venv_wanted_stamp "$py")
  if [[ -x $DMLP_VENV/bin/python && -f $stamp && $(<"$stamp") == "$want" ]]; then return 0; fi
  # One builder at a time across clones sharing the cache; re-check after taking the lock.
  (
    flock 9
    if [[ -x $DMLP_VENV/bin/python && -f $stamp && $(<"$stamp") == "$want" ]]; then exit 0; fi
    [[ -z $(infra_pids ray) ]] || warn "ray is running from the venv being rebuilt; restart it afterwards"
    info "building the Python virtualenv $DMLP_VENV from $DMLP_REQUIREMENTS ($py; log: $log)"
    local t0=$SECONDS
    rm -rf "$DMLP_VENV"
    if ! { "$py" -m venv "$DMLP_VENV" &&
      "$DMLP_VENV/bin/python" -m pip install --no-input --progress-bar off -r "$DMLP_REQUIREMENTS"; } >"$log" 2>&1; then
      tail -n 20 "$log" >&2
      rm -rf "$DMLP_VENV" # never leave a half-built venv that looks usable
      die "pip install -r $DMLP_REQUIREMENTS failed; see $log"
    fi
    echo "$want" >"$stamp"
    info "virtualenv ready in $((SECONDS - t0))s"
  ) 9>"$DMLP_CACHE/venv.lock" || return 1
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------

# Resolves PG_DATA_DIR and PG_SOCK_DIR. As root the server runs as the `postgres` OS user, which
# must be able to reach the directories: when the clone lives under a private directory (e.g.
# /root, mode 700) the cluster goes to /var/tmp/dmlp-<id>/ instead, with $DMLP_DATA/pg a symlink.
_pg_paths() {
  [[ -n ${PG_DATA_DIR:-} ]] && return 0
  _dirs
  if [[ -L $DMLP_DATA/pg ]]; then
    PG_DATA_DIR=$(readlink "$DMLP_DATA/pg")
    PG_SOCK_DIR=$(dirname "$PG_DATA_DIR")/pgsock
  elif _is_root && ! runuser -u postgres -- test -x "$DMLP_DATA" 2>/dev/null; then
    local base="/var/tmp/dmlp-$DMLP_INFRA_ID"
    mkdir -p "$base"
    chmod 755 "$base"
    PG_DATA_DIR="$base/pg"
    PG_SOCK_DIR="$base/pgsock"
    [[ -e $DMLP_DATA/pg ]] || ln -s "$PG_DATA_DIR" "$DMLP_DATA/pg"
  else
    PG_DATA_DIR="$DMLP_DATA/pg"
    PG_SOCK_DIR="$DMLP_RUN/pgsock"
  fi
  # A unix socket path is limited to 107 bytes (".s.PGSQL.<port>" adds 15).
  if ((${#PG_SOCK_DIR} > 90)); then PG_SOCK_DIR="/tmp/dmlp-$DMLP_INFRA_ID-pgsock"; fi
}

# Run as the postgres OS user when we are root (the server refuses to run as root).
_pg_run() {
  if _is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

_pg_own() { if _is_root; then chown postgres:postgres "$@"; fi; }

# psql as the superuser over our private unix socket, authenticated by peer: only the OS user that runs
# the server (see dmlp_ident.conf) is the superuser; everyone else needs a password.
_pg_super_psql() {
  local bin
  bin=$(pg_bindir)
  PGCONNECT_TIMEOUT=2 _pg_run "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK_DIR" -p "$DMLP_PG_PORT" -U postgres -d postgres "$@"
}

# The OS user the server runs as: `postgres` when we are root, ourselves otherwise.
_pg_os_user() { if _is_root; then echo postgres; else id -un; fi; }

# Client authentication, rewritten on every start so that clusters made by older versions of this script
# (which trusted every local OS user) are tightened too: peer for the superuser, passwords (SCRAM) for
# every other connection, over the socket as over TCP.
_pg_write_auth() {
  printf '%s\n' '# Written by deploy/local/lib.sh on every start.' \
    'local   all   postgres                 peer   map=dmlp' \
    'local   all   all                      scram-sha-256' \
    'host    all   all        127.0.0.1/32  scram-sha-256' >"$PG_DATA_DIR/dmlp_hba.conf"
  printf '%s\n' '# Written by deploy/local/lib.sh on every start.' "dmlp   $(_pg_os_user)   postgres" \
    >"$PG_DATA_DIR/dmlp_ident.conf"
  chmod 600 "$PG_DATA_DIR/dmlp_hba.conf" "$PG_DATA_DIR/dmlp_ident.conf"
  _pg_own "$PG_DATA_DIR/dmlp_hba.conf" "$PG_DATA_DIR/dmlp_ident.conf"
}

_ready_postgres() {
  local bin
  bin=$(pg_bindir 2>/dev/null) || return 1
  port_open "$DMLP_PG_PORT" || return 1
  [[ $(PGPASSWORD=$DMLP_DB_PASSWORD PGCONNECT_TIMEOUT=2 PGSSLMODE=disable \
    "$bin/psql" -X -A -t -q -h 127.0.0.1 -p "$DMLP_PG_PORT" -U "$DMLP_DB_USER" -d postgres \
    -c 'SELECT 1' 2>/dev/null) == 1 ]]
}

_pg_initdb() {
  local bin=$1 log=$2
  info "postgres: initializing a new cluster in $PG_DATA_DIR"
  mkdir -p "$PG_DATA_DIR"
  chmod 700 "$PG_DATA_DIR"
  _pg_own "$PG_DATA_DIR"
  # The authentication in force is dmlp_hba.conf (_pg_write_auth); initdb's own pg_hba.conf trusts nobody.
  _pg_run "$bin/initdb" -D "$PG_DATA_DIR" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >>"$log" 2>&1 || { tail -n 20 "$log" >&2; die "postgres: initdb failed; see $log"; }
  echo "include_if_exists = 'dmlp.conf'" >>"$PG_DATA_DIR/postgresql.conf"
}

_pg_bootstrap() {
  local dbs=() d
  for d in $DMLP_DATABASES; do dbs+=("$d" "${d}_test"); done
  _pg_super_psql -v user="$DMLP_DB_USER" -v pw="$DMLP_DB_PASSWORD" -v dbs="${dbs[*]}" >/dev/null <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB', :'user')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
ALTER ROLE :"user" LOGIN CREATEDB PASSWORD :'pw';
SELECT format('CREATE DATABASE %I OWNER %I', d, :'user')
  FROM unnest(string_to_array(:'dbs', ' ')) AS d
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = d) \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', d, :'user')
  FROM unnest(string_to_array(:'dbs', ' ')) AS d \gexec
SQL
}

_start_postgres() {
  local bin log timeout deadline pid t0=$SECONDS
  bin=$(pg_bindir)
  log=$(_log postgres)
  timeout=$DMLP_PG_TIMEOUT
  _pg_paths
  [[ -f $PG_DATA_DIR/PG_VERSION ]] || _pg_initdb "$bin" "$log"
  local have want
  have=$(<"$PG_DATA_DIR/PG_VERSION")
  want=$("$bin/postgres" --version | awk '{ print $NF }' | cut -d. -f1)
  [[ $have == "$want" ]] || die "postgres: cluster $PG_DATA_DIR is version $have but the binaries are $want"
  # After a crash the old postmaster may linger as a zombie until its parent reaps it; the new
  # server refuses to start while the PID in postmaster.pid exists at all.
  local old i
  old=$(head -1 "$PG_DATA_DIR/postmaster.pid" 2>/dev/null || true)
  if [[ -n $old ]] && ! _pid_alive "$old"; then
    for i in {1..100}; do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
  fi
  # The socket directory is private to the server's OS user (and root).
  mkdir -p "$PG_SOCK_DIR"
  chmod 700 "$PG_SOCK_DIR"
  _pg_own "$PG_SOCK_DIR"
  _pg_write_auth
  # Settings that follow env.sh are rewritten on every start.
  cat >"$PG_DATA_DIR/dmlp.conf" <<EOF
# Written by deploy/local/lib.sh on every start (values from deploy/local/env.sh).
listen_addresses = '127.0.0.1'
port = $DMLP_PG_PORT
unix_socket_directories = '$PG_SOCK_DIR'
hba_file = '$PG_DATA_DIR/dmlp_hba.conf'
ident_file = '$PG_DATA_DIR/dmlp_ident.conf'
password_encryption = 'scram-sha-256'
# Six services plus their test suites, each with its own pool.
max_connections = 200
EOF
  _pg_own "$PG_DATA_DIR/dmlp.conf"
  info "postgres: starting on 127.0.0.1:$DMLP_PG_PORT"
  # pg_ctl forks the postmaster into its own session; no -l: the postmaster inherits our log file.
  DMLP_INFRA_TAG="$(_tag postgres)" _pg_run "$bin/pg_ctl" -D "$PG_DATA_DIR" -W start \
    </dev/null >>"$log" 2>&1 || { _fail_ready postgres "$timeout" "$log" "pg_ctl start failed"; return 1; }
  deadline=$((t0 + timeout))
  local launched=$SECONDS
  # Phase 1: the server answers on our socket; phase 2: role + databases; phase 3: the real probe.
  # pg_ctl -W returns before the postmaster writes its pid file: judge "exited" only from a pid seen,
  # and only after a grace period counted from the launch (not from initdb, which may take seconds).
  until _pg_super_psql -c 'SELECT 1' >/dev/null 2>&1; do
    pid=$(head -1 "$PG_DATA_DIR/postmaster.pid" 2>/dev/null || true)
    if ((SECONDS >= deadline)); then _fail_ready postgres "$timeout" "$log"; return 1; fi
    if ((SECONDS - launched > 5)) && ! _pid_alive "$pid"; then
      _fail_ready postgres "$timeout" "$log" "the server exited after $((SECONDS - launched))s"
      return 1
    fi
    sleep 0.2
  done
  head -1 "$PG_DATA_DIR/postmaster.pid" >"$(_pidfile postgres)"
  _pg_bootstrap || { _fail_ready postgres "$timeout" "$log" "creating role/databases failed"; return 1; }
  until _ready_postgres; do
    if ((SECONDS >= deadline)); then _fail_ready postgres "$timeout" "$log"; return 1; fi
    sleep 0.2
  done
  info "postgres: ready in $((SECONDS - t0))s (pid $(_read_pid postgres), log $log)"
}

_stop_postgres() {
  local bin
  _pg_paths
  bin=$(pg_bindir 2>/dev/null) || { _kill_leftovers postgres; return 0; }
  if [[ -f $PG_DATA_DIR/postmaster.pid ]] && _pg_run "$bin/pg_ctl" -D "$PG_DATA_DIR" status >/dev/null 2>&1; then
    info "postgres: stopping"
    _pg_run "$bin/pg_ctl" -D "$PG_DATA_DIR" -m fast -w -t 30 stop >>"$(_log postgres)" 2>&1 ||
      _pg_run "$bin/pg_ctl" -D "$PG_DATA_DIR" -m immediate -w -t 10 stop >>"$(_log postgres)" 2>&1 || true
  fi
  _kill_leftovers postgres
  rm -f "$(_pidfile postgres)"
}

# ---------------------------------------------------------------------------------------------
# Kafka (KRaft broker + controller from Maven Central jars)
# ---------------------------------------------------------------------------------------------

# Prints the broker classpath, resolved by Maven once per pom.xml content (cached in $DMLP_CACHE).
kafka_classpath() {
  local pom="$DMLP_LOCAL_DIR/kafka/pom.xml" f jar ok=1
  f="$DMLP_CACHE/kafka/classpath-$(_sha "$pom" | cut -c1-16).txt"
  if [[ -s $f ]]; then
    # The jars live in ~/.m2: re-resolve if any was deleted.
    local IFS=:
    for jar in $(<"$f"); do [[ -f $jar ]] || { ok=; break; }; done
    unset IFS
    [[ -n $ok ]] && { cat "$f"; return 0; }
  fi
  mkdir -p "$DMLP_CACHE/kafka" "$DMLP_LOGS"
  (
    flock 9
    info "kafka: resolving the broker classpath with Maven (once)" >&2
    mvn -q -B -f "$pom" dependency:build-classpath -Dmdep.outputFile="$f.tmp" >"$DMLP_LOGS/maven-kafka.log" 2>&1 ||
      { tail -n 20 "$DMLP_LOGS/maven-kafka.log" >&2; die "kafka: Maven could not resolve $pom; see $DMLP_LOGS/maven-kafka.log"; }
    mv "$f.tmp" "$f"
  ) 9>"$DMLP_CACHE/kafka.lock" || return 1
  cat "$f"
}

# kafka_admin <timeout-ms> [topic...]: DescribeCluster (+ create missing topics) via KafkaAdmin.java.
kafka_admin() {
  local cp
  cp=$(kafka_classpath)
  java -Xmx96m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto \
    -Dlog4j2.configurationFile="$DMLP_LOCAL_DIR/kafka/log4j2-tools.xml" \
    -cp "$cp" "$DMLP_LOCAL_DIR/kafka/KafkaAdmin.java" "$DMLP_KAFKA_BOOTSTRAP" "$@"
}

_ready_kafka() {
  port_open "$DMLP_KAFKA_PORT" || return 1
  command -v java >/dev/null || return 1
  kafka_admin 3000 >/dev/null 2>&1
}

_kafka_render_config() {
  local dir="$DMLP_DATA/kafka"
  mkdir -p "$dir/data"
  sed -e "s|@PORT@|$DMLP_KAFKA_PORT|g" -e "s|@CONTROLLER_PORT@|$DMLP_KAFKA_CONTROLLER_PORT|g" \
    -e "s|@LOG_DIRS@|$dir/data|g" "$DMLP_LOCAL_DIR/kafka/server.properties.template" >"$dir/server.properties"
}

_start_kafka() {
  local cp log dir="$DMLP_DATA/kafka" timeout=$DMLP_KAFKA_TIMEOUT t0=$SECONDS deadline pid out
  log=$(_log kafka)
  cp=$(kafka_classpath)
  _kafka_render_config
  # Format the storage once; the cluster id is kept beside it.
  if [[ ! -f $dir/data/meta.properties ]]; then
    [[ -s $dir/cluster.id ]] || java -cp "$cp" kafka.tools.StorageTool random-uuid 2>>"$log" | tail -1 >"$dir/cluster.id"
    info "kafka: formatting storage (cluster id $(<"$dir/cluster.id"))"
    java -cp "$cp" -Dlog4j2.configurationFile="$DMLP_LOCAL_DIR/kafka/log4j2-tools.xml" kafka.tools.StorageTool \
      format -t "$(<"$dir/cluster.id")" -c "$dir/server.properties" >>"$log" 2>&1 ||
      { tail -n 20 "$log" >&2; die "kafka: storage format failed; see $log"; }
  fi
  info "kafka: starting on 127.0.0.1:$DMLP_KAFKA_PORT (controller $DMLP_KAFKA_CONTROLLER_PORT)"
  start_detached kafka "$log" java -Xms128m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$DMLP_LOCAL_DIR/kafka/log4j2.xml" \
    -cp "$cp" kafka.Kafka "$dir/server.properties"
  pid=$(_read_pid kafka)
  deadline=$((t0 + timeout))
  # Cheap port wait first; then one real metadata request (+ topic creation) per attempt.
  while :; do
    if ! _pid_alive "$pid"; then _fail_ready kafka "$timeout" "$log" "the broker exited after $((SECONDS - t0))s"; return 1; fi
    if ((SECONDS >= deadline)); then _fail_ready kafka "$timeout" "$log"; return 1; fi
    if port_open "$DMLP_KAFKA_PORT"; then
      # The admin client retries by itself within its timeout (at most 10 s per attempt).
      local ms=$(((deadline - SECONDS) * 1000))
      ((ms < 1000)) && ms=1000
      ((ms > 10000)) && ms=10000
      # shellcheck disable=SC2086 # the topic list is word-split on purpose
      out=$(kafka_admin "$ms" $DMLP_KAFKA_TOPICS 2>&1) && break
    fi
    sleep 0.3
  done
  [[ -z $out ]] || printf '%s\n' "$out" | sed 's/^/kafka: /'
  info "kafka: ready in $((SECONDS - t0))s (pid $pid, log $log)"
}

_stop_kafka() {
  local pid
  pid=$(_read_pid kafka)
  if _pid_alive "$pid"; then
    info "kafka: stopping (pid $pid)"
    stop_pid "$pid" 30 || true # a controlled shutdown of one node takes a few seconds
  fi
  _kill_leftovers kafka
  rm -f "$(_pidfile kafka)"
}

# ---------------------------------------------------------------------------------------------
# S3 (S3Proxy, filesystem backend)
# ---------------------------------------------------------------------------------------------

s3proxy_jar() {
  local dir="$DMLP_CACHE/s3proxy" jar
  jar="$dir/s3proxy-$DMLP_S3PROXY_VERSION-jar-with-dependencies.jar"
  if [[ ! -s $jar ]]; then
    mkdir -p "$dir" "$DMLP_LOGS"
    (
      flock 9
      [[ -s $jar ]] && exit 0
      info "s3: downloading org.gaul:s3proxy:$DMLP_S3PROXY_VERSION with Maven (once)" >&2
      # -f: our tiny pom pins the dependency plugin and keeps Maven away from the project's own pom.
      mvn -q -B -f "$DMLP_LOCAL_DIR/kafka/pom.xml" dependency:copy \
        -Dartifact="org.gaul:s3proxy:$DMLP_S3PROXY_VERSION:jar:jar-with-dependencies" \
        -DoutputDirectory="$dir" >"$DMLP_LOGS/maven-s3proxy.log" 2>&1 ||
        { tail -n 20 "$DMLP_LOGS/maven-s3proxy.log" >&2; die "s3: Maven could not fetch s3proxy; see $DMLP_LOGS/maven-s3proxy.log"; }
    ) 9>"$DMLP_CACHE/s3proxy.lock" || return 1
  fi
  echo "$jar"
}

# curl with AWS SigV4 (curl >= 7.75). S3Proxy insists on x-amz-content-sha256: the empty-body hash.
_s3_curl() {
  curl -sS -m 3 --aws-sigv4 "aws:amz:$DMLP_S3_REGION:s3" -u "$DMLP_S3_ACCESS_KEY:$DMLP_S3_SECRET_KEY" \
    -H 'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' "$@"
}

# Readiness = a signed ListBuckets answers 200 with a bucket list (not just any HTTP server).
_ready_s3() {
  port_open "$DMLP_S3_PORT" || return 1
  _s3_curl -f "$DMLP_S3_ENDPOINT/" 2>/dev/null | grep -q '<ListAllMyBucketsResult'
}

_s3_create_buckets() {
  local b code
  for b in $DMLP_BUCKETS; do
    code=$(_s3_curl -o /dev/null -w '%{http_code}' -X PUT "$DMLP_S3_ENDPOINT/$b")
    case $code in
      200) info "s3: created bucket $b" ;;
      409) ;; # BucketAlreadyOwnedByYou
      *) warn "s3: creating bucket $b answered HTTP $code"; return 1 ;;
    esac
  done
}

_start_s3() {
  local jar log props="$DMLP_RUN/s3proxy.properties" timeout=$DMLP_S3_TIMEOUT t0=$SECONDS pid
  log=$(_log s3)
  jar=$(s3proxy_jar)
  mkdir -p "$DMLP_DATA/s3"
  # Holds the dev secret: keep it private. Outside the basedir so it never shows up as data.
  (umask 077 && sed -e "s|@PORT@|$DMLP_S3_PORT|g" -e "s|@ACCESS_KEY@|$DMLP_S3_ACCESS_KEY|g" \
    -e "s|@SECRET_KEY@|$DMLP_S3_SECRET_KEY|g" -e "s|@BASEDIR@|$DMLP_DATA/s3|g" \
    "$DMLP_LOCAL_DIR/s3proxy/s3proxy.properties.template" >"$props")
  info "s3: starting S3Proxy on $DMLP_S3_ENDPOINT"
  # NopStatusListener: no logback self-configuration chatter at every start.
  start_detached s3 "$log" java -Xms32m -Xmx256m -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
    -jar "$jar" --properties "$props"
  pid=$(_read_pid s3)
  until _ready_s3; do
    if ! _pid_alive "$pid"; then _fail_ready s3 "$timeout" "$log" "S3Proxy exited after $((SECONDS - t0))s"; return 1; fi
    if ((SECONDS - t0 >= timeout)); then _fail_ready s3 "$timeout" "$log"; return 1; fi
    sleep 0.3
  done
  _s3_create_buckets || { _fail_ready s3 "$timeout" "$log" "bucket creation failed"; return 1; }
  info "s3: ready in $((SECONDS - t0))s (pid $pid, log $log)"
}

_stop_s3() {
  local pid
  pid=$(_read_pid s3)
  if _pid_alive "$pid"; then
    info "s3: stopping (pid $pid)"
    stop_pid "$pid" 15 || true
  fi
  _kill_leftovers s3
  rm -f "$(_pidfile s3)"
}

# ---------------------------------------------------------------------------------------------
# Ray (head node from the project venv, token authentication)
# ---------------------------------------------------------------------------------------------

# Ray puts unix sockets at <temp>/session_<date>_<time>_<usec>_<pid>/sockets/plasma_store, which
# must stay within 107 bytes: the session part adds ~72, so a long clone path moves it to /tmp.
ray_temp_dir() {
  local d="$DMLP_DATA/ray/tmp"
  if ((${#d} > 34)); then d="/tmp/dmlp-ray-$DMLP_INFRA_ID"; fi
  echo "$d"
}

# Prints the bearer token; generates it (64 hex chars, as `ray get-auth-token --generate` does)
# on first use, mode 600.
ray_token() {
  if [[ ! -s $DMLP_RAY_TOKEN_FILE ]]; then
    mkdir -p "$(dirname "$DMLP_RAY_TOKEN_FILE")"
    (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$DMLP_RAY_TOKEN_FILE")
  fi
  chmod 600 "$DMLP_RAY_TOKEN_FILE"
  cat "$DMLP_RAY_TOKEN_FILE"
}

# Environment for a Ray client of this cluster (ray.init(), `ray status`, `ray job submit`), one
# VAR=value per line: `env $(ray_env) "$DMLP_VENV/bin/python" ...`.
ray_env() {
  printf '%s\n' RAY_AUTH_MODE=token "RAY_AUTH_TOKEN_PATH=$DMLP_RAY_TOKEN_FILE" \
    "RAY_ADDRESS=127.0.0.1:$DMLP_RAY_GCS_PORT" "RAY_API_SERVER_ADDRESS=$DMLP_RAY_ADDRESS" \
    RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0
}

# The venv's `ray` CLI against this cluster, e.g. `ray_cli status`, `ray_cli job list`.
ray_cli() {
  # shellcheck disable=SC2046 # one VAR=value per word
  env $(ray_env) "$DMLP_VENV/bin/ray" "$@"
}

_ray_curl() {
  local token
  token=$(<"$DMLP_RAY_TOKEN_FILE")
  curl -sS -m 3 -H "Authorization: Bearer $token" "$@"
}

# Readiness = GET /api/version answers 200 with the bearer token.
_ready_ray() {
  [[ -s $DMLP_RAY_TOKEN_FILE ]] || return 1
  port_open "$DMLP_RAY_DASHBOARD_PORT" || return 1
  [[ $(_ray_curl -o /dev/null -w '%{http_code}' "$DMLP_RAY_ADDRESS/api/version" 2>/dev/null) == 200 ]]
}

_start_ray() {
  local log tmp timeout=$DMLP_RAY_TIMEOUT t0=$SECONDS pid rc=0
  log=$(_log ray)
  ensure_venv
  ray_token >/dev/null
  tmp=$(ray_temp_dir)
  mkdir -p "$tmp"
  # Ray leaves one session_* directory (logs, sockets) per start: keep the three newest.
  find "$tmp" -maxdepth 1 -name 'session_2*' -type d -printf '%T@ %p\n' | sort -rn | tail -n +4 |
    cut -d' ' -f2- | xargs -r rm -rf
  info "ray: starting the head node (dashboard $DMLP_RAY_ADDRESS, GCS 127.0.0.1:$DMLP_RAY_GCS_PORT, temp dir $tmp)"
  echo "=== $(date -Is) ray start" >>"$log"
  # RAY_AUTH_MODE=token: `ray start` only turns token auth on by itself when it finds a token
  # (RAY_AUTH_TOKEN, RAY_AUTH_TOKEN_PATH or ~/.ray/auth_token); be explicit and point it at ours.
  # RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0: otherwise Ray replaces --node-ip-address=127.0.0.1 with
  # the machine's routable address and its gRPC servers listen on 0.0.0.0; with 127.0.0.1 as the
  # node address they listen on loopback only.
  # Every Ray process, jobs included, inherits this environment: `env -i` keeps it to what Ray needs,
  # so no job sees the database password or the S3 keys of env.sh (a job gets the credentials it needs
  # from its own submission's runtime_env).
  # The venv first on PATH: a job entrypoint "python ..." must be the venv's interpreter.
  # OPENBLAS_* pass through: on some processors the machine sets them so that numpy does not crash.
  env -i HOME="$HOME" LANG="${LANG:-C.UTF-8}" TMPDIR="${TMPDIR:-/tmp}" \
    ${OPENBLAS_CORETYPE:+OPENBLAS_CORETYPE="$OPENBLAS_CORETYPE"} ${OPENBLAS_L2_SIZE:+OPENBLAS_L2_SIZE="$OPENBLAS_L2_SIZE"} \
    PATH="$DMLP_VENV/bin:$PATH" VIRTUAL_ENV="$DMLP_VENV" \
    DMLP_INFRA_TAG="$(_tag ray)" RAY_AUTH_MODE=token RAY_AUTH_TOKEN_PATH="$DMLP_RAY_TOKEN_FILE" \
    RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 RAY_USAGE_STATS_ENABLED=0 \
    timeout "$timeout" setsid "$DMLP_VENV/bin/ray" start --head \
    --node-ip-address=127.0.0.1 --port="$DMLP_RAY_GCS_PORT" \
    --num-cpus="$DMLP_RAY_NUM_CPUS" --object-store-memory="$DMLP_RAY_OBJECT_STORE_BYTES" \
    --dashboard-host=127.0.0.1 --dashboard-port="$DMLP_RAY_DASHBOARD_PORT" \
    --ray-client-server-port="$DMLP_RAY_CLIENT_PORT" --dashboard-agent-listen-port="$DMLP_RAY_AGENT_PORT" \
    --disable-usage-stats --temp-dir="$tmp" \
    </dev/null >>"$log" 2>&1 || rc=$?
  if ((rc != 0)); then
    _fail_ready ray "$timeout" "$log" "ray start exited with $rc; Ray's own logs: $tmp/session_latest/logs"
    return 1
  fi
  # The GCS server is the head's main process.
  pid=$(ps -o pid=,comm= -p "$(infra_pids ray | paste -sd, -)" 2>/dev/null | awk '$2 == "gcs_server" { print $1 }' | head -1)
  echo "${pid:-}" >"$(_pidfile ray)"
  until _ready_ray; do
    if ((SECONDS - t0 >= timeout)); then
      _fail_ready ray "$timeout" "$log" "Ray's own logs: $tmp/session_latest/logs"
      return 1
    fi
    sleep 0.5
  done
  info "ray: ready in $((SECONDS - t0))s (gcs_server pid ${pid:-?}, log $log, Ray's logs $tmp/session_latest/logs)"
}

# SIGTERM the given processes and wait up to <grace> seconds for all of them to exit.
_term_and_wait() {
  local grace=$1 p i alive
  shift
  (($#)) || return 0
  kill -TERM "$@" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    alive=
    for p in "$@"; do _pid_alive "$p" && { alive=1; break; }; done
    [[ -n $alive ]] || return 0
    sleep 0.1
  done
}

# Like `ray stop` (raylet first, then the other Ray processes, the GCS last; SIGKILL after the
# grace period), but only for this clone's processes: `ray stop` kills every process on the
# machine whose name looks like Ray's, other clones' and other users' clusters included.
_stop_ray() {
  local pids raylet=() gcs=() rest=() pid comm
  pids=$(infra_pids ray)
  if [[ -n $pids ]]; then
    info "ray: stopping"
    while read -r pid comm; do
      case $comm in
        raylet) raylet+=("$pid") ;;
        gcs_server) gcs+=("$pid") ;;
        *) rest+=("$pid") ;;
      esac
    done < <(ps -o pid=,comm= -p "$(paste -sd, <<<"$pids")" 2>/dev/null || true)
    _term_and_wait 8 "${raylet[@]}" # the raylet takes its workers and agents down with it
    mapfile -t rest < <(for pid in "${rest[@]}"; do _pid_alive "$pid" && echo "$pid"; done)
    _term_and_wait 5 "${rest[@]}"
    _term_and_wait 5 "${gcs[@]}"
  fi
  _kill_leftovers ray
  rm -f "$(_pidfile ray)"
}

# ---------------------------------------------------------------------------------------------
# Dispatch
# ---------------------------------------------------------------------------------------------

infra_is_ready() {
  _check_component "${1:-}"
  "_ready_$1"
}

# Downloads, installs and builds that must happen before launching (sequential: apt, Maven, pip).
_prepare() {
  case $1 in
    postgres) _pg_paths ;;
    kafka) kafka_classpath >/dev/null ;;
    s3) s3proxy_jar >/dev/null ;;
    ray) ensure_venv ;;
  esac
}

_start_one() {
  local c=$1 pid
  if infra_is_ready "$c"; then
    pid=$(_read_pid "$c")
    info "$c: already running and ready (127.0.0.1:$(_port "$c"), pid ${pid:-unknown})"
    return 0
  fi
  # Our process alive but not answering: stop it first rather than start a second one.
  if [[ -n $(infra_pids "$c") ]]; then
    warn "$c: a process of ours is running but not ready; restarting it"
    "_stop_$c"
  fi
  # Someone else on our port: say so now instead of timing out against a stranger.
  local port owner
  for port in $(_ports "$c"); do
    if port_open "$port"; then
      owner=$(_port_owner "$port")
      printf 'ERROR: %s cannot start: 127.0.0.1:%s is already in use%s; set the port in deploy/local/env.sh or the environment\n' \
        "$c" "$port" "${owner:+ by $owner}" >&2
      return 1
    fi
  done
  # A start that failed leaves nothing running behind it (its log stays).
  if ! _run_strict "_start_$c"; then
    _run_strict "_stop_$c" >/dev/null 2>&1 || true
    return 1
  fi
}

# _for_each_parallel <function> <component...>: run "<function> <component>" for each component
# concurrently (each in its own strict bash); print each one's output, in the given order, once it
# is done. Fails if any failed.
_for_each_parallel() {
  local fn=$1 c rc=0 out
  shift
  if (($# == 1)); then _run_strict "$fn" "$1"; return; fi
  out=$(mktemp -d)
  local -A job=()
  for c in "$@"; do
    _run_strict "$fn" "$c" >"$out/$c" 2>&1 &
    job[$c]=$!
  done
  for c in "$@"; do
    wait "${job[$c]}" || rc=1
    cat "$out/$c"
  done
  rm -rf "$out"
  return "$rc"
}

# infra_start [component...]: install/download/build sequentially, then launch and wait in parallel.
infra_start() {
  local c rc=0 t0=$SECONDS
  (($#)) || set -- "${DMLP_COMPONENTS[@]}"
  for c in "$@"; do _check_component "$c"; done
  _dirs
  _run_strict ensure_prereqs "$@" || return 1
  for c in "$@"; do _run_strict _prepare "$c" || return 1; done
  _for_each_parallel _start_one "$@" || rc=1
  ((rc != 0)) || info "ready: $* ($((SECONDS - t0))s)"
  return "$rc"
}

_stop_one() {
  local c=$1
  if [[ -z $(infra_pids "$c") && -z $(_read_pid "$c") ]]; then
    [[ $c != postgres ]] || _stop_postgres # also clears a stale postmaster
    info "$c: not running"
    return 0
  fi
  "_stop_$c"
  info "$c: stopped"
}

# infra_stop [component...]: components are independent, so they stop in parallel.
infra_stop() {
  local c
  (($#)) || set -- "${DMLP_COMPONENTS[@]}"
  for c in "$@"; do _check_component "$c"; done
  _dirs
  _for_each_parallel _stop_one "$@"
}

infra_status() {
  local c pid state
  (($#)) || set -- "${DMLP_COMPONENTS[@]}"
  printf '%-9s %-6s %-8s %s\n' COMPONENT PORT PID STATE
  for c in "$@"; do
    _check_component "$c"
    pid=$(_read_pid "$c")
    _pid_alive "$pid" || pid=-
    if infra_is_ready "$c"; then state=up; else state=down; fi
    printf '%-9s %-6s %-8s %s\n' "$c" "$(_port "$c")" "$pid" "$state"
  done
  return 0
}
