# shellcheck shell=bash
# The part keycloak, the identity provider: Keycloak from its Maven Central distribution
# (org.keycloak:keycloak-quarkus-dist:<version>:zip, fetched through Maven into ~/.m2 like Kafka's artifacts),
# unpacked into .platform/keycloak/ and built once for PostgreSQL with health checks, then started with the JDK
# ./platform found on 127.0.0.1:<keycloak.http> (management interface, /health, on 127.0.0.1:<keycloak.management>).
# Its data lives in the PostgreSQL database `keycloak` (the data set's: `keycloak_smoke` for the smoke's,
# tools/platform/data-sets.sh); the realm `shop` comes from deploy/keycloak/realm-shop.json and is imported into it,
# again, on purpose, whenever that file changed (docs/security.md). It is launched early (after PostgreSQL) and
# boots while the next parts start; its ensure waits until it is ready. `./platform token` (keycloak_token).
# Defines the part functions (keycloak_*) and KEYCLOAK_* variables.

KEYCLOAK_VERSION=26.5.6
KEYCLOAK_PORT=$(port keycloak.http)
KEYCLOAK_MANAGEMENT_PORT=$(port keycloak.management)
# One public address for everyone (browsers, curl, the services): it is the issuer of every token. 127.0.0.1
# rather than localhost on purpose: cookies are per host name, so the identity provider's session cookies never
# mix with those of a web application on localhost.
KEYCLOAK_URL="http://127.0.0.1:$KEYCLOAK_PORT"
KEYCLOAK_ISSUER="$KEYCLOAK_URL/realms/shop"
KEYCLOAK_DIR="$STATE/keycloak"
KEYCLOAK_DIST="$KEYCLOAK_DIR/keycloak-$KEYCLOAK_VERSION"
KEYCLOAK_REALM_FILE="$ROOT/deploy/keycloak/realm-shop.json"
process_kind keycloak "$KEYCLOAK_DIST/bin/kc.sh" "$KEYCLOAK_DIST/"
# The demo customer alice's fixed id (her token's sub), as the realm file has it.
KEYCLOAK_ALICE_ID=2f1c6a2e-5b1d-4c47-9a51-a11ce0000001
# Build-time options, applied once by `kc.sh build` at install (again when they change here), so every start
# can be `--optimized` and skip Quarkus' build step.
KEYCLOAK_BUILD_OPTIONS="--db=postgres --health-enabled=true"

# The JVM: a bounded heap (Keycloak's own default is -Xmx512m), the serial collector (one small heap, no GC
# threads to feed), and kc.sh's other defaults. Measured: about 370 MB resident after start, 385 MB after 50
# logins, of which the heap is some 120 MB (docs/security.md).
keycloak_java_opts() {
  local opts="-Xms64m -Xmx384m -XX:MetaspaceSize=96M -XX:MaxMetaspaceSize=256m -XX:+UseSerialGC"
  opts="$opts -XX:+ExitOnOutOfMemoryError -Djava.security.egd=file:/dev/urandom -Djdk.tls.rejectClientInitiatedRenegotiation=true"
  opts="$opts -Dfile.encoding=UTF-8 -Dsun.stdout.encoding=UTF-8 -Dsun.err.encoding=UTF-8 -Dstdout.encoding=UTF-8 -Dstderr.encoding=UTF-8"
  # JBoss Threads resets thread locals through java.lang internals: an error on JDK 24+ without this opening.
  opts="$opts --add-opens=java.base/java.lang=ALL-UNNAMED"
  # Netty and JBoss Threads use sun.misc.Unsafe; JDK 24+ warns on every start without this (older JDKs reject it).
  if [ "$JAVA_MAJOR" -ge 24 ]; then opts="$opts --sun-misc-unsafe-memory-access=allow"; fi
  say "$opts"
}

# Runs kc.sh with the JDK ./platform found and the options above (kc.sh reads JAVA_HOME and JAVA_OPTS). The
# master realm's administrator, admin/admin (development only), is created by whichever command first finds an
# empty database (the first realm import, usually); later commands leave it alone. The database password, if
# the server wants one, comes from DB_PASSWORD as for the services.
keycloak_kc() {
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin KC_DB_PASSWORD="${DB_PASSWORD:-}" \
    JAVA_HOME="$JAVA_HOME" JAVA_OPTS="$(keycloak_java_opts)" sh "$KEYCLOAK_DIST/bin/kc.sh" "$@"
}

# The runtime options every command that opens the database gets: import and start alike.
keycloak_runtime_options() {
  say "--cache=local --db-url=jdbc:postgresql://127.0.0.1:$PG_PORT/$(data_set_db keycloak) --db-username=$DB_USER" \
    "--http-host=127.0.0.1 --http-port=$KEYCLOAK_PORT --http-management-port=$KEYCLOAK_MANAGEMENT_PORT" \
    "--hostname=$KEYCLOAK_URL --log-console-color=false"
}

