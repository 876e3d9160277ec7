# shellcheck shell=bash
# Sourced by ./platform: `./platform bench [catalog] [storefront] [saga]`, the benchmark (docs/benchmarks.md). Like the smoke, it
# runs a platform of its own: on the data set "bench" (created fresh, removed afterwards: tools/platform/data-sets.sh)
# with the services' JVMs as a production deployment runs them (the JIT's C2 and the collector the JVM picks, a
# 512 MB heap; not ./platform up's C1-only, serial-collector flags), then the Gatling simulations of load-tests/
# against it, and prints one line per figure. The gateway's rate limits are raised for it: the load generator is
# one address and a few hundred customers, which the production limits would throttle on purpose.
# Settings (environment): BENCH_CATALOG_USERS (visitors at once for the throughput runs; 32), BENCH_CATALOG_SECONDS (20),
# BENCH_SAGA_RATES (the arrival rates tried in turn, orders a second; "2 5 10 20 30 40 50"), BENCH_SAGA_SECONDS (60).
# Gatling's HTML reports land in load-tests/target/gatling/. Defines only bench_* functions and cmd_bench.

PRODUCT_SERVICE_PORT=$(port product-service.http)
STOREFRONT_PORT=$(port storefront.http)

bench_gatling() { # simulation-class log-name -Dproperty=value... : one Gatling run; its console in the log
  local class=$1 log="$LOG_DIR/bench-$2.log"
  shift 2
  mvnw -B -q -f "$ROOT/load-tests/pom.xml" gatling:test "-Dgatling.simulationClass=com.example.shop.loadtests.$class" \
    "$@" >"$log" 2>&1 || { tail -n 30 "$log" >&2; return 1; }
}

bench_catalog_line() { # log label [part] : the figures of Gatling's global summary (its "| Total | OK | KO" table)
  local log="$LOG_DIR/bench-$1.log"
  awk -F'|' -v label="$2" -v part="${3:-catalog}" '
    function total(field) { gsub(/[ ,]/, "", field); return field }
    /^---- Global Information/                 { global = 1 }
    global && /> request count/                { count = total($2); ko = total($4) }
    global && /> response time 50th percentile/ { p50 = total($2) }
    global && /> response time 99th percentile/ { p99 = total($2) }
    global && /> mean throughput/              { rps = total($2) }
    END { if (ko == "-") ko = 0
          printf "bench %s %-20s %s requests/s, p50 %s ms, p99 %s ms (%s requests, %s failed)\n", part, label, rps, p50, p99, count, ko }' "$log"
}

