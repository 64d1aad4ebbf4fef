#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_web — jiaohao-web against a real mosquitto and the real jiaohao-caller:
# what holds whatever the engine knows of staff.
#
# - Pages: served from the pages folder with their MIME types and the security
#   headers (CSP, nosniff, no-referrer); the role pages and /t/<token> from
#   their files; nothing outside the folder, no unknown types.
# - /api: 401 without a session, Cache-Control: no-store; a sign-in refused
#   with a clear code, and no cookie (wt-roster's staff-auth answers
#   unknown-staff; without it the engine refuses the op itself: unknown-op —
#   the test asks the caller which one applies); bad bodies, wrong type,
#   another site's Origin, wrong method: each its own code; a forged cookie
#   refused.
# - WebSocket: a wrong or missing Origin, no or a forged cookie, another path:
#   refused with 403 before any upgrade; a citizen page's socket gets its
#   ticket (or the caller's refusal) and refuses what is not a rating.
# - The login rate limit per address: the attempt past login_per_minute gets
#   429 and never reaches the caller.
# - Start-up: plain HTTP on a non-loopback address refused with one line;
#   HTTPS with the hall CA (scripts/make-ca): the same pages and headers, and HSTS.
# - systemd: READY=1, WATCHDOG=1 from the loop, a STATUS line, STOPPING=1 on
#   SIGTERM; status/web online, then offline after SIGTERM.
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/web_lib.sh"

: "${JH_NOTIFY_LISTEN:?set JH_NOTIFY_LISTEN to the notify_listen helper (ctest does)}"

setup_hall admin
make_pages
add_web_section "login_per_minute=30"
listen status display "status/#" "status/caller"
# web_status JQ-FILTER — waits for a status/web payload that matches.
web_status() {
  local i
  for i in $(seq 100); do
    grep "^$P/status/web " "$T/status.log" | cut -d' ' -f2- | jq -e "select($1)" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}
listen_notify() {
  "$JH_NOTIFY_LISTEN" "$1" > "$T/web.notify" 2>>"$T/web.notify.err" &
  BG_PIDS+=($!)
  local i
  for i in $(seq 100); do grep -qx listening "$T/web.notify" && return 0; sleep 0.05; done
  fail "notify listener never bound"
}
listen_notify "$T/notify.sock"
NOTIFY_SOCKET="$T/notify.sock" WATCHDOG_USEC=2000000 start_web
web_status '.online == true' || fail "no status/web online"

note "the broker's ACL for web: commands for any counter and admin/cmd; no state, events, replies or kiosk commands"
listen_replies k1
listen watch display "state/#" "state/probe"
listen events display "event/#" "event/probe"
listen webreply web "reply/web" "reply/web"
pub web state/hall '{"site":"forged","day":1}'
pub web event/called '{"seq":999999,"ticket":"Z999"}'
pub web reply/k1 '{"id":"forged-reply","ok":true}'
pub web kiosk/k1/cmd '{"id":"forged-take","op":"take","service":"A","reply_to":"k1"}'
pub web counter/c02/cmd '{"id":"acl-c02","op":"logout","reply_to":"web"}'
pub web admin/cmd '{"id":"acl-admin","op":"notice","message":"","reply_to":"web"}'
wait_line webreply '.id == "acl-c02" and .error == "not-logged-in"' 10 >/dev/null || fail "web cannot command c02"
wait_line webreply '.id == "acl-admin" and .ok == true' 10 >/dev/null || fail "web cannot send admin/cmd"
sleep 0.5
! grep -q forged "$T/watch.log" || fail "web wrote a state"
! grep -q Z999 "$T/events.log" || fail "web wrote an event"
! grep -q forged "$T/reply-k1.log" || fail "web wrote another client's reply or a kiosk command"

