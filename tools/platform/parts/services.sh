# shellcheck shell=bash
# The part services: the Spring Boot services of this repository, each a JVM running its module's jar
# (<module>/target/<module>.jar, built by `./mvnw package` when missing or older than its sources), in the order of
# SERVICES (./platform): discovery-server first (everyone registers there), api-gateway last (it routes to the
# others). Only the modules that exist in this checkout are built and started. Their ports come from
# ports.properties: <service>.http, <service>.grpc (product- and inventory-service), <service>.management (the
# actuator: health, info, prometheus; never published to users). Defines the part functions (services_*),
# service_* helpers for one service, and SERVICE_* variables.

GATEWAY_PORT=$(port api-gateway.http)
DISCOVERY_PORT=$(port discovery-server.http)
HEALTH_TIMEOUT="${PLATFORM_HEALTH_TIMEOUT:-180}"   # seconds for every service to report UP
# The services' JVMs on a developer machine: small heaps, the serial collector and C1 only (quick to start, lean
# on two cores). `./platform bench` runs them as a production deployment would instead (commands/bench.sh).
SERVICE_JVM_FLAGS="${PLATFORM_SERVICE_JVM_FLAGS:--Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"

for service in $SERVICES; do
  # Every service in ports.properties, checked here: a missing one fails at once, not halfway through `up`.
  port "$service.http" >/dev/null
  port "$service.management" >/dev/null
  # -Dshop.platform.log marks the JVM as started by ./platform (leftover_processes finds it by that).
  process_kind "$service" "-Dshop.platform.log=$LOG_DIR/$service.log" "-Dshop.platform.log=$LOG_DIR/"
done
unset service

# ---- the part ---------------------------------------------------------------------------------------------

# Before anything starts: every port a service that is not running yet needs must be free, so that a conflict
# fails at once instead of after half the platform started.
services_require() {
  local name port
  for name in $(existing_services); do
    running_pid "$name" >/dev/null && continue
    for port in $(service_ports "$name" | tr ',' ' '); do
      port_free "$port" "$name" || return 1
    done
  done
}

services_launch() { :; }             # they need every other part ready: started in turn (ensure)

services_ensure() {
  local name others=""
  service_env
  step "services"
  if [ -f "$ROOT/discovery-server/pom.xml" ]; then
    service_start discovery-server
    services_wait_healthy discovery-server
  fi
  for name in $(existing_services); do
    case "$name" in discovery-server|api-gateway) ;; *) service_start "$name"; others="$others $name" ;; esac
  done
  if [ -n "$others" ]; then
    # shellcheck disable=SC2086 # a list of names
    services_wait_healthy $others
  fi
  if [ -f "$ROOT/api-gateway/pom.xml" ]; then
    service_start api-gateway
    services_wait_healthy api-gateway
    if [ -f "$ROOT/product-service/pom.xml" ]; then services_wait_gateway_routes; fi
  fi
}

services_stop() {
  local name names=""
  for name in $SERVICES; do
    [ "$name" = discovery-server ] || names="$names $name"
  done
  # shellcheck disable=SC2086 # a list of names
  stop_processes $names              # gateway and business services together: they only talk to each other
  stop_processes discovery-server
}

services_status() {
  local name pid health ok=0
  for name in $(existing_services); do
    if pid=$(running_pid "$name"); then
      if service_healthy "$name"; then health=UP; else health=DOWN; ok=1; fi
    else
      pid=-; health=$(not_running_health "$(service_http_port "$name")"); ok=1
    fi
    status_row "$name" "$(service_ports "$name")" "$pid" "$health"
  done
  return "$ok"
}

services_ports() {
  local name
  for name in $(existing_services); do service_ports "$name" | tr ',' '\n'; done
}

