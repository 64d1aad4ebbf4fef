#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_lifecycle — jiaohao-caller's command line and its life around the
# broker: clear one-line errors on bad input; started before the broker it
# keeps retrying (logging once, not per attempt) and comes online when the
# broker appears; it survives a broker restart; commands sent while it is down
# wait in its persistent session; SIGTERM publishes offline and exits 0, while
# SIGKILL leaves the Last Will saying offline.
source "$(dirname "$0")/lib.sh"

note "command line"
"$CALLER_BIN" --help | grep -q -- "--config" || fail "--help"
one_line_error() { # args... — non-zero exit, exactly one line on stderr
  local err rc=0
  err=$("$CALLER_BIN" "$@" 2>&1 >/dev/null) || rc=$?
  [ $rc -ne 0 ] || fail "exit 0 for: $*"
  [ "$(wc -l <<<"$err")" -eq 1 ] && [ -n "$err" ] || fail "not one line for $*: $err"
}
one_line_error --bogus
one_line_error --config
one_line_error --config /nonexistent/hall.ini
printf '[hall]\nsite = x\n' > "$T/broken.ini"
one_line_error --config "$T/broken.ini"

note "a wrong password: refused by the broker, logged once, the daemon keeps trying"
PORT=$(random_port); while ! port_free $PORT; do PORT=$(random_port); done
write_config
bash "$JH_SOURCE_DIR/scripts/broker-config" --config "$CONF" --out "$BROKER_DIR" --port "$PORT" --run-as "$(id -un)" >/dev/null
good_pw=$(pw caller)
echo wrong-password > "$CRED/caller.pw"
mosquitto -c "$BROKER_DIR/mosquitto.conf" 2>>"$T/mosquitto.stderr" &
BROKER_PID=$!
for i in $(seq 50); do port_free "$PORT" || break; sleep 0.1; done
start_caller
sleep 2
kill -0 "$CALLER_PID" || fail "daemon gave up on a refused login"
[ "$(grep -c "refused" "$T/caller.log")" -eq 1 ] || fail "expected one 'refused' line: $(cat "$T/caller.log")"
stop_caller || fail "SIGTERM while never connected"
echo "$good_pw" > "$CRED/caller.pw"
kill "$BROKER_PID"; wait "$BROKER_PID" 2>/dev/null || true; BROKER_PID=""
: > "$T/caller.log"

note "started before the broker: retries, then comes online"
one_line_error --config "$CONF" --data /proc/nonexistent
start_caller
sleep 2.5
kill -0 "$CALLER_PID" || fail "daemon gave up without a broker"
[ "$(grep -c unreachable "$T/caller.log")" -eq 1 ] || fail "expected one 'unreachable' line: $(cat "$T/caller.log")"
mosquitto -c "$BROKER_DIR/mosquitto.conf" 2>>"$T/mosquitto.stderr" &
BROKER_PID=$!
wait_online
listen_replies k1
r=$(cmd k1 kiosk '{"id":"k1-1","op":"take","reply_to":"k1","service":"A"}')
expect '.ok and .ticket == "A001"' "$r" "take"

note "broker restart: the daemon reconnects and republishes its state"
restart_broker
for i in $(seq 40); do tail -n 1 "$T/caller.log" | grep -q "connected to broker" && break; sleep 0.1; done
tail -n 1 "$T/caller.log" | grep -q "connected to broker" || fail "not reconnected within 4 s of the broker's return"
listen_replies k1
r=$(cmd k1 kiosk '{"id":"k1-2","op":"take","reply_to":"k1","service":"A"}')
expect '.ok and .ticket == "A002"' "$r" "take after broker restart"
expect '.waiting == 2' "$(state display state/service/A)" "state after broker restart"

note "commands sent while the daemon is down are served when it returns"
stop_caller || fail "SIGTERM exit status"
expect '.online == false' "$(state display status/caller)" "offline after SIGTERM"
pub k1 kiosk/k1/cmd '{"id":"k1-3","op":"take","reply_to":"k1","service":"A"}'
start_caller
wait_online
r=$(wait_line reply-k1 '.id == "k1-3"' 10) || fail "queued command not served"
expect '.ok and .ticket == "A003"' "$r" "queued take"

note "SIGKILL: the Will says offline"
kill9_caller
for i in $(seq 50); do
  [ "$(state display status/caller | jq .online)" = false ] && break; sleep 0.1
done
expect '.online == false' "$(state display status/caller)" "Will after SIGKILL"
echo "PASS"
