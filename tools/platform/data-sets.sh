# shellcheck shell=bash
# Sourced by ./platform: data sets, what a platform runs on. One platform runs at a time (the ports are the
# contract's), on one data set:
#
#   demo (the default)  databases product, inventory, orders, payment, notification, keycloak; RabbitMQ's virtual
#                       host "/"; Redis database 0; Kafka's and Prometheus' data in .platform/kafka/data and
#                       .platform/prometheus/data. What `./platform up` gives a user, and what they play with.
#   <name>              PLATFORM_DATA_SET=<name> ./platform up: databases product_<name>, ..., keycloak_<name>;
#                       virtual host shop-<name>; Redis database 1 (PLATFORM_REDIS_DATABASE chooses another);
#                       Kafka's and Prometheus' data in .platform/data-sets/<name>/. The realm is imported into
#                       its Keycloak database like into the demo's.
#
# `./platform smoke` (so `./platform test`) runs on the data set "smoke", removed and created fresh before the
# run and removed after a pass (kept after a failure, to look at), so the tests neither depend on the demo's
# data nor change it; data_set_fingerprint is the proof the smoke checks. Uses the helpers of lib/ and the parts
# (running_pid, rabbit_api, postgres_databases, ...); defines only data_set_* functions and the variables below.

DATA_SET=demo
DB_SUFFIX=""           # appended to every database name
RABBIT_VHOST="/"
REDIS_DATABASE=0
DATA_DIR="$STATE"      # holds kafka/ (data, cluster.id, server.properties), prometheus/data, keycloak/realm.digest
DATA_SET_FILE="$RUN_DIR/data-set"   # the data set of the running platform, written by up, removed by down

data_set_use() { # name
  case "$1" in
    demo)
      DB_SUFFIX=""; RABBIT_VHOST="/"; REDIS_DATABASE="${PLATFORM_REDIS_DATABASE:-0}"; DATA_DIR="$STATE" ;;
    [a-z]*)
      # A name that is a valid part of a database name, a virtual host and a directory, and short.
      case "$1" in *[!a-z0-9]*) die "PLATFORM_DATA_SET=$1: a data set's name is lower-case letters and digits" ;; esac
      [ "${#1}" -le 16 ] || die "PLATFORM_DATA_SET=$1: a data set's name has at most 16 characters"
      DB_SUFFIX="_$1"; RABBIT_VHOST="shop-$1"; REDIS_DATABASE="${PLATFORM_REDIS_DATABASE:-1}"
      DATA_DIR="$STATE/data-sets/$1" ;;
    *) die "PLATFORM_DATA_SET=$1: a data set's name is lower-case letters and digits, starting with a letter" ;;
  esac
  DATA_SET=$1
}

data_set_db() { printf '%s%s\n' "$1" "$DB_SUFFIX"; }   # product -> product_smoke

data_set_databases() { # this data set's database names
  local name
  for name in $DATABASES; do data_set_db "$name"; done
}

data_set_vhost_path() { # the virtual host as the management API's URLs spell it
  if [ "$RABBIT_VHOST" = / ]; then printf '%%2F\n'; else printf '%s\n' "$RABBIT_VHOST"; fi
}

data_set_any_part_running() {
  local name
  for name in $SERVICES kafka keycloak mail zipkin prometheus; do
    running_pid "$name" >/dev/null && return 0
  done
  return 1
}

data_set_running() { # the data set of the running platform; nothing when no part of it runs
  data_set_any_part_running || return 0
  cat "$DATA_SET_FILE" 2>/dev/null || say demo     # no file: started by a version without data sets
}

# The data set of this command: PLATFORM_DATA_SET, else the running platform's (so `status`, `chaos` and `down`
# act on what runs), else the demo's.
data_set_choose() {
  local running
  running=$(data_set_running)
  data_set_use "${PLATFORM_DATA_SET:-${running:-demo}}"
}

# Before `up` starts anything: a platform running on another data set is in the way (the same ports).
data_set_require_running_is_ours() {
  local running
  running=$(data_set_running)
  [ -z "$running" ] || [ "$running" = "$DATA_SET" ] \
    || die "the platform runs on the data set '$running', not '$DATA_SET'; ./platform down first (its data stays)"
  mkdir -p "$RUN_DIR" "$DATA_DIR"
  printf '%s\n' "$DATA_SET" >"$DATA_SET_FILE"
}

data_set_forget_running() { rm -f "$DATA_SET_FILE"; }

data_set_describe() { # one line for status and up
  if [ "$DATA_SET" = demo ]; then
    say "data set demo (databases $DATABASES; RabbitMQ vhost /; Redis database $REDIS_DATABASE)"
  else
    say "data set $DATA_SET (databases $(data_set_databases | tr '\n' ' ' | sed 's/ $//'); RabbitMQ vhost $RABBIT_VHOST; Redis database $REDIS_DATABASE; .platform/data-sets/$DATA_SET/)"
  fi
}

