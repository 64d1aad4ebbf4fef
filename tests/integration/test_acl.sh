#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_acl — the broker config from scripts/broker-config enforces docs/protocol.md
# "Security" against the real mosquitto: no anonymous or wrong-password
# clients; a device writes only its own cmd topic and reads only its own
# replies; only the caller writes state/event/reply; the bridge may act for
# any counter. Each refusal is paired with a control showing the same action
# works for the device allowed to do it. Re-running the generator keeps passwords.
source "$(dirname "$0")/lib.sh"

setup_hall k1 c01 c02 bridge admin
closed_c02=$(state display state/counter/c02)
expect '.status == "closed"' "$closed_c02" "c02 starts closed"

note "anonymous and wrong-password clients are refused"
if out=$(mosquitto_pub -h 127.0.0.1 -p "$PORT" -q 1 -t "$P/kiosk/k1/cmd" -m '{}' 2>&1); then
  fail "anonymous publish accepted"; fi
grep -qi "not authori" <<<"$out" || fail "anonymous: unexpected error: $out"
if mosquitto_pub -h 127.0.0.1 -p "$PORT" -u c01 -P wrong -I c01: -q 1 -t "$P/counter/c01/cmd" -m '{}' 2>/dev/null; then
  fail "wrong password accepted"; fi
if mosquitto_sub -h 127.0.0.1 -p "$PORT" -t "$P/#" -W 1 -C 1 2>/dev/null; then
  fail "anonymous subscribe accepted"; fi

note "c01 writing counter/c02/cmd: dropped by the broker"
pub c01 counter/c02/cmd '{"id":"x-1","op":"login","reply_to":"c01","staff_id":"666"}'
sleep 1
[ "$(count_lines reply-c01 '.id == "x-1"')" -eq 0 ] || fail "the daemon saw c01's command on c02's topic"
[ "$(state display state/counter/c02)" = "$closed_c02" ] || fail "c02 changed"
r=$(cmd c02 counter '{"id":"c02-1","op":"login","reply_to":"c02","staff_id":"777"}')
expect '.ok' "$r" "control: c02 itself may log in"

note "a kiosk may not send counter or admin commands, nor fake state or replies"
pub k1 counter/c01/cmd '{"id":"x-2","op":"login","reply_to":"k1","staff_id":"1"}'
pub k1 admin/cmd '{"id":"x-3","op":"close","reply_to":"k1"}'
pub k1 state/hall '{"fake":true}'
pub k1 reply/c01 '{"id":"x-4","ok":true,"fake":true}'
pub k1 event/called '{"fake":true}'
sleep 1
[ "$(count_lines reply-k1 '.id == "x-2" or .id == "x-3"')" -eq 0 ] || fail "kiosk commands on foreign topics reached the daemon"
[ "$(count_lines reply-c01 '.fake')" -eq 0 ] || fail "kiosk wrote reply/c01"
expect '.open == true and (.fake | not)' "$(state display state/hall)" "state/hall untouched"

note "a counter cannot read another device's replies"
: > "$T/snoop.log"
mosquitto_sub -h 127.0.0.1 -p "$PORT" -u c01 -P "$(pw c01)" -I c01: -t "$P/reply/k1" -t "$P/reply/#" -t "$P/kiosk/+/cmd" \
  -F '%t %p' >> "$T/snoop.log" 2>/dev/null &
BG_PIDS+=($!)
sleep 0.3
r=$(cmd k1 kiosk '{"id":"k1-1","op":"take","reply_to":"k1","service":"A"}')
expect '.ok' "$r" "control: k1 reads its own reply"
sleep 0.5
[ ! -s "$T/snoop.log" ] || fail "c01 read: $(cat "$T/snoop.log")"

note "display is read-only"
pub display counter/c01/cmd '{"id":"x-5","op":"login","reply_to":"c01","staff_id":"1"}'
pub display status/display '{"online":true}'
sleep 1
[ "$(count_lines reply-c01 '.id == "x-5"')" -eq 0 ] || fail "display sent a command"
[ -z "$(retained display status/display)" ] || fail "display wrote status/display"

note "the bridge may command any counter and reads reply/bridge"
pub bridge counter/c01/cmd '{"id":"br-2","op":"login","reply_to":"bridge","staff_id":"888"}'
r=$(wait_line reply-bridge '.id == "br-2"') || fail "no reply to the bridge"
expect '.ok and .counter == "c01"' "$r" "bridge login for c01"
pub bridge status/bridge '{"online":true}'
expect '.online' "$(state display status/bridge)" "bridge status"

