#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_kiosk_screens — the kiosk's screens against a real broker, caller and
# printer emulator, walked by a script: home (zh and en first), green channel,
# its service choice, confirmation; landscape; paused when the hall closes,
# when the caller stops and when there is no broker. Each screenshot is checked
# where it matters: the text really drawn there, a greyed button really grey.
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/kiosk_lib.sh"

setup_hall admin
start_emu
cat >> "$CONF" <<'INI'

[kiosk k2]
services = A, B, C, G

[kiosk-screen k2]
size = 1920x1080
INI
# k2 needs broker credentials too: regenerate (existing passwords are kept)
bash "$JH_SOURCE_DIR/scripts/broker-config" --config "$CONF" --out "$BROKER_DIR" --port "$PORT" \
  --run-as "$(id -un)" >/dev/null
restart_broker
wait_online

note "command line: bad input is one clear line and a non-zero exit"
cli() { # WANT-RC WANT-TEXT ARGS...
  local want=$1 text=$2 rc=0 out
  shift 2
  out=$(timeout 20 "$KIOSK_BIN" "$@" 2>&1 >/dev/null) || rc=$?
  [ "$rc" -eq "$want" ] || fail "jiaohao-kiosk $*: exit $rc, want $want ($out)"
  [ -z "$text" ] || grep -qF -- "$text" <<<"$out" || fail "jiaohao-kiosk $*: '$out' lacks '$text'"
  [ "$want" -eq 0 ] || [ "$(wc -l <<<"$out")" -eq 1 ] || fail "jiaohao-kiosk $*: more than one line: $out"
}
cli 2 "unknown argument '--frobnicate'" --frobnicate
cli 2 "--id needs a value" --config "$CONF" --id
cli 2 "--wait 'soon'" --wait soon
cli 1 "--id 'k9' is not a [kiosk]" --config "$CONF" --id k9
cli 1 "$T/none.ini" --config "$T/none.ini"
printf '[kiosk-screen]\nsize = 2x2\n' | cat "$CONF" - > "$T/badsize.ini"
cli 1 "[kiosk-screen] size: '2x2'" --config "$T/badsize.ini"
cli 0 "" --help
"$KIOSK_BIN" --list-ports >/dev/null 2>&1 || fail "--list-ports failed"

note "walk: home, English, green channel, elderly, service A, confirmation"
run_kiosk walk '
wait-screen home 15000
wait 300
tap lang
wait 900
tap lang
wait-screen home
tap green
wait-screen green
tap prio:elderly
wait-screen green-service
tap service:A
wait-screen confirm 15000
wait 300
tap ok
wait-screen home
quit' || fail "kiosk script failed"

