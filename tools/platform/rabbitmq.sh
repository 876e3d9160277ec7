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
  rabbit_migrate_retry_tiers
}

# Retry tiers (<queue>.retry.N) declared by an earlier version dead-letter to the default exchange; a service
# of this version declares them dead-lettering to <queue>.redelivery, and RabbitMQ refuses a declaration whose
# arguments differ from the existing queue's. They are deleted while empty and while no service that uses them
# runs (nothing can arrive between the look and the delete; quorum queues have no delete-if-empty), and the
# service declares them again at start. One that holds messages empties itself within its TTL (at most
# minutes): run up again then.
rabbit_migrate_retry_tiers() {
  local names name details service
  names=$(rabbit_api GET "queues/$(data_set_vhost_path)?columns=name" 2>/dev/null | grep -o '"name":"[^"]*\.retry\.[0-9]*"' \
    | sed 's/^"name":"//; s/"$//') || return 0
  for name in $names; do
    details=$(rabbit_api GET "queues/$(data_set_vhost_path)/$name" 2>/dev/null) || continue
    case "$details" in *'"x-dead-letter-exchange":""'*) ;; *) continue ;; esac
    for service in $(rabbit_users); do
      if running_pid "$service" >/dev/null; then
        warn "RabbitMQ: $name is a retry tier of an earlier version; ./platform down, then up, replaces it"
        continue 2
      fi
    done
    case "$details" in
      *'"messages":0,'* | *'"messages":0}'*)
        rabbit_api DELETE "queues/$(data_set_vhost_path)/$name" >/dev/null \
          && say "    RabbitMQ: deleted $name, an empty retry tier of an earlier version (its service declares it again)" ;;
      *) warn "RabbitMQ: $name, a retry tier of an earlier version, still holds messages; run ./platform up again once its TTL has passed" ;;
    esac
  done
}

rabbit_users() { # the user names of deploy/rabbitmq/permissions
  awk '$0 !~ /^[[:space:]]*(#|$)/ { print $1 }' "$RABBIT_PERMISSIONS"
}
