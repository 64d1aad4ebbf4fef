#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_crash — kill -9 the daemon in the middle of a stream of takes.
#
# A sender takes N tickets, one command id each, and resends a command it got
# no answer for (as a kiosk would). Meanwhile the daemon is killed with
# SIGKILL at random moments and restarted. Afterwards: every acknowledged
# ticket exists, no number was issued twice, numbers are contiguous, every
# resend of an id got the same ticket, and every ticket's event/issued reached
# the broker (the outbox survives the crash).
source "$(dirname "$0")/lib.sh"

N=${JH_CRASH_TAKES:-200}
KILLS=${JH_CRASH_KILLS:-3}
setup_hall k1
listen events display 'event/issued' event/issued

replied() { grep -qF "\"id\":\"$1\"," "$T/reply-k1.log"; }

sender() {
  local i id tries
  for i in $(seq "$N"); do
    id="crash-$i"
    for tries in $(seq 100); do
      pub k1 kiosk/k1/cmd "{\"id\":\"$id\",\"op\":\"take\",\"reply_to\":\"k1\",\"service\":\"A\"}" || true
      local w
      for w in $(seq 100); do replied "$id" && break 2; sleep 0.01; done
      echo "resend $id" >> "$T/resends"
    done
  done
  touch "$T/sender.done"
}
sender &
BG_PIDS+=($!)

for k in $(seq "$KILLS"); do
  sleep "$((RANDOM % 1500 + 300))e-3"
  [ -e "$T/sender.done" ] && break
  note "kill -9 after $(grep -c '"ok":true' "$T/reply-k1.log" || true) answers"
  kill9_caller
  sleep "$((RANDOM % 1500))e-3" # sometimes longer than the sender waits: it resends
  start_caller
done
for i in $(seq 1200); do [ -e "$T/sender.done" ] && break; sleep 0.1; done
[ -e "$T/sender.done" ] || fail "sender did not finish"
note "$( [ -e "$T/resends" ] && wc -l < "$T/resends" || echo 0) resends"

note "checking $N tickets"
answers=$(cut -d' ' -f2- "$T/reply-k1.log" | jq -c 'select(.id | startswith("crash-"))')
[ "$(jq -s 'map(select(.ok != true)) | length' <<<"$answers")" -eq 0 ] || fail "refused takes: $(jq -c 'select(.ok != true)' <<<"$answers" | head -3)"
[ "$(jq -r .id <<<"$answers" | sort -u | wc -l)" -eq "$N" ] || fail "not every take was answered"
# One ticket per id, however often it was answered.
[ "$(jq -r '[.id, .ticket] | @tsv' <<<"$answers" | sort -u | wc -l)" -eq "$N" ] || fail "an id got two different tickets"
tickets=$(jq -r '[.id, .ticket] | @tsv' <<<"$answers" | sort -u | cut -f2 | sort)
[ "$(uniq -d <<<"$tickets" | wc -l)" -eq 0 ] || fail "number issued twice: $(uniq -d <<<"$tickets" | head -3)"
expected=$(for i in $(seq "$N"); do printf 'A%03d\n' "$i"; done)
[ "$tickets" = "$expected" ] || fail "numbers not contiguous A001..A$(printf %03d "$N")"
s=$(state display state/service/A)
expect ".waiting == $N and .next_ticket == \"$(printf 'A%03d' $((N + 1)))\"" "$s" "no ghost tickets in the store"

note "every issued event reached the broker"
for i in $(seq 100); do
  got=$(cut -d' ' -f2- "$T/events.log" | jq -r 'select(.ticket) | .ticket' | sort -u)
  [ "$got" = "$expected" ] && break; sleep 0.1
done
[ "$got" = "$expected" ] || fail "missing issued events: $(comm -13 <(echo "$got") <(echo "$expected") | head -5)"
seqs=$(cut -d' ' -f2- "$T/events.log" | jq -r 'select(.ticket) | .seq' | sort -n | uniq)
[ "$(wc -l <<<"$seqs")" -eq "$N" ] || fail "expected $N distinct event seqs"
echo "PASS"
