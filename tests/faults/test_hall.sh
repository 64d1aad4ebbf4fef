#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_hall — the whole hall under load while things break, and back.
#
# Runs: a real mosquitto (lib.sh), jiaohao-caller with its data directory on a
# small tmpfs mounted for the test, jiaohao-bridge with the keypad simulator on
# a pty (keypads 1 and 2 = counters c03, c04, pressing call every few seconds),
# a headless main board (SDL_VIDEODRIVER=dummy), and a scripted load: a kiosk
# taking tickets (unique ids, resent with the same id until answered) and
# counters c01, c02 calling and finishing through mosquitto_pub. When
# jiaohao-kiosk exists, kiosk k2 runs too with the printer emulator on a pty,
# watching its printer (it takes nothing itself).
#
# Faults, each at a random moment of the load:
#   caller-kill   SIGKILL the caller (several times), restart it
#   broker        restart the broker
#   broker-kill   SIGKILL the broker while takes and calls flow, start it again;
#                 and once while the caller is down too, so that commands sent
#                 meanwhile were only in the broker's memory (its last autosave
#                 must still say the caller is offline)
#   keypad-bus    kill the keypad simulator (the bus adapter's far end), plug a new one in
#   printer       close the printer emulator under the kiosk, plug a new one in (kiosk only)
#   disk-full     fill the caller's tmpfs (or lower its RLIMIT_FSIZE), keep the load on, free it
#   day-reset     restart the caller under libfaketime 15 s before the daily reset
#                 and let it cross; it keeps that clock (and is killed once more)
# After each one, with the load held still: every acknowledged take exists in
# the store and the store is consistent (fault_store_check: no number twice,
# contiguous per service and day, outbox seqs contiguous, ...); every event of
# the outbox reached a persistent subscriber — no gap after catch-up, a repeat
# only with the same seq and the same bytes; the retained service and counter
# states equal the store; the board shows live, not maintenance; status/b1 has
# both keypads online; status/caller is online; every keypad press was answered
# by the caller (none lost with a broker, none refused `internal` and dropped).
# A summary of counts closes it.
# The keypads send LOGIN without a PIN until their firmware asks for one (issue 13):
# the hall lets them in PIN-less, for now (lib.sh's [staff]).
export JH_TEST_PINLESS=yes
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/faults_lib.sh"
source "$(dirname "$0")/../display/display_lib.sh"

BRIDGE_BIN="$JH_BIN_DIR/jiaohao-bridge"
SIM_BIN="$JH_BIN_DIR/jiaohao-keypad-sim"
KIOSK_BIN="$JH_BIN_DIR/jiaohao-kiosk"
EMU_BIN="$JH_BIN_DIR/jiaohao-printer-emu"
FAKETIME_LIB=${JH_FAKETIME_LIB:-/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1}
KILLS=${JH_FAULT_KILLS:-2} # and one more on the new day
for b in "$BRIDGE_BIN" "$SIM_BIN"; do [ -x "$b" ] || fail "no $b (build first)"; done
[ -f "$FAKETIME_LIB" ] || fail "no libfaketime at $FAKETIME_LIB (scripts/deps installs faketime)"
command -v sqlite3 >/dev/null || fail "sqlite3 not installed"

SIM_PID="" BRIDGE_PID="" KIOSK_PID="" EMU_PID="" LOAD_PIDS=() EVENTS_PID="" MOUNTED="" FAKE_OFFSET=""
FAULTS=() RECOVERIES=()
# Ours to stop before lib.sh's cleanup: the load first (it publishes), then the
# clients, then the caller, so the tmpfs can be unmounted.
FAULT_CLEANUPS+=('touch "$T/stop"; kill_wait "${LOAD_PIDS[@]}"'
                 'kill_wait $SIM_PID $BRIDGE_PID $EVENTS_PID $KIOSK_PID $EMU_PID'
                 'kill_wait $CALLER_PID; CALLER_PID=""'
                 '[ -z "$MOUNTED" ] || umount -l "$T/data"')

ms_now() { echo $(( $(date +%s%N) / 1000000 )); }

