#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_acl_more — docs/protocol.md "Security" for every user, not just one example each
# (tests/integration/test_acl.sh has the examples and the broker-config checks).
#
# Against the real mosquitto and jiaohao-caller, as every user that is not the
# caller (admin, display, bridge, two counters, a kiosk):
#   - logging in with another user's password, an unknown user, an empty password: refused;
#   - writing event/, state/ (retained, and clearing it), reply/, status/caller and
#     another device's status: dropped, and the retained state stays the caller's;
#   - sending commands on any command topic it does not own — including a kiosk on
#     counter/<its own id>/cmd, which a %u pattern ACL would allow: never reach the daemon;
#   - a Last Will aimed at status/caller or state/: never delivered;
#   - reading: a subscription to everything yields only state/, event/, status/caller
#     (display: status/#) and the user's own replies — never a command or another
#     device's reply, nor $SYS.
# Every refusal has a control: the same client doing what it may, seen to work.
set -euo pipefail
source "$(dirname "$0")/../integration/lib.sh"

DEVICES=(admin display bridge c01 c02 k1)
setup_hall k1 c01 c02 bridge admin

# ok_login USER PASSWORD — 0 when the broker accepts the connection (a QoS 1
# publish that ACL allows or drops alike; only the login can make it fail).
ok_login() {
  mosquitto_pub -h 127.0.0.1 -p "$PORT" -u "$1" ${2+-P "$2"} -I "$1:" -q 1 -t "$P/status/$1" -m '{"online":true}' \
    >/dev/null 2>&1
}

# sync_with NAME — waits until listener NAME has the caller's marker published now.
# mosquitto handles each client's packets in order and answers a dropped publish
# only after dropping it, so a forged message would arrive before the marker.
sync_with() {
  local id="sync-$RANDOM$RANDOM"
  pub caller "event/sync" "{\"id\":\"$id\"}"
  wait_line "$1" ".id == \"$id\"" 10 >/dev/null || fail "listener $1 missed the marker"
}

note "logins: another user's password, an unknown user, an empty or no password"
ok_login c01 "$(pw c01)" || fail "control: c01 with its own password"
if ok_login c01 "$(pw c02)"; then fail "c01 logged in with c02's password"; fi
if ok_login admin "$(pw caller)"; then fail "admin logged in with the caller's password"; fi
if ok_login caller "$(pw display)"; then fail "caller logged in with display's password"; fi
if ok_login c99 "$(pw c01)"; then fail "an unknown user logged in"; fi
if ok_login c01 ""; then fail "an empty password accepted"; fi
if ok_login c01; then fail "no password accepted"; fi

# Everything the display may read, and the retained state as it is now.
listen all display '#' event/probe
before_hall=$(state display state/hall)
before_c01=$(state display state/counter/c01)
before_svc=$(state display state/service/A)
before_caller=$(state display status/caller)
[ -n "$before_hall" ] && [ -n "$before_c01" ] && [ -n "$before_svc" ] || fail "no retained state to protect"

note "no device writes event/, state/, reply/, status/caller or another device's status"
for u in "${DEVICES[@]}"; do
  other=c02; [ "$u" = c02 ] && other=c01
  for t in event/called state/hall state/counter/c01 state/service/A status/caller "status/$other" \
           reply/c01 reply/c02 reply/k1 reply/admin reply/bridge; do
    mosquitto_pub -h 127.0.0.1 -p "$PORT" -u "$u" -P "$(pw "$u")" -I "$u:" -q 1 -r -t "$P/$t" \
      -m "{\"forged\":\"$u\",\"online\":false,\"id\":\"forged-$u\",\"ok\":true}" || fail "$u: publish failed"
  done
  # An empty retained message would delete the state; a device must not be able to.
  for t in state/hall state/counter/c01 status/caller; do
    mosquitto_pub -h 127.0.0.1 -p "$PORT" -u "$u" -P "$(pw "$u")" -I "$u:" -q 1 -r -n -t "$P/$t" || fail "$u: clear failed"
  done
