#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_sd_notify — the real jiaohao-caller talking to systemd's notify socket,
# played by tests/integration/notify_listen.c (a socket bound here, as systemd
# binds one for a Type=notify unit with WatchdogSec=).
#
# - READY=1 once the store is open, with no broker running yet; STATUS= follows
#   the broker: unreachable, connected, lost (or unreachable) and connected again.
# - WATCHDOG=1 keeps coming at half of WATCHDOG_USEC, from the loop: never more
#   often than that (counted against the time it ran, through a burst of
#   commands that makes the loop go round fast), and none while the caller is
#   SIGSTOPped — the hang systemd must see — then again after SIGCONT.
# - SIGTERM: STOPPING=1 and exit 0.
# - An abstract-namespace socket works; a watchdog meant for another process
#   (WATCHDOG_PID) is left alone; a bad NOTIFY_SOCKET is reported in the log a
#   bounded number of times, not once per round, and the caller serves anyway.
# - The board, the kiosk (printing on the printer emulator) and the bridge (on
#   a pty from socat, keypad 1 simulated on its other end): READY=1, kicks from
#   their loops, none while stopped, STOPPING=1 on SIGTERM.
# - Their STATUS= lines follow the hall: caller offline then online, paper out
#   and back, the broker stopped and back, the keypad gone; never the same
#   line twice in a row.
# Counts only; the one bound on time is a ceiling that load can only lower.
source "$(dirname "$0")/lib.sh"

: "${JH_NOTIFY_LISTEN:?set JH_NOTIFY_LISTEN to the notify_listen helper (ctest does)}"
[ -x "$JH_NOTIFY_LISTEN" ] || fail "no $JH_NOTIFY_LISTEN (build first)"

# A stopped caller would hang lib.sh's cleanup (SIGTERM waits for SIGCONT).
# (set +e first: under errexit the trap itself would stop at the first failing command.)
trap 'rc=$?; set +e; [ -z "$CALLER_PID" ] || kill -CONT "$CALLER_PID" 2>/dev/null; (exit $rc); cleanup' EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# listen_notify NAME ADDR — a background notify_listen on ADDR, lines in $T/NAME.notify.
listen_notify() {
  "$JH_NOTIFY_LISTEN" "$2" > "$T/$1.notify" 2>>"$T/$1.notify.err" &
  BG_PIDS+=($!)
  local i
  for i in $(seq 200); do grep -qx listening "$T/$1.notify" && return 0; sleep 0.05; done
  fail "notify listener $1 never bound $2: $(cat "$T/$1.notify.err")"
}
count() { grep -cx -- "$2" "$T/$1.notify" || true; }
# wait_count NAME LINE N TIMEOUT_S — until LINE has arrived at least N times.
wait_count() {
  local end=$(( $(now_ms) + $4 * 1000 ))
  while [ "$(count "$1" "$2")" -lt "$3" ]; do
    [ "$(now_ms)" -lt "$end" ] || return 1
    kill -0 "$CALLER_PID" 2>/dev/null || fail "the program under test exited: $(tail -n 3 "$T/caller.log")"
    sleep 0.1
  done
}
# start_notified SOCKET WATCHDOG_USEC [WATCHDOG_PID] — the caller with systemd's variables.
start_notified() {
  export NOTIFY_SOCKET=$1 WATCHDOG_USEC=$2
  [ -z "${3:-}" ] || export WATCHDOG_PID=$3
  start_caller
  unset NOTIFY_SOCKET WATCHDOG_USEC WATCHDOG_PID
}

note "READY=1 with the store open and no broker yet"
PORT=$(random_port); while ! port_free "$PORT"; do PORT=$(random_port); done
write_config
bash "$JH_SOURCE_DIR/scripts/broker-config" --config "$CONF" --out "$BROKER_DIR" --port "$PORT" \
  --run-as "$(id -un)" >/dev/null
