#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_clientid — the broker's client-id guard (broker/broker_guard.c, the plugin
# the config of scripts/broker-config loads) against the real mosquitto and a real
# jiaohao-caller.
#
# Without it any device with a password could connect with the caller's client id:
# mosquitto then closes the caller's connection (session takeover) and, with a
# clean session, throws away the commands queued for it. Checked here:
#   - every other user connecting as caller:<site> is refused, with one broker log
#     line naming the user and the id, and the caller never notices: no second
#     connect or lost connection in its log, status/caller never goes offline, no
#     takeover in the broker's log, and it answers the next command;
#   - with the caller stopped, an impostor with a clean session is refused, so the
#     command queued in the caller's persistent session is answered when it returns;
#   - a kiosk cannot take a counter's id; a random id (mosq-xyz), the id mosquitto
#     makes up for an empty one, and the user as a prefix without ':' are refused;
#   - each user with its own id ("<user>" or "<user>:<suffix>") gets in;
#   - the password still decides: a valid id with a wrong password, or an unknown
#     user, is refused (and not by the guard);
#   - the refusal line shows a non-ASCII or over-long id safely.
# Every refusal has a control that differs only in the one thing refused.
set -euo pipefail
source "$(dirname "$0")/../integration/lib.sh"

setup_hall c01 k1
LOG="$BROKER_DIR/mosquitto.log"
CALLER_ID="caller:$SITE"
grep -q "jh_broker_guard: client ids must be" "$LOG" || fail "the broker did not load the plugin"

# connects USER PASSWORD ID — 0 when the broker accepts the connection. A QoS 1
# publish to the user's own status topic (its ACL allows it; an ACL drop would not
# fail anyway): only CONNECT can make it fail.
connects() {
  mosquitto_pub -h 127.0.0.1 -p "$PORT" -u "$1" -P "$2" -i "$3" -q 1 -t "$P/status/$1" \
    -m '{"online":true,"probe":true}' >/dev/null 2>&1
}
# refusals USER ID — how many guard lines in the broker log name this user and id.
refusals() { grep -cF "jh_broker_guard: refused client id '$2' for user '$1' from " "$LOG" || true; }
# refused USER ID [AS-LOGGED] — with its own password, the broker refuses it and logs
# exactly one guard line, with the id as AS-LOGGED (default: as it is).
refused() {
  local n0 logged=${3:-$2}
  n0=$(refusals "$1" "$logged")
  if connects "$1" "$(pw "$1")" "$2"; then fail "$1 connected with client id '$2'"; fi
  [ "$(refusals "$1" "$logged")" -eq $((n0 + 1)) ] ||
    fail "no single log line for $1 as '$logged': $(tail -n 3 "$LOG")"
}
takeovers() { grep -c "already connected, closing old connection" "$LOG" || true; }

note "the caller is connected as $CALLER_ID"
grep -qF "as $CALLER_ID (" "$LOG" || fail "caller not connected as $CALLER_ID: $(grep 'New client' "$LOG" | head -n 3)"
listen status display status/caller status/caller

note "no other user can connect as $CALLER_ID; the caller never notices"
for u in c01 k1 display admin bridge; do refused "$u" "$CALLER_ID"; done
refused c01 "caller"
refused c01 "caller:other"
r=$(cmd c01 counter '{"id":"c01-1","op":"login","reply_to":"c01","staff_id":"007","staff_name":"王芳"}')
expect '.ok' "$r" "the caller answers after the impostors"
[ "$(grep -c "connected to broker" "$T/caller.log")" -eq 1 ] || fail "the caller reconnected: $(cat "$T/caller.log")"
if grep -q "lost the broker" "$T/caller.log"; then fail "the caller lost the broker: $(cat "$T/caller.log")"; fi
[ "$(count_lines status '.online == false')" -eq 0 ] || fail "status/caller went offline: $(cat "$T/status.log")"
expect '.online == true' "$(state display status/caller)" "status/caller still online"
[ "$(takeovers)" -eq 0 ] || fail "mosquitto took a session over: $(grep 'already connected' "$LOG")"
# The broker's own line for the refused client comes with the guard's: the guard's names both.
grep -F "refused client id '$CALLER_ID' for user 'c01' from 127.0.0.1: its client id must be 'c01' or 'c01:<suffix>'" \
  "$LOG" >/dev/null || fail "unclear log line: $(grep jh_broker_guard "$LOG" | tail -n 1)"