cmd_bench() {
  local parts="${*:-catalog storefront saga}" rate line held="none" started
  started=$(now)
  data_set_require_nothing_running "./platform bench"
  data_set_use bench
  export PLATFORM_DATA_SET=bench
  prepare_run
  SERVICE_JVM_FLAGS="${PLATFORM_SERVICE_JVM_FLAGS:--Xms256m -Xmx512m}"
  export GATEWAY_RATE_LIMIT_API_REPLENISH_RATE=100000 GATEWAY_RATE_LIMIT_API_BURST_CAPACITY=200000
  export GATEWAY_RATE_LIMIT_CHECKOUT_REPLENISH_RATE=100000 GATEWAY_RATE_LIMIT_CHECKOUT_BURST_CAPACITY=200000
  step "bench: its own $(data_set_describe), services with $SERVICE_JVM_FLAGS (JVM ergonomics otherwise)"
  postgres_ensure_server
  rabbit_ensure_management
  data_set_remove
  trap 'cmd_down >/dev/null 2>&1 || true' EXIT
  cmd_up
  step "bench: compiling the simulations (load-tests/)"
  mvnw -B -q -f "$ROOT/load-tests/pom.xml" test-compile >"$LOG_DIR/bench-compile.log" 2>&1 \
    || { tail -n 30 "$LOG_DIR/bench-compile.log" >&2; die "load-tests did not compile"; }
  for part in $parts; do
    case "$part" in
      catalog)
        # Warm-up first: C2 compiles the hot paths within the first seconds of load. Then, side by side, one
        # visitor at a time (what the gateway adds to a request) and many at once (what each serves at most).
        step "bench: catalog through the gateway and straight to product-service, 1 and ${BENCH_CATALOG_USERS:-32} visitors at once, ${BENCH_CATALOG_SECONDS:-20} s each"
        bench_gatling CatalogSimulation catalog-warmup -Dusers=8 -Dseconds=20 || die "the catalog warm-up failed (.platform/logs/bench-catalog-warmup.log)"
        for users in 1 "${BENCH_CATALOG_USERS:-32}"; do
          bench_gatling CatalogSimulation "catalog-gateway-$users" "-Dusers=$users" "-Dseconds=${BENCH_CATALOG_SECONDS:-20}" \
            -DbaseUrl="http://127.0.0.1:$GATEWAY_PORT" || die "the catalog run through the gateway failed"
          bench_gatling CatalogSimulation "catalog-direct-$users" "-Dusers=$users" "-Dseconds=${BENCH_CATALOG_SECONDS:-20}" \
            -DbaseUrl="http://127.0.0.1:$PRODUCT_SERVICE_PORT" || die "the catalog run straight to product-service failed"
          bench_catalog_line "catalog-gateway-$users" "gateway, $users at once"
          bench_catalog_line "catalog-direct-$users" "direct, $users at once"
        done
        ;;
      storefront)
        # The shop's pages rendered on the server (each calls the API through the gateway), one visitor at a time:
        # how long a page takes, through the gateway as a browser sees it and straight from the storefront.
        step "bench: storefront pages, 1 visitor at a time, through the gateway and straight, ${BENCH_CATALOG_SECONDS:-20} s each"
        bench_gatling StorefrontSimulation storefront-warmup -Dusers=4 -Dseconds=20 || die "the storefront warm-up failed (.platform/logs/bench-storefront-warmup.log)"
        bench_gatling StorefrontSimulation storefront-gateway "-Dseconds=${BENCH_CATALOG_SECONDS:-20}" \
          -DbaseUrl="http://localhost:$GATEWAY_PORT" || die "the storefront run through the gateway failed"
        bench_gatling StorefrontSimulation storefront-direct "-Dseconds=${BENCH_CATALOG_SECONDS:-20}" \
          -DbaseUrl="http://localhost:$STOREFRONT_PORT" || die "the storefront run straight to the storefront failed"
        bench_catalog_line storefront-gateway "pages via gateway" storefront
        bench_catalog_line storefront-direct "pages direct" storefront
        ;;
      saga)
        step "bench: the saga at rising arrival rates (${BENCH_SAGA_RATES:-2 5 10 20 30 40 50} orders/s, ${BENCH_SAGA_SECONDS:-60} s each) until one does not hold"
        # Warm-up, not judged: the saga's services compile their hot paths (C2) and fill their pools.
        bench_gatling SagaThroughputSimulation saga-warmup -Drate=2 -Dseconds=30 \
          || die "the saga warm-up failed (.platform/logs/bench-saga-warmup.log)"
        say "bench warm-up: $(grep '^SAGA ' "$LOG_DIR/bench-saga-warmup.log" | tail -n 1)"
        sleep 10
        for rate in ${BENCH_SAGA_RATES:-2 5 10 20 30 40 50}; do
          bench_gatling SagaThroughputSimulation "saga-$rate" "-Drate=$rate" "-Dseconds=${BENCH_SAGA_SECONDS:-60}" \
            || die "the saga run at $rate/s failed (.platform/logs/bench-saga-$rate.log)"
          line=$(grep '^SAGA ' "$LOG_DIR/bench-saga-$rate.log" | tail -n 1)
          say "bench $line"
          case "$line" in *"-> HELD") held=$rate ;; *) break ;; esac
          # Drain what the last run left before the next one starts.
          sleep 15
        done
        say "bench saga: the highest arrival rate held for ${BENCH_SAGA_SECONDS:-60} s (0 refused, every order terminal within 2 s): $held orders/s"
        ;;
      *) die "unknown part '$part' (catalog, storefront, saga)" ;;
    esac
  done
  trap - EXIT
  cmd_down >/dev/null
  data_set_remove >/dev/null
  say "bench: done in $(( $(now) - started ))s; Gatling's reports in load-tests/target/gatling/, the runs' consoles in .platform/logs/bench-*.log"
}