listen_notify main "$T/notify.sock"
t0=$(now_ms)
start_notified "$T/notify.sock" 4000000 # 4 s: a kick every 2 s, the loop comes round every 1 s
wait_count main READY=1 1 30 || fail "no READY=1: $(cat "$T/main.notify")"
[ -e "$T/data/jiaohao.db" ] || fail "READY=1 before the store exists"
wait_count main "STATUS=broker 127.0.0.1:$PORT unreachable; retrying" 1 30 ||
  fail "no STATUS for the missing broker: $(cat "$T/main.notify")"

note "STATUS=connected once the broker is there"
mosquitto -c "$BROKER_DIR/mosquitto.conf" 2>>"$T/mosquitto.stderr" &
BROKER_PID=$!
wait_count main "STATUS=broker 127.0.0.1:$PORT connected" 1 60 || fail "no STATUS connected: $(cat "$T/main.notify")"
wait_online

note "WATCHDOG=1 keeps coming, at most once per half interval, through a burst of commands"
wait_count main WATCHDOG=1 4 60 || fail "fewer than 4 WATCHDOG=1: $(cat "$T/main.notify")"
listen_replies k1
for i in $(seq 40); do pub k1 kiosk/k1/cmd "{\"id\":\"w$i\",\"op\":\"take\",\"reply_to\":\"k1\",\"service\":\"A\"}"; done
wait_line reply-k1 '.id == "w40"' 60 >/dev/null || fail "the burst was not served"
wait_count main WATCHDOG=1 6 60 || fail "WATCHDOG=1 stopped during the burst"
kill -STOP "$CALLER_PID"
t1=$(now_ms) # every kick was sent between t0 and t1
sleep 1      # what was sent before the stop arrives
n=$(count main WATCHDOG=1)
# One at once, then one per 2 s at most; +1 for the shell's and the caller's clocks.
ceiling=$(( (t1 - t0) / 2000 + 2 ))
note "$n kicks in $(( t1 - t0 )) ms (at most $ceiling at one per 2 s)"
[ "$n" -le "$ceiling" ] || fail "$n WATCHDOG=1 in $(( t1 - t0 )) ms: more often than every 2 s"

note "a stopped caller kicks no more; after SIGCONT it does again"
sleep 6 # three intervals
[ "$(count main WATCHDOG=1)" -eq "$n" ] || fail "WATCHDOG=1 arrived from a stopped caller"
kill -CONT "$CALLER_PID"
wait_count main WATCHDOG=1 $(( n + 1 )) 30 || fail "no WATCHDOG=1 after SIGCONT"

note "STATUS follows a broker restart"
down() { grep -cE "^STATUS=broker 127.0.0.1:$PORT (lost|unreachable)" "$T/main.notify" || true; }
was_down=$(down)
restart_broker
wait_count main "STATUS=broker 127.0.0.1:$PORT connected" 2 60 || fail "no STATUS reconnected: $(cat "$T/main.notify")"
[ "$(down)" -gt "$was_down" ] || fail "no STATUS for the lost broker: $(grep STATUS "$T/main.notify")"

note "SIGTERM: STOPPING=1, exit 0"
stop_caller || fail "exit status $? on SIGTERM"
[ "$(count main STOPPING=1)" -eq 1 ] || fail "no STOPPING=1: $(tail -n 3 "$T/main.notify")"

note "abstract socket; a watchdog meant for another process is not kicked"
name="@jh-test-notify-$$-$RANDOM"
listen_notify other "$name"
start_notified "$name" 1000000 1 # half a second, for PID 1
wait_count other READY=1 1 30 || fail "no READY=1 on $name"
wait_online
sleep 3
[ "$(count other WATCHDOG=1)" -eq 0 ] || fail "kicked a watchdog that belongs to PID 1"
stop_caller || fail "SIGTERM"

