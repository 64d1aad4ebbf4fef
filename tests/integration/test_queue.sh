#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_queue — a busy morning's commands sent while jiaohao-caller is down are
# all served when it returns. They wait at the broker in the caller's persistent
# session; mosquitto's default queue (1000 messages) dropped the rest without a
# word, so the generated broker config must make room for them.
source "$(dirname "$0")/lib.sh"

N=1500 # more than the default queue holds; two services, so no number range runs out

start_broker
start_caller
wait_online
listen_replies k1

note "the caller stops; $N takes arrive while it is away"
stop_caller || fail "jiaohao-caller did not exit cleanly"
for i in $(seq 1 "$N"); do
  svc=$([ $((i % 2)) -eq 0 ] && echo A || echo B)
  printf '{"id":"q-%d","op":"take","reply_to":"k1","service":"%s"}\n' "$i" "$svc"
done | mosquitto_pub -h 127.0.0.1 -p "$PORT" -u k1 -P "$(pw k1)" -I k1: -q 1 -t "$P/kiosk/k1/cmd" -l

note "the caller returns and answers every one of them"
start_caller
wait_online
end=$(( $(date +%s) + 120 ))
while :; do
  got=$(count_lines reply-k1 '.id | startswith("q-")')
  [ "$got" -ge "$N" ] && break
  [ "$(date +%s)" -lt "$end" ] || fail "only $got of $N queued takes were answered"
  sleep 0.5
done
ok=$(count_lines reply-k1 '(.id | startswith("q-")) and .ok == true')
[ "$ok" -eq "$N" ] || fail "$ok of $N queued takes were issued"
w_a=$(state display state/service/A | jq .waiting)
w_b=$(state display state/service/B | jq .waiting)
[ $((w_a + w_b)) -eq "$N" ] || fail "waiting $w_a + $w_b, expected $N"
note "all $N answered and waiting ($w_a A, $w_b B)"
