# shellcheck shell=bash
# The part prometheus, optional: started when the `prometheus` binary is installed (Debian/Ubuntu:
# `apt-get install prometheus`; macOS: `brew install prometheus`), on 127.0.0.1:<prometheus port> with
# deploy/prometheus/prometheus-local.yml and its rules; data in the data set's prometheus/data
# (.platform/prometheus/data for the demo's). Without the binary, `up` says so and goes on. The observability
# checks that use it are steps of `test` and `smoke` (tools/platform/commands/). Defines the part functions
# (prometheus_*) and PROMETHEUS_* variables.

PROMETHEUS_PORT=$(port prometheus)
PROMETHEUS_CONFIG="$ROOT/deploy/prometheus/prometheus-local.yml"
# Queue depth comes from the broker's own metrics: RabbitMQ's rabbitmq_prometheus plugin listens on 15692, the
# plugin's own port (not one the platform chooses, so not in ports.properties).
RABBIT_PROMETHEUS_PORT=15692
# Any data set's (so `down` stops a Prometheus of the smoke's too); a binary of the system, never searched for.
process_kind prometheus "--storage.tsdb.path=$STATE/"

prometheus_require() { :; }          # optional: a taken port is a warning when it would start

prometheus_launch() { :; }           # started in turn (ensure), before the services: it sees them start

prometheus_ensure() {
  local pid data="$DATA_DIR/prometheus/data" config="$PROMETHEUS_CONFIG"
  if ! have prometheus; then
    say "    Prometheus: not installed, not started (Debian/Ubuntu: apt-get install prometheus; macOS: brew install prometheus)"
    return 0
  fi
  if pid=$(running_pid prometheus); then
    say "    Prometheus: already running (pid $pid)"
    return 0
  fi
  if port_open "$PROMETHEUS_PORT"; then
    # Typically Debian's packaged service, which scrapes only itself: never mistaken for ours.
    warn "port $PROMETHEUS_PORT is in use by a process ./platform did not start (Debian's prometheus service? \`service prometheus stop\`); Prometheus not started"
    return 0
  fi
  prometheus_enable_rabbit_plugin
  mkdir -p "$data"
  if [ "$RABBIT_VHOST" != / ]; then
    # Queue depth of this data set's virtual host instead of "/": a copy of the configuration beside the original
    # (its rule_files are relative to it), removed by down.
    config="$ROOT/deploy/prometheus/.prometheus-local-$DATA_SET.yml"
    sed "s|vhost: \['/'\]|vhost: ['$RABBIT_VHOST']|" "$PROMETHEUS_CONFIG" >"$config"
    grep -q "vhost: \['$RABBIT_VHOST'\]" "$config" || die "no vhost: ['/'] in $PROMETHEUS_CONFIG to replace"
  fi
  say "    starting Prometheus on 127.0.0.1:$PROMETHEUS_PORT (deploy/prometheus/prometheus-local.yml)"
  # Two days of data are plenty for a local run; the lifecycle API lets `curl -X POST .../-/reload` pick
  # up edited rules without a restart. native-histograms: makes Prometheus ask for the protobuf exposition
  # first. With tracing on, Micrometer puts exemplars (trace ids) on the _count of every timer, which the
  # OpenMetrics parser of Prometheus before 2.43 (Debian 12 ships 2.42) rejects, failing the whole scrape
  # ("metric name ..._count does not support exemplars"); the protobuf format carries no exemplar there.
  # Classic histograms (all Micrometer exposes) are ingested as before.
  start_detached prometheus "$LOG_DIR/prometheus.log" prometheus \
    --config.file="$config" \
    --enable-feature=native-histograms \
    --storage.tsdb.path="$data" \
    --storage.tsdb.retention.time=2d \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" \
    --web.enable-lifecycle
  pid=$(started_pid prometheus)
  if ! wait_until 30 "$pid" prometheus_ready; then
    show_log_tail prometheus
    warn "Prometheus did not become ready on $PROMETHEUS_PORT (see .platform/logs/prometheus.log); going on without it"
    stop_processes prometheus
    return 0
  fi
}

prometheus_stop() {
  stop_processes prometheus
  rm -f "$ROOT"/deploy/prometheus/.prometheus-local-*.yml
}

prometheus_status() { # not healthy when installed but not running healthy
  local pid
  if pid=$(running_pid prometheus); then
    if prometheus_ready; then status_row prometheus "$PROMETHEUS_PORT" "$pid" UP; return 0; fi
    status_row prometheus "$PROMETHEUS_PORT" "$pid" DOWN
    return 1
  fi
  if ! have prometheus; then
    status_row prometheus "$PROMETHEUS_PORT" - "not installed (optional)"
    return 0
  fi
  status_row prometheus "$PROMETHEUS_PORT" - "$(not_running_health "$PROMETHEUS_PORT")"
  return 1
}

prometheus_ports() { if running_pid prometheus >/dev/null; then say "$PROMETHEUS_PORT"; fi; }

prometheus_urls() {
  if running_pid prometheus >/dev/null; then
    url_line "Prometheus" "http://localhost:$PROMETHEUS_PORT   (alerts: /alerts; dashboards: docker compose's Grafana on $(port grafana))"
  fi
}

# ---- helpers ----------------------------------------------------------------------------------------------

prometheus_ready() { curl -fsS -m 2 "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" >/dev/null 2>&1; }

# Enabled like the management plugin, when this machine's RabbitMQ lets us; without it only the queue panels
# stay empty.
prometheus_enable_rabbit_plugin() {
  port_open "$RABBIT_PROMETHEUS_PORT" && return 0
  have rabbitmq-plugins || return 0
  say "    enabling the RabbitMQ Prometheus plugin (queue metrics on $RABBIT_PROMETHEUS_PORT)"
  if rabbitmq-plugins enable rabbitmq_prometheus >"$LOG_DIR/rabbitmq-plugins.log" 2>&1; then
    wait_for_port "$RABBIT_PROMETHEUS_PORT" 20 || warn "RabbitMQ's Prometheus plugin not answering on $RABBIT_PROMETHEUS_PORT yet"
  else
    warn "could not enable rabbitmq_prometheus (see .platform/logs/rabbitmq-plugins.log); queue depth panels will be empty"
  fi
}

# CI installs Prometheus (its promtool checks the rules); a developer's machine is never changed unasked.
prometheus_ensure_installed() {
  have prometheus && have promtool && return 0
  if ! may_install_tools; then
    say "    Prometheus/promtool not installed: observability checks skipped (CI=true or PLATFORM_INSTALL_TOOLS=1 installs the Debian package)"
    return 1
  fi
  install_debian_packages prometheus "prometheus package (for prometheus and promtool)" prometheus || return 1
  # Debian's package starts its own service on 9090 where init scripts may run; stop it right away so that
  # the port is free for ./platform's Prometheus (which uses the project's configuration).
  if have service && service prometheus status >/dev/null 2>&1; then
    service prometheus stop >/dev/null 2>&1 || true
  fi
  have prometheus && have promtool
}