# wait_retained TOPIC JQ-FILTER [TIMEOUT_S] — until the retained payload matches.
wait_retained() {
  local topic=$1 filter=$2 timeout=${3:-20} end s
  end=$(( $(date +%s) + timeout ))
  while :; do
    s=$(state display "$topic")
    if [ -n "$s" ] && jq -e "$filter" >/dev/null 2>&1 <<<"$s"; then return 0; fi
    [ "$(date +%s)" -lt "$end" ] || { echo "$s"; return 1; }
    sleep 0.2
  done
}

# ---------------------------------------------------------------- the hall
start_broker
cat >> "$CONF" <<EOF

[counter c03]
number = 3
name_zh = 3号窗口
name_en = Window 3
services = A,B

[counter c04]
number = 4
name_zh = 4号窗口
name_en = Window 4
services = B,A

[bridge b1]
baud = 19200
keypad = 1 c03
keypad = 2 c04
offline_after = 3
status_interval_s = 1

[display main]
layout = main
history = 8
voice = off
EOF
if [ -x "$KIOSK_BIN" ] && [ -x "$EMU_BIN" ]; then
  KIOSK=1
  cat >> "$CONF" <<EOF

[kiosk k2]
services = A,B

[kiosk-screen]
size = 1080x1920
confirm_seconds = 2
error_seconds = 2
reply_timeout_ms = 5000
printer_poll_seconds = 1

[printer]
device = $T/printer
baud = 115200
status_timeout_ms = 2000
job_timeout_ms = 15000
EOF
else
  KIOSK=""
fi
# The new devices need their broker users and ACL lines.
bash "$JH_SOURCE_DIR/scripts/broker-config" --config "$CONF" --out "$BROKER_DIR" \
  --port "$PORT" --run-as "$(id -un)" >/dev/null
restart_broker

mkdir -p "$T/data"
if [ "${JH_FAULT_DISK:-tmpfs}" = tmpfs ] &&
   mount -t tmpfs -o size=12m,mode=0750 jh-faults "$T/data" 2>"$T/mount.err"; then
  MOUNTED=1
  DISK_MODE=tmpfs
else
  # Without the right to mount, a full disk is played by RLIMIT_FSIZE, lowered
  # on the running caller with prlimit: its writes then fail with EFBIG the way
  # they fail with ENOSPC. SIGXFSZ is ignored here so the caller inherits that
  # and gets the error instead of being killed.
  DISK_MODE=rlimit
  command -v prlimit >/dev/null || fail "neither a tmpfs nor prlimit for the full-disk fault"
  [ ! -s "$T/mount.err" ] || note "cannot mount a tmpfs ($(head -c 200 "$T/mount.err")); the full disk is RLIMIT_FSIZE"
  trap '' XFSZ
fi

# hall_caller [EXTRA-ENV...] — starts the caller, under the shifted clock once there is one.
hall_caller() {
  if [ -n "$FAKE_OFFSET" ]; then
    LD_PRELOAD="$FAKETIME_LIB" FAKETIME="+${FAKE_OFFSET}s" \
      ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" start_caller
  else
    start_caller
  fi
}
# caller_gone — kill -9 and wait for its Will, so wait_online then means the new one.
caller_gone() {
  kill9_caller
  wait_retained status/caller '.online == false' 20 >/dev/null || fail "no Will after kill -9"
}

hall_caller
wait_online
listen_replies k1
listen_replies c01
listen_replies c02

# A persistent session (-c): what the broker holds for it survives its restarts,
# like a board that must not miss a call.
: > "$T/events.log"
mosquitto_sub -h 127.0.0.1 -p "$PORT" -u display -P "$(pw display)" -q 1 -c -i display:faults-events \
  -t "$P/event/#" -F '%t %p' >> "$T/events.log" 2>>"$T/events.err" &
EVENTS_PID=$!
for i in $(seq 100); do
  pub caller event/probe '{"probe":true}'
  grep -q '"probe":true' "$T/events.log" && break
  sleep 0.05
done
grep -q '"probe":true' "$T/events.log" || fail "event subscriber never became ready"

start_display main --verbose
wait_mode first board 20

