# shellcheck shell=bash
# The steps of `./platform test` (cmd_test in ./platform lists them in order): the static checks of
# TEST_STATIC_CHECKS, the Maven build with every test against real PostgreSQL, RabbitMQ and Redis, then the smoke
# (commands/smoke.sh), and the proof that the demo's data is as it was. A failing step ends the run (set -e) with
# its exit status. Defines only test_* functions and TEST_* variables.

TEST_DEMO_BEFORE=""

test_prepare() {
  prepare_run
  step "JDK: $JAVA_HOME (java $JAVA_MAJOR)"
  if [ "${PLATFORM_SKIP_SMOKE:-0}" != 1 ]; then data_set_require_nothing_running "./platform test"; fi
}

# Each line of TEST_STATIC_CHECKS: the title of its step | the command, a path from the repository's root or a
# function, run from the root.
test_static_checks() {
  local title command run status
  while IFS='|' read -r title command <&3; do
    command=$(printf '%s' "$command" | sed 's/^ *//; s/ *$//')
    [ -n "$command" ] || continue
    step "$(printf '%s' "$title" | sed 's/ *$//')"
    case "$command" in */*) run="$ROOT/$command" ;; *) run=$command ;; esac
    # In a subshell with set -e of its own: behind `||` bash would ignore set -e in a function, and a failing
    # command in the middle of a check would go unnoticed.
    set +e
    (set -e; cd "$ROOT"; "$run")
    status=$?
    set -e
    [ "$status" = 0 ] || { warn "$command failed (output above)"; return 1; }
  done 3<<EOF
$TEST_STATIC_CHECKS
EOF
}

# ShellCheck over every shell script of the repository's tooling: ./platform with every file it sources
# (--check-sourced: checked in its context, so a variable one file sets and another reads is known to both), and the
# other scripts under tools/ and .ci/. CI installs it (.ci/run); elsewhere a missing ShellCheck is a skip.
test_shellcheck() {
  local file missing=""
  if ! have shellcheck; then
    [ "${CI:-}" != true ] || { warn "CI=true but ShellCheck is not installed (.ci/run installs Debian's shellcheck)"; return 1; }
    say "    ShellCheck not installed: shell scripts not checked (Debian/Ubuntu: apt-get install shellcheck; macOS: brew install shellcheck)"
    return 0
  fi
  # A file of tools/platform/ that ./platform does not source would not be checked: each must be.
  for file in $(find tools/platform -name '*.sh' | LC_ALL=C sort); do
    grep -q "^# shellcheck source=$file\$" platform || missing="$missing $file"
  done
  [ -z "$missing" ] || { warn "not sourced by ./platform, so not checked:$missing"; return 1; }
  # -x: follow the sourced files (their `# shellcheck source=` paths are from the root).
  # shellcheck disable=SC2046 # a list of files (none has a space in its name)
  shellcheck -x --check-sourced $(test_shell_scripts) || return 1
  say "    ./platform with the $(find tools/platform -name '*.sh' | wc -l | tr -d ' ') files it sources, and $(( $(test_shell_scripts | wc -l) - 1 )) other scripts: no finding ($(shellcheck --version | awk '/^version:/ { print "ShellCheck " $2 }'))"
}

test_shell_scripts() { # ./platform, and the scripts under tools/ and .ci/: files whose first line runs bash or sh
  local file
  say platform
  find tools .ci -type f ! -path '*/node_modules/*' ! -path '*/target/*' | LC_ALL=C sort | while IFS= read -r file; do
    case "$(head -n 1 "$file" 2>/dev/null)" in '#!'*[/\ ]bash | '#!'*[/\ ]sh) say "$file" ;; esac
  done
}

# deploy/prometheus and the dashboards: configuration, rules, rule unit tests and dashboard structure
# (tools/observability/check-dashboards static). In CI (CI=true) they must run: no promtool there is a failure.
test_observability_static() {
  if ! prometheus_ensure_installed; then
    [ "${CI:-}" != true ] || { warn "CI=true but Prometheus/promtool could not be installed"; return 1; }
    return 0
  fi
  "$ROOT/tools/observability/check-dashboards" static
}

# The Maven tests' infrastructure: PostgreSQL (an embedded one, stopped at the end, when none answers), RabbitMQ
# and Redis; Kafka runs inside the test JVMs.
test_infrastructure() {
  step "test infrastructure (PostgreSQL, RabbitMQ, Redis; Kafka runs inside the test JVMs)"
  parts_require rabbitmq redis || exit 1
  if ! postgres_embedded_pid >/dev/null && ! port_open "$PG_PORT"; then
    # shellcheck disable=SC2317 # invoked by the trap
    trap 'postgresql_stop' EXIT
  fi
  postgres_ensure_server
  # libs/test-support reads these; they point at the PostgreSQL just found or started.
  export PLATFORM_TEST_PG_HOST="${PLATFORM_TEST_PG_HOST:-127.0.0.1}"
  export PLATFORM_TEST_PG_PORT="${PLATFORM_TEST_PG_PORT:-$PG_PORT}"
}

# The tests run on databases, virtual hosts, topics and a Keycloak of their own; this shows they leave the demo's
# data (tools/platform/data-sets.sh) as it was. Only while no platform runs (with PLATFORM_SKIP_SMOKE=1 one may):
# a running demo changes its own data.
test_demo_fingerprint() {
  if data_set_any_part_running; then
    say "    (a platform is running: the demo's data is not compared before and after the tests)"
    return 0
  fi
  step "the demo's data before the tests (compared with what it is after them)"
  TEST_DEMO_BEFORE="$RUN_DIR/demo-data.test"
  data_set_fingerprint_demo >"$TEST_DEMO_BEFORE"
  say "    $(wc -l <"$TEST_DEMO_BEFORE" | tr -d ' ') tables, queues, exchanges and files"
}

test_maven() { # maven-args...
  local rc=0
  step "./mvnw -B verify $*"
  mvnw -B verify "$@" || rc=$?
  [ "$rc" = 0 ] || { warn "tests failed (./mvnw verify exit code $rc)"; return "$rc"; }
}

test_smoke() {
  if [ "${PLATFORM_SKIP_SMOKE:-0}" = 1 ]; then
    say "PLATFORM_SKIP_SMOKE=1: end-to-end smoke skipped"
    return 0
  fi
  "$ROOT/platform" smoke
}

test_demo_unchanged() {
  [ -n "$TEST_DEMO_BEFORE" ] || return 0
  postgres_ensure_server >/dev/null      # the smoke's down stops an embedded PostgreSQL; the trap stops it again
  step "the demo's data after the tests"
  data_set_check_demo_unchanged "$TEST_DEMO_BEFORE" "./platform test"
}
