#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_web_login — the console end to end: sign-in, sessions, the staff
# WebSocket, role checks, CSRF, logout, the citizen's socket; a real mosquitto,
# the real jiaohao-caller for every counter command, jiaohao-web, and
# tests/web/standin_caller.sh answering admin/cmd.
#
# NEEDS wt-roster for the real thing: the engine's staff-auth, ticket-status
# and rate-by-token. Until it is merged the stand-in answers those three (the
# broker's ACL here takes the caller's read of admin/cmd away, so nobody else
# answers); everything on counter/<id>/cmd is the real caller. Once wt-roster
# is in, this test can drop the stand-in and enrol its staff in a roster.
#
# - Sign-in: a wrong secret refused (401 bad-secret, no cookie); a staff
#   member at a counter: cookie HttpOnly, SameSite=Strict, Path=/, no Secure on
#   plain HTTP; the counter's login sent with by, reply_to "web" and the
#   server's own id; /api/me; HTML in a name passed on as text.
# - The staff socket: hello, then the snapshot of the retained states, then
#   the command's answer with the browser's id and the event it caused.
# - Refused and never sent on: another counter's command, a supervisor's op,
#   a rating, a wrong or missing csrf, bad JSON, an unknown type, a message
#   over 8 KiB, binary; a fragmented message is put together and accepted.
# - A supervisor pauses another counter with a message; a guide flags a ticket.
# - In flight: the 33rd command while the caller is stopped is refused "busy";
#   the others get "timeout" when the caller does not answer.
# - Logout: refused without the CSRF header; with it: bye on the socket, the
#   cookie cleared, the counter's logout sent, /api/me and the old cookie dead.
# - The citizen's socket: its ticket, one rating, a second one refused; an
#   unknown token gets data null and the socket closes.
# - Under TLS the cookie is Secure.
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/web_lib.sh"

trap 'rc=$?; set +e; [ -z "$CALLER_PID" ] || kill -CONT "$CALLER_PID" 2>/dev/null; [ $rc = 0 ] || web_cleanup_log; (exit $rc); cleanup' EXIT

start_broker
# The stand-in alone reads admin/cmd (see the top); it may answer on reply/#.
grep -qx "topic read $P/admin/cmd" "$BROKER_DIR/acl" || fail "the caller's ACL block changed: no 'topic read $P/admin/cmd'"
sed -i "\|^topic read $P/admin/cmd\$|d" "$BROKER_DIR/acl"
printf '\nuser standin\ntopic read %s/admin/cmd\ntopic write %s/reply/#\n' "$P" "$P" >> "$BROKER_DIR/acl"
echo standin-pw > "$CRED/standin.pw"
mosquitto_passwd -b "$BROKER_DIR/passwd" standin standin-pw
kill -HUP "$BROKER_PID"
sleep 0.5
# The caller's roster holds the stand-in's staff: the caller checks every counter
# command's `by` against it, so both must know the same people.
cat > "$T/staff.csv" <<EOF
staff_id,name,department,roles,counters,services,covers,secret
1001,王芳,,staff,c01;c02,,,1234
2001,李强,,supervisor,,,,5678
3001,<b>赵</b>&,,guide,,,,2468
9001,管理员,,admin,,,,admin-pass
EOF
start_caller
wait_online
listen_replies admin
listen_replies k1
listen_replies c02
bash "$JH_SOURCE_DIR/tests/web/standin_caller.sh" 127.0.0.1 "$PORT" standin standin-pw "$P" "$T/standin.log" \
  2>>"$T/standin.err" &
BG_PIDS+=($!)
for i in $(seq 50); do
  pub admin admin/cmd "{\"id\":\"probe-$i\",\"op\":\"none\",\"reply_to\":\"admin\"}"
  wait_line reply-admin ".id == \"probe-$i\" and (.message | test(\"stand-in\"))" 1 >/dev/null && break
  [ "$i" != 50 ] || fail "the stand-in never answered"