# ---------------------------------------------------------------- keypad bus
# Keypads 1, 2 log in, then press call every few seconds (call finishes the
# current ticket first); they log in again now and then, which is harmless and
# brings them back after the daily reset closed every counter.
sim_script() {
  local t
  echo "keypad 1 session $1"
  echo "keypad 2 session $1"
  echo "at 0.5 keypad 1 login 3003"
  echo "at 0.9 keypad 2 login 3004"
  for t in $(seq 3 3 400); do
    echo "at $t keypad 1 press call"
    echo "at $t.7 keypad 2 press call"
    [ $((t % 15)) -ne 0 ] || { echo "at $t.3 keypad 1 login 3003"; echo "at $t.5 keypad 2 login 3004"; }
  done
  echo "at 420 end"
}
SIM_RUNS=0
plug_keypads() {
  SIM_RUNS=$((SIM_RUNS + 1))
  sim_script "$SIM_RUNS" > "$T/sim$SIM_RUNS.script"
  rm -f "$T/sim.pty"
  "$SIM_BIN" --script "$T/sim$SIM_RUNS.script" --pty-link "$T/sim.pty" --log "$T/sim$SIM_RUNS.log" \
    2>>"$T/sim.err" &
  SIM_PID=$!
  for i in $(seq 200); do [ -s "$T/sim.pty" ] && break; sleep 0.02; done
  [ -s "$T/sim.pty" ] || fail "the keypad simulator published no pty"
  # The bridge keeps reopening $T/bus: a new adapter under the same name.
  ln -sfn "$(cat "$T/sim.pty")" "$T/bus.new" && mv -T "$T/bus.new" "$T/bus"
}
plug_keypads
"$BRIDGE_BIN" --config "$CONF" --device "$T/bus" >>"$T/bridge.log" 2>&1 &
BRIDGE_PID=$!
KEYPADS_ONLINE='.online and ([.keypads[] | select(.online)] | length) == 2'
wait_retained status/b1 "$KEYPADS_ONLINE" 20 >/dev/null || fail "keypads never came online"

# ---------------------------------------------------------------- kiosk + printer
# The kiosk app only watches here (the takes come from the load below): its
# job is to say when it cannot print and to come back by itself.
EMU_RUNS=0
plug_printer() {
  EMU_RUNS=$((EMU_RUNS + 1))
  mkdir -p "$T/tickets"
  rm -f "$T/emu.ctl"
  "$EMU_BIN" --link "$T/printer" --control "$T/emu.ctl" --out "$T/tickets" --quiet \
    >>"$T/emu.out" 2>>"$T/emu.err" &
  EMU_PID=$!
  for i in $(seq 200); do [ -p "$T/emu.ctl" ] && [ -e "$T/printer" ] && return 0; sleep 0.05; done
  fail "printer emulator did not start"
}
PRINTER_OK='.online and .printer == "ready"'
if [ -n "$KIOSK" ]; then
  plug_printer
  printf 'wait-screen home 60000\nwait 600000\n' > "$T/kiosk.script"
  mkdir -p "$T/kiosk-shots"
  "$KIOSK_BIN" --config "$CONF" --id k2 --script "$T/kiosk.script" --screenshot-each "$T/kiosk-shots" \
    >>"$T/kiosk.log" 2>&1 &
  KIOSK_PID=$!
  wait_retained status/k2 "$PRINTER_OK" 30 >/dev/null ||
    { tail -n 20 "$T/kiosk.log" >&2; fail "the kiosk never said its printer is ready: $(state display status/k2)"; }
fi

# ---------------------------------------------------------------- the load
# send_until_answered USER KIND ID PAYLOAD — publishes and waits for the answer
# to ID; resends the same ID when none comes within 3 s or the store failed
# ("internal": nothing was applied). Prints the answer.
send_until_answered() {
  local user=$1 kind=$2 id=$3 payload=$4 topic before now r w tries
  [ "$kind" = kiosk ] && topic="kiosk/$user/cmd" || topic="counter/$user/cmd"
  for tries in $(seq 400); do
    [ ! -e "$T/stop" ] || return 1
    before=$(grep -cF "\"id\":\"$id\"," "$T/reply-$user.log" || true)
    [ "$tries" -eq 1 ] || echo "$id" >> "$T/resends"
    pub "$user" "$topic" "$payload" 2>/dev/null || { sleep 0.3; continue; }
    for w in $(seq 60); do
      now=$(grep -cF "\"id\":\"$id\"," "$T/reply-$user.log" || true)
      if [ "$now" -gt "$before" ]; then
        r=$(grep -F "\"id\":\"$id\"," "$T/reply-$user.log" | tail -n 1 | cut -d' ' -f2-)
        if jq -e '.error == "internal"' >/dev/null <<<"$r"; then
          echo "$id" >> "$T/internal"
          sleep 0.3
          continue 2
        fi
        echo "$r"
        return 0
      fi
      sleep 0.05
    done
  done
  return 1
}

