#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_display_board — every layout drawn from the caller's retained state, checked in pixels.
#
# A real mosquitto (scripts/broker-config, ACL on) holds a hall's retained state,
# published as the caller user. jiaohao-display takes one screenshot per layout;
# png_probe then compares the pixels where the layout record says the called
# number, the paused counter's message and the maintenance title are with a
# rendering of the expected text (and makes sure a one-character-off text fails).
set -euo pipefail
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/display_lib.sh"
source "$(dirname "$0")/hall_fixture.sh"

start_broker
add_displays

note "no caller status yet: maintenance, not an empty board"
shot main no-caller
[ "$(mode no-caller)" = maintenance ] || fail "board drawn without a caller online"

note "retained state of a 14-counter hall"
fixture_hall 14

shot main board-main
[ "$(mode board-main)" = board ] || fail "main board in $(mode board-main) mode"
expect_text board-main hero.ticket A012 A013
expect_text board-main hero.counter "请到 2号窗口 办理" "请到 3号窗口 办理"
expect_text board-main counter.c03.message "去3楼档案室取材料，10分钟后回来" "去4楼档案室取材料，10分钟后回来"
expect_text board-main counter.c02.ticket A012 A021
[ "$(item board-main counter.c03.state text)" = "暂停服务" ] || fail "c03 not shown as 暂停服务"
[ "$(item board-main service.C.waiting text)" = 17 ] || fail "service C waiting count"
[ "$(item board-main history.0 text)" = B027 ] || fail "history does not start with B027"

shot strip3 board-strip
expect_text board-strip strip.message "去3楼档案室取材料，10分钟后回来" "去3楼档案室取材料，20分钟后回来"
expect_text board-strip strip.paused "暂停服务  Service paused" "恢复服务  Service paused"
shot strip2 board-strip-serving
expect_text board-strip-serving strip.ticket A012 A018
expect_text board-strip-serving strip.staff "张伟" "张传"

shot led board-led
[ "$(item board-led led.call solid)" = true ] || fail "LED text is not unsmoothed"
[ "$(jq .width "$T/board-led.json")x$(jq .height "$T/board-led.json")" = 192x32 ] || fail "LED frame size"
expect_text board-led led.call "请A012号到2号窗口" "请A013号到2号窗口"
"$PROBE" scale "$T/board-led.png" "$SHOTS/board-led-x6.png" 6

note "60 counters stay readable"
fixture_hall 60
shot main board-main-60
[ "$(jq '[.items[] | select(.tag | test("^counter\\.c[0-9]+\\.label$"))] | length' "$T/board-main-60.json")" -eq 60 ] \
  || fail "not all 60 counters drawn"
px=$(item board-main-60 counter.c60.ticket px)
[ "$px" -ge 24 ] || fail "60-counter ticket numbers only ${px}px"
expect_text board-main-60 counter.c59.ticket D178 D179
for i in $(seq 15 60); do clear_retained "state/counter/$(printf c%02d "$i")"; done

note "malformed and unexpected payloads change nothing"
pubr state/counter/c05 '{"number": 5, "status": '
pubr state/counter/c06 '[1,2,3]'
pubr state/service/A '{"waiting":"many","ewt_s":{"x":1},"name":["社保"]}'
pubr state/hall '{"seq":41,"notice":12345,"open":"yes","last_called":[{"ticket":"A012","counter":"c02","counter_number":2},7,null]}'
shot main board-malformed
[ "$(mode board-malformed)" = board ] || fail "malformed payloads broke the board"
expect_text board-malformed hero.ticket A012 A013
grep -q "ignored: state/counter/c05: payload is not a JSON object" "$T/display-board-malformed.log" \
  || fail "malformed payload not reported"

note "caller offline: maintenance"
pubr status/caller '{"online":false}'
shot main board-maintenance
[ "$(mode board-maintenance)" = maintenance ] || fail "caller offline but board shown"
expect_text board-maintenance maintenance.title "系统维护中" "系统维修中"
shot strip3 strip-maintenance
expect_text strip-maintenance maintenance.title "系统维护中" "系统维修中"
pubr status/caller '{"online":true}'

note "no broker at all: maintenance within --wait"
sed "s/^port = $PORT\$/port = 1/" "$CONF" > "$T/dead.ini"
# Not a timing check: a board that waited for the broker would never come back;
# timeout(1) is only the ceiling that tells that apart from a slow machine.
start=$(date +%s%N)
rc=0
timeout 120 "$DISPLAY_BIN" --config "$T/dead.ini" --id main --screenshot "$T/dead.png" --layout-out "$T/dead.json" \
  --wait 800 >"$T/dead.log" 2>&1 || rc=$?
[ "$rc" -ne 124 ] || fail "no broker: the board hung instead of drawing maintenance"
[ "$rc" -eq 0 ] || fail "no broker: exit $rc: $(tail -n 3 "$T/dead.log")"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$(jq -r .mode "$T/dead.json")" = maintenance ] || fail "no broker but not maintenance"
note "no broker: maintenance screenshot after ${ms} ms"

note "bad input: one clear line, non-zero exit"
bad() {
  local out rc=0
  out=$("$DISPLAY_BIN" "$@" 2>&1 >/dev/null) || rc=$?
  [ "$rc" -ne 0 ] || fail "accepted: $*"
  [ "$(grep -vc '^ALSA' <<<"$out")" -eq 1 ] || fail "not one line for '$*': $out"
  grep -q '^jiaohao-display: ' <<<"$out" || fail "no program name: $out"
  note "refused ($rc): $out"
}
bad --config "$CONF" --id nosuch --screenshot "$T/x.png"
bad --config "$T/missing.ini" --screenshot "$T/x.png"
bad --config "$CONF" --wait soon
bad --config "$CONF" --frobnicate
bad --config
printf '[display x]\nlayout = strip\ncounter = c77\n' >> "$T/dead.ini"
bad --config "$T/dead.ini" --id x --screenshot "$T/x.png"
"$DISPLAY_BIN" --help | grep -q -- "--voice-out" || fail "--help"

note "ok"
