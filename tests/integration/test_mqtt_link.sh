#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_mqtt_link — what jh_link_publish() (common/link/mqtt_link.h) says it did with
# a message, against what a real broker got: sent while up, refused for a bad
# topic, queued when the connection breaks under it (and delivered after the
# reconnect, before anything the new session publishes), dropped while down.
#
# The broker is stopped and started again between the probe's lines (link_probe.c);
# status/k1 is retained, so what the broker ended up with can be read afterwards.
# Environment: lib.sh's, and JH_LINK_PROBE (the link_probe binary).
source "$(dirname "$0")/lib.sh"
PROBE_BIN=${JH_LINK_PROBE:?set JH_LINK_PROBE to the link_probe binary}

start_broker
# start_probe [PASSWORD_FILE] — a new link_probe as k1 (the last one has ended).
start_probe() {
  coproc PROBE { exec "$PROBE_BIN" 127.0.0.1 "$PORT" k1 "${1:-$CRED/k1.pw}" "$P/reply/k1" 2>>"$T/probe.err"; }
  probe_pid=$PROBE_PID # bash unsets PROBE_PID when the probe exits
  BG_PIDS+=("$probe_pid")
}
end_probe() { # says quit and waits for the probe to exit
  expect_answer quit bye
  wait "$probe_pid" 2>/dev/null || true
}
start_probe

# ask LINE — the probe's answer ("" when it died or took more than 90 s).
ask() {
  local r=""
  echo "$1" >&"${PROBE[1]}"
  read -r -t 90 r <&"${PROBE[0]}" || true
  echo "$r"
}
expect_answer() {
  local got
  got=$(ask "$1")
  [ "$got" = "$2" ] || fail "'$1': the probe answered '$got', expected '$2' ($(tail -n 2 "$T/probe.err" 2>/dev/null | tr '\n' ' '))"
}
stop_broker() {
  kill "$BROKER_PID"
  wait "$BROKER_PID" 2>/dev/null || true
}
start_again() { # same port and config; the probe's `up` waits for it
  mosquitto -c "$BROKER_DIR/mosquitto.conf" 2>>"$T/mosquitto.stderr" &
  BROKER_PID=$!
}
status_k1() { state display status/k1; }

note "sent while up, refused for a topic no one may publish to"
expect_answer up up
expect_answer "pub $P/status/k1 {\"n\":\"first\"}" sent
expect_answer acked acked
[ "$(status_k1)" = '{"n":"first"}' ] || fail "broker has status/k1 '$(status_k1)' after a sent publish"
expect_answer "pub $P/status/# {\"n\":\"wild\"}" refused
expect_answer unacked "unacked 0"

note "the broker goes away: queued, then down; the queued ones arrive after the reconnect"
stop_broker
kept=$(ask "pub-until-kept $P/status/k1 lost")
[ "${kept% *}" = queued ] || fail "publishing into a closed connection: '$kept', expected queued"
last=${kept#* }
expect_answer down down
expect_answer "pub $P/status/k1 {\"n\":\"never\"}" down
expect_answer unacked "unacked $last" # the queued ones, and any sent into the closed socket before them
start_again
expect_answer up up
expect_answer acked acked
[ "$(status_k1)" = "{\"n\":\"lost\",\"i\":$last}" ] ||
  fail "after the reconnect status/k1 is '$(status_k1)', expected the last queued one (i=$last)"

note "what the new session publishes comes after what the old one left queued"
expect_answer "session $P/status/k1 {\"n\":\"fresh\"}" ok
stop_broker
kept=$(ask "pub-until-kept $P/status/k1 stale")
[ "${kept% *}" = queued ] || fail "publishing into a closed connection: '$kept', expected queued"
expect_answer down down
start_again
expect_answer up up
expect_answer acked acked
[ "$(status_k1)" = '{"n":"fresh"}' ] ||
  fail "status/k1 is '$(status_k1)': a message queued in the old session overwrote the new session's"

note "where the link is: lost when the broker goes, online again after"
stop_broker
expect_answer down down
st=$(ask state)
[ "$st" = "state lost" ] || [ "$st" = "state unreachable" ] || fail "after the broker went: '$st'"
start_again
expect_answer up up
expect_answer state "state online"
end_probe

note "a wrong password: the link says refused"
echo wrong-password > "$T/wrong.pw"
start_probe "$T/wrong.pw"
expect_answer state "state refused"
end_probe

note "a clean stop: the goodbye stays retained, the Will never comes"
start_probe
expect_answer "will $P/status/k1 {\"n\":\"will\"}" ok
expect_answer up up
expect_answer "goodbye $P/status/k1 {\"n\":\"bye\"}" ok
[ "$(status_k1)" = '{"n":"bye"}' ] || fail "after the goodbye status/k1 is '$(status_k1)'"
end_probe
sleep 1 # a Will would be published at once when the connection closes
[ "$(status_k1)" = '{"n":"bye"}' ] || fail "after a clean stop status/k1 is '$(status_k1)': the Will came"

note "the control: a probe killed with SIGKILL leaves the Will"
start_probe
expect_answer "will $P/status/k1 {\"n\":\"will\"}" ok
expect_answer up up
kill -9 "$probe_pid"
wait "$probe_pid" 2>/dev/null || true
for _ in $(seq 50); do [ "$(status_k1)" = '{"n":"will"}' ] && break; sleep 0.1; done
[ "$(status_k1)" = '{"n":"will"}' ] || fail "after SIGKILL status/k1 is '$(status_k1)', not the Will"
echo "PASS test_mqtt_link"