keycloak_install() {
  local stamp="$KEYCLOAK_DIST/.platform-build" zip
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$KEYCLOAK_BUILD_OPTIONS" ]; then return 0; fi
  if [ ! -f "$KEYCLOAK_DIST/lib/quarkus-run.jar" ]; then
    rm -rf "$KEYCLOAK_DIR/download" "$KEYCLOAK_DIST"
    mkdir -p "$KEYCLOAK_DIR/download"
    fetch_with_maven "Keycloak $KEYCLOAK_VERSION (org.keycloak:keycloak-quarkus-dist, 160 MB, once)" \
      -f tools/platform/pom.xml dependency:copy \
      "-Dartifact=org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" "-DoutputDirectory=$KEYCLOAK_DIR/download"
    zip="$KEYCLOAK_DIR/download/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip"
    [ -f "$zip" ] || die "Keycloak distribution missing after download: $zip"
    say "    unpacking Keycloak into .platform/keycloak/"
    # Into download/ first, moved into place when complete: an interrupted unpack leaves no half distribution.
    if have unzip; then
      unzip -q "$zip" -d "$KEYCLOAK_DIR/download" || die "could not unpack $zip"
    else                                                  # jar keeps no file modes: kc.sh is run with sh
      (cd "$KEYCLOAK_DIR/download" && "$JAVA_HOME/bin/jar" xf "$zip") || die "could not unpack $zip"
    fi
    mv "$KEYCLOAK_DIR/download/keycloak-$KEYCLOAK_VERSION" "$KEYCLOAK_DIST" || die "unexpected layout of $zip"
    rm -rf "$KEYCLOAK_DIR/download"
    [ -f "$KEYCLOAK_DIST/lib/quarkus-run.jar" ] || die "the Keycloak distribution has no lib/quarkus-run.jar"
  fi
  say "    building Keycloak for PostgreSQL ($KEYCLOAK_BUILD_OPTIONS; once, about 20 s)"
  # shellcheck disable=SC2086 # a list of options
  keycloak_kc build $KEYCLOAK_BUILD_OPTIONS >"$LOG_DIR/keycloak-build.log" 2>&1 \
    || { tail -n 30 "$LOG_DIR/keycloak-build.log" >&2; die "kc.sh build failed (.platform/logs/keycloak-build.log)"; }
  printf '%s\n' "$KEYCLOAK_BUILD_OPTIONS" >"$stamp"
}

# The digest of the realm file last imported into the data set's database.
keycloak_digest_file() { printf '%s\n' "$DATA_DIR/keycloak/realm.digest"; }

keycloak_realm_digest() { # a digest of the realm file (any tool will do: it is only compared with itself)
  if have sha256sum; then sha256sum <"$KEYCLOAK_REALM_FILE"
  elif have shasum; then shasum -a 256 <"$KEYCLOAK_REALM_FILE"
  else cksum <"$KEYCLOAK_REALM_FILE"
  fi | awk '{ print $1 }'
}

# Keycloak's --import-realm skips a realm that exists, so an edited realm file would be silently ignored. So the
# digest of the file last imported is kept, and when the file differs, the realm is imported with --override
# (deleted and created again from the file: what was changed by hand in the admin console is gone, and the realm
# gets new signing keys, so tokens issued before are no longer accepted).
keycloak_import_if_changed() {
  local digest last
  digest=$(keycloak_realm_digest)
  last=$(cat "$(keycloak_digest_file)" 2>/dev/null) || true
  [ "$digest" != "$last" ] || return 0
  if [ -n "$last" ]; then
    say "    deploy/keycloak/realm-shop.json changed since its last import: importing realm shop again (--override true)"
  else
    say "    importing realm shop from deploy/keycloak/realm-shop.json"
  fi
  # shellcheck disable=SC2046 # a list of options
  keycloak_kc import --optimized --file "$KEYCLOAK_REALM_FILE" --override true \
    $(keycloak_runtime_options) >"$LOG_DIR/keycloak-import.log" 2>&1 \
    || { tail -n 30 "$LOG_DIR/keycloak-import.log" >&2; die "realm import failed (.platform/logs/keycloak-import.log)"; }
  mkdir -p "$DATA_DIR/keycloak"
  printf '%s\n' "$digest" >"$(keycloak_digest_file)"
}

keycloak_ready() { curl -fsS -m 2 "http://127.0.0.1:$KEYCLOAK_MANAGEMENT_PORT/health/ready" >/dev/null 2>&1; }

# ---- the part ---------------------------------------------------------------------------------------------

keycloak_require() {
  running_pid keycloak >/dev/null && return 0
  port_free "$KEYCLOAK_PORT" Keycloak && port_free "$KEYCLOAK_MANAGEMENT_PORT" Keycloak
}