note "a bad NOTIFY_SOCKET: said in the log, not once per round; the caller serves"
: > "$T/caller.log"
start_notified relative/notify.sock 1000000 # a kick due every 0.5 s, a failed one retried every 1 s
wait_online
sleep 2
said=$(grep -c "NOTIFY_SOCKET 'relative/notify.sock'" "$T/caller.log" || true)
[ "$said" -ge 1 ] || fail "the bad NOTIFY_SOCKET was not reported: $(cat "$T/caller.log")"
sleep 3
[ "$(grep -c "NOTIFY_SOCKET" "$T/caller.log")" -eq "$said" ] || fail "reported once per round: $(cat "$T/caller.log")"
listen_replies k1
r=$(cmd k1 kiosk '{"id":"bad-env-1","op":"take","reply_to":"k1","service":"A"}')
expect '.ok' "$r" "take with a bad NOTIFY_SOCKET"
stop_caller || fail "SIGTERM"

# watched NAME CMD... — another program with systemd's variables (a kick due every 0.5 s):
# READY=1, kicks, none while SIGSTOPped, kicks again after SIGCONT. It stands in CALLER_PID
# meanwhile (lib.sh's cleanup and the trap's SIGCONT), then goes on running as PIDS[NAME].
declare -A PIDS=()
watched() {
  local name=$1 n
  shift
  listen_notify "$name" "$T/$name.sock"
  NOTIFY_SOCKET="$T/$name.sock" WATCHDOG_USEC=1000000 "$@" >>"$T/caller.log" 2>&1 &
  CALLER_PID=$!
  wait_count "$name" READY=1 1 60 || fail "$name: no READY=1: $(cat "$T/$name.notify")"
  wait_count "$name" WATCHDOG=1 3 60 || fail "$name: fewer than 3 WATCHDOG=1"
  kill -STOP "$CALLER_PID"
  sleep 1
  n=$(count "$name" WATCHDOG=1)
  sleep 3 # six half-intervals
  [ "$(count "$name" WATCHDOG=1)" -eq "$n" ] || fail "$name: WATCHDOG=1 while stopped"
  kill -CONT "$CALLER_PID"
  wait_count "$name" WATCHDOG=1 $(( n + 1 )) 30 || fail "$name: no WATCHDOG=1 after SIGCONT"
  PIDS[$name]=$CALLER_PID
  BG_PIDS+=("$CALLER_PID")
  CALLER_PID=""
}
# finish NAME — SIGTERM: STOPPING=1 once, exit 0; and every STATUS= it sent was a change.
finish() {
  local rc=0 same
  kill -TERM "${PIDS[$1]}"
  wait "${PIDS[$1]}" || rc=$?
  [ "$rc" -eq 0 ] || fail "$1: exit status $rc on SIGTERM"
  [ "$(count "$1" STOPPING=1)" -eq 1 ] || fail "$1: no STOPPING=1"
  same=$(grep '^STATUS=' "$T/$1.notify" | uniq -d | head -n 1)
  [ -z "$same" ] || fail "$1: the same status twice in a row (not a change): $same"
  note "$1: $(grep -c '^STATUS=' "$T/$1.notify") status lines, $(count "$1" WATCHDOG=1) kicks"
}
# statuses NAME ERE — how many of the program's STATUS= lines match ^STATUS=ERE$.
statuses() { grep -cE -- "^STATUS=$2\$" "$T/$1.notify" || true; }
# wait_status NAME ERE N TIMEOUT_S — until N of them do.
wait_status() {
  local end=$(( $(now_ms) + $4 * 1000 ))
  while :; do
    [ "$(statuses "$1" "$2")" -lt "$3" ] || return 0
    [ "$(now_ms)" -lt "$end" ] ||
      fail "$1: not $3 × STATUS=$2: $(grep '^STATUS=' "$T/$1.notify" | tail -n 4 | tr '\n' '|')"
    kill -0 "${PIDS[$1]}" 2>/dev/null || fail "$1 exited: $(tail -n 3 "$T/caller.log")"
    sleep 0.1
  done
}

EMU_BIN="$JH_BIN_DIR/jiaohao-printer-emu"
SIM_BIN="$JH_BIN_DIR/jiaohao-keypad-sim"
[ -x "$EMU_BIN" ] && [ -x "$SIM_BIN" ] || fail "no $EMU_BIN or $SIM_BIN (build first)"
cp "$CONF" "$T/more.ini"
cat >> "$T/more.ini" <<EOF

[display main]
layout = main
size = 640x360
voice = off

