# shellcheck shell=bash
# The part mail: a local development mail server, GreenMail standalone from its Maven artifact, SMTP on
# mail.smtp (3025) and its HTTP API on mail.http (8025), accepting any recipient without authentication;
# notification-service sends to it, and the mails it received are readable over the API (compose runs Mailpit
# instead). Another SMTP server already on the SMTP port (e.g. Mailpit) is used as it is. Only when
# notification-service is in this checkout. Defines the part functions (mail_*) and SMTP_PORT, MAIL_*.

SMTP_PORT=$(port mail.smtp)
MAIL_API_PORT=$(port mail.http)
MAIL_JAR=""    # set by mail_install
process_kind mail "greenmail-standalone" "$STATE/lib/greenmail-standalone"

mail_wanted() { [ -f "$ROOT/notification-service/pom.xml" ]; }

mail_require() { :; }                # its ports are looked at when it starts: another SMTP server is welcome

mail_launch() { :; }                 # started in turn (ensure): it is ready within seconds

mail_ensure() {
  local pid
  mail_wanted || return 0
  if pid=$(running_pid mail); then
    say "    mail: GreenMail already running (pid $pid)"
    return 0
  fi
  if port_open "$SMTP_PORT"; then
    say "    mail: using the SMTP server on 127.0.0.1:$SMTP_PORT"
    return 0
  fi
  port_open "$MAIL_API_PORT" && die "port $MAIL_API_PORT (mail HTTP API) is in use by a process ./platform did not start; stop it (find it: lsof -nP -iTCP:$MAIL_API_PORT -sTCP:LISTEN)"
  mail_install
  say "    starting GreenMail: SMTP 127.0.0.1:$SMTP_PORT, mails over HTTP on 127.0.0.1:$MAIL_API_PORT"
  # greenmail.smtp.*: SMTP only, on the port of ports.properties. auth.disabled: any recipient, no account needed.
  start_detached mail "$LOG_DIR/mail.log" "$JAVA" -Xms32m -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dgreenmail.smtp.hostname=127.0.0.1 "-Dgreenmail.smtp.port=$SMTP_PORT" -Dgreenmail.hostname=127.0.0.1 -Dgreenmail.auth.disabled \
    -Dgreenmail.api.hostname=127.0.0.1 "-Dgreenmail.api.port=$MAIL_API_PORT" -jar "$MAIL_JAR"
  pid=$(started_pid mail)
  wait_for_port "$SMTP_PORT" 30 "$pid" || { show_log_tail mail; die "GreenMail did not open $SMTP_PORT"; }
  wait_until 30 "$pid" mail_ready \
    || { show_log_tail mail; die "GreenMail exited, or its HTTP API does not answer on $MAIL_API_PORT"; }
}

mail_stop() { stop_processes mail; }

mail_status() {
  local pid health ok=0
  mail_wanted || return 0
  if pid=$(running_pid mail); then
    if mail_ready; then health=UP; else health=DOWN; ok=1; fi
  elif port_open "$SMTP_PORT"; then
    pid=-; health="UP (local SMTP)"
  else
    pid=-; health="not running"; ok=1
  fi
  status_row mail "$SMTP_PORT,$MAIL_API_PORT" "$pid" "$health"
  return "$ok"
}

mail_ports() { if running_pid mail >/dev/null; then say "$SMTP_PORT" "$MAIL_API_PORT"; fi; }

mail_urls() {
  if running_pid mail >/dev/null; then
    url_line "Mail (GreenMail)" "SMTP 127.0.0.1:$SMTP_PORT; received mails: curl http://localhost:$MAIL_API_PORT/api/user/<email>/messages/INBOX"
  else
    url_line "Mail" "the SMTP server already on 127.0.0.1:$SMTP_PORT"
  fi
}

# ---- helpers ----------------------------------------------------------------------------------------------

mail_install() {
  local version
  version=$(root_pom_property greenmail.version 2.1.5)
  MAIL_JAR="$STATE/lib/greenmail-standalone-$version.jar"
  [ -f "$MAIL_JAR" ] && return 0
  fetch_artifact "GreenMail $version (local mail server)" "com.icegreen:greenmail-standalone:$version" "$STATE/lib"
  [ -f "$MAIL_JAR" ] || die "GreenMail jar missing after download: $MAIL_JAR"
}

mail_ready() { curl -fsS -m 2 "http://127.0.0.1:$MAIL_API_PORT/api/service/readiness" >/dev/null 2>&1; }

mail_count() { # address -> how many mails GreenMail holds for it (0 when it knows no such user yet)
  curl -fsS -m 5 "http://127.0.0.1:$MAIL_API_PORT/api/user/$1/messages/INBOX" 2>/dev/null | json length || say 0
}