services_urls() {
  local name grpc
  if [ -f "$ROOT/api-gateway/pom.xml" ]; then
    url_line "API gateway" "http://localhost:$GATEWAY_PORT   (try: curl 'http://localhost:$GATEWAY_PORT/api/products?size=5')"
    if [ -f "$ROOT/storefront/pom.xml" ]; then
      url_line "Shop (storefront)" "http://localhost:$GATEWAY_PORT/   (log in as alice/alice, bob/bob or admin/admin)"
    fi
  fi
  for name in $(existing_services); do
    [ "$name" != api-gateway ] || continue
    grpc=$(service_grpc_port "$name")
    if [ "$name" = discovery-server ]; then
      url_line "Eureka dashboard" "http://localhost:$DISCOVERY_PORT   (operator/operator-dev-eureka)"
    elif [ -z "$grpc" ]; then
      url_line "$name" "http://localhost:$(service_http_port "$name")"
    else
      url_line "$name" "http://localhost:$(service_http_port "$name")   gRPC localhost:$grpc"
    fi
  done
  if [ -f "$ROOT/api-gateway/pom.xml" ]; then
    url_line "Actuators" "on each service's HTTP port + 10000 (gateway: http://localhost:$(service_management_port api-gateway)/actuator)"
  fi
}

# ---- one service ------------------------------------------------------------------------------------------

service_http_port() { port "$1.http"; }
service_grpc_port() { port_or_nothing "$1.grpc"; }            # nothing: no gRPC server
service_management_port() { port "$1.management"; }
service_ports() { # "8081,9081,18081" or "8761,18761": every port the service listens on
  local grpc
  grpc=$(service_grpc_port "$1")
  printf '%s,%s%s\n' "$(service_http_port "$1")" "${grpc:+$grpc,}" "$(service_management_port "$1")"
}

existing_services() { # modules present in this checkout, in start order
  local name
  for name in $SERVICES; do
    if [ -f "$ROOT/$name/pom.xml" ]; then say "$name"; fi
  done
}
service_jar() { printf '%s\n' "$ROOT/$1/target/$1.jar"; }

service_env() { # the environment every service gets locally
  export EUREKA_ADDRESS="127.0.0.1:$DISCOVERY_PORT"
  export KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT"
  # The data set's databases, virtual host and Redis database (tools/platform/data-sets.sh).
  local jdbc="jdbc:postgresql://127.0.0.1:$PG_PORT"
  PRODUCT_DB_URL="$jdbc/$(data_set_db product)"
  INVENTORY_DB_URL="$jdbc/$(data_set_db inventory)"
  ORDERS_DB_URL="$jdbc/$(data_set_db orders)"
  PAYMENT_DB_URL="$jdbc/$(data_set_db payment)"
  NOTIFICATION_DB_URL="$jdbc/$(data_set_db notification)"
  export PRODUCT_DB_URL INVENTORY_DB_URL ORDERS_DB_URL PAYMENT_DB_URL NOTIFICATION_DB_URL
  export DB_USERNAME="$DB_USER"
  export REDIS_HOST=127.0.0.1 REDIS_PORT="$REDIS_PORT" SPRING_DATA_REDIS_DATABASE="$REDIS_DATABASE"
  export RABBITMQ_HOST=127.0.0.1 RABBITMQ_PORT="$RABBIT_PORT" SPRING_RABBITMQ_VIRTUAL_HOST="$RABBIT_VHOST"
  export SMTP_HOST=127.0.0.1 SMTP_PORT="$SMTP_PORT"
  export ZIPKIN_ENDPOINT="http://127.0.0.1:$ZIPKIN_PORT/api/v2/spans"
  # Loopback only: HTTP and gRPC servers listen on 127.0.0.1 and register that address in Eureka
  # (an IP, not "localhost", which may resolve to ::1 first where nothing listens).
  export SERVER_ADDRESS=127.0.0.1 GRPC_HOST=127.0.0.1
  export EUREKA_INSTANCE_HOSTNAME=127.0.0.1 EUREKA_INSTANCE_IP_ADDRESS=127.0.0.1
  mtls_env                           # tools/platform/mtls.sh: the profile and its certificates, when on
}

service_start() { # name
  local name=$1 pid port
  if pid=$(running_pid "$name"); then
    say "    $name: already running (pid $pid)"
    return 0
  fi
  for port in $(service_ports "$name" | tr ',' ' '); do
    port_free "$port" "$name" || die "$name cannot start (above)"
  done
  say "    starting $name on $(service_ports "$name")"
  # shellcheck disable=SC2086 # a list of flags
  start_detached "$name" "$LOG_DIR/$name.log" "$JAVA" $SERVICE_JVM_FLAGS -XX:+ExitOnOutOfMemoryError \
    -Dshop.platform.log="$LOG_DIR/$name.log" -jar "$(service_jar "$name")"
}

