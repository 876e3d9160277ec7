# shellcheck shell=bash
# The part redis: the Redis of this machine, which must already run (./platform does not start it: its require
# is the ensure). The data set chooses the database (tools/platform/data-sets.sh). Defines the part functions
# (redis_*) and REDIS_PORT.

REDIS_PORT=$(port redis)

redis_require() {
  port_open "$REDIS_PORT" && return 0
  warn "Redis is not answering on 127.0.0.1:$REDIS_PORT; install/start it: Debian/Ubuntu: \`sudo apt-get install redis-server && sudo service redis-server start\`; macOS: \`brew install redis && brew services start redis\`"
  return 1
}

redis_launch() { :; }                # runs already (required)
redis_ensure() { :; }
redis_stop() { :; }                  # not ours

redis_status() {
  if port_open "$REDIS_PORT"; then
    status_row redis "$REDIS_PORT" - "UP (local)"
  else
    status_row redis "$REDIS_PORT" - "not running"
    return 1
  fi
}

redis_ports() { :; }                 # not ours
redis_urls() { :; }                  # no UI
