# shellcheck shell=bash
# The part kafka: a one-node KRaft broker from Kafka's Maven artifacts (tools/kafka/pom.xml). Its jars in
# .platform/kafka/lib, its configuration and data in the data set's kafka/ (.platform/kafka/ for the demo's).
# Defines the part functions (kafka_*) and KAFKA_* variables.

KAFKA_PORT=$(port kafka.broker)
KAFKA_CONTROLLER_PORT=$(port kafka.controller)
KAFKA_DIR="$STATE/kafka"
process_kind kafka "kafka.Kafka" "$KAFKA_DIR/lib/"

kafka_require() {
  running_pid kafka >/dev/null && return 0
  port_free "$KAFKA_PORT" Kafka && port_free "$KAFKA_CONTROLLER_PORT" Kafka
}

kafka_launch() { :; }                # started in turn (ensure): it is ready within seconds

kafka_ensure() {
  local pid deadline data="$DATA_DIR/kafka"
  if pid=$(running_pid kafka); then
    say "    Kafka: already running (pid $pid)"
    return 0
  fi
  if port_open "$KAFKA_PORT"; then
    die "port $KAFKA_PORT is in use by a process ./platform did not start; stop it (find it: lsof -nP -iTCP:$KAFKA_PORT -sTCP:LISTEN)"
  fi
  kafka_install
  mkdir -p "$data/data"
  { cat "$ROOT/tools/kafka/server.properties"
    printf '\n# Added by ./platform: the data directory of the data set %s, inside this clone.\nlog.dirs=%s\n' "$DATA_SET" "$data/data"
  } >"$data/server.properties"
  if [ ! -f "$data/data/meta.properties" ]; then
    if [ ! -s "$data/cluster.id" ]; then
      kafka_java kafka.tools.StorageTool random-uuid >"$data/cluster.id"
    fi
    say "    formatting Kafka storage (cluster id $(cat "$data/cluster.id"))"
    kafka_java kafka.tools.StorageTool format -t "$(cat "$data/cluster.id")" \
      -c "$data/server.properties" >/dev/null || die "kafka storage format failed"
  fi
  say "    starting Kafka on 127.0.0.1:$KAFKA_PORT"
  start_detached kafka "$LOG_DIR/kafka.log" "$JAVA" -Xms256m -Xmx512m -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$ROOT/tools/kafka/log4j2.properties" \
    -cp "$KAFKA_DIR/lib/*" kafka.Kafka "$data/server.properties"
  pid=$(started_pid kafka)
  wait_for_port "$KAFKA_PORT" 60 "$pid" || { show_log_tail kafka; die "Kafka did not open $KAFKA_PORT"; }
  deadline=$(( $(now) + 60 ))
  until kafka_serves_metadata; do
    kill -0 "$pid" 2>/dev/null || { show_log_tail kafka; die "Kafka exited during start-up"; }
    [ "$(now)" -lt "$deadline" ] || { show_log_tail kafka; die "Kafka does not answer metadata requests"; }
    sleep 1
  done
}

kafka_stop() { stop_processes kafka; }

kafka_status() {
  local pid health ok=0
  if pid=$(running_pid kafka); then
    if port_open "$KAFKA_PORT"; then health=UP; else health=DOWN; ok=1; fi
  else
    pid=-; health=$(not_running_health "$KAFKA_PORT"); ok=1
  fi
  status_row kafka "$KAFKA_PORT,$KAFKA_CONTROLLER_PORT" "$pid" "$health"
  return "$ok"
}

kafka_ports() { say "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; }

kafka_urls() { url_line "Kafka bootstrap" "127.0.0.1:$KAFKA_PORT"; }

# ---- helpers ----------------------------------------------------------------------------------------------

kafka_java() { # main-class args... (the Kafka command-line tools, quiet)
  "$JAVA" -Dlog4j2.configurationFile="$ROOT/tools/kafka/log4j2-tools.properties" \
    -cp "$KAFKA_DIR/lib/*" "$@"
}

kafka_install() {
  local stamp="$KAFKA_DIR/lib/.complete"
  if [ -f "$stamp" ] && [ ! "$ROOT/tools/kafka/pom.xml" -nt "$stamp" ]; then return 0; fi
  rm -rf "${KAFKA_DIR:?}/lib"
  fetch_with_maven "Kafka (tools/kafka/pom.xml)" -f tools/kafka/pom.xml dependency:copy-dependencies \
    "-DoutputDirectory=$KAFKA_DIR/lib"
  touch "$stamp"
}

kafka_serves_metadata() {
  kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --list \
    >/dev/null 2>&1
}
