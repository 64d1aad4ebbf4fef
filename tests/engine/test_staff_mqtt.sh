#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_staff_mqtt — staff identity end to end over a real broker, with the hall
# enrolled ([staff] roster = staff.csv beside the config, PIN-less login off):
# a keypad-style login without a PIN is refused, the roster's PIN lets a person
# in under the roster's name, wrong PINs lock the account and event/alert
# staff-locked says until when, a console's sign-in (staff-auth) and a role it
# lacks (`by`, forbidden), the audit trail of it all, a hash from
# `jiaohao-caller staff-hash` imported and used, and no payload on any topic
# ever carrying a hash. Finally a roster file that is missing stops the caller
# with one line naming it.
export JH_TEST_PINLESS=no # this hall has enrolled its staff
source "$(dirname "$0")/../integration/lib.sh"

setup_hall c01 admin
listen events display 'event/#' event/probe
listen states display 'state/#' state/probe

note "a login needs the PIN; the boards show the roster's name"
r=$(cmd c01 counter '{"id":"c01-1","op":"login","reply_to":"c01","staff_id":"10023","staff_name":"王芳"}')
expect '.ok == false and .error == "missing-field"' "$r" "login without a PIN"
r=$(cmd c01 counter '{"id":"c01-2","op":"login","reply_to":"c01","staff_id":"55555","secret":"123456"}')
expect '.ok == false and .error == "unknown-staff"' "$r" "login of nobody"
r=$(cmd c01 counter '{"id":"c01-3","op":"login","reply_to":"c01","staff_id":"10023","secret":"'$STAFF_PIN'","staff_name":"冒名"}')
expect '.ok and .staff_name == "王芳"' "$r" "login with the PIN"
wait_line states '.counter == "c01" and .staff_name == "王芳"' >/dev/null || fail "state/counter/c01 without the roster's name"

note "wrong PINs lock the account; event/alert says until when"
for i in 1 2 3 4; do
  r=$(cmd c01 counter '{"id":"c01-w'$i'","op":"login","reply_to":"c01","staff_id":"30001","secret":"000000"}')
  expect '.ok == false and .error == "bad-secret" and (.message | test("'$i' of 5"))' "$r" "wrong PIN $i"
done
r=$(cmd c01 counter '{"id":"c01-w5","op":"login","reply_to":"c01","staff_id":"30001","secret":"000000"}')
expect '.ok == false and .error == "bad-secret" and (.until | type == "string")' "$r" "the fifth locks"
ev=$(wait_line events '.kind == "staff-locked" and .staff_id == "30001"' 5) || fail "no event/alert staff-locked"
expect '.staff_name == "赵磊" and (.until | test("\\+08:00$")) and (.seq | type == "number")' "$ev" "staff-locked alert"
grep -q "^$P/event/alert .*staff-locked" "$T/events.log" || fail "staff-locked not on event/alert"
r=$(cmd c01 counter '{"id":"c01-w6","op":"login","reply_to":"c01","staff_id":"30001","secret":"300101"}')
expect '.ok == false and .error == "locked" and (.until | type == "string")' "$r" "locked, even with the right PIN"

note "the console's sign-in and role checks"
r=$(cmd admin admin '{"id":"a-1","op":"staff-auth","reply_to":"admin","staff_id":"90001","secret":"900101"}')
expect '.ok and .name == "黄丽" and .roles == ["admin"] and (has("secret_hash") | not)' "$r" "staff-auth"
r=$(cmd admin admin '{"id":"a-2","op":"notice","reply_to":"admin","message":"系统维护","by":"10023"}')
expect '.ok == false and .error == "forbidden"' "$r" "a staff member setting the notice"
r=$(cmd admin admin '{"id":"a-3","op":"staff-set-secret","reply_to":"admin","staff_id":"30001","secret":"new-pass-1","by":"90001"}')
expect '.ok and .staff_id == "30001"' "$r" "the admin resets a secret (and unlocks)"
r=$(cmd c01 counter '{"id":"c01-4","op":"call-next","reply_to":"c01","by":"20001"}')
expect '.ok == false and .error == "forbidden"' "$r" "a guide calling at c01"

note "a hash made by staff-hash, imported, used"
hash=$("$CALLER_BIN" staff-hash <<<"long secret, with a comma")
[[ "$hash" == '$argon2id$v=19$'* ]] || fail "staff-hash printed '$hash'"
"$CALLER_BIN" staff-hash <<<"123" >/dev/null 2>"$T/short.err" && fail "staff-hash took a 3-byte secret"
grep -q "4 to 127 bytes" "$T/short.err" || fail "staff-hash: $(cat "$T/short.err")"
csv=$(printf 'staff_id,name,department,roles,counters,services,covers,secret\n40001,孙艳,信息科,staff,c01,,,%s\n' "$hash")
r=$(cmd admin admin "$(jq -cn --arg csv "$csv" '{id:"a-4",op:"staff-import",reply_to:"admin",csv:$csv,by:"90001"}')")
expect '.ok and .added == 1 and .updated == 0' "$r" "staff-import of a hash"
r=$(cmd admin admin '{"id":"a-5","op":"staff-auth","reply_to":"admin","staff_id":"40001","secret":"long secret, with a comma"}')
expect '.ok and .name == "孙艳"' "$r" "signing in with the imported hash's secret"

note "the audit trail, and no hash anywhere"
r=$(cmd admin admin '{"id":"a-6","op":"audit","reply_to":"admin","staff_id":"30001"}')
expect '[.rows[] | select(.result == "bad-secret")] | length == 5' "$r" "audit: five wrong PINs"
expect '[.rows[] | select(.result == "locked")] | length == 1' "$r" "audit: the locked try"
r=$(cmd admin admin '{"id":"a-7","op":"audit","reply_to":"admin","counter":"c01","limit":500}')
expect '[.rows[] | select(.result == "forbidden" and .by == "20001")] | length == 1' "$r" "audit: the guide's try"
r=$(cmd admin admin '{"id":"a-8","op":"staff-list","reply_to":"admin"}')
expect '(.staff | length) == 5 and ([.staff[] | select(.has_secret)] | length) == 5' "$r" "staff-list"
for log in "$T"/*.log; do
  ! grep -q 'argon2' "$log" || fail "a hash in $(basename "$log")"
  ! grep -q "$STAFF_PIN\|900101\|new-pass-1" "$log" || fail "a secret in $(basename "$log")"
done
sqlite3 "$T/data/jiaohao.db" "SELECT count(*) FROM staff_audit WHERE detail LIKE '%argon2%' OR detail LIKE '%$STAFF_PIN%'" |
  grep -qx 0 || fail "a secret in the audit trail"

note "a missing roster file stops the caller with one line naming it"
stop_caller || fail "the caller did not stop cleanly"
rm "$T/staff.csv"
set +e
"$CALLER_BIN" --config "$CONF" > "$T/stdout" 2> "$T/stderr"
rc=$?
set -e
[ "$rc" -ne 0 ] || fail "the caller ran without its roster"
[ "$(wc -l < "$T/stderr")" -eq 1 ] && grep -q "\[staff\] roster $T/staff.csv" "$T/stderr" ||
  fail "want one line naming the roster, got: $(cat "$T/stderr")"
note "ok"