# Starts Keycloak (importing the realm first when its file changed) without waiting: it boots while the next parts
# start; keycloak_ensure waits for it, before the services.
keycloak_launch() {
  local pid
  if pid=$(running_pid keycloak); then
    if [ "$(keycloak_realm_digest)" = "$(cat "$(keycloak_digest_file)" 2>/dev/null)" ]; then
      say "    Keycloak: already running (pid $pid)"
      return 0
    fi
    say "    Keycloak: deploy/keycloak/realm-shop.json changed; restarting Keycloak to import it"
    stop_processes keycloak
  fi
  keycloak_require || die "Keycloak cannot start (above)"
  keycloak_install
  keycloak_import_if_changed
  # A safety net for a keycloak database that lost the realm (dropped by hand): --import-realm creates realms
  # that do not exist from data/import and leaves existing ones alone.
  mkdir -p "$KEYCLOAK_DIST/data/import"
  cp "$KEYCLOAK_REALM_FILE" "$KEYCLOAK_DIST/data/import/realm-shop.json"
  say "    starting Keycloak on $KEYCLOAK_URL (health on 127.0.0.1:$KEYCLOAK_MANAGEMENT_PORT)"
  KEYCLOAK_STARTED_AT=$(now)
  # The environment of keycloak_kc (start_detached runs a program, not a shell function).
  # shellcheck disable=SC2046 # a list of options
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin KC_DB_PASSWORD="${DB_PASSWORD:-}" \
    JAVA_HOME="$JAVA_HOME" JAVA_OPTS="$(keycloak_java_opts)" \
    start_detached keycloak "$LOG_DIR/keycloak.log" sh "$KEYCLOAK_DIST/bin/kc.sh" start --optimized \
    --http-enabled=true --import-realm $(keycloak_runtime_options)
}

KEYCLOAK_STARTED_AT=""   # set by keycloak_launch when it started Keycloak in this run

keycloak_ensure() {
  local pid
  pid=$(running_pid keycloak) || { show_log_tail keycloak; die "Keycloak exited during start-up (.platform/logs/keycloak.log)"; }
  wait_until "$HEALTH_TIMEOUT" "$pid" keycloak_ready \
    || { show_log_tail keycloak; die "Keycloak exited during start-up, or is not ready on $KEYCLOAK_MANAGEMENT_PORT after ${HEALTH_TIMEOUT}s"; }
  if [ -n "$KEYCLOAK_STARTED_AT" ]; then
    say "    Keycloak is UP ($(( $(now) - KEYCLOAK_STARTED_AT ))s after its start; issuer $KEYCLOAK_ISSUER)"
  fi
}

keycloak_stop() { stop_processes keycloak; }

keycloak_ports() { if running_pid keycloak >/dev/null; then say "$KEYCLOAK_PORT" "$KEYCLOAK_MANAGEMENT_PORT"; fi; }

keycloak_status() {
  local pid health ok=0
  if pid=$(running_pid keycloak); then
    if keycloak_ready; then health=UP; else health=DOWN; ok=1; fi
  else
    pid=-; health=$(not_running_health "$KEYCLOAK_PORT"); ok=1
  fi
  status_row keycloak "$KEYCLOAK_PORT,$KEYCLOAK_MANAGEMENT_PORT" "$pid" "$health"
  return "$ok"
}

keycloak_urls() {
  url_line "Keycloak (realm shop)" "$KEYCLOAK_URL/admin   (admin/admin; issuer $KEYCLOAK_ISSUER)"
  url_line "Access token" "./platform token alice   (users alice, bob, admin; password = user name)"
}

# ---- ./platform token ---------------------------------------------------------------------------------------

# ./platform token <user> [password]: an access token for a demo user, by the password grant of the
# development-only client shop-cli. ./platform token <service>-service: that service's own token (client
# credentials with its development secret), e.g. for grpcurl against product-service or inventory-service.
# Only the token on stdout, so that $(./platform token alice) works.
keycloak_token() {
  local user="${1:-}" password body token
  [ -n "$user" ] || die "usage: ./platform token <user> [password]   (demo users: alice, bob, admin; the password is the user name; or order-service, inventory-service, notification-service for a service's token)"
  password="${2:-$user}"
  case "$user" in
    order-service|inventory-service|notification-service)
      body=$(curl -sS -m 10 --data-urlencode grant_type=client_credentials --data-urlencode "client_id=$user" \
        --data-urlencode "client_secret=${2:-$user-dev-secret}" \
        "$KEYCLOAK_ISSUER/protocol/openid-connect/token" 2>&1) \
        || die "Keycloak does not answer on $KEYCLOAK_URL (./platform up starts it): $body" ;;
    *)
      body=$(curl -sS -m 10 --data-urlencode grant_type=password --data-urlencode client_id=shop-cli \
        --data-urlencode "username=$user" --data-urlencode "password=$password" \
        "$KEYCLOAK_ISSUER/protocol/openid-connect/token" 2>&1) \
        || die "Keycloak does not answer on $KEYCLOAK_URL (./platform up starts it): $body" ;;
  esac
  token=$(json '.access_token // empty' "$body") || token=""
  [ -n "$token" ] || die "no token for $user: $(printf '%s' "$body" | cut -c1-300)"
  say "$token"
}
