# shellcheck shell=bash
# Sourced by ./platform after basics.sh: the programs it runs. The processes it starts (a pid file each in
# .platform/run/, each the leader of its own process group, so stopping it also stops anything it forked), the
# JDK 21+ it runs them with (find_jdk), and Maven (mvnw, fetch_with_maven).

STOP_TIMEOUT=20                                    # seconds between SIGTERM and SIGKILL

# ---- the processes ./platform starts ----------------------------------------------------------------------

pid_file() { printf '%s\n' "$RUN_DIR/$1.pid"; }

# Every part registers the processes it starts: the name (its pid file, its log), a string its command line
# contains (guards against a pid the system gave to another process since), and a string by which `down` finds it
# when its pid file is gone (nothing: never searched for, e.g. Prometheus, a binary of the system).
PROCESS_KINDS=""
process_kind() { # name marker [leftover-pattern]
  PROCESS_KINDS="$PROCESS_KINDS$1|$2|${3:-}
"
}

process_marker() { # name -> the string its command line contains
  printf '%s' "$PROCESS_KINDS" | awk -F'|' -v name="$1" '$1 == name { print $2; exit }'
}

running_pid() { # name -> pid when that process of ours is alive
  local file pid args marker
  file=$(pid_file "$1")
  [ -f "$file" ] || return 1
  pid=$(cat "$file" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  args=$(ps -o args= -p "$pid" 2>/dev/null) || return 1
  marker=$(process_marker "$1")
  [ -n "$marker" ] || return 1
  case "$args" in *"$marker"*) printf '%s\n' "$pid" ;; *) return 1 ;; esac
}

start_detached() { # name log-file command... (own session/process group, immune to the terminal closing)
  local name=$1 log=$2
  shift 2
  if [ -f "$log" ]; then mv -f "$log" "$log.1"; fi      # keep the previous run's log, e.g. after a crash
  if have setsid; then
    nohup setsid "$@" >"$log" 2>&1 </dev/null &
  else                                                    # macOS: job control gives the child its own group
    set -m
    nohup "$@" >"$log" 2>&1 </dev/null &
    set +m
  fi
  printf '%s\n' "$!" >"$(pid_file "$name")"
}

started_pid() { cat "$(pid_file "$1")"; }   # name -> the pid start_detached just wrote

signal_process() { # signal pid: the whole process group when pid leads one of its own
  local pgid
  pgid=$(ps -o pgid= -p "$2" 2>/dev/null | tr -d ' ') || true
  if [ -n "$pgid" ] && [ "$pgid" = "$2" ]; then
    kill "-$1" -- "-$2" 2>/dev/null || true
  else
    kill "-$1" "$2" 2>/dev/null || true
  fi
}

stop_processes() { # name... : stop those of them that run
  local name pid pids=""
  for name in "$@"; do
    if pid=$(running_pid "$name"); then
      say "    stopping $name (pid $pid)"
      pids="$pids $pid"
    fi
    rm -f "$(pid_file "$name")"
  done
  # shellcheck disable=SC2086 # a list of pids
  stop_pids $pids
}

stop_pids() { # pid... : SIGTERM all at once, wait up to STOP_TIMEOUT s, then SIGKILL what is left
  local pid pids="$*" deadline left
  [ -n "$pids" ] || return 0
  for pid in $pids; do signal_process TERM "$pid"; done
  deadline=$(( $(now) + STOP_TIMEOUT ))
  while :; do
    left=""
    for pid in $pids; do
      if kill -0 "$pid" 2>/dev/null; then left="$left $pid"; fi
    done
    [ -n "$left" ] || return 0
    if [ "$(now)" -ge "$deadline" ]; then
      for pid in $left; do
        warn "pid $pid did not stop within ${STOP_TIMEOUT}s: SIGKILL"
        signal_process KILL "$pid"
      done
      sleep 1
      return 0
    fi
    sleep 0.5
  done
}

# "pid command" of processes ./platform started that are still running without a pid file, found by the
# leftover patterns the parts registered (all inside .platform/). A jar a developer runs by hand is not one of them.
leftover_processes() {
  local snapshot patterns
  snapshot=$(ps -eo pid=,args= 2>/dev/null) || true
  patterns=$(printf '%s' "$PROCESS_KINDS" | awk -F'|' '$3 != "" { print $3 }' | sort -u)
  # The patterns go through the environment: a newline in `awk -v` is an error for BSD awk (macOS).
  printf '%s\n' "$snapshot" | LEFTOVER_PATTERNS="$patterns" awk -v self="$$" '
    BEGIN { count = split(ENVIRON["LEFTOVER_PATTERNS"], pattern, "\n") }
    $1 != self { for (i = 1; i <= count; i++) if (index($0, pattern[i])) { print; next } }'
}