[printer]
device = $T/printer

[bridge b1]
device = $T/bus
keypad = 1 c01
EOF
"$EMU_BIN" --link "$T/printer" --control "$T/emu.ctl" --out "$T/tickets" --quiet >"$T/emu.out" 2>"$T/emu.err" &
BG_PIDS+=($!)
# The bus: the bridge on one end of a socat pty pair, a simulated keypad 1 on the other.
socat pty,raw,echo=0,link="$T/bus" pty,raw,echo=0,link="$T/bus-dev" 2>>"$T/socat.err" &
BG_PIDS+=($!)
for i in $(seq 100); do [ -e "$T/bus" ] && [ -e "$T/bus-dev" ] && [ -p "$T/emu.ctl" ] && break; sleep 0.05; done
[ -e "$T/bus" ] && [ -e "$T/bus-dev" ] || fail "socat made no pty"
[ -p "$T/emu.ctl" ] || fail "the printer emulator did not start: $(cat "$T/emu.err")"
emu() { echo "$*" > "$T/emu.ctl"; }

note "the board's frame loop"
watched display "$JH_BIN_DIR/jiaohao-display" --config "$T/more.ini" --id main
note "the kiosk's frame loop"
watched kiosk "$JH_BIN_DIR/jiaohao-kiosk" --config "$T/more.ini" --id k1
note "the bridge's bus loop"
watched bridge "$JH_BIN_DIR/jiaohao-bridge" --config "$T/more.ini" --id b1

# STATUS= says what each one is doing and follows the hall. Now: broker up, caller stopped, no keypad.
B="127\\.0\\.0\\.1:$PORT"
note "status: the caller is offline, the keypad silent"
wait_status display "系统维护中 shown: caller (offline|not running)" 1 60
wait_status kiosk "tickets paused: caller-offline; printer ok" 1 60
wait_status bridge "broker connected; keypads 0/1 online; 0 commands queued, 0 unanswered" 1 60

note "status: the caller and the keypad come"
start_caller
wait_online
printf 'keypad 1\nat 3600 end\n' > "$T/sim.script"
"$SIM_BIN" --script "$T/sim.script" --device "$T/bus-dev" --log "$T/sim.log" 2>>"$T/sim.err" &
SIM_PID=$!
BG_PIDS+=("$SIM_PID")
wait_status display "showing the hall \(broker connected, caller online\)" 1 60
wait_status kiosk "taking tickets; printer ok" 1 60
wait_status bridge "broker connected; keypads 1/1 online; 0 commands queued, 0 unanswered" 1 60

note "status: the printer runs out of paper, then gets a new roll"
emu paper-out
wait_status kiosk "out of service: printer paper-out" 1 60
emu paper-ok
wait_status kiosk "taking tickets; printer ok" 2 60

note "status: the broker stops"
stop_broker
wait_status display "系统维护中 shown: broker unreachable \($B: .+\)" 1 60
wait_status kiosk "tickets paused: broker unreachable \($B: .+\); printer ok" 1 60
wait_status bridge "broker unreachable \($B: .+\); keypads 1/1 online; 0 commands queued, 0 unanswered" 1 60

note "status: the broker is back"
restart_broker
wait_online
wait_status display "showing the hall \(broker connected, caller online\)" 2 90
wait_status kiosk "taking tickets; printer ok" 3 90
wait_status bridge "broker connected; keypads 1/1 online; 0 commands queued, 0 unanswered" 2 90

note "status: the keypad goes away"
gone="broker connected; (keypads 0/1 online|bus device .+ lost; reopening); 0 commands queued, [0-9]+ unanswered"
n=$(statuses bridge "$gone") # "keypads 0/1 online" was said before the keypad came
kill "$SIM_PID"
wait "$SIM_PID" 2>/dev/null || true
wait_status bridge "$gone" $(( n + 1 )) 60

note "SIGTERM: STOPPING=1 and exit 0; no status line twice in a row"
finish display
finish kiosk
finish bridge
stop_caller || fail "caller: exit status $? on SIGTERM"
echo PASS