# hold_point NAME — while $T/hold exists the worker stands still (the checks
# then see a hall at rest; the keypads alone keep pressing).
hold_point() {
  while [ -e "$T/hold" ] && [ ! -e "$T/stop" ]; do touch "$T/held-$1"; sleep 0.05; done
  rm -f "$T/held-$1"
}

kiosk_worker() {
  local i=0 r svc prio
  while [ ! -e "$T/stop" ]; do
    hold_point k1
    i=$((i + 1))
    svc=$([ $((i % 3)) -eq 0 ] && echo B || echo A)
    prio=$([ $((i % 7)) -eq 0 ] && echo elderly || echo none)
    r=$(send_until_answered k1 kiosk "take-$i" \
      "{\"id\":\"take-$i\",\"op\":\"take\",\"reply_to\":\"k1\",\"service\":\"$svc\",\"priority\":\"$prio\"}") || continue
    jq -e '.ok' >/dev/null <<<"$r" || echo "take-$i $r" >> "$T/refused"
    sleep "0.$((RANDOM % 3 + 1))"
  done
}

counter_worker() {
  local u=$1 staff=$2 n=0 r
  while [ ! -e "$T/stop" ]; do
    hold_point "$u"
    n=$((n + 1))
    r=$(send_until_answered "$u" counter "$u-$n" "{\"id\":\"$u-$n\",\"op\":\"call-next\",\"reply_to\":\"$u\"}") || continue
    if jq -e '.error == "not-logged-in"' >/dev/null <<<"$r"; then
      send_until_answered "$u" counter "$u-$n-in" \
        "{\"id\":\"$u-$n-in\",\"op\":\"login\",\"reply_to\":\"$u\",\"staff_id\":\"$staff\"}" >/dev/null || true
      continue
    fi
    sleep "0.$((RANDOM % 5 + 3))"
    hold_point "$u"
    n=$((n + 1))
    send_until_answered "$u" counter "$u-$n" "{\"id\":\"$u-$n\",\"op\":\"finish\",\"reply_to\":\"$u\"}" >/dev/null || true
  done
}

kiosk_worker & LOAD_PIDS+=($!)
counter_worker c01 1001 & LOAD_PIDS+=($!)
counter_worker c02 1002 & LOAD_PIDS+=($!)
WORKERS="k1 c01 c02"

# hold / release — stops the mosquitto_pub load at a command boundary.
hold() {
  local w i still
  touch "$T/hold"
  for i in $(seq 600); do
    still=1
    for w in $WORKERS; do [ -e "$T/held-$w" ] || still=0; done
    [ $still -eq 0 ] || return 0
    sleep 0.05
  done
  fail "the load did not stand still within 30 s"
}
release() { rm -f "$T/hold"; }

# ---------------------------------------------------------------- the checks
hall_day() { sqlite3 "$DB" 'SELECT day FROM hall'; }

# Every outbox event reached the subscriber (after catch-up); repeats carry the
# same seq and the same bytes. Sets DUPS to the repeats seen so far.
check_events() {
  local what=$1 seq i got
  seq=$(sqlite3 "$DB" 'SELECT seq FROM hall')
  for i in $(seq 600); do
    got=$(sed -nE 's/^[^ ]+ \{"seq":([0-9]+),.*/\1/p' "$T/events.log" | sort -n | tail -n 1)
    [ "${got:-0}" -ge "$seq" ] && break
    sleep 0.05
  done
  sqlite3 -separator ' ' "$DB" "SELECT seq, payload FROM outbox WHERE seq <= $seq ORDER BY seq" \
    | sort > "$T/outbox.txt"
  sed -nE 's/^[^ ]+ (\{"seq":([0-9]+),.*)/\2 \1/p' "$T/events.log" | awk -v s="$seq" '$1 <= s' \
    > "$T/received.txt"
  sort -u "$T/received.txt" > "$T/received.set"
  local missing foreign
  missing=$(cut -d' ' -f1 "$T/outbox.txt" | sort -u | comm -23 - <(cut -d' ' -f1 "$T/received.set" | sort -u) | head -n 5)
  [ -z "$missing" ] || fail "after $what: events never delivered, seq $(echo $missing)"
  foreign=$(comm -13 "$T/outbox.txt" "$T/received.set" | head -c 300)
  [ -z "$foreign" ] || fail "after $what: a delivered event differs from the outbox: $foreign"
  DUPS=$(( $(wc -l < "$T/received.txt") - $(wc -l < "$T/received.set") ))
  EVENTS=$(wc -l < "$T/outbox.txt")
}

