# SPDX-License-Identifier: MIT
# lib.sh — shared helpers for the integration tests (sourced, not run).
#
# Owns: a throw-away hall in a temp dir — a test hall config, a real mosquitto
# with the config scripts/broker-config generates, on a random free loopback
# port — plus the daemon's start/stop and an outside MQTT client built from
# mosquitto_pub/mosquitto_sub and jq. Everything is removed by an EXIT trap,
# including processes, so a failing test leaves nothing behind.
#
# Environment: JH_BIN_DIR (where jiaohao-caller is; exported, so the scripts use the
# same one: scripts/lib/hall-ini.sh), JH_SOURCE_DIR (the repo),
# JH_BROKER_PLUGIN (the broker's client-id guard; default: lib/ of the build
# JH_BIN_DIR belongs to, so an ASan build tests its own, unsanitized, copy).
#
# Every mosquitto_pub/sub here connects with the client id "<user>:<pid>" (-I
# "<user>:"), the only ids the broker's plugin accepts from a user.
set -euo pipefail

: "${JH_SOURCE_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${JH_BIN_DIR:=$JH_SOURCE_DIR/build/bin}"
export JH_BIN_DIR # scripts/broker-config & co. read the hall config with its jiaohao-caller
CALLER_BIN="$JH_BIN_DIR/jiaohao-caller"
: "${JH_BROKER_PLUGIN:=$(dirname "$JH_BIN_DIR")/lib/jh_broker_guard.so}"
export JH_BROKER_PLUGIN # scripts/broker-config, also when a test runs scripts that run it

T=$(mktemp -d /tmp/jh-it.XXXXXX)
SITE=test-hall
P="jh/v1/$SITE"
CONF="$T/hall.ini"
BROKER_DIR="$T/broker"
CRED="$BROKER_DIR/credentials"
PORT=""
BROKER_PID=""
CALLER_PID=""
BG_PIDS=()

fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "-- $*"; }

cleanup() {
  local rc=$?
  set +e
  for p in "${BG_PIDS[@]}" $CALLER_PID $BROKER_PID; do kill "$p" 2>/dev/null; done
  for p in "${BG_PIDS[@]}" $CALLER_PID $BROKER_PID; do wait "$p" 2>/dev/null; done
  if [ $rc -ne 0 ]; then
    echo "== caller log (last 30 lines)" >&2; tail -n 30 "$T/caller.log" 2>/dev/null >&2
    echo "== broker log (last 15 lines)" >&2; tail -n 15 "$BROKER_DIR/mosquitto.log" 2>/dev/null >&2
  fi
  rm -rf "$T"
  exit $rc
}
trap cleanup EXIT

[ -x "$CALLER_BIN" ] || fail "no $CALLER_BIN (build first, or set JH_BIN_DIR)"
[ -r "$JH_BROKER_PLUGIN" ] || fail "no $JH_BROKER_PLUGIN (build first, or set JH_BROKER_PLUGIN)"
command -v mosquitto >/dev/null || fail "mosquitto not installed"
command -v jq >/dev/null || fail "jq not installed"

# random_port — a port number from 20000 up to the kernel's ephemeral range that
# nothing listens on (scripts/lib/free-port.sh says why); port_free PORT — nothing
# listens on it now. Between the pick and the broker's bind another test may take
# it, so the callers still check.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/free-port.sh"
random_port() { free_port; }
port_free() { ! port_in_use "$1"; }

# A hall open around the clock, so the tests do not depend on the time of day.
write_config() {
  cat > "$CONF" <<EOF
[hall]
site = $SITE
name_zh = 测试大厅
name_en = Test Hall
timezone = Asia/Shanghai
data_dir = $T/data

[broker]
host = 127.0.0.1
port = $PORT
credentials_dir = $CRED

[dispatch]
policy = strict
recall_limit = 2
requeue = back

[service A]
name_zh = 社保业务
name_en = Social Insurance
numbers = 1-999
hours = mon-sun 00:00-24:00
target_minutes = 15

[service B]
name_zh = 医保业务
name_en = Medical Insurance
numbers = 1-999
hours = mon-sun 00:00-24:00
target_minutes = 10

[counter c01]
number = 1
name_zh = 1号窗口
name_en = Window 1
services = A,B

[counter c02]
number = 2
name_zh = 2号窗口
name_en = Window 2
services = A

[kiosk k1]
services = A,B
EOF
  write_staff
}

