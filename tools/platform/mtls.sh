# shellcheck shell=bash
# Sourced by ./platform: the mtls profile (docs/security.md#mtls-between-services). `PLATFORM_MTLS=1 ./platform up`
# makes a development CA and a certificate per service in .platform/mtls/ (tools/mtls/dev-certs; kept, so a
# restart keeps the CA) and starts every service with the Spring profile mtls: HTTP and gRPC between services over
# TLS with client certificates. The gateway's public port, the actuators (management ports), Eureka and Keycloak
# stay plain HTTP. `status`, `chaos` and `down` follow the running platform's choice. Uses ./platform's helpers;
# defines only mtls_* functions and MTLS_* variables.

MTLS_LOCAL_DIR="$STATE/mtls"
MTLS_FILE="$RUN_DIR/mtls"                  # present while a platform started with the profile runs
MTLS_DEV_PASSWORD=dev-mtls-keystore        # the development keystores' password (never used outside this machine)

mtls_on() {
  [ "${PLATFORM_MTLS:-0}" = 1 ] && return 0
  [ -f "$MTLS_FILE" ] && data_set_any_part_running
}

# up, before anything starts: the certificates, and the choice recorded for the commands that follow.
mtls_prepare() {
  if ! mtls_on; then
    data_set_any_part_running || rm -f "$MTLS_FILE"
    return 0
  fi
  if data_set_any_part_running && [ ! -f "$MTLS_FILE" ]; then
    die "the platform runs without the mtls profile; ./platform down first, then PLATFORM_MTLS=1 ./platform up"
  fi
  # shellcheck disable=SC2046 # a list of names
  MTLS_KEYSTORE_PASSWORD="$MTLS_DEV_PASSWORD" "$ROOT/tools/mtls/dev-certs" "$MTLS_LOCAL_DIR" $(existing_services) \
    | sed 's/^/    /' || die "could not make the development certificates (tools/mtls/dev-certs)"
  mkdir -p "$RUN_DIR"
  : >"$MTLS_FILE"
}

mtls_env() { # in service_env
  mtls_on || return 0
  export SPRING_PROFILES_ACTIVE=mtls MTLS_DIR="$MTLS_LOCAL_DIR" MTLS_KEYSTORE_PASSWORD="$MTLS_DEV_PASSWORD"
}

mtls_describe() { # a word for status and up
  if mtls_on; then say "mtls on (.platform/mtls/)"; else say "mtls off"; fi
}

mtls_forget() { rm -f "$MTLS_FILE"; }