# The retained states equal the store: each service's waiting count and day,
# each counter's status and ticket. The keypads keep pressing, so compare
# again until both sides were read at a quiet moment.
check_retained() {
  local what=$1 i day want have
  for i in $(seq 20); do
    day=$(hall_day)
    want=$(sqlite3 -separator ' ' "$DB" "
      SELECT 'service', code, $day, (SELECT count(*) FROM tickets t WHERE t.day = $day
        AND t.service = code AND t.status = 'waiting')
        FROM (SELECT 'A' AS code UNION SELECT 'B')
      UNION ALL SELECT 'counter', c.id, c.status, coalesce(t.label, '-')
        FROM counters c LEFT JOIN tickets t ON t.id = c.ticket_id" | sort)
    have=$(retained display 'state/#' | cut -d' ' -f2- | jq -r '
      if .service and .waiting != null then "service \(.service) \(.day) \(.waiting)"
      elif .counter then "counter \(.counter) \(.status) \(.ticket // "-")" else empty end' | sort)
    [ "$want" = "$have" ] && return 0
    sleep 0.3
  done
  fail "after $what: retained state differs from the store:
store:    $(echo $want)
retained: $(echo $have)"
}

# Every press the keypad simulator now plugged in has queued (command id
# "b1-<addr>-<session>-<seq>", session = its run) was answered by the caller
# (the caller records each answer under its command id): the bridge sends a
# command again until it is answered, so none is lost with a broker killed
# outright or refused `internal` while the disk was full.
check_presses() {
  local what=$1 i missing
  awk -v r="$SIM_RUNS" '$2 == "keypad" && $4 == "queued" { print "b1-" $3 "-" r "-" $5 }' \
    "$T/sim$SIM_RUNS.log" | sort -u > "$T/presses"
  for i in $(seq 600); do
    sqlite3 "$DB" "SELECT cmd_id FROM commands WHERE cmd_id LIKE 'b1-%'" | sort -u > "$T/answered"
    missing=$(comm -23 "$T/presses" "$T/answered" | head -n 5)
    [ -n "$missing" ] || return 0
    sleep 0.1
  done
  fail "after $what: keypad presses the caller never answered: $(echo $missing)"
}

# check_after FAULT T0 — everything back by itself; records the recovery time
# (from the end of the fault, T0 in ms, until every check passed).
check_after() {
  local what=$1 t0=$2 times
  hold
  wait_online
  times="caller $(( $(ms_now) - t0 ))"
  wait_retained status/b1 "$KEYPADS_ONLINE" 30 >/dev/null || fail "after $what: keypads not back online"
  times+=" keypads $(( $(ms_now) - t0 ))"
  wait_mode "after-$what" board 30
  times+=" board $(( $(ms_now) - t0 ))"
  if [ -n "$KIOSK" ]; then
    kill -0 "$KIOSK_PID" 2>/dev/null || { tail -n 20 "$T/kiosk.log" >&2; fail "after $what: the kiosk died"; }
    wait_retained status/k2 "$PRINTER_OK" 30 >/dev/null || fail "after $what: the kiosk is not back"
    times+=" kiosk $(( $(ms_now) - t0 ))"
  fi
  local live=$(( $(ms_now) - t0 ))
  acked_takes "$T/reply-k1.log" > "$T/takes"
  check_store "$what" "$DB" --takes "$T/takes"
  check_events "$what"
  check_retained "$what"
  check_presses "$what"
  FAULTS+=("$what")
  RECOVERIES+=("$what:${live}ms")
  note "after $what: live again in $live ms ($times ms); store $CHECKED; events $EVENTS, repeats $DUPS"
  release
}

load_for() { sleep "$(( $1 + RANDOM % 2 ))"."$((RANDOM % 10))"; }

# ---------------------------------------------------------------- the faults
load_for 2
for k in $(seq "$KILLS"); do
  note "fault: kill -9 the caller (#$k)"
  caller_gone
  sleep "0.$((RANDOM % 9))" # the load keeps sending: commands queue at the broker
  hall_caller
  t0=$(ms_now)
  check_after "caller-kill-$k" "$t0"
  load_for 2
done

note "fault: restart the broker"
restart_broker
t0=$(ms_now)
check_after broker "$t0"
load_for 2

note "fault: kill -9 the broker while takes and calls flow"
kill9_broker
sleep "0.$((RANDOM % 9))" # the load finds no broker
restart_broker
t0=$(ms_now)
check_after broker-kill "$t0"
load_for 2

note "fault: kill -9 the broker while the caller is down too"
caller_gone
# The caller's Will is saved with the broker's next autosave; what the load sends
# after it waits for the caller only in the broker's memory.
saves=$(broker_saves)
for i in $(seq 600); do [ "$(broker_saves)" -gt "$saves" ] && break; sleep 0.1; done
[ "$(broker_saves)" -gt "$saves" ] || fail "the broker never saved its database (autosave_interval?)"
resends=$( [ -e "$T/resends" ] && wc -l < "$T/resends" || echo 0)
for i in $(seq 300); do
  [ "$( [ -e "$T/resends" ] && wc -l < "$T/resends" || echo 0)" -ge $((resends + 3)) ] && break
  sleep 0.1
done
kill9_broker
restart_broker
# Back from its autosave, the broker must say what is true: the caller is down.
s=$(wait_retained status/caller '.online == false' 20) ||
  fail "after the broker's restart status/caller says the caller is up: $s"
# The board, connected again, reads that too: maintenance because the caller is
# offline (not because the broker is unreachable, which it says while it is down).
shot=broker-kill-caller-down-maintenance
for i in $(seq 150); do
  live_shot "$shot"
  [ "$(mode "$shot")" = maintenance ] && item "$shot" maintenance.reason text | grep -q 'caller offline' && break
  sleep 0.2
done
[ "$(mode "$shot")" = maintenance ] && item "$shot" maintenance.reason text | grep -q 'caller offline' ||
  fail "the board does not say the caller is offline: $(mode "$shot"), $(item "$shot" maintenance.reason text)"
cp "$T/$shot.png" "$SHOTS/$shot.png"
hall_caller
t0=$(ms_now)
check_after broker-kill-caller-down "$t0"
load_for 2

note "fault: unplug the keypad bus, plug it back"
kill_wait "$SIM_PID"; SIM_PID=""
wait_retained status/b1 '[.keypads[] | select(.online)] | length == 0' 20 >/dev/null ||
  fail "status/b1 never said the keypads were gone"
sleep 1
plug_keypads
t0=$(ms_now)
check_after keypad-bus "$t0"
load_for 1

PRINTER="skipped (no jiaohao-kiosk)"
if [ -n "$KIOSK" ]; then
  note "fault: unplug the kiosk's printer, plug it back"
  kill_wait "$EMU_PID"; EMU_PID=""
  s=$(wait_retained status/k2 '.printer == "offline"' 20) ||
    fail "the kiosk never said its printer is gone: $s"
  # The screen may first finish a confirmation or error screen (an 8 s countdown).
  for i in $(seq 300); do ls "$T"/kiosk-shots/*-out-of-service.png >/dev/null 2>&1 && break; sleep 0.1; done
  ls "$T"/kiosk-shots/*-out-of-service.png >/dev/null 2>&1 || fail "the kiosk did not show out-of-service"
  shots_before=$(ls "$T"/kiosk-shots | wc -l)
  sleep 1
  plug_printer
  t0=$(ms_now)
  check_after printer "$t0"
  last=$(ls "$T"/kiosk-shots/*.png | tail -n 1)
  case "$last" in *-home.png) ;; *) fail "the kiosk's last screen is $(basename "$last"), not home" ;; esac
  [ "$(ls "$T"/kiosk-shots | wc -l)" -gt "$shots_before" ] || fail "the kiosk drew nothing after the printer came back"
  PRINTER=done
  load_for 1
fi

note "fault: the caller's disk fills up ($DISK_MODE)"
if [ "$DISK_MODE" = tmpfs ]; then
  dd if=/dev/zero of="$T/data/filler" bs=64k 2>/dev/null || true
  [ "$(df --output=avail "$T/data" | tail -n 1)" -eq 0 ] || fail "the tmpfs did not fill"
else
  prlimit --pid "$CALLER_PID" --fsize=512:unlimited
fi
internal_before=$( [ -e "$T/internal" ] && wc -l < "$T/internal" || echo 0)
for i in $(seq 200); do
  [ "$( [ -e "$T/internal" ] && wc -l < "$T/internal" || echo 0)" -gt "$internal_before" ] && break
  sleep 0.05
done
sleep 2
kill -0 "$CALLER_PID" 2>/dev/null || fail "the caller died of a full disk"
full_refusals=$(( $( [ -e "$T/internal" ] && wc -l < "$T/internal" || echo 0) - internal_before ))
[ "$full_refusals" -gt 0 ] || fail "no command was refused while the disk was full"
if [ "$DISK_MODE" = tmpfs ]; then
  rm -f "$T/data/filler"
else
  prlimit --pid "$CALLER_PID" --fsize=unlimited:unlimited
fi
t0=$(ms_now)
check_after disk-full "$t0"
note "while full: $full_refusals answers 'internal' (each resent with the same id)"

note "fault: the caller's clock crosses the daily reset (libfaketime)"
day_before=$(hall_day)
reset_s=$(TZ=Asia/Shanghai date -d 'tomorrow 00:00' +%s)
stop_caller || true
FAKE_OFFSET=$(( reset_s - $(date +%s) - 15 ))
hall_caller
wait_online
for i in $(seq 600); do [ "$(hall_day)" != "$day_before" ] && break; sleep 0.1; done
t0=$(ms_now)
day_after=$(hall_day)
[ "$day_after" -gt "$day_before" ] || fail "the business day never moved on (still $day_after)"
check_after day-reset "$t0"
load_for 2
note "fault: kill -9 the caller on the new day"
caller_gone
hall_caller
t0=$(ms_now)
check_after caller-kill-new-day "$t0"

# ---------------------------------------------------------------- summary
touch "$T/stop"
release
kill_wait "${LOAD_PIDS[@]}"; LOAD_PIDS=()
acked_takes "$T/reply-k1.log" > "$T/takes"
check_store final "$DB" --takes "$T/takes"
check_events final
check_presses final
for svc in A B; do
  first=$(sqlite3 "$DB" "SELECT min(number) FROM tickets WHERE day = $day_after AND issued_service = '$svc'")
  [ "$first" = 1 ] || fail "the new day's $svc numbers did not restart at 1 (first: '$first')"
done
n_takes=$(wc -l < "$T/takes")
n_calls=$(sqlite3 "$DB" "SELECT count(*) FROM calls WHERE kind = 'call'")
n_keypad_calls=$(sqlite3 "$DB" "SELECT count(*) FROM calls WHERE kind = 'call' AND counter IN ('c03','c04')")
n_resends=$( [ -e "$T/resends" ] && wc -l < "$T/resends" || echo 0)
n_dropped=$(grep -c 'duplicate event seq' "$T/display.log" || true)
n_presses=$(wc -l < "$T/presses")
n_bridge_resent=$(sed -nE 's/.* ([0-9]+) command\(s\) without an answer sent again.*/\1/p' "$T/bridge.log" |
  awk '{ n += $1 } END { print n + 0 }')
n_saves=$(broker_saves)
n_missed=$(grep -c 'missed events' "$T/display.log" || true)
echo "SUMMARY faults: injected ${#FAULTS[@]} (${FAULTS[*]}), printer $PRINTER, disk $DISK_MODE"
echo "SUMMARY load: takes acknowledged $n_takes over days $day_before..$day_after, calls $n_calls" \
  "(keypads $n_keypad_calls), resends $n_resends, 'internal' while full $full_refusals"
echo "SUMMARY events: $EVENTS in the outbox, all delivered; repeats delivered $DUPS (same seq, same bytes);" \
  "board dropped $n_dropped by seq, re-read state after a gap $n_missed times"
echo "SUMMARY recoveries (fault end → caller online, keypads online, board live${KIOSK:+, kiosk printer ready}): ${RECOVERIES[*]}"
echo "SUMMARY keypads: every press answered (last keypad run: $n_presses presses), bridge resent $n_bridge_resent" \
  "command(s) that had no answer; broker autosaves $n_saves"
echo "SUMMARY store checks: $CHECKS"
echo "PASS"