note "a command queued while the caller is away survives an impostor with a clean session"
stop_caller || fail "caller exit status after SIGTERM"
pub k1 kiosk/k1/cmd '{"id":"k1-queued","op":"take","reply_to":"k1","service":"A"}'
refused c01 "$CALLER_ID"
refused k1 "$CALLER_ID"
start_caller
wait_online
listen status2 display status/caller status/caller # the first one heard the clean stop
r=$(wait_line reply-k1 '.id == "k1-queued"' 30) || fail "the queued take was never answered"
expect '.ok and .ticket == "A001"' "$r" "queued take"
[ "$(takeovers)" -eq 0 ] || fail "mosquitto took a session over: $(grep 'already connected' "$LOG")"

note "a kiosk cannot take a counter's id; other users' and made-up ids are refused"
refused k1 c01
refused k1 c01:4711
refused c01 k1:1
refused c01 c02
refused c01 mosq-xyz
refused c01 c01-4711   # the user as a prefix, but not followed by ':'
refused c01 c01:       # ':' with nothing after it
refused c01 C01        # exact, as the broker compares user names
# An empty id: mosquitto makes one up (auto-...), which is nobody's.
n0=$(grep -c "jh_broker_guard: refused client id 'auto-" "$LOG" || true)
if mosquitto_pub -h 127.0.0.1 -p "$PORT" -u c01 -P "$(pw c01)" -q 1 -t "$P/status/c01" -m '{}' 2>/dev/null; then
  fail "c01 connected without a client id"; fi
[ "$(grep -c "jh_broker_guard: refused client id 'auto-" "$LOG" || true)" -eq $((n0 + 1)) ] ||
  fail "an empty client id was not refused by the guard: $(tail -n 3 "$LOG")"

note "each user with its own id gets in"
for id in c01 c01:4711 c01:a:b; do connects c01 "$(pw c01)" "$id" || fail "control: c01 as '$id'"; done
connects k1 "$(pw k1)" k1:4711 || fail "control: k1 as k1:4711"
connects admin "$(pw admin)" admin:tool || fail "control: admin as admin:tool"
connects bridge "$(pw bridge)" bridge:b1 || fail "control: bridge as bridge:b1"
mosquitto_sub -h 127.0.0.1 -p "$PORT" -u display -P "$(pw display)" -i display:main-1 -t "$P/state/hall" \
  --retained-only -W 2 -C 1 >/dev/null || fail "control: display as display:main-1"
[ "$(takeovers)" -eq 0 ] || fail "mosquitto took a session over: $(grep 'already connected' "$LOG")"

note "the password still decides: a valid id with a wrong password, or an unknown user, is refused"
n0=$(grep -c "jh_broker_guard: refused" "$LOG" || true)
if connects c01 "$(pw c02)" c01:4711; then fail "c01 connected with c02's password"; fi
if connects c01 "" c01:4711; then fail "c01 connected with an empty password"; fi
if connects c99 "$(pw c01)" c99:1; then fail "an unknown user connected"; fi
if connects caller "$(pw c01)" "$CALLER_ID"; then fail "the caller's id with a wrong password connected"; fi
[ "$(grep -c "jh_broker_guard: refused" "$LOG" || true)" -eq "$n0" ] || fail "the guard, not the password file, refused"
connects c01 "$(pw c01)" c01:4711 || fail "control: the same id with the right password"

note "the log line shows a non-ASCII or over-long id safely"
refused c01 "c01:叫号" "c01:??????" # one '?' per byte
long="c01:$(printf 'x%.0s' $(seq 300))"
refused c01 "$long" "${long:0:64}..."

note "the caller is still the one connected as $CALLER_ID"
r=$(cmd c01 counter '{"id":"c01-2","op":"call-next","reply_to":"c01"}')
expect '.ok and .ticket == "A001"' "$r" "call-next at the end"
[ "$(grep -c "connected to broker" "$T/caller.log")" -eq 2 ] || fail "the caller reconnected: $(cat "$T/caller.log")"
[ "$(count_lines status2 '.online == false')" -eq 0 ] || fail "status/caller went offline: $(cat "$T/status2.log")"
[ "$(takeovers)" -eq 0 ] || fail "mosquitto took a session over: $(grep 'already connected' "$LOG")"
echo "PASS"
