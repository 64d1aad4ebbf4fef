#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_display_recovery — a running board through a broker crash, a caller going
# offline, missed events and new calls, with frames taken on SIGUSR1 and checked
# in pixels: correct state → 系统维护中 → correct state again, by itself.
set -euo pipefail
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/display_lib.sh"
source "$(dirname "$0")/hall_fixture.sh"

start_broker
add_displays
fixture_hall 14
start_display main
wait_mode live-1 board
expect_text live-1 hero.ticket A012 A013

note "broker killed: the board says so"
kill "$BROKER_PID"; wait "$BROKER_PID" 2>/dev/null || true
BROKER_PID=""
wait_mode recovery-down maintenance 10
expect_text recovery-down maintenance.title "系统维护中" "系统维修中"
grep -q "broker unreachable" <<<"$(item recovery-down maintenance.reason text)" || fail "no reason shown"

note "broker back (its retained state persisted): the board recovers by itself"
mosquitto -c "$BROKER_DIR/mosquitto.conf" 2>>"$T/mosquitto.stderr" &
BROKER_PID=$!
start=$(date +%s%N)
wait_mode recovery-up board 15
note "board live again $(( ($(date +%s%N) - start) / 1000000 )) ms after the broker restarted"
expect_text recovery-up hero.ticket A012 A013
expect_text recovery-up counter.c03.state "暂停服务" "恢复服务" # its message scrolls in a live board

note "caller offline, then online again"
pubr status/caller '{"online":false}'
wait_mode caller-off maintenance 5
pubr status/caller '{"online":true}'
wait_mode caller-on board 5

note "a new call shows at once; a missed seq is noticed"
pub caller event/called '{"seq":42,"ticket":"B099","counter":"c04","counter_number":4,"counter_name":"4号窗口","service":"B"}'
wait_log "announce B099"
expect_live new-call hero.ticket B099 B098
expect_text new-call hero.counter "请到 4号窗口 办理" "请到 1号窗口 办理"
[ "$(item new-call history.0 text)" = A012 ] || fail "A012 did not move to the history"
pub caller event/called '{"seq":45,"ticket":"C100","counter":"c05","counter_number":5}'
wait_log "missed events 43..44; re-reading retained state"
wait_log "announce C100"
stop_display
note "ok"