listening_ports() { # port... -> those of them something still listens on
  local port busy=""
  for port in "$@"; do
    if port_open "$port"; then busy="$busy $port"; fi
  done
  printf '%s\n' "${busy# }"
}

show_log_tail() { # name
  local log="$LOG_DIR/$1.log"
  if [ -f "$log" ]; then
    say "----- last 30 lines of .platform/logs/$1.log -----"
    tail -n 30 "$log"
    say "-----"
  fi
}

# ---- the JDK 21+: $JAVA_HOME, else `java` on PATH, else the usual install locations (the newest wins) -------

JAVA=""         # set by find_jdk
JAVA_MAJOR=0

java_major() { # path to a java binary -> its major version (8, 17, 21, 25...) or nothing
  local version
  version=$("$1" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }') || true
  case "$version" in 1.*) version=${version#1.} ;; esac
  version=${version%%[!0-9]*}
  printf '%s\n' "$version"
}

is_jdk_21() { # directory -> true when it is a JDK (java and javac) of version 21 or newer
  local major
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  major=$(java_major "$1/bin/java")
  [ -n "$major" ] && [ "$major" -ge 21 ]
}

find_jdk() {
  local home="" candidate major best_major=0
  if [ -n "${JAVA_HOME:-}" ] && is_jdk_21 "$JAVA_HOME"; then
    home="$JAVA_HOME"
  elif have java; then
    candidate=$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/^ *java.home = / { print $2; exit }') || true
    if [ -n "$candidate" ] && is_jdk_21 "$candidate"; then home="$candidate"; fi
  fi
  if [ -z "$home" ]; then
    for candidate in /usr/lib/jvm/* /opt/java/* /opt/*jdk* "${HOME:-/nonexistent}"/.sdkman/candidates/java/* \
                     /Library/Java/JavaVirtualMachines/*/Contents/Home "${HOME:-/nonexistent}"/.jdks/*; do
      is_jdk_21 "$candidate" || continue
      major=$(java_major "$candidate/bin/java")
      if [ "$major" -gt "$best_major" ]; then best_major=$major; home="$candidate"; fi
    done
  fi
  if [ -z "$home" ] && [ -x /usr/libexec/java_home ]; then        # macOS' own registry of JDKs
    candidate=$(/usr/libexec/java_home -v 21+ 2>/dev/null) || true
    if [ -n "$candidate" ] && is_jdk_21 "$candidate"; then home="$candidate"; fi
  fi
  [ -n "$home" ] || die "JDK 21+ not found; install e.g. \`apt-get install openjdk-21-jdk\` (macOS: \`brew install openjdk@21\`) or from adoptium.net, or set JAVA_HOME"
  JAVA_HOME="$home"
  PATH="$JAVA_HOME/bin:$PATH"
  JAVA="$JAVA_HOME/bin/java"
  JAVA_MAJOR=$(java_major "$JAVA")
  export JAVA_HOME PATH
}

# The start of most commands: the JDK, and the directories of pid files and logs.
prepare_run() {
  find_jdk
  mkdir -p "$RUN_DIR" "$LOG_DIR"
}

# ---- Maven ------------------------------------------------------------------------------------------------

mvnw() {
  local opts="${MAVEN_OPTS:-}"
  # Maven 3.9's Guice warns about sun.misc.Unsafe on every start on JDK 24+; the flag that silences
  # it is unknown to (and fatal for) older JDKs, so only add it there.
  if [ "$JAVA_MAJOR" -ge 24 ]; then opts="$opts --sun-misc-unsafe-memory-access=allow"; fi
  (cd "$ROOT" && MAVEN_OPTS="$opts" ./mvnw "$@")
}

fetch_with_maven() { # what mvnw-args... : a quiet download; Maven's output only when it fails
  local what=$1 log="$LOG_DIR/maven-fetch.log"
  shift
  say "    fetching $what from Maven"
  if ! mvnw -B -q "$@" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "could not fetch $what (full output: .platform/logs/maven-fetch.log)"
  fi
}

fetch_artifact() { # what groupId:artifactId:version[:type[:classifier]] directory : one artifact, copied there
  fetch_with_maven "$1" -f tools/platform/pom.xml dependency:copy "-Dartifact=$2" "-DoutputDirectory=$3"
}

root_pom_property() { # name default : a version the root pom manages, e.g. greenmail.version
  local value
  value=$(sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$ROOT/pom.xml" | head -n 1)
  say "${value:-$2}"
}
