# shellcheck shell=bash
# Sourced by ./platform first: what every part and command uses. Printing (say, step, warn, die), the ports of
# ports.properties (port), TCP and HTTP waiting (port_open, wait_until, wait_for_port, wait_for_answer), JSON
# (json, with jq) and the optional tools a check needs (install_debian_packages).
# Portable bash: Linux and macOS (bash 3.2), so no associative arrays and no GNU-only options.

say()  { printf '%s\n' "$*"; }
step() { printf '==> %s\n' "$*"; }
warn() { printf 'platform: %s\n' "$*" >&2; }
STARTING=0     # 1 while `up` starts things: a failure then reminds how to stop what did start
die() {
  printf 'platform: %s\n' "$*" >&2
  if [ "$STARTING" = 1 ]; then printf 'platform: what did start is still running; ./platform down stops it\n' >&2; fi
  exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }
now()  { date +%s; }

# ---- ports: ports.properties at the repository's root, the one list of the platform's ports -----------------

PORTS_FILE="$ROOT/ports.properties"

port() { # key -> its port, e.g. `port order-service.http`; dies when ports.properties has no such key
  local value
  value=$(port_or_nothing "$1")
  [ -n "$value" ] || die "no port '$1' in ports.properties"
  say "$value"
}

port_or_nothing() { # key -> its port, or nothing (a part without that listener, e.g. a service without gRPC)
  [ -f "$PORTS_FILE" ] || die "ports.properties is missing at $PORTS_FILE"
  awk -F= -v key="$1" '
    /^[[:space:]]*(#|$)/ { next }
    { name = $1; gsub(/[[:space:]]/, "", name) }
    name == key { value = $2; gsub(/[[:space:]]/, "", value); print value; exit }' "$PORTS_FILE"
}

# ---- waiting ----------------------------------------------------------------------------------------------

# True when something accepts TCP connections on 127.0.0.1:<port>.
port_open() {
  if have timeout; then
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# A port a part of ours is about to listen on must be free: otherwise warns (how to find the process) and fails.
port_free() { # port what
  port_open "$1" || return 0
  warn "port $1 ($2) is in use by a process ./platform did not start; stop it (find it: lsof -nP -iTCP:$1 -sTCP:LISTEN)"
  return 1
}

wait_until() { # seconds pid command... : until the command succeeds; fails when time is up or pid (if any) exits
  local deadline=$(( $(now) + $1 )) pid=$2
  shift 2
  until "$@"; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    [ "$(now)" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

wait_for_port() { # port seconds [pid that must stay alive]
  wait_until "$2" "${3:-}" port_open "$1"
}

ROUTE_TIMEOUT="${PLATFORM_ROUTE_TIMEOUT:-90}"      # seconds for the gateway to see product-service in Eureka

# what expected-http-code(s) command... : until the command prints the code (one of them), or ROUTE_TIMEOUT
wait_for_answer() {
  local what=$1 expected=$2 deadline code
  shift 2
  deadline=$(( $(now) + ROUTE_TIMEOUT ))
  say "    waiting until $what"
  while :; do
    code=$("$@" 2>/dev/null) || true
    case " $expected " in *" $code "*) return 0 ;; esac
    if [ "$(now)" -ge "$deadline" ]; then
      show_log_tail api-gateway
      die "still waiting until $what after ${ROUTE_TIMEOUT}s (last answer $code, expected $expected)"
    fi
    sleep 2
  done
}

# ---- JSON -------------------------------------------------------------------------------------------------

# JSON is read with jq, a real parser: Debian/Ubuntu's package jq, /usr/bin/jq on macOS 15 and newer, Homebrew's
# jq on older macOS; tools/observability/check-dashboards needs it anyway. The alternatives were worse: python3 is
# not on every Mac, and the JDK (always here) costs a JVM start, about half a second, for every value read.
JQ_HINT="Debian/Ubuntu: \`sudo apt-get install jq\`; macOS: built in from macOS 15, else \`brew install jq\`"

require_jq() {
  have jq || die "jq (a JSON processor) is not installed; ./platform reads the services' answers with it. $JQ_HINT"
}

# `input` under -n: an empty answer (a service that did not answer) is an error, which jq 1.6 would take for no
# input and succeed. jq's own message is dropped: the callers say what they expected, with the answer.
json() { # filter [json] : jq -r of the filter over the json (else stdin); fails when that is not JSON, or empty
  if [ $# -ge 2 ]; then
    printf '%s' "$2" | jq -r -n "input | ($1)" 2>/dev/null
  else
    jq -r -n "input | ($1)" 2>/dev/null
  fi
}

json_true() { # filter [json] : succeeds when the filter gives true for the json (else stdin)
  if [ $# -ge 2 ]; then
    printf '%s' "$2" | jq -e -n "input | ($1)" >/dev/null 2>&1
  else
    jq -e -n "input | ($1)" >/dev/null 2>&1
  fi
}

# ---- optional tools ---------------------------------------------------------------------------------------

# Installs Debian packages a check needs: only in CI (CI=true) or with PLATFORM_INSTALL_TOOLS=1 (may_install_tools),
# never unasked on a developer's machine. Fails (with a warning) when it cannot.
install_debian_packages() { # log-name what package...
  local log="$LOG_DIR/$1-install.log" what=$2
  shift 2
  have apt-get || { warn "cannot install $what: no apt-get"; return 1; }
  say "    installing Debian's $what"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >"$log" 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$log" 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >>"$log" 2>&1 \
      || { tail -n 20 "$log" >&2; warn "apt-get install $* failed"; return 1; }
  fi
}

may_install_tools() { [ "${CI:-}" = true ] || [ "${PLATFORM_INSTALL_TOOLS:-0}" = 1 ]; }

# ---- what the parts print ---------------------------------------------------------------------------------

status_row() { printf '%-22s %-16s %-9s %s\n' "$@"; }   # part port(s) pid health: a row of `status`

not_running_health() { # port of a part ./platform has no process for
  if port_open "$1"; then say "not running (port $1 taken by a process ./platform did not start)"; else say "not running"; fi
}

url_line() { printf '  %-22s %s\n' "$1" "$2"; }          # what where: a line of what `up` prints at the end
