#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_kiosk_printer — the kiosk end to end when things go wrong, with a real
# broker, the real caller and the printer emulator on a pty:
#   paper out at the tap   → no take reaches the caller, the screen says why
#   printer dies mid-ticket → the number is voided (event/voided) and never called
#   garbage from the printer → out of service, no crash, back when it talks sense
#   a reply after the kiosk gave up → that ticket is voided too
source "$(dirname "$0")/../integration/lib.sh"
KIOSK_POLL_S=600 # only the start and each tap ask the printer (and once a second while it is broken)
KIOSK_REPLY_TIMEOUT_MS=1500
source "$(dirname "$0")/kiosk_lib.sh"

setup_hall c01
start_emu
listen events display 'event/#' event/probe

note "paper runs out after the home screen showed: the tap takes nothing"
start_kiosk paper '
wait-screen home 15000
wait 1500
tap service:A
wait-screen out-of-service 10000
quit'
wait_screen paper home
emu paper-out
end_kiosk paper
grep -q 'no take for A: printer paper-out' "$T/paper.log" || fail "kiosk did not refuse at the printer check"
[ "$(count_lines events '.service == "A"')" -eq 0 ] || fail "the caller saw something for service A"
expect '.waiting == 0 and .next_ticket == "A001"' "$(state display state/service/A)" "service A untouched"
oos=$(shot_of paper out-of-service)
text_is "$oos" title "暂停服务"
text_is "$oos" reason "打印机缺纸，请联系工作人员"
text_is "$oos" reason.2 "Printer out of paper, please ask staff"
keep_shot "$oos" kiosk-out-of-service
expect '.online == false and .printer == "paper-out"' "$(state display status/k1)" "status/k1 says paper-out"
emu paper-ok

note "the printer goes silent in the middle of B001: voided, never called"
emu after 400 silent
run_kiosk silent '
wait-screen home 15000
tap service:B
wait-screen error 20000
quit' || fail "kiosk run failed"
emu online
ev=$(wait_line events '.ticket == "B001" and (.reason | type == "string") and .kiosk == "k1"' 10) ||
  fail "no event/voided for B001"
grep -q "^$P/event/voided .*B001" "$T/events.log" || fail "B001's event is not event/voided"
expect '.waiting == 0' "$(state display state/service/B)" "B001 no longer waits"
err=$(shot_of silent error)
text_is "$err" title "未能出票"
text_is "$err" reason "打印机未连接或无响应，请联系工作人员"
keep_shot "$err" kiosk-printer-error

note "garbage from the printer: out of service, no crash; sense again: a ticket prints"
emu garbage-replies
start_kiosk garbage '
wait-screen out-of-service 15000
wait-screen home 20000
tap service:E
wait-screen confirm 15000
quit'
wait_screen garbage out-of-service
emu normal-replies
emu send ff a5 13 11 00 ff 1a 32 7e
end_kiosk garbage
text_is "$(shot_of garbage out-of-service)" reason "打印机故障，请联系工作人员"
text_is "$(shot_of garbage confirm)" number "E001"
last=$(ls "$T/tickets"/ticket-*.json | tail -n 1)
jq -e '[.lines[] | select(.w >= 4) | .text] | join(" ") | test("E001")' "$last" >/dev/null ||
  fail "the printed ticket is not E001: $(jq -c '[.lines[].text]' "$last")"

note "the caller answers after the kiosk gave up: the late ticket is voided"
start_kiosk late '
wait-screen home 15000
wait 1500
tap service:G
wait-screen error 15000
wait 4000
quit'
wait_screen late home
kill -STOP "$CALLER_PID"
wait_screen late error
kill -CONT "$CALLER_PID"
end_kiosk late
wait_line events '.ticket == "G001" and (.reason | test("gave up"))' 10 >/dev/null ||
  fail "late G001 was not voided"
grep -q 'late reply issued G001' "$T/late.log" || fail "kiosk did not log the late reply"

note "only the printed ticket is ever called"
cmd c01 counter '{"id":"c01-1","op":"login","reply_to":"c01","staff_id":"9001"}' >/dev/null
r=$(cmd c01 counter '{"id":"c01-2","op":"call-next","reply_to":"c01"}')
expect '.ok and .ticket == "E001"' "$r" "first call"
r=$(cmd c01 counter '{"id":"c01-3","op":"finish","reply_to":"c01"}')
r=$(cmd c01 counter '{"id":"c01-4","op":"call-next","reply_to":"c01"}')
expect '.ok and .ticket == null' "$r" "nothing else waits (B001, G001 voided)"
[ "$(count_lines events '.ticket == "B001" and .counter')" -eq 0 ] || fail "B001 was called"
echo "PASS"
