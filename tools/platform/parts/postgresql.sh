# shellcheck shell=bash
# The part postgresql: the PostgreSQL on 127.0.0.1 when one answers, else an embedded real PostgreSQL of our own
# (Zonky's binaries from Maven Central, data in .platform/postgres/, pid and log name `postgres`); and the
# databases of the data set (tools/platform/Databases.java with the JDBC driver, so no psql is needed).
# Defines the part functions (postgresql_*), postgres_* helpers and PG_* variables.

# Only PostgreSQL's port can move (PLATFORM_PG_PORT), to try the embedded PostgreSQL on a machine whose port is taken.
PG_PORT="${PLATFORM_PG_PORT:-$(port postgresql)}"
PG_JDBC_VERSION=42.7.11                            # the driver version Spring Boot 4.0.7 manages
PG_JDBC_JAR="$STATE/lib/postgresql-$PG_JDBC_VERSION.jar"
DB_USER="${DB_USERNAME:-postgres}"
# The services' databases, and Keycloak's own: the demo's names; another data set adds its suffix.
DATABASES="product inventory orders payment notification keycloak"

PG_DIR="$STATE/postgres"
PG_DIST="$PG_DIR/dist"
PG_DATA="$PG_DIR/data"
process_kind postgres "$PG_DATA" "$PG_DATA"

# ---- the part ---------------------------------------------------------------------------------------------

postgresql_require() { :; }          # nothing to require: an embedded one starts when none answers

# First, before Keycloak launches: it boots against its database.
postgresql_launch() {
  postgres_ensure_server
  postgres_ensure_databases
}

postgresql_ensure() { :; }           # launched and ready above

postgresql_stop() {
  local pid
  if pid=$(postgres_embedded_pid); then
    say "    stopping embedded PostgreSQL (pid $pid)"
    postgres_as_os_user "$PG_DIST/bin/pg_ctl" -D "$PG_DATA" -m fast -w -t "$STOP_TIMEOUT" stop >/dev/null 2>&1 \
      || stop_processes postgres
  fi
  rm -f "$RUN_DIR/postgres.pid" "$RUN_DIR/postgres.port"
}

postgresql_status() {
  local pid port health ok=0
  if pid=$(postgres_embedded_pid 2>/dev/null); then
    port=$(postgres_embedded_port)
    if port_open "$port"; then health="UP (embedded)"; else health=DOWN; ok=1; fi
  else
    pid=-; port=$PG_PORT
    if port_open "$PG_PORT"; then health="UP (local)"; else health="not running"; ok=1; fi
  fi
  status_row postgresql "$port" "$pid" "$health"
  return "$ok"
}

postgresql_ports() { postgres_embedded_port; }   # only an embedded one is ours

postgresql_urls() { printf '  %-22s %s\n' "PostgreSQL" "127.0.0.1:$PG_PORT   (user $DB_USER)"; }

# ---- the server -------------------------------------------------------------------------------------------

postgres_ensure_server() {
  local pid
  if pid=$(postgres_embedded_pid); then
    PG_PORT=$(postgres_embedded_port)
    say "    PostgreSQL: embedded, already running on 127.0.0.1:$PG_PORT (pid $pid)"
  elif port_open "$PG_PORT"; then
    say "    PostgreSQL: using the one on 127.0.0.1:$PG_PORT"
  else
    say "    PostgreSQL: nothing answers on 127.0.0.1:$PG_PORT, using an embedded PostgreSQL"
    postgres_start_embedded
  fi
}

postgres_embedded_port() { cat "$RUN_DIR/postgres.port" 2>/dev/null || true; }

postgres_embedded_pid() { # pid of our embedded postmaster when it runs
  local pid
  [ -f "$PG_DATA/postmaster.pid" ] || return 1
  pid=$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null) || return 1
  printf '%s\n' "$pid" >"$RUN_DIR/postgres.pid"
  running_pid postgres
}

# PostgreSQL refuses to run as root: then the embedded one runs as `postgres` (or `nobody`).
postgres_os_user() {
  if id postgres >/dev/null 2>&1; then say postgres; else say nobody; fi
}
postgres_as_os_user() {
  if [ "$(id -u)" != 0 ]; then
    "$@"
  elif have runuser; then
    runuser -u "$(postgres_os_user)" -- "$@"
  else
    # shellcheck disable=SC2016 # expanded by the user's shell, not this one
    su -s /bin/sh "$(postgres_os_user)" -c '"$0" "$@"' "$@"
  fi
}