done
make_pages
add_web_section
start_web
monitor_commands caller

note "sign-in: a wrong secret, then a staff member at counter c01"
code=$(login wrong 1001 9999 c01)
[ "$code" = 401 ] || fail "a wrong secret: HTTP $code $(body wrong)"
expect '.error == "bad-secret"' "$(body wrong)" "wrong secret"
[ -z "$(header wrong set-cookie)" ] || fail "a refused sign-in set a cookie"
code=$(login wang 1001 1234 c01)
[ "$code" = 200 ] || fail "sign-in of 1001 at c01: HTTP $code $(body wang)"
set_cookie=$(header wang set-cookie)
[[ "$set_cookie" =~ ^jh_session=[A-Za-z0-9_-]{43}\;\ HttpOnly\;\ SameSite=Strict\;\ Path=/$ ]] ||
  fail "the session cookie is '$set_cookie'"
WANG=$(cookie_of wang)
expect '.ok == true and .staff_id == "1001" and .name == "王芳" and .roles == ["staff"] and .counter == "c01"
        and .counters == ["c01","c02"] and (.csrf | test("^[A-Za-z0-9_-]{43}$"))' "$(body wang)" "sign-in answer"
WANG_CSRF=$(jq -r .csrf "$T/wang.b")
expect_header wang cache-control no-store
sleep 0.3
[ "$(commands_like '.op == "login" and .staff_id == "1001" and .by == "1001" and .reply_to == "web"
                    and (.id | test("^w-[0-9a-f]{12}-[0-9]+$"))')" = 1 ] ||
  fail "the counter login was not sent as wanted: $(cat "$T/commands.log")"
grep -q "^$P/counter/c01/cmd " "$T/commands.log" || fail "the login did not go to counter/c01/cmd"
s=$(state display state/counter/c01)
expect '.staff_id == "1001" and .status == "idle"' "$s" "state/counter/c01 after the sign-in"
[ "$(http me GET /api/me -H "Cookie: jh_session=$WANG")" = 200 ] || fail "/api/me with the cookie"
expect ".staff_id == \"1001\" and .counter == \"c01\" and .csrf == \"$WANG_CSRF\" and .roles == [\"staff\"]" \
  "$(body me)" "/api/me"

note "the staff socket: hello, the snapshot, a command, its answer and its event"
pub k1 kiosk/k1/cmd '{"id":"t1","op":"take","service":"A","reply_to":"k1"}'
wait_line reply-k1 '.id == "t1" and .ok == true' 10 >/dev/null || fail "take refused"
ws s1 /ws --cookie "jh_session=$WANG" --after-type hello \
   --send "{\"type\":\"cmd\",\"id\":\"b-1\",\"csrf\":\"$WANG_CSRF\",\"op\":\"call-next\"}" \
   --until-type event --count 1 --timeout 10
[ "$(ws_status s1)" = 101 ] || fail "the staff socket did not open: $(cat "$T/s1.ws")"
first=$(sed -n 's/^msg //p' "$T/s1.ws" | head -n 1)
expect ".type == \"hello\" and .staff_id == \"1001\" and .name == \"王芳\" and .roles == [\"staff\"]
        and .counter == \"c01\" and .csrf == \"$WANG_CSRF\"" "$first" "the first message"
for t in hall service/A service/B counter/c01 counter/c02 devices/caller; do
  ws_has s1 ".type == \"state\" and .topic == \"$t\" and (.data | type) == \"object\"" "snapshot $t"
done
ws_has s1 '.type == "state" and .topic == "counter/c01" and .data.staff_id == "1001"'
ws_has s1 '.type == "reply" and .id == "b-1" and .ok == true and .ticket == "A001"' "call-next's answer"
ws_has s1 '.type == "event" and .kind == "called" and .data.ticket == "A001" and .data.counter == "c01"'
[ "$(commands_like '.op == "call-next" and .by == "1001" and .reply_to == "web" and (.id | startswith("w-")) and .id != "b-1"')" = 1 ] ||
  fail "call-next not sent as wanted: $(cat "$T/commands.log")"

note "refused and never sent on"
pub k1 kiosk/k1/cmd '{"id":"t2","op":"take","service":"A","reply_to":"k1"}'
wait_line reply-k1 '.id == "t2" and .ok == true' 10 >/dev/null || fail "second take refused"
before=$(wc -l < "$T/commands.log")
big=$(printf '{"type":"cmd","id":"big","csrf":"%s","op":"notice","message":"%s"}' "$WANG_CSRF" "$(head -c 9000 /dev/zero | tr '\0' x)")
ws s2 /ws --cookie "jh_session=$WANG" --after-type hello \
   --send "{\"type\":\"cmd\",\"id\":\"r1\",\"csrf\":\"$WANG_CSRF\",\"op\":\"call-next\",\"counter\":\"c02\"}" \
   --send "{\"type\":\"cmd\",\"id\":\"r2\",\"csrf\":\"$WANG_CSRF\",\"op\":\"notice\",\"message\":\"hi\"}" \
   --send "{\"type\":\"cmd\",\"id\":\"r3\",\"csrf\":\"$WANG_CSRF\",\"op\":\"rate\",\"score\":5}" \
   --send "{\"type\":\"cmd\",\"id\":\"r4\",\"csrf\":\"not-the-token\",\"op\":\"recall\"}" \
   --send '{"type":"cmd","id":"r5","op":"recall"}' \
   --send '{"type":"cmd","id":"r6"' \
   --send '{"type":"shout","id":"r7"}' \
   --send "$big" \
   --send "{\"type\":\"cmd\",\"id\":\"r8\",\"csrf\":\"$WANG_CSRF\",\"op\":\"call-next\",\"by\":\"2001\"}" \
   --send-binary \
   --until-type reply --count 10 --timeout 10
ws_has s2 '.id == "r1" and .ok == false and .error == "forbidden"'
ws_has s2 '.id == "r2" and .ok == false and .error == "forbidden"'
ws_has s2 '.id == "r3" and .ok == false and .error == "forbidden"'
ws_has s2 '.id == "r4" and .ok == false and .error == "csrf"'
ws_has s2 '.id == "r5" and .ok == false and .error == "csrf"'
ws_has s2 '.type == "reply" and .id == null and .error == "bad-json"'
ws_has s2 '.id == "r7" and .error == "unknown-type"'
ws_has s2 '.type == "reply" and .error == "too-large"'
ws_has s2 '.id == "r8" and .error == "bad-field"'
[ "$(ws_msgs s2 '.type == "reply" and .error == "bad-json"' | wc -l)" = 2 ] || fail "binary not refused: $(cat "$T/s2.ws")"
sleep 0.5
[ "$(wc -l < "$T/commands.log")" = "$before" ] || fail "a refused command was sent on: $(tail -n +$((before + 1)) "$T/commands.log")"
# The same command in 10-byte fragments is put together and accepted.
ws s3 /ws --cookie "jh_session=$WANG" --after-type hello --fragment 10 \
   --send "{\"type\":\"cmd\",\"id\":\"f1\",\"csrf\":\"$WANG_CSRF\",\"op\":\"call-next\"}" \
   --until-type reply --count 1 --timeout 10
ws_has s3 '.id == "f1" and .ok == true and .ticket == "A002"' "fragmented call-next"

note "a supervisor pauses another counter; a guide (HTML in the name) flags a ticket"
pub c02 counter/c02/cmd '{"id":"l2","op":"login","staff_id":"1002","staff_name":"张伟","reply_to":"c02"}'
wait_line reply-c02 '.id == "l2" and .ok == true' 10 >/dev/null || fail "c02 login refused"
code=$(login li 2001 5678)
[ "$code" = 200 ] || fail "supervisor sign-in: $code $(body li)"
expect '.counter == null and .roles == ["supervisor"]' "$(body li)" "supervisor"
LI=$(cookie_of li) LI_CSRF=$(jq -r .csrf "$T/li.b")
ws s4 /ws --cookie "jh_session=$LI" --after-type hello \
   --send "{\"type\":\"cmd\",\"id\":\"p1\",\"csrf\":\"$LI_CSRF\",\"op\":\"pause\",\"counter\":\"c02\",\"reason\":\"break\",\"message\":\"去3楼档案室取材料，10分钟后回\"}" \
   --send "{\"type\":\"cmd\",\"id\":\"p2\",\"csrf\":\"$LI_CSRF\",\"op\":\"call-next\",\"counter\":\"c02\"}" \
   --until-type reply --count 2 --timeout 10
ws_has s4 '.id == "p1" and .ok == true'
ws_has s4 '.id == "p2" and .error == "forbidden"'
s=$(state display state/counter/c02)
expect '.status == "paused" and .message == "去3楼档案室取材料，10分钟后回"' "$s" "c02 paused by the supervisor"
code=$(login zhao 3001 2468)
[ "$code" = 200 ] || fail "guide sign-in: $code"
expect '.name == "<b>赵</b>&" and .roles == ["guide"]' "$(body zhao)" "a name with HTML, as text"
ZHAO=$(cookie_of zhao) ZHAO_CSRF=$(jq -r .csrf "$T/zhao.b")
pub k1 kiosk/k1/cmd '{"id":"t3","op":"take","service":"A","reply_to":"k1"}'
wait_line reply-k1 '.id == "t3" and .ok == true' 10 >/dev/null || fail "third take refused"
ws s5 /ws --cookie "jh_session=$ZHAO" --after-type hello \
   --send "{\"type\":\"cmd\",\"id\":\"g1\",\"csrf\":\"$ZHAO_CSRF\",\"op\":\"flag\",\"counter\":\"c01\",\"ticket\":\"A003\",\"priority\":\"elderly\"}" \
   --until-type reply --count 1 --timeout 10
ws_has s5 '.type == "hello" and .name == "<b>赵</b>&"'
ws_has s5 '.id == "g1" and .ok == true and .priority == "elderly"' "the guide's flag"

note "in flight: at most 32 per session; unanswered ones time out"
kill -STOP "$CALLER_PID"
sends=()
for i in $(seq 33); do sends+=(--send "{\"type\":\"cmd\",\"id\":\"q$i\",\"csrf\":\"$WANG_CSRF\",\"op\":\"recall\"}"); done
ws s6 /ws --cookie "jh_session=$WANG" --after-type hello "${sends[@]}" --until-type reply --count 33 --timeout 20
kill -CONT "$CALLER_PID"
ws_has s6 '.id == "q33" and .ok == false and .error == "busy"' "the 33rd in flight"
ws_has s6 '.id == "q1" and .ok == false and .error == "timeout"' "an unanswered command"
[ "$(ws_msgs s6 '.type == "reply" and .error == "timeout"' | wc -l)" = 32 ] || fail "not 32 timeouts: $(grep -c timeout "$T/s6.ws")"

note "logout: the CSRF header, bye on the socket, the counter's logout, the cookie dead"
code=$(post_json lo1 /api/logout '{}' -H "Cookie: jh_session=$WANG")
[ "$code" = 403 ] && jq -e '.error == "csrf"' >/dev/null <"$T/lo1.b" || fail "logout without CSRF: $code $(body lo1)"
code=$(post_json lo2 /api/logout '{}' -H "Cookie: jh_session=$WANG" -H "X-CSRF-Token: $LI_CSRF")
[ "$code" = 403 ] || fail "logout with another session's CSRF token: $code"
[ "$(http me GET /api/me -H "Cookie: jh_session=$WANG")" = 200 ] || fail "a refused logout ended the session"
python3 "$WS_CLIENT" "ws://127.0.0.1:$WPORT/ws" --origin "$WEB_URL" --cookie "jh_session=$WANG" --timeout 10 \
  > "$T/s7.ws" 2>&1 &
wsp=$!
for i in $(seq 50); do grep -q '"type":"hello"' "$T/s7.ws" 2>/dev/null && break; sleep 0.1; done
code=$(post_json lo3 /api/logout '{}' -H "Cookie: jh_session=$WANG" -H "X-CSRF-Token: $WANG_CSRF")
[ "$code" = 200 ] || fail "logout: $code $(body lo3)"
header lo3 set-cookie | grep -q '^jh_session=; .*Max-Age=0' || fail "the cookie is not cleared: $(header lo3 set-cookie)"
wait "$wsp" || true
ws_has s7 '.type == "bye" and .reason == "logout"' "bye on logout"
grep -q '^closed ' "$T/s7.ws" || fail "the socket was not closed after bye"
sleep 0.3
[ "$(commands_like '.op == "logout" and .by == "1001"')" = 1 ] || fail "the counter's logout was not sent"
[ "$(http me GET /api/me -H "Cookie: jh_session=$WANG")" = 401 ] || fail "/api/me after logout"
ws s8 /ws --cookie "jh_session=$WANG"
[ "$(ws_status s8)" = 403 ] || fail "the old cookie upgraded after logout"

note "the citizen's socket: its ticket, one rating, a second refused; an unknown token"
ws c1 /ws/t/AbCdEfGhIjKlMnOpQrSt-_ --after-type ticket --send '{"type":"rate","score":5,"id":"x1"}' \
   --until-type reply --count 1 --timeout 10
ws_has c1 '.type == "ticket" and .data.ticket == "A001" and .data.service_name == "社保业务" and .data.can_rate == true'
ws_has c1 '.type == "reply" and .id == "x1" and .ok == true'
[ "$(grep -c '"op":"rate"' "$T/standin.log")" = 1 ] || fail "the rating was not sent once"
grep '"op":"rate"' "$T/standin.log" | jq -e '.token == "AbCdEfGhIjKlMnOpQrSt-_" and .score == 5 and .source == "phone" and .reply_to == "web" and (has("by") | not)' >/dev/null ||
  fail "the rating was not sent as wanted: $(grep '"op":"rate"' "$T/standin.log")"
ws c2 /ws/t/AbCdEfGhIjKlMnOpQrSt-_ --after-type ticket --send '{"type":"rate","score":1}' \
   --until-type reply --count 1 --timeout 10
ws_has c2 '.type == "ticket" and .data.rated == true'
ws_has c2 '.type == "reply" and .ok == false and .error == "already-rated"'
ws c3 /ws/t/ZZZZZZZZZZZZZZZZZZZZZZ --timeout 10
ws_has c3 '.type == "ticket" and .data == null and .error == "unknown-token"'
grep -q '^closed ' "$T/c3.ws" || fail "an unknown token's socket stays open: $(cat "$T/c3.ws")"

note "under TLS the cookie is Secure"
bash "$JH_SOURCE_DIR/scripts/make-ca" --out "$T/ca" --ip 127.0.0.1 --hall test >/dev/null
stop_web
sed -i "/^\[web\]/a tls_cert = $T/ca/server.crt\ntls_key = $T/ca/server.key" "$CONF"
"$WEB_BIN" --config "$CONF" >>"$T/web.log" 2>&1 &
WEB_PID=$!
BG_PIDS+=("$WEB_PID")
WEB_URL="https://127.0.0.1:$WPORT"
for i in $(seq 100); do
  [ "$(curl -s --cacert "$T/ca/ca.crt" -o /dev/null -w '%{http_code}' "$WEB_URL/api/me")" = 401 ] && break
  sleep 0.1
done
code=$(login tls 2001 5678 "" --cacert "$T/ca/ca.crt")
[ "$code" = 200 ] || fail "sign-in over TLS: $code $(body tls)"
[[ "$(header tls set-cookie)" == *"; HttpOnly; SameSite=Strict; Path=/; Secure" ]] ||
  fail "no Secure on the TLS cookie: $(header tls set-cookie)"
stop_web
echo PASS
