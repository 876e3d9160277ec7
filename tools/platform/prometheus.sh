# Prometheus for ./platform (sourced by it; uses its helpers: say, warn, have, port_open, running_pid,
# start_detached, stop_processes, status_row, show_log_tail, wait_for_port, wait_until, now).
#
# `up` starts Prometheus on 127.0.0.1:9090 when the `prometheus` binary is installed (Debian/Ubuntu:
# `apt-get install prometheus`; macOS: `brew install prometheus`), with deploy/prometheus/prometheus-local.yml
# and its rules; data in the data set's prometheus/data (.platform/prometheus/data for the demo's). It is optional:
# without the binary, `up` says so and goes on.
# `./platform test` runs tools/observability/check-dashboards: the static checks before ./mvnw verify, the
# live check inside the smoke's `up` session.

PROMETHEUS_PORT=9090
PROMETHEUS_CONFIG="$ROOT/deploy/prometheus/prometheus-local.yml"
OBSERVABILITY_CHECK="$ROOT/tools/observability/check-dashboards"

prometheus_ready() { curl -fsS -m 2 "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" >/dev/null 2>&1; }

ensure_prometheus() {
  local pid
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
  ensure_rabbit_prometheus_plugin
  local data="$DATA_DIR/prometheus/data" config="$PROMETHEUS_CONFIG"
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
  pid=$(cat "$(pid_file prometheus)")
  if ! wait_until 30 "$pid" prometheus_ready; then
    show_log_tail prometheus
    warn "Prometheus did not become ready on $PROMETHEUS_PORT (see .platform/logs/prometheus.log); going on without it"
    stop_processes prometheus
    return 0
  fi
}

# Queue depth comes from the broker's own metrics (rabbitmq_prometheus, port 15692): enable it like the
# management plugin, when this machine's RabbitMQ lets us; without it only the queue panels stay empty.
RABBIT_PROMETHEUS_PORT=15692
ensure_rabbit_prometheus_plugin() {
  port_open "$RABBIT_PROMETHEUS_PORT" && return 0
  have rabbitmq-plugins || return 0
  say "    enabling the RabbitMQ Prometheus plugin (queue metrics on $RABBIT_PROMETHEUS_PORT)"
  if rabbitmq-plugins enable rabbitmq_prometheus >"$LOG_DIR/rabbitmq-plugins.log" 2>&1; then
    wait_for_port "$RABBIT_PROMETHEUS_PORT" 20 || warn "RabbitMQ's Prometheus plugin not answering on $RABBIT_PROMETHEUS_PORT yet"
  else
    warn "could not enable rabbitmq_prometheus (see .platform/logs/rabbitmq-plugins.log); queue depth panels will be empty"
  fi
}

stop_prometheus() {
  stop_processes prometheus
  rm -f "$ROOT"/deploy/prometheus/.prometheus-local-*.yml
}

prometheus_ports() { # for `down`'s check that no port is left listening
  if running_pid prometheus >/dev/null; then say "$PROMETHEUS_PORT"; fi
}

prometheus_status_row() { # returns 1 when installed but not running healthy (then status is not all healthy)
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

prometheus_url_line() {
  if running_pid prometheus >/dev/null; then
    printf '  %-22s %s\n' "Prometheus" "http://localhost:$PROMETHEUS_PORT   (alerts: /alerts; dashboards: docker compose's Grafana on 3000)"
  fi
}

# CI installs Prometheus (its promtool checks the rules); a developer's machine is never changed unasked.
ensure_prometheus_installed() {
  have prometheus && have promtool && return 0
  if [ "${CI:-}" != true ] && [ "${PLATFORM_INSTALL_TOOLS:-0}" != 1 ]; then
    say "    Prometheus/promtool not installed: observability checks skipped (CI=true or PLATFORM_INSTALL_TOOLS=1 installs the Debian package)"
    return 1
  fi
  have apt-get || { warn "cannot install Prometheus: no apt-get; observability checks skipped"; return 1; }
  say "    installing Debian's prometheus package (for prometheus and promtool)"
  # Debian's package starts its own service on 9090 where init scripts may run; stop it right away so that
  # the port is free for ./platform's Prometheus (which uses the project's configuration).
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus >"$LOG_DIR/prometheus-install.log" 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$LOG_DIR/prometheus-install.log" 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus >>"$LOG_DIR/prometheus-install.log" 2>&1 \
      || { tail -n 20 "$LOG_DIR/prometheus-install.log" >&2; warn "apt-get install prometheus failed"; return 1; }
  fi
  if have service && service prometheus status >/dev/null 2>&1; then
    service prometheus stop >/dev/null 2>&1 || true
  fi
  have prometheus && have promtool
}

# ./platform test, before ./mvnw verify: configuration, rules, rule unit tests and dashboard structure.
# In CI (CI=true) they must run: no promtool there is a failure, not a skip.
observability_static_checks() {
  step "observability: promtool checks of deploy/prometheus, dashboard structure"
  if ! ensure_prometheus_installed; then
    [ "${CI:-}" != true ] || { warn "CI=true but Prometheus/promtool could not be installed"; return 1; }
    return 0
  fi
  "$OBSERVABILITY_CHECK" static
}

# Inside the smoke's `up` session: real traffic, then every panel's query against the real Prometheus.
observability_live_check() {
  if ! running_pid prometheus >/dev/null; then
    [ "${CI:-}" != true ] || { warn "CI=true but no Prometheus of ./platform runs: dashboard queries cannot be checked"; return 1; }
    say "    (no Prometheus of ./platform running: dashboard queries not checked)"
    return 0
  fi
  step "observability: every dashboard panel's query returns data"
  RABBITMQ_VHOST="$RABBIT_VHOST" "$OBSERVABILITY_CHECK" live
}