postgres_binaries_platform() { # the suffix of Zonky's embedded-postgres-binaries artifact for this machine
  local os arch
  case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) os="" ;; esac
  case "$(uname -m)" in x86_64|amd64) arch=amd64 ;; aarch64|arm64) arch=arm64v8 ;; *) arch="" ;; esac
  if [ -z "$os" ] || [ -z "$arch" ]; then
    die "no embedded PostgreSQL for $(uname -s)/$(uname -m); install PostgreSQL and start it on 127.0.0.1:$PG_PORT"
  fi
  say "$os-$arch"
}

postgres_install_embedded() {
  [ -x "$PG_DIST/bin/pg_ctl" ] && return 0
  local version artifact jar txz
  version=$(root_pom_property embedded-postgres-binaries.version 17.6.0)
  artifact="embedded-postgres-binaries-$(postgres_binaries_platform)"
  rm -rf "$PG_DIR/download" "$PG_DIST"
  mkdir -p "$PG_DIR/download" "$PG_DIST"
  fetch_artifact "PostgreSQL $version ($artifact)" "io.zonky.test.postgres:$artifact:$version" "$PG_DIR/download"
  jar="$PG_DIR/download/$artifact-$version.jar"
  (cd "$PG_DIR/download" && "$JAVA_HOME/bin/jar" xf "$jar")      # the jar wraps one .txz
  for txz in "$PG_DIR"/download/*.txz; do tar -xJf "$txz" -C "$PG_DIST"; done
  rm -rf "$PG_DIR/download"
  [ -x "$PG_DIST/bin/pg_ctl" ] || die "embedded PostgreSQL archive has no bin/pg_ctl"
}

postgres_start_embedded() {
  local user log="$LOG_DIR/postgres.log"
  postgres_install_embedded
  if [ "$(id -u)" = 0 ]; then
    user=$(postgres_os_user)
    postgres_as_os_user test -x "$PG_DIST/bin/postgres" \
      || die "embedded PostgreSQL must run as '$user' (it refuses root), and '$user' cannot reach $PG_DIST; install PostgreSQL, or clone to a directory other users can read"
  fi
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    say "    initialising $PG_DATA"
    rm -rf "$PG_DATA"
    mkdir -p "$PG_DATA"
    chmod 700 "$PG_DATA"
    if [ "$(id -u)" = 0 ]; then chown "$(postgres_os_user)" "$PG_DATA"; fi
    postgres_as_os_user "$PG_DIST/bin/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --no-locale \
      >"$LOG_DIR/postgres-initdb.log" 2>&1 || { tail -n 20 "$LOG_DIR/postgres-initdb.log"; die "initdb failed"; }
  fi
  if [ -f "$log" ]; then mv -f "$log" "$log.1"; fi
  : >"$log"
  if [ "$(id -u)" = 0 ]; then chown "$(postgres_os_user)" "$log"; fi
  say "    starting embedded PostgreSQL on 127.0.0.1:$PG_PORT"
  # Loopback TCP only; no Unix socket, so nothing lands in /tmp or /var/run.
  postgres_as_os_user "$PG_DIST/bin/pg_ctl" -D "$PG_DATA" -l "$log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=''" start >/dev/null \
    || { tail -n 20 "$log"; die "embedded PostgreSQL did not start"; }
  printf '%s\n' "$PG_PORT" >"$RUN_DIR/postgres.port"
  postgres_embedded_pid >/dev/null || die "embedded PostgreSQL started but its postmaster is not running"
}

# ---- the databases ----------------------------------------------------------------------------------------

postgres_ensure_jdbc_driver() {
  [ -f "$PG_JDBC_JAR" ] && return 0
  fetch_artifact "the PostgreSQL JDBC driver $PG_JDBC_VERSION" "org.postgresql:postgresql:$PG_JDBC_VERSION" "$STATE/lib"
}

# tools/platform/Databases.java ensure, drop or fingerprint; postgres_ensure_jdbc_driver first (not in here: the
# callers pipe this function's output, and a download's message and failure belong outside that pipe).
postgres_databases() { # command database...
  local command=$1
  shift
  "$JAVA" -cp "$PG_JDBC_JAR" "$ROOT/tools/platform/Databases.java" "$command" \
    "jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" "$DB_USER" "$@"
}

postgres_ensure_databases() { # this data set's (tools/platform/data-sets.sh)
  postgres_ensure_jdbc_driver
  # shellcheck disable=SC2046 # a list of names
  postgres_databases ensure $(data_set_databases) \
    | sed 's/^/    /' || die "could not create the databases on 127.0.0.1:$PG_PORT"
}
