# shellcheck shell=bash
# Sourced by ./platform: the local tracing backend, a Zipkin server from its Maven artifact
# (io.zipkin:zipkin-server:<version>:exec), in-memory storage, on 127.0.0.1:9411 (UI and span API), and the
# smoke test's check that one order's trace crosses the services. Uses ./platform's helpers (say, die,
# start_detached, running_pid, fetch_with_maven, ...); defines only zipkin_* functions and ZIPKIN_* variables.

ZIPKIN_PORT=9411
# Pinned, as compose pins the openzipkin/zipkin image; the exec jar is a runnable Spring Boot application.
ZIPKIN_VERSION=3.6.1
ZIPKIN_JAR=""    # set by zipkin_install

zipkin_install() {
  ZIPKIN_JAR="$STATE/lib/zipkin-server-$ZIPKIN_VERSION-exec.jar"
  [ -f "$ZIPKIN_JAR" ] && return 0
  fetch_with_maven "Zipkin $ZIPKIN_VERSION (tracing UI and span store)" -f tools/platform/pom.xml dependency:copy \
    "-Dartifact=io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec" "-DoutputDirectory=$STATE/lib"
  [ -f "$ZIPKIN_JAR" ] || die "Zipkin jar missing after download: $ZIPKIN_JAR"
}

zipkin_ready() { curl -fsS -m 2 "http://127.0.0.1:$ZIPKIN_PORT/health" 2>/dev/null | grep -q '"UP"'; }

# Starts Zipkin unless ours runs already. Another Zipkin (or compatible collector) already on 9411 is used
# as it is, like an SMTP server already on 3025.
zipkin_ensure() {
  local pid
  if pid=$(running_pid zipkin); then
    say "    zipkin: already running (pid $pid)"
    return 0
  fi
  if port_open "$ZIPKIN_PORT"; then
    say "    zipkin: using the tracing backend already on 127.0.0.1:$ZIPKIN_PORT"
    return 0
  fi
  zipkin_install
  say "    starting Zipkin on 127.0.0.1:$ZIPKIN_PORT (in-memory, UI http://localhost:$ZIPKIN_PORT/zipkin/)"
  # Armeria binds the address of its port entry, so port, address and protocol are given together.
  # MEM_MAX_SPANS bounds the in-memory store (the oldest traces go first) within the small heap.
  STORAGE_TYPE=mem MEM_MAX_SPANS=100000 start_detached zipkin "$LOG_DIR/zipkin.log" "$JAVA" \
    -Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$ZIPKIN_JAR" \
    "--armeria.ports[0].port=$ZIPKIN_PORT" "--armeria.ports[0].ip=127.0.0.1" "--armeria.ports[0].protocols=http"
  pid=$(cat "$(pid_file zipkin)")
  wait_until 90 "$pid" zipkin_ready \
    || { show_log_tail zipkin; die "Zipkin exited during start-up, or does not answer on $ZIPKIN_PORT"; }
}

zipkin_url() { printf '  %-22s %s\n' "Traces (Zipkin)" "http://localhost:$ZIPKIN_PORT/zipkin/"; }

zipkin_ports() { if running_pid zipkin >/dev/null; then say "$ZIPKIN_PORT"; fi; }

zipkin_status_row() { # prints the row; fails when not healthy
  local pid health ok=0
  if pid=$(running_pid zipkin); then
    if zipkin_ready; then health=UP; else health=DOWN; ok=1; fi
  elif port_open "$ZIPKIN_PORT"; then
    pid=-; health="UP (local)"
  else
    pid=-; health="not running"; ok=1
  fi
  status_row zipkin "$ZIPKIN_PORT" "$pid" "$health"
  return "$ok"
}

# ---- smoke: one order's trace ---------------------------------------------------------------------

# The trace id of the smoke order: random, made once per ./platform run (the header is built in a command
# substitution, whose variables would not come back).
ZIPKIN_SMOKE_TRACE_ID=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')

# A W3C traceparent (sampled) with that trace id and a random parent span id, for the smoke order's POST.
zipkin_smoke_traceparent() {
  printf '00-%s-%s-01\n' "$ZIPKIN_SMOKE_TRACE_ID" "$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
}

# The smoke order's trace in Zipkin must span at least the gateway, order, inventory and payment services.
# Spans arrive asynchronously (each service reports in batches about every second), so it is read again
# for up to 30 s, until the services that should be in it (those four, product- and notification-service)
# all are; only the first four are required.
zipkin_smoke_trace() {
  local trace_id=$ZIPKIN_SMOKE_TRACE_ID json services spans deadline missing name
  [ -n "$trace_id" ] || smoke_fail "no trace id was sent with the smoke order"
  step "smoke: the order's trace $trace_id in Zipkin"
  deadline=$(( $(now) + 30 ))
  while :; do
    json=$(curl -fsS -m 5 "http://127.0.0.1:$ZIPKIN_PORT/api/v2/trace/$trace_id" 2>/dev/null) || json=""
    services=$(printf '%s' "$json" | grep -o '"localEndpoint":{"serviceName":"[^"]*"' | sed 's/.*"serviceName":"//; s/"$//' | sort -u)
    spans=$(printf '%s' "$json" | grep -o '"traceId":"' | wc -l | tr -d ' ')
    missing=""
    for name in api-gateway order-service inventory-service payment-service product-service notification-service; do
      printf '%s\n' "$services" | grep -qx "$name" || missing="$missing $name"
    done
    [ -n "$missing" ] && [ "$(now)" -lt "$deadline" ] || break
    sleep 2
  done
  for name in api-gateway order-service inventory-service payment-service; do
    case "$missing " in
      *" $name "*) smoke_fail "trace $trace_id misses$missing after 30 s; it has $spans spans of: $(printf '%s' "$services" | tr '\n' ' ')" ;;
    esac
  done
  say "    trace $trace_id: $(printf '%s\n' "$services" | grep -c .) services, $spans spans: $(printf '%s' "$services" | tr '\n' ' ')"
  [ -z "$missing" ] || say "    (not in this trace:$missing)"
  say "    http://localhost:$ZIPKIN_PORT/zipkin/traces/$trace_id"
}