# The [staff] section and its roster (staff.csv beside the config, as a hall keeps
# it): people with their PINs, which a test that is about staff identity logs in
# with. Every other test here is about something else — the ACL, crashes, kiosks,
# the keypad bridge, whose keypads send no PIN yet — and logs in without one, so
# the hall runs PIN-less (nameless logins) unless JH_TEST_PINLESS=no.
STAFF_PIN=482901
write_staff() {
  cat > "$T/staff.csv" <<EOF
staff_id,name,department,roles,counters,services,covers,secret
10023,王芳,社保科,staff,,,,$STAFF_PIN
20001,杨敏,导办台,guide,,,,200101
30001,赵磊,大厅管理办,supervisor;staff,,,,300101
90001,黄丽,信息科,admin,,,,900101
EOF
  cat >> "$CONF" <<EOF

[staff]
roster = staff.csv
pinless_keypad_login = ${JH_TEST_PINLESS:-yes}
EOF
}

# Picks a free port, writes config + broker config, starts mosquitto.
start_broker() {
  local tries
  for tries in 1 2 3 4 5 6 7 8; do
    PORT=$(random_port)
    port_free "$PORT" || continue
    write_config
    bash "$JH_SOURCE_DIR/scripts/broker-config" --config "$CONF" --out "$BROKER_DIR" \
      --port "$PORT" --run-as "$(id -un)" >/dev/null
    mosquitto -c "$BROKER_DIR/mosquitto.conf" 2>>"$T/mosquitto.stderr" &
    BROKER_PID=$!
    local i
    for i in $(seq 50); do
      if ! kill -0 "$BROKER_PID" 2>/dev/null; then break; fi
      if ! port_free "$PORT"; then return 0; fi
      sleep 0.1
    done
    kill "$BROKER_PID" 2>/dev/null || true
    wait "$BROKER_PID" 2>/dev/null || true
    BROKER_PID=""
  done
  fail "could not start mosquitto"
}

# stop_broker [SIGNAL] — ends the broker with SIGNAL and reaps it; nothing when
# none runs. TERM (the default) lets it save its database and close its clients'
# connections; KILL leaves only what its last autosave wrote.
stop_broker() {
  [ -n "$BROKER_PID" ] || return 0
  kill -s "${1:-TERM}" "$BROKER_PID" || fail "cannot send SIG${1:-TERM} to the broker ($BROKER_PID)"
  wait "$BROKER_PID" 2>/dev/null || true
  BROKER_PID=""
}

# restart_broker [SIGNAL] — stop_broker SIGNAL (TERM by default), then the same
# broker again: same config, port and database.
restart_broker() {
  stop_broker "${1:-TERM}"
  mosquitto -c "$BROKER_DIR/mosquitto.conf" 2>>"$T/mosquitto.stderr" &
  BROKER_PID=$!
  local i
  for i in $(seq 150); do
    port_free "$PORT" || return 0
    kill -0 "$BROKER_PID" 2>/dev/null || break # it exited: say why, don't wait on
    sleep 0.1
  done
  fail "broker did not come back: $(tail -n 3 "$T/mosquitto.stderr" 2>/dev/null | tr '\n' ' ')"
}

pw() { head -n 1 "$CRED/$1.pw"; }

# pub USER TOPIC-SUFFIX PAYLOAD — one QoS 1 publish as USER.
pub() { mosquitto_pub -h 127.0.0.1 -p "$PORT" -u "$1" -P "$(pw "$1")" -I "$1:" -q 1 -t "$P/$2" -m "$3"; }

# retained USER TOPIC-SUFFIX — the retained payload(s), "topic payload" per line.
retained() {
  mosquitto_sub -h 127.0.0.1 -p "$PORT" -u "$1" -P "$(pw "$1")" -I "$1:" -t "$P/$2" \
    --retained-only -W 1 -F '%t %p' 2>/dev/null || true
}