note "static pages: MIME types and security headers"
[ "$(http root GET /)" = 200 ] || fail "GET / is not 200"
expect_security_headers root
expect_header root content-type "text/html; charset=utf-8"
grep -q '登录' "$T/root.b" || fail "GET / is not index.html"
for f in "app.js text/javascript; charset=utf-8" "style.css text/css; charset=utf-8" "logo.png image/png" \
         "index.html text/html; charset=utf-8"; do
  name=${f%% *} type=${f#* }
  [ "$(http f GET "/$name")" = 200 ] || fail "GET /$name is not 200"
  expect_header f content-type "$type"
  expect_security_headers f
  cmp -s "$T/f.b" "$PAGES/$name" || fail "/$name is not the file"
done
for p in counter guide supervisor admin; do
  [ "$(http page GET "/$p")" = 200 ] || fail "GET /$p is not 200"
  grep -q "<title>$p</title>" "$T/page.b" || fail "/$p is not $p.html"
  expect_header page content-type "text/html; charset=utf-8"
  expect_security_headers page
done
[ "$(http tpage GET /t/AbCdEfGhIjKlMnOpQrSt-_)" = 200 ] || fail "the citizen page is not served"
grep -q '<title>t</title>' "$T/tpage.b" || fail "/t/<token> is not t.html"
for bad in /t/short /t/AbCdEfGhIjKlMnOpQrSt-_x /t/AbCdEfGhIjKlMnOpQrSt%2F /counter/x /nothing.html /ws; do
  code=$(http bad GET "$bad")
  [ "$code" = 404 ] || fail "GET $bad is $code, want 404"
done
code=$(http bin GET /notes.bin)
[ "$code" = 415 ] || fail "a file of unknown type is served ($code)"
for trav in "/../hall.ini" "/%2e%2e/hall.ini" "/..%2fhall.ini" "/pages/../hall.ini"; do
  code=$(http trav GET "$trav" --path-as-is)
  [ "$code" != 200 ] || fail "$trav is served"
  ! grep -q "site = " "$T/trav.b" || fail "$trav shows the hall config"
done
[ "$(http post_page POST /counter -d x)" = 405 ] || fail "POST /counter is not 405"

note "/api/me without a session, and with a forged cookie"
[ "$(http me GET /api/me)" = 401 ] || fail "/api/me without a cookie is not 401"
expect_header me cache-control no-store
expect_security_headers me
expect '.ok == false and .error == "no-session"' "$(body me)" "/api/me refusal"
forged=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
[ "$(http me2 GET /api/me -H "Cookie: jh_session=$forged")" = 401 ] || fail "a forged cookie is accepted"
[ "$(http me3 GET /api/me -H "Cookie: other=1; jh_session=short")" = 401 ] || fail "a short cookie is accepted"
[ "$(http nope GET /api/nope)" = 404 ] || fail "/api/nope is not 404"
expect '.error == "not-found"' "$(body nope)" "/api/nope"

note "a sign-in refused with a clear code, and no cookie"
# Which engine is this? wt-roster's knows staff-auth; before it, the engine refuses the op.
probe=$(cmd admin admin '{"id":"probe-auth","op":"staff-auth","staff_id":"nobody","secret":"x"}')
if jq -e '.error == "unknown-op"' >/dev/null <<<"$probe"; then
  want_code=unknown-op want_http=403
  note "(the engine has no staff-auth yet: sign-ins are refused unknown-op until wt-roster is merged)"
else
  want_code=unknown-staff want_http=401
fi
code=$(login nobody 424242 wrong-secret c01)
[ "$code" = "$want_http" ] || fail "sign-in of an unknown staff member: HTTP $code, want $want_http ($(body nobody))"
expect ".ok == false and .error == \"$want_code\" and (.message | length > 0)" "$(body nobody)" "refused sign-in"
[ -z "$(header nobody set-cookie)" ] || fail "a refused sign-in set a cookie"
expect_header nobody cache-control no-store

note "bad sign-in requests: each its own code, nothing asked of the caller"
monitor_commands caller
code=$(post_json b1 /api/login 'not json')
[ "$code" = 400 ] && jq -e '.error == "bad-request"' >/dev/null <"$T/b1.b" || fail "bad JSON: $code $(body b1)"
code=$(post_json b2 /api/login '{"staff_id":"1001"}')
[ "$code" = 400 ] && grep -q secret "$T/b2.b" || fail "no secret: $code $(body b2)"
code=$(post_json b3 /api/login '{"staff_id":"1001","secret":"1234","counter":"c99"}')
[ "$code" = 400 ] && grep -q counter "$T/b3.b" || fail "unknown counter: $code $(body b3)"
code=$(post_json b4 /api/login '{"staff_id":"a b","secret":"1234"}')
[ "$code" = 400 ] || fail "bad staff id: $code"
code=$(post_json b5 /api/login "{\"staff_id\":\"1001\",\"secret\":\"$(printf 'x%.0s' $(seq 200))\"}")
[ "$code" = 400 ] || fail "a 200-byte secret: $code"
code=$(post_json b6 /api/login "{\"staff_id\":\"1001\",\"secret\":\"$(head -c 5000 /dev/zero | tr '\0' x)\"}")
[ "$code" = 413 ] || fail "a 5000-byte body: $code"
code=$(http b7 POST /api/login -H "Origin: $WEB_URL" -H 'Content-Type: text/plain' --data-raw '{"staff_id":"1001","secret":"1"}')
[ "$code" = 415 ] || fail "text/plain: $code"
code=$(http b8 POST /api/login -H 'Origin: http://evil.example' -H 'Content-Type: application/json' \
       --data-raw '{"staff_id":"1001","secret":"1"}')
[ "$code" = 403 ] && jq -e '.error == "csrf"' >/dev/null <"$T/b8.b" || fail "another site's Origin: $code $(body b8)"
[ "$(http b9 GET /api/login)" = 405 ] || fail "GET /api/login is not 405"
code=$(post_json b10 /api/logout '{}')
[ "$code" = 401 ] || fail "logout without a session: $code"
sleep 0.5
[ "$(commands_like '.op == "staff-auth"')" = 0 ] || fail "a bad request reached the caller: $(cat "$T/commands.log")"

note "WebSocket upgrades refused before the handshake"
ws w1 /ws --origin http://evil.example
[ "$(ws_status w1)" = 403 ] || fail "another site's Origin upgraded: $(cat "$T/w1.ws")"
ws w2 /ws --no-origin
[ "$(ws_status w2)" = 403 ] || fail "no Origin upgraded"
ws w3 /ws
[ "$(ws_status w3)" = 403 ] || fail "no cookie upgraded"
ws w4 /ws --cookie "jh_session=$forged"
[ "$(ws_status w4)" = 403 ] || fail "a forged cookie upgraded"
ws w5 /ws/other --cookie "jh_session=$forged"
[ "$(ws_status w5)" = 403 ] || fail "/ws/other upgraded"
ws w6 /ws/t/short
[ "$(ws_status w6)" = 403 ] || fail "a malformed ticket token upgraded"
ws w7 /ws/t/AbCdEfGhIjKlMnOpQrSt-_ --origin http://evil.example
[ "$(ws_status w7)" = 403 ] || fail "a citizen socket from another site upgraded"

note "a citizen's socket: the ticket asked of the caller, nothing but a rating accepted"
ws c1 /ws/t/AbCdEfGhIjKlMnOpQrSt-_ --send '{"type":"cmd","id":"1","csrf":"x","op":"call-next"}' \
   --send '{"type":"rate","score":7}' --after-type ticket --until-type reply --count 2 --timeout 10
[ "$(ws_status c1)" = 101 ] || fail "the citizen socket did not open: $(cat "$T/c1.ws")"
ws_has c1 '.type == "ticket" and .data == null and (.error == "unknown-op" or .error == "unknown-token")'
ws_has c1 '.type == "reply" and .ok == false and .error == "unknown-type"'
ws_has c1 '.type == "reply" and .ok == false and .error == "bad-field"'
[ "$(commands_like '.op == "call-next" or .op == "rate"')" = 0 ] || fail "a citizen's bad message was sent on"
[ "$(commands_like '.op == "ticket-status" and .token == "AbCdEfGhIjKlMnOpQrSt-_" and .reply_to == "web"')" -ge 1 ] ||
  fail "ticket-status not asked: $(cat "$T/commands.log")"

note "the login rate limit per address"
stop_web
sed -i 's/^login_per_minute = 30$/login_per_minute = 3/' "$CONF"
: > "$T/commands.log"
start_web
for i in 1 2 3; do
  code=$(login rl$i 424242 wrong-secret)
  [ "$code" != 429 ] || fail "attempt $i refused by the rate limit"
done
code=$(login rl4 424242 wrong-secret)
[ "$code" = 429 ] || fail "the 4th attempt in a minute: $code $(body rl4)"
expect '.error == "rate-limited" and (.message | test("try again in [0-9]+ s"))' "$(body rl4)" "rate limit"
sleep 0.5
[ "$(commands_like '.op == "staff-auth"')" = 3 ] || fail "the refused attempt reached the caller: $(cat "$T/commands.log")"

note "systemd: READY, watchdog, status; SIGTERM: STOPPING and status/web offline"
grep -qx READY=1 "$T/web.notify" || fail "no READY=1"
grep -qx WATCHDOG=1 "$T/web.notify" || fail "no WATCHDOG=1"
grep -q '^STATUS=broker connected; [0-9]* sessions' "$T/web.notify" || fail "no STATUS line: $(cat "$T/web.notify")"
stop_web || fail "jiaohao-web did not exit 0 on SIGTERM"
grep -qx STOPPING=1 "$T/web.notify" || fail "no STOPPING=1"
web_status '.online == false' || fail "no status/web offline after SIGTERM"
# Started again without systemd: it only serves.
start_web
stop_web

note "start-up: plain HTTP on a non-loopback address is refused"
set +e
"$WEB_BIN" --config "$CONF" --listen 0.0.0.0:$WPORT > "$T/plain.out" 2>&1
rc=$?
set -e
[ $rc = 2 ] || fail "plain HTTP on 0.0.0.0 exited $rc: $(cat "$T/plain.out")"
grep -q "plain HTTP on 0.0.0.0 is refused" "$T/plain.out" || fail "unclear refusal: $(cat "$T/plain.out")"
[ "$(wc -l < "$T/plain.out")" = 1 ] || fail "more than one line: $(cat "$T/plain.out")"

note "HTTPS with the hall CA: the same pages and headers, HSTS, and no plain HTTP on that port"
bash "$JH_SOURCE_DIR/scripts/make-ca" --out "$T/ca" --ip 127.0.0.1 --name localhost --hall test >/dev/null
sed -i "/^\[web\]/a tls_cert = $T/ca/server.crt\ntls_key = $T/ca/server.key" "$CONF"
start_web_tls() {
  "$WEB_BIN" --config "$CONF" --listen "0.0.0.0:$WPORT" >>"$T/web.log" 2>&1 &
  WEB_PID=$!
  BG_PIDS+=("$WEB_PID")
  local i
  for i in $(seq 100); do
    kill -0 "$WEB_PID" 2>/dev/null || fail "jiaohao-web (TLS) exited: $(tail -n 3 "$T/web.log")"
    [ "$(curl -s --cacert "$T/ca/ca.crt" -o /dev/null -w '%{http_code}' "https://127.0.0.1:$WPORT/api/me")" = 401 ] && return 0
    sleep 0.1
  done
  fail "jiaohao-web never answered HTTPS"
}
start_web_tls
WEB_URL="https://127.0.0.1:$WPORT"
[ "$(http tls GET / --cacert "$T/ca/ca.crt")" = 200 ] || fail "GET / over TLS"
expect_security_headers tls
grep -qi '^strict-transport-security:' "$T/tls.h" || fail "no HSTS under TLS"
code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$WPORT/" || true)
[ "$code" != 200 ] || fail "plain HTTP answered on the TLS port"
python3 "$WS_CLIENT" "wss://127.0.0.1:$WPORT/ws" --origin "http://127.0.0.1:$WPORT" > "$T/tlsws.ws" 2>&1 || true
[ "$(ws_status tlsws)" = 403 ] || fail "an http:// Origin upgraded on HTTPS: $(cat "$T/tlsws.ws")"
stop_web
echo "PASS"
