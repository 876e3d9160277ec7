# shellcheck shell=bash
# Sourced by ./platform: the services' RabbitMQ users. One user per service with the permissions of
# deploy/rabbitmq/permissions on the data set's virtual host ("/" for the demo's, shop-smoke for the smoke's:
# tools/platform/data-sets.sh), password "<service>-dev-rabbitmq" (the services'
# application.yml default), created or updated through the management API with the broker's administrator
# account (guest/guest on a fresh local RabbitMQ; RABBITMQ_ADMIN_USER and RABBITMQ_ADMIN_PASSWORD otherwise).
# Uses ./platform's helpers (say, warn, die, port_open, running_pid) and RABBIT_UI_PORT; defines only rabbit_* functions and
# RABBIT_* variables.

RABBIT_ADMIN_USER="${RABBITMQ_ADMIN_USER:-guest}"
RABBIT_ADMIN_PASSWORD="${RABBITMQ_ADMIN_PASSWORD:-guest}"
RABBIT_PERMISSIONS="$ROOT/deploy/rabbitmq/permissions"

rabbit_api() { # method path [json body]: prints the answer, fails on an HTTP error
  curl -fsS -m 10 -u "$RABBIT_ADMIN_USER:$RABBIT_ADMIN_PASSWORD" -H 'Content-Type: application/json' \
    -X "$1" ${3:+--data-raw "$3"} "http://127.0.0.1:$RABBIT_UI_PORT/api/$2"
}

rabbit_json_string() { # value -> a JSON string (the permission patterns hold backslashes)
  local value=${1//\\/\\\\}
  value=${value//\"/\\\"}
  printf '"%s"' "$value"
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
    rabbit_api PUT "users/$user" "{\"password\":$(rabbit_json_string "$user-dev-rabbitmq"),\"tags\":\"\"}" >/dev/null \
      || die "could not create the RabbitMQ user $user as $RABBIT_ADMIN_USER (set RABBITMQ_ADMIN_USER and RABBITMQ_ADMIN_PASSWORD to an administrator of the local RabbitMQ)"
    rabbit_api PUT "permissions/$vhost/$user" "{\"configure\":$(rabbit_json_string "$configure"),\"write\":$(rabbit_json_string "$write"),\"read\":$(rabbit_json_string "$read")}" >/dev/null \
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
  local vhost names name details base bases="" member members service empty
  vhost=$(data_set_vhost_path)
  names=$(rabbit_api GET "queues/$vhost?columns=name" 2>/dev/null | grep -o '"name":"[^"]*"' \
    | sed 's/^"name":"//; s/"$//') || return 0
  for name in $names; do
    details=$(rabbit_api GET "queues/$vhost/$name?columns=arguments" 2>/dev/null) || continue
    rabbit_queue_outdated "$name" "$details" || continue
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
    empty=1
    for member in $members; do
      # messages_dlx: dead letters the queue still keeps for an at-least-once target that has not taken them.
      case "$(rabbit_api GET "queues/$vhost/$member?columns=messages,messages_dlx" 2>/dev/null)" in
        '{"messages":0,"messages_dlx":0}' | '{"messages":0}') ;;
        *) empty=0; warn "RabbitMQ: $member, declared by an earlier version, is not empty: $base and its tiers stay as they are, and its service cannot declare them until they are replaced (docs/messaging.md, Upgrading a running platform)" ;;
      esac
    done
    [ "$empty" = 1 ] || continue
    for member in $members; do
      rabbit_api DELETE "queues/$vhost/$member" >/dev/null \
        && say "    RabbitMQ: deleted $member, an empty queue of an earlier version (its service declares it again)"
    done
  done
}

rabbit_queue_outdated() { # name details-json: declared by an earlier version of libs/messaging
  case "$1" in
    *.retry.[0-9]*) case "$2" in *'"x-dead-letter-exchange":""'*) return 0 ;; esac ;;
  esac
  case "$2" in *'"x-max-length":'*) return 1 ;; esac
  # The library's queues: Q and its tiers dead-letter at-least-once; Q.dlq is a quorum queue named so.
  case "$1|$2" in
    *'"x-dead-letter-strategy":"at-least-once"'*) return 0 ;;
    *.dlq'|'*'"x-queue-type":"quorum"'*) return 0 ;;
  esac
  return 1
}

rabbit_queue_set() { # a queue's name -> the consumed queue it belongs to (<queue>.retry.N, <queue>.dlq -> <queue>)
  printf '%s\n' "${1%.dlq}" | sed 's/\.retry\.[0-9]*$//'
}

rabbit_users() { # the user names of deploy/rabbitmq/permissions
  awk '$0 !~ /^[[:space:]]*(#|$)/ { print $1 }' "$RABBIT_PERMISSIONS"
}