note "admin commands only from admin"
r=$(cmd admin admin '{"id":"adm-1","op":"notice","reply_to":"admin","message":"系统升级"}')
expect '.ok' "$r" "admin notice"
expect '.notice == "系统升级"' "$(state display state/hall)" "notice on state/hall"

note "re-running broker-config keeps passwords; a new counter gets one"
before=$(cat "$CRED"/*.pw | md5sum)
sed -i 's/^\[kiosk k1\]/[counter c09]\nnumber = 9\nname_zh = 9号窗口\nname_en = Window 9\nservices = A\n\n[kiosk k1]/' "$CONF"
bash "$JH_SOURCE_DIR/scripts/broker-config" --config "$CONF" --out "$BROKER_DIR" --port "$PORT" --run-as "$(id -un)" >/dev/null
[ -s "$CRED/c09.pw" ] || fail "no password for the new counter"
[ "$(ls "$CRED"/*.pw | grep -v c09 | xargs cat | md5sum)" = "$before" ] || fail "existing passwords changed"
[ "$(stat -c %a "$CRED/c09.pw")" = 600 ] || fail "password file mode"
grep -q "^topic write $P/counter/c09/cmd$" "$BROKER_DIR/acl" || fail "no ACL for c09"
restart_broker
wait_online
pub c01 counter/c01/cmd '{"id":"c01-after","op":"logout","reply_to":"c01"}' || fail "c01 rejected after re-run"

note "broker-config refuses bad input"
if bash "$JH_SOURCE_DIR/scripts/broker-config" --config "$CONF" 2>/dev/null; then fail "no --out accepted"; fi
if bash "$JH_SOURCE_DIR/scripts/broker-config" --config "$CONF" --out "$T/x" --port 70000 2>/dev/null; then fail "bad port accepted"; fi
# The hall as it is but for one fault each, so that fault is what is refused, naming its line.
sed 's/^site = .*/site = Bad_Site/' "$CONF" > "$T/bad.ini"
if err=$(bash "$JH_SOURCE_DIR/scripts/broker-config" --config "$T/bad.ini" --out "$T/x" 2>&1); then fail "bad site accepted"; fi
grep -qF "$T/bad.ini:2: [hall] site: 'Bad_Site'" <<<"$err" || fail "unclear refusal of a bad site: $err"
sed 's/^\[counter c02\]/[counter admin]/' "$CONF" > "$T/bad.ini"
if err=$(bash "$JH_SOURCE_DIR/scripts/broker-config" --config "$T/bad.ini" --out "$T/x" 2>&1); then fail "reserved id accepted"; fi
grep -qF "$T/bad.ini:$(grep -n -m 1 -xF '[counter admin]' "$T/bad.ini" | cut -d: -f1): [counter admin]: 'admin' is a reserved broker user name" <<<"$err" ||
  fail "unclear refusal of a reserved id: $err"

note "broker-config loads the client-id plugin, and writes nothing without it"
grep -qx "plugin $JH_BROKER_PLUGIN" "$BROKER_DIR/mosquitto.conf" || fail "no plugin line for $JH_BROKER_PLUGIN"
no_plugin() { # HOW ERR — one line naming the missing file and what to do; nothing written
  [ "$(wc -l <<<"$2")" -eq 1 ] && grep -q "no broker plugin at $T/none.so.*build" <<<"$2" ||
    fail "unclear refusal without the plugin ($1): $2"
  [ ! -e "$T/x" ] || fail "broker-config wrote $T/x without a plugin ($1)"
}
if err=$(JH_BROKER_PLUGIN=$T/none.so bash "$JH_SOURCE_DIR/scripts/broker-config" --config "$CONF" \
           --out "$T/x" 2>&1 >/dev/null); then fail "a missing JH_BROKER_PLUGIN accepted"; fi
no_plugin JH_BROKER_PLUGIN "$err"
# --plugin wins over the environment (lib.sh exports a good one)
if err=$(bash "$JH_SOURCE_DIR/scripts/broker-config" --config "$CONF" --out "$T/x" --plugin "$T/none.so" \
           2>&1 >/dev/null); then fail "a missing --plugin accepted"; fi
no_plugin --plugin "$err"
echo "PASS"