# state USER TOPIC-SUFFIX — the one retained payload of a state topic.
state() { retained "$1" "$2" | head -n 1 | cut -d' ' -f2-; }

# listen NAME USER TOPIC-FILTER — a background subscriber appending "topic payload"
# lines to $T/NAME.log. Returns once it provably receives (a probe published as
# the caller user, which alone may write reply/, event/ and state/).
listen() {
  local name=$1 user=$2 filter=$3 probe_topic=$4
  : > "$T/$name.log"
  mosquitto_sub -h 127.0.0.1 -p "$PORT" -u "$user" -P "$(pw "$user")" -I "$user:" -q 1 -t "$P/$filter" \
    -F '%t %p' >> "$T/$name.log" 2>>"$T/$name.err" &
  BG_PIDS+=($!)
  local i
  for i in $(seq 100); do
    pub caller "$probe_topic" '{"id":"probe","probe":true}'
    grep -q '"probe":true' "$T/$name.log" && return 0
    sleep 0.05
  done
  fail "subscriber $name never became ready"
}

# wait_line NAME JQ-FILTER [TIMEOUT_S] — first payload in $T/NAME.log for which the
# jq filter is true; prints it. Non-zero when none arrives in time.
wait_line() {
  local name=$1 filter=$2 timeout=${3:-5} end line
  end=$(( $(date +%s%N) / 1000000 + timeout * 1000 ))
  while :; do
    line=$(cut -d' ' -f2- "$T/$name.log" | jq -c "select($filter)" 2>/dev/null | head -n 1 || true)
    if [ -n "$line" ]; then echo "$line"; return 0; fi
    [ $(( $(date +%s%N) / 1000000 )) -lt "$end" ] || return 1
    sleep 0.02
  done
}

# count_lines NAME JQ-FILTER — how many payloads in $T/NAME.log match.
count_lines() { cut -d' ' -f2- "$T/$1.log" | jq -c "select($2)" 2>/dev/null | wc -l; }

# cmd USER KIND PAYLOAD — sends a command as USER on KIND/<USER>/cmd (or admin/cmd)
# and prints the reply from the USER's reply listener (listen_replies USER first).
cmd() {
  local user=$1 kind=$2 payload=$3 id topic
  id=$(jq -r .id <<<"$payload")
  if [ "$kind" = admin ]; then topic=admin/cmd; else topic="$kind/$user/cmd"; fi
  pub "$user" "$topic" "$payload"
  wait_line "reply-$user" ".id == \"$id\"" 10 || fail "no reply to $id from $user"
}

listen_replies() { listen "reply-$1" "$1" "reply/$1" "reply/$1"; }

start_caller() {
  "$CALLER_BIN" --config "$CONF" "$@" >>"$T/caller.log" 2>&1 &
  CALLER_PID=$!
}

# Waits until the retained status/caller says online (a fresh one: newer than `since`).
wait_online() {
  local i s
  for i in $(seq 100); do
    s=$(state display status/caller)
    if [ -n "$s" ] && jq -e '.online == true' >/dev/null 2>&1 <<<"$s"; then return 0; fi
    kill -0 "$CALLER_PID" 2>/dev/null || fail "jiaohao-caller exited"
    sleep 0.1
  done
  fail "jiaohao-caller never came online"
}

stop_caller() { # SIGTERM; returns the exit status
  local rc=0
  kill -TERM "$CALLER_PID"
  wait "$CALLER_PID" || rc=$?
  CALLER_PID=""
  return $rc
}

kill9_caller() {
  kill -KILL "$CALLER_PID"
  wait "$CALLER_PID" 2>/dev/null || true
  CALLER_PID=""
}

# The usual start: broker, daemon online, reply listeners for the given users.
setup_hall() {
  start_broker
  start_caller
  wait_online
  local u
  for u in "$@"; do listen_replies "$u"; done
}

# expect JQ-FILTER JSON MESSAGE
expect() { jq -e "$1" >/dev/null <<<"$2" || fail "$3: $2"; }
