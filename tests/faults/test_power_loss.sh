#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_power_loss — writes interrupted at random points always reopen consistent.
#
# A burst of commands (takes from a kiosk, call-next/finish from two counters,
# each a stream of distinct command ids through one mosquitto_pub -l) runs
# against the real caller, and:
#   (a) kill -9: the caller dies at a random moment of the burst, N times. Each
#       time the store is reopened by the engine (WAL recovery, as after a
#       power cut) and judged by fault_store_check: integrity_check, no number
#       twice, numbers contiguous, waiting counters = waiting tickets, outbox
#       seqs contiguous, and every take a kiosk was answered for exists.
#   (b) torn copies: at a random moment, while the caller writes, the store is
#       copied with cp (jiaohao.db, then jiaohao.db-wal; the -shm is a cache
#       SQLite rebuilds). The copy must open with the engine to a consistent
#       state. A copy is a state a power cut could have left only if the WAL was
#       not restarted while it was taken (then the WAL only grew, and everything
#       the db copy holds from a checkpoint is still in the WAL copy): its
#       header (checkpoint counter and salts) is compared before and after, and
#       a copy that straddled a restart is retaken.
# First, the judge itself must be able to fail: a tampered copy is refused.
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/faults_lib.sh"

KILLS=${JH_POWER_KILLS:-5}
SNAPS=${JH_POWER_SNAPSHOTS:-6}
BURST=${JH_POWER_BURST:-100}

setup_hall k1 c01 c02
cmd c01 counter '{"id":"in-1","op":"login","reply_to":"c01","staff_id":"1001"}' >/dev/null
cmd c02 counter '{"id":"in-2","op":"login","reply_to":"c02","staff_id":"1002"}' >/dev/null

BURST_PIDS=()
FAULT_CLEANUPS+=('kill_wait "${BURST_PIDS[@]}"')

# burst NAME — N takes and, for each counter, N/2 call-next/finish pairs, sent
# as fast as mosquitto_pub can, in the background (BURST_PIDS).
burst() {
  local name=$1 i u
  for i in $(seq "$BURST"); do
    printf '{"id":"%s-t%d","op":"take","reply_to":"k1","service":"%s"}\n' "$name" "$i" \
      "$([ $((i % 3)) -eq 0 ] && echo B || echo A)"
  done > "$T/$name-k1.cmds"
  for u in c01 c02; do
    for i in $(seq $((BURST / 2))); do
      printf '{"id":"%s-%s-%d","op":"call-next","reply_to":"%s"}\n' "$name" "$u" "$i" "$u"
      printf '{"id":"%s-%s-%df","op":"finish","reply_to":"%s"}\n' "$name" "$u" "$i" "$u"
    done > "$T/$name-$u.cmds"
  done
  BURST_PIDS=()
  mosquitto_pub -h 127.0.0.1 -p "$PORT" -u k1 -P "$(pw k1)" -I k1: -q 1 -t "$P/kiosk/k1/cmd" -l \
    < "$T/$name-k1.cmds" 2>/dev/null &
  BURST_PIDS+=($!)
  for u in c01 c02; do
    mosquitto_pub -h 127.0.0.1 -p "$PORT" -u "$u" -P "$(pw "$u")" -I "$u:" -q 1 -t "$P/counter/$u/cmd" -l \
      < "$T/$name-$u.cmds" 2>/dev/null &
    BURST_PIDS+=($!)
  done
}
end_burst() { wait "${BURST_PIDS[@]}" 2>/dev/null || true; BURST_PIDS=(); }

# answered NAME — how many of the burst's commands got an answer so far.
answered() { cat "$T"/reply-*.log | grep -c "\"id\":\"$1-" || true; }

# until_answered NAME N — waits (generously) until N answers of burst NAME arrived.
until_answered() {
  local i
  for i in $(seq 600); do [ "$(answered "$1")" -ge "$2" ] && return 0; sleep 0.05; done
  fail "burst $1: fewer than $2 answers after 30 s"
}