done
sync_with all
for l in all reply-k1 reply-c01 reply-c02 reply-bridge reply-admin; do
  if grep -q forged "$T/$l.log"; then fail "$l received: $(grep forged "$T/$l.log" | head -n 3)"; fi
done
[ "$(state display state/hall)" = "$before_hall" ] || fail "state/hall changed"
[ "$(state display state/counter/c01)" = "$before_c01" ] || fail "state/counter/c01 changed"
[ "$(state display state/service/A)" = "$before_svc" ] || fail "state/service/A changed"
[ "$(state display status/caller)" = "$before_caller" ] || fail "status/caller changed"
[ -z "$(retained display 'status/+' | grep forged || true)" ] || fail "a device wrote another's status"
# Control: each device may write its own status (display excepted: it writes nothing).
for u in admin bridge c01 c02 k1; do
  mosquitto_pub -h 127.0.0.1 -p "$PORT" -u "$u" -P "$(pw "$u")" -I "$u:" -q 1 -r -t "$P/status/$u" -m "{\"online\":true,\"me\":\"$u\"}"
  expect ".me == \"$u\"" "$(state display "status/$u")" "control: $u writes status/$u"
done

note "no device sends a command on a topic it does not own"
n=0
for u in "${DEVICES[@]}"; do
  for t in kiosk/k1/cmd counter/c01/cmd counter/c02/cmd "counter/$u/cmd" "kiosk/$u/cmd" admin/cmd; do
    case "$u:$t" in
      k1:kiosk/k1/cmd | c01:counter/c01/cmd | c02:counter/c02/cmd | admin:admin/cmd) continue ;;
      bridge:counter/*) continue ;; # the bridge speaks for every wired counter (test_acl.sh)
    esac
    n=$((n + 1))
    # Answered to admin whatever the op: a reply of any kind means the daemon saw it.
    mosquitto_pub -h 127.0.0.1 -p "$PORT" -u "$u" -P "$(pw "$u")" -I "$u:" -q 1 -t "$P/$t" \
      -m "{\"id\":\"forged-$n\",\"op\":\"login\",\"reply_to\":\"admin\",\"staff_id\":\"9$n\",\"service\":\"A\"}"
  done
done
[ "$n" -ge 25 ] || fail "only $n forged commands"
r=$(cmd admin admin '{"id":"adm-ctl","op":"notice","reply_to":"admin","message":"ok"}')
expect '.ok' "$r" "control: admin's own command answered"
[ "$(count_lines reply-admin '.id | startswith("forged-")')" -eq 0 ] ||
  fail "the daemon answered: $(grep forged "$T/reply-admin.log" | head -n 3)"
expect '.status == "closed"' "$(state display state/counter/c02)" "c02 still closed"
r=$(cmd k1 kiosk '{"id":"k1-ctl","op":"take","reply_to":"k1","service":"A"}')
expect '.ok' "$r" "control: k1 takes on its own topic"

note "a Last Will aimed at status/caller or state/ is never delivered; one on the own status is"
WILLS=()
connected() { grep -c "New client connected" "$BROKER_DIR/mosquitto.log" || true; }
before_wills=$(connected)
for u in c01 k1 bridge display; do
  for t in status/caller state/hall; do
    mosquitto_sub -h 127.0.0.1 -p "$PORT" -u "$u" -P "$(pw "$u")" -I "$u:" -t "$P/reply/$u" -k 5 \
      --will-topic "$P/$t" --will-payload "{\"online\":false,\"forged\":\"will-$u\"}" --will-retain --will-qos 1 \
      >/dev/null 2>&1 &
    WILLS+=($!)
  done
done
mosquitto_sub -h 127.0.0.1 -p "$PORT" -u c01 -P "$(pw c01)" -I c01: -t "$P/reply/c01" -k 5 \
  --will-topic "$P/status/c01" --will-payload '{"online":false,"will":"c01"}' --will-retain --will-qos 1 \
  >/dev/null 2>&1 &
WILLS+=($!)
BG_PIDS+=("${WILLS[@]}")
# A Will is registered with CONNECT: kill them only once all are connected.
for _ in $(seq 300); do [ "$(connected)" -ge $((before_wills + ${#WILLS[@]})) ] && break; sleep 0.05; done
[ "$(connected)" -ge $((before_wills + ${#WILLS[@]})) ] || fail "Will clients did not connect"
for p in "${WILLS[@]}"; do { kill -KILL "$p" && wait "$p"; } 2>/dev/null || true; done
for _ in $(seq 100); do
  [ -n "$(state display status/c01 | grep '"will"' || true)" ] && break
  sleep 0.1
done
expect '.will == "c01"' "$(state display status/c01)" "control: c01's own Will delivered"
sync_with all
if grep -q '"will-' "$T/all.log"; then fail "a forged Will was delivered: $(grep '"will-' "$T/all.log" | head -n 2)"; fi
[ "$(state display status/caller)" = "$before_caller" ] || fail "status/caller changed by a Will"
expect '.open == true and (.forged | not)' "$(state display state/hall)" "state/hall after Wills"

note 'reading: only state/, event/, status/caller and the own replies ($SYS never)'
for u in "${DEVICES[@]}"; do
  : > "$T/read-$u.log"
  mosquitto_sub -h 127.0.0.1 -p "$PORT" -u "$u" -P "$(pw "$u")" -I "$u:" -q 1 -t '#' -t '$SYS/#' -F '%t %p' \
    >> "$T/read-$u.log" 2>/dev/null &
  BG_PIDS+=($!)
done
# Each reader is ready once it has the caller's marker on event/.
id="ready-$RANDOM"
for _ in $(seq 100); do
  pub caller event/sync "{\"id\":\"$id\"}"
  all_ready=1
  for u in "${DEVICES[@]}"; do grep -q "$id" "$T/read-$u.log" || all_ready=0; done
  [ $all_ready -eq 1 ] && break
  sleep 0.1
done
[ $all_ready -eq 1 ] || fail "readers never became ready"
# Traffic of every kind: commands from each writer and the daemon's replies to each.
cmd k1 kiosk '{"id":"rd-k1","op":"take","reply_to":"k1","service":"B"}' >/dev/null
cmd c01 counter '{"id":"rd-c01","op":"login","reply_to":"c01","staff_id":"101"}' >/dev/null
cmd c02 counter '{"id":"rd-c02","op":"login","reply_to":"c02","staff_id":"102"}' >/dev/null
cmd admin admin '{"id":"rd-adm","op":"notice","reply_to":"admin","message":"读"}' >/dev/null
pub bridge counter/c01/cmd '{"id":"rd-br","op":"logout","reply_to":"bridge"}'
wait_line reply-bridge '.id == "rd-br"' 10 >/dev/null || fail "no reply to the bridge"
id="done-$RANDOM"
pub caller event/sync "{\"id\":\"$id\"}"
for u in "${DEVICES[@]}"; do
  for _ in $(seq 100); do grep -q "$id" "$T/read-$u.log" && break; sleep 0.05; done
  grep -q "$id" "$T/read-$u.log" || fail "$u's reader missed the end marker"
  allowed="^$P/(state/|event/|status/caller |reply/$u )"
  [ "$u" = display ] && allowed="^$P/(state/|event/|status/)"
  bad=$(cut -d' ' -f1 "$T/read-$u.log" | sed 's/$/ /' | grep -Ev "$allowed" | sort -u || true)
  [ -z "$bad" ] || fail "$u read: $bad"
  grep -q "^$P/event/" "$T/read-$u.log" || fail "control: $u read no event"
  if [ "$u" != display ]; then
    grep -q "^$P/reply/$u " "$T/read-$u.log" || fail "control: $u did not read its own reply"
  fi
done
echo "PASS"