service_healthy() { # name: /actuator/health on the management port answers 200 with status UP (503: DOWN)
  json_true '.status == "UP"' "$(curl -fsS -m 3 "http://127.0.0.1:$(service_management_port "$1")/actuator/health" 2>/dev/null)"
}

services_wait_healthy() { # name... : all of them UP within HEALTH_TIMEOUT seconds
  local pending="$*" still name started deadline
  started=$(now)
  deadline=$(( started + HEALTH_TIMEOUT ))
  while [ -n "$pending" ]; do
    still=""
    for name in $pending; do
      if service_healthy "$name"; then
        say "    $name is UP ($(( $(now) - started ))s)"
      elif ! running_pid "$name" >/dev/null; then
        show_log_tail "$name"
        die "$name exited during start-up (full log: .platform/logs/$name.log)"
      else
        still="$still $name"
      fi
    done
    pending="${still# }"
    [ -n "$pending" ] || break
    if [ "$(now)" -ge "$deadline" ]; then
      for name in $pending; do show_log_tail "$name"; done
      die "not healthy after ${HEALTH_TIMEOUT}s: $pending (PLATFORM_HEALTH_TIMEOUT to wait longer)"
    fi
    sleep 2
  done
}

# Eureka needs a few seconds until the gateway's registry copy contains product-service.
services_wait_gateway_routes() {
  wait_for_answer "the gateway routes to product-service" 200 \
    curl -s -o /dev/null -m 5 -w '%{http_code}' "http://127.0.0.1:$GATEWAY_PORT/api/products?size=1"
  if [ -f "$ROOT/order-service/pom.xml" ]; then
    # order-service prices orders over gRPC with the product-service instances it learns from Eureka, a few
    # seconds after both started. An order for a product that does not exist answers 422 once it can ask
    # the catalog (503 before), and stores nothing: the first real order then succeeds. Placed as the demo
    # customer alice, with her token (parts/keycloak.sh) and her id as the customer.
    local token
    token=$(keycloak_token alice) || die "no token for the demo customer alice from Keycloak"
    wait_for_answer "order-service reaches the catalog" 422 \
      curl -s -o /dev/null -m 5 -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
      -H "Authorization: Bearer $token" \
      -d "{\"customerId\":\"$KEYCLOAK_ALICE_ID\",\"customerEmail\":\"probe@example.com\",\"items\":[{\"productId\":\"00000000-0000-4000-8000-999999999999\",\"quantity\":1}],\"payment\":{\"token\":\"tok_ok\"}}" \
      "http://127.0.0.1:$GATEWAY_PORT/api/orders"
  fi
}

# ---- the build --------------------------------------------------------------------------------------------

# True when a service jar is missing or older than what goes into it: the module's main sources and
# pom, the root pom, proto/ and libs/ (test sources do not change a jar, so they trigger nothing).
services_need_build() {
  local name jar newer
  for name in $(existing_services); do
    jar=$(service_jar "$name")
    [ -f "$jar" ] || return 0
    newer=$(find "$ROOT/$name/src/main" "$ROOT/$name/pom.xml" "$ROOT/pom.xml" "$ROOT/proto" "$ROOT/libs" \
              -type f -newer "$jar" ! -path '*/target/*' ! -path '*/src/test/*' 2>/dev/null | head -n 1) || true
    [ -z "$newer" ] || return 0
  done
  return 1
}

services_build() {
  local name started
  if [ "${PLATFORM_SKIP_BUILD:-0}" = 1 ]; then
    for name in $(existing_services); do
      [ -f "$(service_jar "$name")" ] || die "$(service_jar "$name") is missing and PLATFORM_SKIP_BUILD=1"
    done
    return 0
  fi
  if services_need_build; then
    step "building (./mvnw -B -q -DskipTests package)"
    started=$(now)
    mvnw -B -q -DskipTests package || die "build failed (output above)"
    say "    built in $(( $(now) - started ))s"
  fi
}
