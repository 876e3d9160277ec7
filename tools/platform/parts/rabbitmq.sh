# shellcheck shell=bash
# The part rabbitmq: the RabbitMQ of this machine, which must already run (./platform does not start it: its
# require is the ensure). Its management plugin is enabled when this machine lets us (the UI is in the port table,
# and the tests create a virtual host per test class through its HTTP API), and each service gets a RabbitMQ
# user of its own with the permissions of deploy/rabbitmq/permissions on the data set's virtual host ("/" for the
# demo's, shop-smoke for the smoke's: tools/platform/data-sets.sh), password "<service>-dev-rabbitmq" (the
# services' application.yml default), created or updated through the management API with the broker's
# administrator account (guest/guest on a fresh local RabbitMQ; RABBITMQ_ADMIN_USER and RABBITMQ_ADMIN_PASSWORD
# otherwise). Defines the part functions (rabbitmq_*), rabbit_* helpers and RABBIT_* variables.

RABBIT_PORT=$(port rabbitmq.amqp)
RABBIT_UI_PORT=$(port rabbitmq.management)
RABBIT_ADMIN_USER="${RABBITMQ_ADMIN_USER:-guest}"
RABBIT_ADMIN_PASSWORD="${RABBITMQ_ADMIN_PASSWORD:-guest}"
RABBIT_PERMISSIONS="$ROOT/deploy/rabbitmq/permissions"

# ---- the part ---------------------------------------------------------------------------------------------

rabbitmq_require() {
  if ! port_open "$RABBIT_PORT"; then
    warn "RabbitMQ is not answering on 127.0.0.1:$RABBIT_PORT; install/start it: Debian/Ubuntu: \`sudo apt-get install rabbitmq-server && sudo service rabbitmq-server start\`; macOS: \`brew install rabbitmq && brew services start rabbitmq\`"
    return 1
  fi
  rabbit_ensure_management
  rabbit_ensure_users
}

rabbitmq_launch() { :; }             # runs already (required)
rabbitmq_ensure() { :; }
rabbitmq_stop() { :; }               # not ours

rabbitmq_status() {
  local health
  if port_open "$RABBIT_PORT"; then
    health="UP (local)"
    port_open "$RABBIT_UI_PORT" || health="UP (local; management UI off)"
  else
    health="not running"
  fi
  status_row rabbitmq "$RABBIT_PORT,$RABBIT_UI_PORT" - "$health"
  [ "$health" != "not running" ]
}

rabbitmq_ports() { :; }              # not ours

rabbitmq_urls() {
  if port_open "$RABBIT_UI_PORT"; then url_line "RabbitMQ UI" "http://localhost:$RABBIT_UI_PORT   (guest/guest)"; fi
}

# The management plugin needs rights on the local RabbitMQ: try, never fail on it.
rabbit_ensure_management() {
  port_open "$RABBIT_UI_PORT" && return 0
  have rabbitmq-plugins || return 0
  say "    enabling the RabbitMQ management plugin (UI on $RABBIT_UI_PORT)"
  if rabbitmq-plugins enable rabbitmq_management >"$LOG_DIR/rabbitmq-plugins.log" 2>&1; then
    wait_for_port "$RABBIT_UI_PORT" 20 || warn "RabbitMQ management UI not answering on $RABBIT_UI_PORT yet"
  else
    warn "could not enable rabbitmq_management (see .platform/logs/rabbitmq-plugins.log); the UI will be missing"
  fi
}

# ---- the services' users ----------------------------------------------------------------------------------

rabbit_api() { # method path [json body]: prints the answer, fails on an HTTP error
  curl -fsS -m 10 -u "$RABBIT_ADMIN_USER:$RABBIT_ADMIN_PASSWORD" -H 'Content-Type: application/json' \
    -X "$1" ${3:+--data-raw "$3"} "http://127.0.0.1:$RABBIT_UI_PORT/api/$2"
}

rabbit_ensure_users() {
  local user configure write read count=0 vhost
  [ -f "$RABBIT_PERMISSIONS" ] || return 0
  port_open "$RABBIT_UI_PORT" \
    || die "RabbitMQ's management API does not answer on $RABBIT_UI_PORT; the services' users are made through it (rabbitmq-plugins enable rabbitmq_management)"
  vhost=$(data_set_vhost_path)
  if [ "$RABBIT_VHOST" != / ]; then
    # Another data set's own virtual host; the administrator may use it too (the observability check publishes
    # a poison message through the management API).
    rabbit_api PUT "vhosts/$vhost" '{"description":"./platform data set"}' >/dev/null \
      || die "could not create the RabbitMQ virtual host $RABBIT_VHOST as $RABBIT_ADMIN_USER"
    rabbit_api PUT "permissions/$vhost/$RABBIT_ADMIN_USER" '{"configure":".*","write":".*","read":".*"}' >/dev/null \
      || die "could not give $RABBIT_ADMIN_USER permissions on the RabbitMQ virtual host $RABBIT_VHOST"
  fi
  while read -r user configure write read; do
    case "$user" in '' | '#'*) continue ;; esac
    # The bodies made by jq: the permission patterns hold backslashes, which JSON must escape.
    rabbit_api PUT "users/$user" "$(jq -cn --arg password "$user-dev-rabbitmq" '{password: $password, tags: ""}')" >/dev/null \
      || die "could not create the RabbitMQ user $user as $RABBIT_ADMIN_USER (set RABBITMQ_ADMIN_USER and RABBITMQ_ADMIN_PASSWORD to an administrator of the local RabbitMQ)"
    rabbit_api PUT "permissions/$vhost/$user" \
      "$(jq -cn --arg configure "$configure" --arg write "$write" --arg read "$read" '{configure: $configure, write: $write, read: $read}')" >/dev/null \
      || die "could not set the RabbitMQ permissions of $user"
    count=$((count + 1))
  done <"$RABBIT_PERMISSIONS"
  say "    RabbitMQ: $count service users with their own permissions on the virtual host $RABBIT_VHOST (deploy/rabbitmq/permissions)"
  rabbit_migrate_queues
}

