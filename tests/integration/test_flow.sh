#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_flow — one ticket's life end to end over a real broker: take → login →
# call-next → event/called (counter, reason) → finish → rate, with the retained
# states a board that connects afterwards would read.
source "$(dirname "$0")/lib.sh"

setup_hall k1 c01
listen events display 'event/#' event/probe

note "take"
r=$(cmd k1 kiosk '{"id":"k1-1","op":"take","reply_to":"k1","service":"A","priority":"none","lang":"zh"}')
expect '.ok == true and .ticket == "A001" and .service == "A" and .priority == "none" and .ahead == 0
        and (.ewt_s | type == "number") and (.issued_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T.*\\+08:00$"))' "$r" "take reply"
wait_line events '.ticket == "A001" and .kiosk == "k1"' >/dev/null || fail "no event/issued"
grep -q "^$P/event/issued " "$T/events.log" || fail "issued event not on event/issued"
s=$(state display state/service/A)
expect '.waiting == 1 and .waiting_priority == 0' "$s" "state/service/A after take"

note "green channel ticket goes first (policy strict)"
r=$(cmd k1 kiosk '{"id":"k1-2","op":"take","reply_to":"k1","service":"A","priority":"elderly"}')
expect '.ok and .ticket == "A002" and .priority == "elderly"' "$r" "green take"

note "login with the roster's PIN, call-next"
# The typed staff_name is not what the boards show: the roster's name is (lib.sh's staff.csv).
r=$(cmd c01 counter '{"id":"c01-1","op":"login","reply_to":"c01","staff_id":"10023","secret":"'$STAFF_PIN'","staff_name":"冒名"}')
expect '.ok and .staff_id == "10023" and .staff_name == "王芳"' "$r" "login"
r=$(cmd c01 counter '{"id":"c01-2","op":"call-next","reply_to":"c01"}')
expect '.ok and .ticket == "A002"' "$r" "call-next picks the green-channel ticket"
ev=$(wait_line events '.ticket == "A002" and .counter == "c01" and .call_count == 1') || fail "no event/called"
grep -q "^$P/event/called .*\"A002\"" "$T/events.log" || fail "called event not on event/called"
expect '.counter_name == "1号窗口" and .service == "A" and .priority == "elderly" and (.seq | type == "number")
        and (.reason | type == "object") and (.at | type == "string")' "$ev" "event/called fields"
s=$(state display state/counter/c01)
expect '.status == "serving" and .ticket == "A002" and .staff_id == "10023" and .staff_name == "王芳"' "$s" "state/counter/c01"

note "finish, rate"
r=$(cmd c01 counter '{"id":"c01-3","op":"finish","reply_to":"c01"}')
expect '.ok' "$r" "finish"
wait_line events '.ticket == "A002" and (.service_s | type == "number")' >/dev/null || fail "no event/finished"
sleep 1.1 # a rating within a second of finish is flagged as suspicious
r=$(cmd c01 counter '{"id":"c01-4","op":"rate","reply_to":"c01","ticket":"A002","score":5,"source":"pad"}')
expect '.ok' "$r" "rate"
ev=$(wait_line events '.ticket == "A002" and .score == 5') || fail "no event/rated"
expect '.suspicious == false' "$ev" "pad rating after a second"
s=$(state display state/counter/c01)
expect '.status == "idle" and .ticket == null' "$s" "counter idle after finish"

note "seq grows by one per event"
seqs=$(cut -d' ' -f2- "$T/events.log" | jq -r 'select(.seq) | .seq' | tr '\n' ' ')
n=$(wc -w <<<"$seqs"); first=$(awk '{print $1}' <<<"$seqs")
[ "$(seq "$first" $((first + n - 1)) | tr '\n' ' ')" = "$seqs" ] || fail "event seqs not contiguous: $seqs"

note "a new subscriber finds every retained state"
out=$(retained display '#')
for t in state/hall state/service/A state/service/B state/counter/c01 state/counter/c02 status/caller; do
  grep -q "^$P/$t " <<<"$out" || fail "no retained $t"
done
expect '.open == true and (.last_called | length) >= 1' "$(state display state/hall)" "state/hall"

note "SIGTERM: exit 0, status offline"
stop_caller || fail "jiaohao-caller exited non-zero on SIGTERM"
expect '.online == false' "$(state display status/caller)" "status after stop"
echo "PASS"