# Redis over bash's /dev/tcp (no redis-cli needed): FLUSHDB on this data set's database.
data_set_flush_redis() {
  local reply
  reply=$(
    exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" || exit 1
    printf 'SELECT %s\r\nFLUSHDB\r\nQUIT\r\n' "$REDIS_DATABASE" >&3
    cat <&3
  ) 2>/dev/null || true
  case "$reply" in
    *"+OK"*"+OK"*"+OK"*) ;;
    *) die "could not empty Redis database $REDIS_DATABASE on 127.0.0.1:$REDIS_PORT (answer: $(printf '%s' "$reply" | tr '\r\n' '  '))" ;;
  esac
}

# Removes everything of a data set other than the demo's: databases, virtual host, Redis database, directory.
# Nothing of it may run (the caller checks).
data_set_remove() {
  [ "$DATA_SET" != demo ] || die "the demo's data set is never removed by ./platform"
  postgres_ensure_jdbc_driver
  # shellcheck disable=SC2046 # a list of names
  postgres_databases drop $(data_set_databases) \
    | sed 's/^/    /' || die "could not drop the databases of the data set $DATA_SET on 127.0.0.1:$PG_PORT"
  if rabbit_api GET "vhosts/$(data_set_vhost_path)" >/dev/null 2>&1; then
    rabbit_api DELETE "vhosts/$(data_set_vhost_path)" >/dev/null \
      || die "could not delete the RabbitMQ virtual host $RABBIT_VHOST"
    say "    RabbitMQ virtual host $RABBIT_VHOST: deleted"
  fi
  data_set_flush_redis
  say "    Redis database $REDIS_DATABASE: emptied"
  rm -rf "$DATA_DIR"
}

# What the demo's data is, in lines that differ when any of it changed: every row of its databases (those that
# exist), the names of the queues and exchanges of its virtual host "/", and the files of its Kafka and
# Prometheus data with their sizes (none of them changes while the demo's platform is down). Not Redis: the
# demo's rate-limit buckets and cached products expire there by themselves; the smoke uses another database.
# Queue lengths neither: messages the demo left in a retry tier move to their queue by themselves when their
# time is up.
data_set_fingerprint_demo() {
  local name dir file
  postgres_ensure_jdbc_driver
  # shellcheck disable=SC2086 # a list of names
  postgres_databases fingerprint $DATABASES \
    || die "could not read the demo's databases on 127.0.0.1:$PG_PORT"
  for name in queues exchanges; do
    { rabbit_api GET "$name/%2F?columns=name" 2>/dev/null || say '[]'; } | json '.[].name' \
      | LC_ALL=C sort | sed "s|^|rabbitmq / $name |"
  done
  for dir in "$STATE/kafka/data" "$STATE/prometheus/data"; do
    [ -d "$dir" ] || continue
    find "$dir" -type f | LC_ALL=C sort | while IFS= read -r file; do
      printf '%s %s bytes\n' "${file#"$STATE"/}" "$(wc -c <"$file" | tr -d ' ')"
    done
  done
}

# Compares the demo's data with a fingerprint taken before: fails, showing what changed, when it differs.
data_set_check_demo_unchanged() { # fingerprint-file-before what
  local after="$1.after"
  data_set_fingerprint_demo >"$after"
  if ! diff "$1" "$after" >"$1.diff"; then
    warn "$2 changed the demo's data (lines < before, > after):"
    head -n 40 "$1.diff" >&2
    return 1
  fi
  say "    the demo's data is as it was before $2 ($(wc -l <"$after" | tr -d ' ') tables, queues, exchanges and files compared)"
}

# The smoke runs a platform of its own on the contract's ports: nothing may run on them already.
data_set_require_nothing_running() { # what
  local running
  running=$(data_set_running)
  [ -z "$running" ] \
    || die "$1 runs a platform of its own (data set smoke) on the ports of the one running now (data set $running): ./platform down first; its data stays as it is"
}

# `./platform remove-data-set <name>`: a data set of a user's, with everything in it; never the demo's, never
# the one that runs.
cmd_remove_data_set() {
  local name="${1:-}"
  [ -n "$name" ] || die "usage: ./platform remove-data-set <name>"
  [ "$name" != demo ] || die "the demo's data set is never removed by ./platform (drop its databases by hand if you must)"
  [ "$(data_set_running)" != "$name" ] || die "the platform runs on the data set $name; ./platform down first"
  data_set_use "$name"
  prepare_run
  step "removing the $(data_set_describe)"
  postgres_ensure_server >/dev/null
  data_set_remove
}
