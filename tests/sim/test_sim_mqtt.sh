#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_sim_mqtt — a simulated day through the real protocol gives the same day.
#
# The example hall (assets/hall.ini) behind a real mosquitto configured by
# scripts/broker-config, and the real jiaohao-caller started with --sim-clock
# and --no-fsync. jiaohao-sim-day --mqtt plays a whole day through them (every
# take, login, call, finish, transfer, pause, rating and clock move is an MQTT
# command with its reply); jiaohao-sim-day --db plays the same seed through
# the engine directly. Checked:
#   - the two stores are identical, table by table: every ticket (labels,
#     statuses, issue, call and finish times, counters, ratings, alerts …),
#     calls, transfers, pauses, sessions, numbering, counters, the day's
#     figures, every command with its stored reply, and every event in the
#     outbox with its payload;
#   - the day is a real one (hundreds of tickets, all of them accounted for);
#   - the guards: a caller on the real clock refuses `clock` ("not-simulated"),
#     the simulated clock never goes back, --no-fsync alone is refused, and the
#     driver refuses a caller on the real clock.
# The wall time of the day over MQTT is printed (never asserted).
#
# Environment: JH_BIN_DIR, JH_SOURCE_DIR; JH_SIM_LOAD (default 1.0) and
# JH_SIM_SEED (default 5) to try other days.
set -euo pipefail
source "$(dirname "$0")/../integration/lib.sh"

SIM_BIN="$JH_BIN_DIR/jiaohao-sim-day"
[ -x "$SIM_BIN" ] || fail "no $SIM_BIN (build first, or set JH_BIN_DIR)"
command -v sqlite3 >/dev/null || fail "sqlite3 not installed"
DATE=2026-11-23 # a Monday
SEED=${JH_SIM_SEED:-5}
LOAD=${JH_SIM_LOAD:-1.0}