# Queues declared by an earlier version of libs/messaging, whose arguments differ from what a service of this
# version declares (RabbitMQ refuses such a declaration: PRECONDITION_FAILED inequivalent arg, and the service
# cannot consume):
#   - retry tiers (<queue>.retry.N) that dead-letter to the default exchange instead of <queue>.redelivery;
#   - a queue, retry tier or parking queue (<queue>.dlq) without x-max-length, made before the length limit.
# Queue arguments cannot be changed in place, so they are deleted and the service declares them again at start.
# Only while no service runs (nothing can arrive between the look and the delete; quorum queues have no
# delete-if-empty), and a queue's whole set (<queue>, its tiers, <queue>.dlq) only when every one of them is
# empty: a set that is half replaced would leave the service unable to declare the rest. A tier empties itself
# within its TTL (run up again then); messages that wait in <queue> itself need their consumer, see
# docs/messaging.md, "Upgrading a running platform".
rabbit_migrate_queues() {
  local vhost queues names name base bases="" member members service
  vhost=$(data_set_vhost_path)
  queues=$(rabbit_api GET "queues/$vhost?columns=name,arguments" 2>/dev/null) || return 0
  names=$(json '.[].name' "$queues") || return 0
  for name in $(rabbit_outdated_queues "$queues"); do
    base=$(rabbit_queue_set "$name")
    case " $bases " in *" $base "*) ;; *) bases="$bases $base" ;; esac
  done
  [ -n "$bases" ] || return 0
  for service in $(rabbit_users); do
    if running_pid "$service" >/dev/null; then
      warn "RabbitMQ: the queues of$bases were declared by an earlier version; ./platform down, then up, replaces them"
      return 0
    fi
  done
  for base in $bases; do
    members=$(printf '%s\n' "$names" | grep -E "^$(printf '%s' "$base" | sed 's/\./\\./g')(\.retry\.[0-9]+|\.dlq)?\$")
    # shellcheck disable=SC2086 # a list of queue names
    rabbit_queues_empty "$vhost" "$base" $members || continue
    for member in $members; do
      rabbit_api DELETE "queues/$vhost/$member" >/dev/null \
        && say "    RabbitMQ: deleted $member, an empty queue of an earlier version (its service declares it again)"
    done
  done
}

# The queues (name, arguments: the management API's JSON) an earlier version of libs/messaging declared: retry
# tiers that dead-letter to the default exchange; else, without x-max-length, the library's queues: Q and its tiers
# dead-letter at-least-once, Q.dlq is a quorum queue named so. Arguments are [] rather than {} when a queue has none.
rabbit_outdated_queues() { # queues-json -> their names
  # shellcheck disable=SC2016 # $arguments is jq's variable
  json '.[]
    | (.arguments | if type == "object" then . else {} end) as $arguments
    | select(if (.name | test("\\.retry\\.[0-9]")) and $arguments["x-dead-letter-exchange"] == "" then true
             elif $arguments | has("x-max-length") then false
             else $arguments["x-dead-letter-strategy"] == "at-least-once"
                  or ((.name | endswith(".dlq")) and $arguments["x-queue-type"] == "quorum")
             end)
    | .name' "$1"
}

rabbit_queues_empty() { # vhost base member... : every member empty, else a warning
  local vhost=$1 base=$2 member empty=0
  shift 2
  for member in "$@"; do
    # messages_dlx: dead letters the queue still keeps for an at-least-once target that has not taken them.
    json_true '.messages == 0 and (.messages_dlx // 0) == 0' \
      "$(rabbit_api GET "queues/$vhost/$member?columns=messages,messages_dlx" 2>/dev/null)" && continue
    empty=1
    warn "RabbitMQ: $member, declared by an earlier version, is not empty: $base and its tiers stay as they are, and its service cannot declare them until they are replaced (docs/messaging.md, Upgrading a running platform)"
  done
  return "$empty"
}

rabbit_queue_set() { # a queue's name -> the consumed queue it belongs to (<queue>.retry.N, <queue>.dlq -> <queue>)
  printf '%s\n' "${1%.dlq}" | sed 's/\.retry\.[0-9]*$//'
}

rabbit_users() { # the user names of deploy/rabbitmq/permissions
  awk '$0 !~ /^[[:space:]]*(#|$)/ { print $1 }' "$RABBIT_PERMISSIONS"
}