note "(a) kill -9 in the middle of a burst, $KILLS times"
takes_total=0
for k in $(seq "$KILLS"); do
  burst "kill$k"
  until_answered "kill$k" $((RANDOM % (BURST / 2) + 1))
  sleep "0.0$((RANDOM % 90 + 10))"
  before=$(answered "kill$k")
  kill9_caller
  end_burst
  acked_takes "$T/reply-k1.log" > "$T/takes"
  check_store "kill -9 #$k" "$DB" --engine --takes "$T/takes"
  note "kill #$k after $before answers: $CHECKED"
  takes_total=$(wc -l < "$T/takes")
  start_caller
  wait_online
done

note "the judge can fail: a tampered copy of the store is refused"
mkdir -p "$T/tamper"
sqlite3 "$DB" ".backup '$T/tamper/jiaohao.db'"
check_store "a clean backup" "$T/tamper/jiaohao.db"
sqlite3 "$T/tamper/jiaohao.db" "UPDATE tickets SET number = number + 1 WHERE id = (SELECT max(id) FROM tickets)"
rc=0; "$FAULT_CHECK" --config "$CONF" --db "$T/tamper/jiaohao.db" >/dev/null 2>"$T/tamper.err" || rc=$?
[ $rc -eq 1 ] && grep -q "numbers not contiguous" "$T/tamper.err" || fail "a number gap went unnoticed (exit $rc)"
sqlite3 "$DB" ".backup '$T/tamper/jiaohao.db'"
sqlite3 "$T/tamper/jiaohao.db" "DELETE FROM outbox WHERE seq = (SELECT max(seq) - 3 FROM outbox)"
rc=0; "$FAULT_CHECK" --config "$CONF" --db "$T/tamper/jiaohao.db" >/dev/null 2>"$T/tamper.err" || rc=$?
[ $rc -eq 1 ] && grep -q "outbox seq gap" "$T/tamper.err" || fail "an outbox gap went unnoticed (exit $rc)"

# wal_header FILE — the WAL's checkpoint counter and salts (bytes 12..23), hex.
wal_header() { od -An -tx1 -j12 -N12 "$1" 2>/dev/null | tr -d ' \n'; }

note "(b) $SNAPS torn copies with cp while the caller writes"
taken=0 retaken=0 round=0
while [ "$taken" -lt "$SNAPS" ]; do
  round=$((round + 1))
  [ "$round" -le $((SNAPS * 4)) ] || fail "only $taken of $SNAPS copies were crash states"
  burst "copy$round"
  until_answered "copy$round" $((RANDOM % (BURST / 2) + 5))
  sleep "0.0$((RANDOM % 90 + 10))"
  snap="$T/snap$round"
  mkdir -p "$snap"
  h1=$(wal_header "$DB-wal")
  cp "$DB" "$snap/jiaohao.db"
  cp "$DB-wal" "$snap/jiaohao.db-wal" 2>/dev/null || true
  h2=$(wal_header "$DB-wal")
  end_burst
  if [ -z "$h1" ] || [ "$h1" != "$h2" ]; then
    retaken=$((retaken + 1))
    continue
  fi
  check_store "torn copy #$round" "$snap/jiaohao.db" --engine
  taken=$((taken + 1))
  note "copy #$round: $CHECKED"
done

note "the live store after all of it"
for i in $(seq 200); do [ "$(answered "copy$round")" -ge $((BURST * 2)) ] && break; sleep 0.05; done
acked_takes "$T/reply-k1.log" > "$T/takes"
check_store "the last burst" "$DB" --takes "$T/takes"
note "final: $CHECKED"
echo "SUMMARY power-loss: kill9=$KILLS torn_copies=$taken retaken=$retaken" \
  "acked_takes=$(wc -l < "$T/takes") store_checks=$CHECKS"
echo "PASS"