# The example hall instead of lib.sh's small one: same site, port, credentials and data dir.
write_config() {
  awk -v port="$PORT" -v cred="$CRED" -v data="$T/data" -v site="$SITE" '
    /^\[/ { sec = $0 }
    sec == "[hall]" && /^site[ \t]*=/ { print "site = " site; next }
    sec == "[hall]" && /^data_dir[ \t]*=/ { print "data_dir = " data; next }
    sec == "[broker]" && /^port[ \t]*=/ { print "port = " port; next }
    sec == "[broker]" && /^credentials_dir[ \t]*=/ { print "credentials_dir = " cred; next }
    { print }' "$JH_SOURCE_DIR/assets/hall.ini" > "$CONF"
  grep -q "^port = $PORT\$" "$CONF" && grep -q "^site = $SITE\$" "$CONF" ||
    fail "could not adapt assets/hall.ini"
}

start_broker

note "guards"
out=$(timeout 10 "$CALLER_BIN" --config "$CONF" --no-fsync 2>&1) && fail "--no-fsync without --sim-clock was accepted"
grep -q -- "--sim-clock" <<<"$out" || fail "--no-fsync alone: unclear message: $out"
out=$(timeout 10 "$CALLER_BIN" --config "$CONF" --sim-clock 2026-02-30 2>&1) && fail "a bad --sim-clock was accepted"
grep -q "sim-clock" <<<"$out" || fail "bad --sim-clock: unclear message: $out"

start_caller # the real clock
wait_online
listen_replies admin
r=$(cmd admin admin '{"id":"c1","op":"clock","to":"2026-11-23T09:00:00+08:00"}')
expect '.ok == false and .error == "not-simulated"' "$r" "clock on the real clock"
out=$("$SIM_BIN" --config "$CONF" --mqtt --date "$DATE" --seed 1 2>&1) &&
  fail "the driver played a day on a caller on the real clock"
grep -q "real clock" <<<"$out" || fail "driver on a real-clock caller: unclear message: $out"
stop_caller || fail "the caller did not stop cleanly"
rm -rf "$T/data"

note "a simulated day over MQTT (seed $SEED, load $LOAD)"
start_caller --sim-clock "$DATE" --no-fsync
wait_online
s=$(state display status/caller)
expect '.sim_clock == true' "$s" "status/caller of a simulated caller"
r=$(cmd admin admin '{"id":"c2","op":"clock","to":"2026-11-23T06:00:00+08:00"}')
expect '.ok == false and .error == "bad-field"' "$r" "the clock went back before its start"
start_ms=$(date +%s%N)
"$SIM_BIN" --config "$CONF" --mqtt --date "$DATE" --seed "$SEED" --load "$LOAD" > "$T/mqtt.out" 2>&1 ||
  { cat "$T/mqtt.out" >&2; fail "the day over MQTT failed"; }
wall_ms=$(( ($(date +%s%N) - start_ms) / 1000000 ))
cat "$T/mqtt.out"
r=$(cmd admin admin '{"id":"c3","op":"clock","to":"2026-11-23T10:00:00+08:00"}')
expect '.ok == false and .error == "bad-field"' "$r" "the clock went back after the day"
stop_caller || fail "the caller did not stop cleanly"

note "the same day through the engine"
"$SIM_BIN" --config "$CONF" --db "$T/ref.db" --date "$DATE" --seed "$SEED" --load "$LOAD" > "$T/engine.out" 2>&1 ||
  { cat "$T/engine.out" >&2; fail "the day through the engine failed"; }
cat "$T/engine.out"

# Every row of a table, in a fixed order, as text.
dump() { sqlite3 -readonly "$1" ".mode quote" "SELECT * FROM $2 ORDER BY $3"; }
mqtt_db="$T/data/jiaohao.db"
compare() { # TABLE ORDER-BY
  dump "$mqtt_db" "$1" "$2" > "$T/mqtt.$1"
  dump "$T/ref.db" "$1" "$2" > "$T/ref.$1"
  if ! cmp -s "$T/mqtt.$1" "$T/ref.$1"; then
    diff "$T/ref.$1" "$T/mqtt.$1" | head -n 20 >&2
    fail "table $1 differs between the engine (<) and MQTT (>)"
  fi
  echo "   $1: $(wc -l < "$T/ref.$1") rows identical"
}
compare tickets id
compare calls id
compare transfers id
compare pauses id
compare sessions id
compare numbering "day, service"
compare counters id
compare day_stats day
compare wait_hist "day, bucket"
compare hall 1
compare commands "origin_kind, origin_id, cmd_id" # every command's stored reply
# Events: what and in which order; `acked` differs by design (the daemon acks on PUBACK).
dump_events() { sqlite3 -readonly "$1" ".mode quote" "SELECT seq, kind, payload, at FROM outbox ORDER BY seq"; }
dump_events "$mqtt_db" > "$T/mqtt.outbox"
dump_events "$T/ref.db" > "$T/ref.outbox"
cmp -s "$T/mqtt.outbox" "$T/ref.outbox" || { diff "$T/ref.outbox" "$T/mqtt.outbox" | head -n 20 >&2; fail "events differ"; }
echo "   outbox: $(wc -l < "$T/ref.outbox") events identical"

note "the day is a real one"
n() { sqlite3 -readonly "$mqtt_db" "$1"; }
issued=$(n "SELECT count(*) FROM tickets")
[ "$issued" -gt 200 ] || fail "only $issued tickets: not a day"
[ "$(n "SELECT count(*) FROM tickets WHERE status NOT IN ('finished','no-show','voided','expired')")" -eq 0 ] ||
  fail "tickets left waiting or at a counter"
[ "$(n "SELECT count(*) FROM tickets WHERE rating IS NOT NULL")" -gt 100 ] || fail "hardly any ratings"
[ "$(n "SELECT count(*) FROM transfers")" -gt 0 ] || fail "no transfers"
[ "$(n "SELECT count(*) FROM pauses")" -gt 0 ] || fail "no pauses"
[ "$(n "SELECT sum(wait_alerted) + sum(overrun_alerted) FROM tickets")" -gt 0 ] || fail "no alerts"
grep -q "issued $issued," "$T/mqtt.out" || fail "the driver's count differs from the store's"
# The alerts the driver heard on event/alert are the ones the store marked.
alerts=$(n "SELECT 'long-wait ' || sum(wait_alerted) || ', overrun ' || sum(overrun_alerted) FROM tickets")
grep -q "alerts: $alerts;" "$T/mqtt.out" || fail "alerts heard over MQTT differ from the store's ($alerts)"
grep -q "refused 0 " "$T/mqtt.out" || note "(some takes refused: closed or limit)"

echo "simulated day over MQTT: $issued tickets in $((wall_ms / 1000)).$(( (wall_ms % 1000) / 100 )) s wall time"
echo "PASS"
