# shellcheck shell=bash
# The part zipkin: the local tracing backend, a Zipkin server from its Maven artifact
# (io.zipkin:zipkin-server:<version>:exec, a runnable Spring Boot application), in-memory storage, on
# 127.0.0.1:<zipkin port> (UI and span API). Another Zipkin (or compatible collector) already on its port is used
# as it is, like an SMTP server already on mail's. Defines the part functions (zipkin_*) and ZIPKIN_* variables.

ZIPKIN_PORT=$(port zipkin)
# Pinned, as compose pins the openzipkin/zipkin image.
ZIPKIN_VERSION=3.6.1
ZIPKIN_JAR="$STATE/lib/zipkin-server-$ZIPKIN_VERSION-exec.jar"
process_kind zipkin "zipkin-server-" "$STATE/lib/zipkin-server-"

zipkin_require() { :; }              # its port is looked at when it starts: another collector is welcome

zipkin_launch() { :; }               # started in turn (ensure): it is ready within seconds

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
  pid=$(started_pid zipkin)
  wait_until 90 "$pid" zipkin_ready \
    || { show_log_tail zipkin; die "Zipkin exited during start-up, or does not answer on $ZIPKIN_PORT"; }
}

zipkin_stop() { stop_processes zipkin; }

zipkin_status() {
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

zipkin_ports() { if running_pid zipkin >/dev/null; then say "$ZIPKIN_PORT"; fi; }

zipkin_urls() { url_line "Traces (Zipkin)" "http://localhost:$ZIPKIN_PORT/zipkin/"; }

# ---- helpers ----------------------------------------------------------------------------------------------

zipkin_install() {
  [ -f "$ZIPKIN_JAR" ] && return 0
  fetch_artifact "Zipkin $ZIPKIN_VERSION (tracing UI and span store)" "io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec" "$STATE/lib"
  [ -f "$ZIPKIN_JAR" ] || die "Zipkin jar missing after download: $ZIPKIN_JAR"
}

zipkin_ready() { json_true '.status == "UP"' "$(curl -fsS -m 2 "http://127.0.0.1:$ZIPKIN_PORT/health" 2>/dev/null)"; }
