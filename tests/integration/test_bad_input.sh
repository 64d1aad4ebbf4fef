#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_bad_input — hostile and broken commands get {ok:false, error, message}
# on the sender's reply topic, change nothing, and the daemon keeps serving;
# a duplicated command id is applied once and answered the same, even after a
# restart.
source "$(dirname "$0")/lib.sh"

setup_hall k1 c01
r=$(cmd k1 kiosk '{"id":"k1-1","op":"take","reply_to":"k1","service":"A"}')
expect '.ok and .ticket == "A001"' "$r" "first take"
before_a=$(state display state/service/A | jq -c '{waiting, next_ticket}')
before_seq=$(state display state/hall | jq .seq)

refused() { # USER KIND PAYLOAD CODE
  local r
  r=$(cmd "$1" "$2" "$3")
  expect ".ok == false and .error == \"$4\" and (.message | length) > 0" "$r" "refusal $4"
}
# Payloads whose id cannot be read are answered with "id":null on the origin's reply topic.
refused_anon() { # FILE-OR-TEXT CODE
  local n0 n1 i
  n0=$(count_lines reply-k1 ".id == null and .error == \"$2\"")
  if [ -f "$1" ]; then
    mosquitto_pub -h 127.0.0.1 -p "$PORT" -u k1 -P "$(pw k1)" -I k1: -q 1 -t "$P/kiosk/k1/cmd" -f "$1"
  else
    pub k1 kiosk/k1/cmd "$1"
  fi
  for i in $(seq 200); do
    n1=$(count_lines reply-k1 ".id == null and .error == \"$2\"")
    [ "$n1" -gt "$n0" ] && return 0
    sleep 0.02
  done
  fail "no $2 reply"
}

note "malformed JSON, not an object, bad encoding, too large"
refused_anon '{"id":"b0","op":' bad-json
refused_anon '["take"]' bad-json
printf '{"id":"b1","op":"take","service":"\xff\xfe"}' > "$T/bad-utf8"
refused_anon "$T/bad-utf8" bad-encoding
{ printf '{"id":"big","op":"take","service":"A","pad":"'; head -c 9000 /dev/zero | tr '\0' x; printf '"}'; } > "$T/big"
refused_anon "$T/big" too-large

note "unknown op, wrong types, missing fields, wrong origin, duplicate keys"
refused k1 kiosk '{"id":"b2","op":"dance","reply_to":"k1"}' unknown-op
refused k1 kiosk '{"id":"b3","op":"take","reply_to":"k1","service":5}' bad-field
refused k1 kiosk '{"id":"b4","op":"take","reply_to":"k1"}' missing-field
refused k1 kiosk '{"id":"b5","op":"take","reply_to":"k1","service":"A","priority":"vip"}' bad-field
refused k1 kiosk '{"id":"b6","op":"call-next","reply_to":"k1"}' wrong-origin
refused k1 kiosk '{"id":"b7","op":"take","reply_to":"k1","service":"A","service":"B"}' bad-json
refused c01 counter '{"id":"b8","op":"rate","reply_to":"c01","score":9}' bad-field
refused c01 counter '{"id":"b9","op":"rate","reply_to":"c01","score":"5"}' bad-field
note "an invalid reply_to: the refusal goes to the origin's own reply topic"
refused k1 kiosk '{"id":"b10","op":"take","reply_to":"#","service":"A"}' bad-field
note "refusals by the engine"
refused k1 kiosk '{"id":"b11","op":"take","reply_to":"k1","service":"Z"}' unknown-service
refused c01 counter '{"id":"b12","op":"call-next","reply_to":"c01"}' not-logged-in

note "nothing changed"
after_a=$(state display state/service/A | jq -c '{waiting, next_ticket}')
[ "$before_a" = "$after_a" ] || fail "state/service/A changed: $before_a -> $after_a"
[ "$(state display state/hall | jq .seq)" = "$before_seq" ] || fail "events were emitted by refused commands"
kill -0 "$CALLER_PID" || fail "daemon died"

note "still serving"
r=$(cmd k1 kiosk '{"id":"k1-2","op":"take","reply_to":"k1","service":"A"}')
expect '.ok and .ticket == "A002"' "$r" "take after the junk"

note "duplicate command id: applied once, same answer"
first=$(cmd k1 kiosk '{"id":"k1-dup","op":"take","reply_to":"k1","service":"B"}')
pub k1 kiosk/k1/cmd '{"id":"k1-dup","op":"take","reply_to":"k1","service":"B"}'
pub k1 kiosk/k1/cmd '{"id":"k1-dup","op":"take","reply_to":"k1","service":"B"}'
for i in $(seq 200); do
  [ "$(count_lines reply-k1 '.id == "k1-dup"')" -ge 3 ] && break; sleep 0.02
done
[ "$(count_lines reply-k1 '.id == "k1-dup"')" -eq 3 ] || fail "expected 3 answers to k1-dup"
[ "$(cut -d' ' -f2- "$T/reply-k1.log" | jq -c 'select(.id == "k1-dup")' | sort -u | wc -l)" -eq 1 ] \
  || fail "the answers to a duplicated id differ"
expect '.ticket == "B001"' "$first" "dup take"
expect '.waiting == 1 and .next_ticket == "B002"' "$(state display state/service/B)" "one ticket for three sends"

note "... and after a restart"
stop_caller || fail "exit status on SIGTERM"
start_caller
wait_online
again=$(cmd k1 kiosk '{"id":"k1-dup","op":"take","reply_to":"k1","service":"B"}')
[ "$(jq -cS . <<<"$again")" = "$(jq -cS . <<<"$first")" ] || fail "answer after restart differs: $again"
expect '.waiting == 1' "$(state display state/service/B)" "still one ticket"
echo "PASS"
