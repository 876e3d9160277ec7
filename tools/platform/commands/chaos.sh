# shellcheck shell=bash
# Sourced by ./platform: `./platform chaos [part...]`, kill -9 of a part of the running platform under a steady
# load of orders, its restart, and the invariants afterwards (tools/chaos/Chaos.java places the orders and
# judges them). One line per scenario; exit status 1 when any scenario failed. Uses the helpers of lib/ and the
# parts (running_pid, service_start, services_wait_healthy, kafka_ensure, ...); defines only cmd_chaos, chaos_*
# functions and CHAOS_* variables.

# Every part whose loss the platform must survive; `./platform chaos` with no argument runs them all.
CHAOS_PARTS="order-service inventory-service payment-service notification-service product-service api-gateway discovery-server kafka"
# Settings, read when a run starts (environment): CHAOS_SECONDS (45: the load of one scenario), CHAOS_RATE (1 order
# a second: the gateway's checkout limit allows about half an order a second per customer, and the load plays
# two; smoke raises the limits and runs 4/s), CHAOS_KILL_AFTER
# (10 s of load before the kill), CHAOS_DOWN_FOR (5 s dead before the restart, as a supervisor would).

chaos_restart() { # part
  case "$1" in
    kafka) kafka_ensure ;;
    *) service_start "$1" && services_wait_healthy "$1" ;;
  esac
}

cmd_chaos() {
  local parts="${*:-$CHAOS_PARTS}" part pid load failed=0 state started
  local seconds="${CHAOS_SECONDS:-45}" rate="${CHAOS_RATE:-1}" kill_after="${CHAOS_KILL_AFTER:-10}" down_for="${CHAOS_DOWN_FOR:-5}"
  find_jdk
  mkdir -p "$RUN_DIR/chaos" "$LOG_DIR"
  service_env
  service_healthy api-gateway || die "the platform is not up (./platform up first)"
  for part in $parts; do
    case " $CHAOS_PARTS " in *" $part "*) ;; *) die "unknown part '$part'; parts: $CHAOS_PARTS" ;; esac
  done
  for part in $parts; do
    started=$(now)
    state="$RUN_DIR/chaos/$part.orders"
    step "chaos: $part, killed after ${kill_after}s of ${seconds}s of orders at ${rate}/s"
    "$JAVA" "$ROOT/tools/chaos/Chaos.java" load "$state" "$seconds" "$rate" &
    load=$!
    sleep "$kill_after"
    pid=$(running_pid "$part") || { kill "$load" 2>/dev/null; die "$part is not running (./platform status)"; }
    kill -9 "$pid"
    say "    killed $part (pid $pid, SIGKILL)"
    sleep "$down_for"
    chaos_restart "$part" || failed=1
    wait "$load" || { warn "the load of $part's scenario failed"; failed=1; continue; }
    "$JAVA" "$ROOT/tools/chaos/Chaos.java" check "$state" "$part" || failed=1
    say "    ($(( $(now) - started ))s)"
  done
  return "$failed"
}