home=$(shot_of walk home)
text_is "$home" hall "天河区政务服务中心"
text_is "$home" service:A "社保业务"
text_is "$home" service:A.2 "Social Insurance"
text_is "$home" green "绿色通道"
# service C opens in the coming hours: greyed, and it says when
text_is "$home" service:C:info "暂停取号 · $(closed_opens_zh) 开始"
read -r ax ay _ _ < <(rect "$home" service:A)
read -r cx cy _ _ < <(rect "$home" service:C)
open_col=$(color "$home" $((ax - 6)) $((ay + 4)))
closed_col=$(color "$home" $((cx - 6)) $((cy + 4)))
[ "$open_col" != "$closed_col" ] || fail "greyed button looks like an open one ($open_col)"
python_free_grey() { local c=${1#\#} r g b; r=$((16#${c:0:2})); g=$((16#${c:2:2})); b=$((16#${c:4:2}));
  [ $((b - r)) -lt 40 ] && [ $((b - g)) -lt 40 ]; }
python_free_grey "$closed_col" || fail "closed service is not grey: $closed_col"
python_free_grey "$open_col" && fail "open service is grey: $open_col"
keep_shot "$home" kiosk-home

en=$(shot_of walk home-en)
text_is "$en" service:A "Social Insurance"
text_is "$en" service:A.2 "社保业务"
text_is "$en" lang "中文"

green=$(shot_of walk green)
text_is "$green" prio:elderly "高龄老人"
text_is "$green" prio:pregnant "孕妇"
keep_shot "$green" kiosk-green
gs=$(shot_of walk green-service)
text_is "$gs" prompt "绿色通道 · 高龄老人 · 请选择业务"

note "confirmation shows the number the printer printed"
[ "$(tickets_printed)" -eq 1 ] || fail "emulator cut $(tickets_printed) tickets, want 1"
printed=$(jq -r '[.lines[] | select(.w >= 4) | .text] | join(" ")' "$T/tickets/ticket-0001.json")
grep -q 'A001' <<<"$printed" || fail "printed ticket has no A001 in large type: $printed"
conf=$(shot_of walk confirm)
text_is "$conf" number "A001"
read -r nx ny nw nh < <(rect "$conf" number)
ink_n=$(ink "$conf" "$nx" "$ny" "$nw" "$nh")
awk -v v="$ink_n" 'BEGIN { exit !(v > 0.08) }' || fail "number area nearly blank (ink $ink_n)"
text_is "$conf" confirm.green "绿色通道 · 高龄老人"
text_is "$conf" material.1 "1. 居民身份证原件"
text_is "$conf" ahead "前面还有 0 人"
keep_shot "$conf" kiosk-confirm
expect '.waiting == 1 and .waiting_priority == 1' "$(state display state/service/A)" "caller counted the green ticket"

note "status/k1: online with the printer's state while running, offline after"
s=$(state display status/k1)
expect '.online == false and .printer == "ready"' "$s" "status/k1 after a clean exit"

note "landscape (k2, 1920x1080): home and a confirmation"
run_kiosk wide '
wait-screen home 15000
tap service:B
wait-screen confirm 15000
quit' --id k2 || fail "landscape script failed"
wh=$(shot_of wide home)
text_is "$wh" service:G "综合咨询"
[ -z "$(item "$wh" service:D)" ] || fail "k2 does not offer D but shows it"
wc=$(shot_of wide confirm)
text_is "$wc" number "B001"
keep_shot "$wh" kiosk-home-landscape
keep_shot "$wc" kiosk-confirm-landscape

note "paused: hall closed by the admin"
r=$(cmd admin admin '{"id":"adm-1","op":"close","reply_to":"admin"}')
expect '.ok' "$r" "close hall"
run_kiosk closed '
wait-screen paused 15000
tap 540 1000
wait 500
quit' || fail "kiosk did not pause for a closed hall"
p=$(shot_of closed paused)
text_is "$p" title "暂停取号"
text_is "$p" reason "今日取号已结束，请在办公时间前来"
keep_shot "$p" kiosk-paused
r=$(cmd admin admin '{"id":"adm-2","op":"open","reply_to":"admin"}')
expect '.ok' "$r" "open hall"

note "paused: caller offline"
stop_caller || true
run_kiosk nocaller '
wait-screen paused 15000
quit' || fail "kiosk did not pause without the caller"
text_is "$(shot_of nocaller paused)" reason "系统维护中，请联系工作人员"

note "paused: no broker (--screenshot still draws)"
sed "s/^port = $PORT/port = 1/" "$CONF" > "$T/nobroker.ini"
timeout 30 "$KIOSK_BIN" --config "$T/nobroker.ini" --screenshot "$T/nobroker.png" --wait 800 >"$T/nb.log" 2>&1 ||
  fail "--screenshot without a broker failed: $(tail -n 3 "$T/nb.log")"
ink_p=$("$PROBE" ink "$T/nobroker.png" 0 600 1080 500)
awk -v v="$ink_p" 'BEGIN { exit !(v > 0.05) }' || fail "no-broker screenshot is blank"
grep -q 'screen: paused' "$T/nb.log" || fail "no-broker kiosk did not show paused"
echo "PASS"
