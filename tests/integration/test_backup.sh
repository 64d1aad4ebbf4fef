#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_backup — jiaohao-caller backup while the hall runs.
#
# A kiosk takes tickets without pause while backups are taken, one while a
# second process (sqlite3, holding write transactions) also works on the same
# store. Each copy must pass integrity_check and hold exactly the tickets
# A001..An with no gap (one state the store was really in, not a torn one).
# Then: an existing FILE is refused without --force and replaced with it, and
# bad arguments give one line on stderr and a non-zero exit.
source "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 not installed"

setup_hall k1
DB="$T/data/jiaohao.db"

taker() {
  local i
  for i in $(seq 400); do
    [ -e "$T/taker.stop" ] && break
    pub k1 kiosk/k1/cmd "{\"id\":\"bk-$i\",\"op\":\"take\",\"reply_to\":\"k1\",\"service\":\"A\"}" || true
  done
  touch "$T/taker.done"
}
taker &
BG_PIDS+=($!)

# Another process on the same store: short write transactions on a table of its own.
other_writer() {
  while [ ! -e "$T/taker.done" ]; do
    sqlite3 -cmd '.timeout 5000' "$DB" \
      'CREATE TABLE IF NOT EXISTS bk_probe(x); BEGIN IMMEDIATE; INSERT INTO bk_probe VALUES(1); COMMIT;' \
      >/dev/null 2>>"$T/other.err" || true
    sleep 0.05
  done
}

# check_copy FILE — integrity, and tickets A001..An contiguous; prints n.
check_copy() {
  local f=$1 ok n labels expected
  ok=$(sqlite3 "$f" 'PRAGMA integrity_check') || fail "$f does not open"
  [ "$ok" = ok ] || fail "$f: integrity_check: $ok"
  [ ! -e "$f-wal" ] || fail "$f left a -wal beside it: the copy is not one file"
  n=$(sqlite3 "$f" "SELECT count(*) FROM tickets WHERE service = 'A'")
  labels=$(sqlite3 "$f" "SELECT label FROM tickets WHERE service = 'A' ORDER BY number")
  expected=$(for i in $(seq "$n"); do printf 'A%03d\n' "$i"; done)
  [ "$labels" = "$expected" ] || fail "$f: tickets are not A001..A$(printf %03d "$n")"
  echo "$n"
}

wait_tickets() { # at least N tickets answered
  local i
  for i in $(seq 600); do
    [ "$(grep -c '"ok":true' "$T/reply-k1.log" || true)" -ge "$1" ] && return 0
    sleep 0.1
  done
  fail "fewer than $1 tickets after 60 s"
}

wait_tickets 20
note "backup while takes flow"
out=$("$CALLER_BIN" backup --config "$CONF" "$T/b1.db") || fail "backup failed: $out"
[[ "$out" =~ ^"$T/b1.db: "[0-9]+" bytes, "[0-9]+" tickets"$ ]] || fail "unexpected output: $out"
[ ! -e "$T/b1.db.tmp" ] || fail "b1.db.tmp left behind"
[ "$(stat -c %a "$T/b1.db")" = 600 ] || fail "the copy is mode $(stat -c %a "$T/b1.db"), want 600"
n1=$(check_copy "$T/b1.db")
[ "$n1" -ge 20 ] || fail "the copy has $n1 tickets, want at least 20"
[[ "$out" == *" $n1 tickets" ]] || fail "reported ticket count differs from the copy's $n1: $out"

note "backup while a second process writes the same store"
other_writer &
BG_PIDS+=($!)
wait_tickets $((n1 + 20))
"$CALLER_BIN" backup --data "$T/data" "$T/b2.db" >/dev/null || fail "second backup failed"
n2=$(check_copy "$T/b2.db")
[ "$n2" -gt "$n1" ] || fail "the second copy ($n2) is not newer than the first ($n1)"
touch "$T/taker.stop"
for i in $(seq 600); do [ -e "$T/taker.done" ] && break; sleep 0.1; done
[ -e "$T/taker.done" ] || fail "taker did not finish"

note "the copy is a store the caller can open"
stop_caller || fail "caller did not stop cleanly"
mkdir "$T/restored"
cp "$T/b2.db" "$T/restored/jiaohao.db"
start_caller --data "$T/restored"
wait_online
s=$(state display state/service/A)
expect ".next_ticket == \"$(printf 'A%03d' $((n2 + 1)))\"" "$s" "numbering carries on from the copy"

note "an existing FILE is kept without --force"
before=$(sha256sum < "$T/b1.db")
err=$("$CALLER_BIN" backup --data "$T/data" "$T/b1.db" 2>&1 >/dev/null) && fail "overwrote b1.db without --force"
[ "$(wc -l <<<"$err")" -eq 1 ] && [[ "$err" == *"exists"* ]] || fail "unclear refusal: $err"
[ "$(sha256sum < "$T/b1.db")" = "$before" ] || fail "b1.db changed although refused"
"$CALLER_BIN" backup --data "$T/data" --force "$T/b1.db" >/dev/null || fail "--force did not replace"
[ "$(check_copy "$T/b1.db")" -ge "$n2" ] || fail "--force left the old copy"

note "bad arguments: one line, non-zero"
bad() { # expected-fragment args...
  local want=$1 rc=0 err; shift
  err=$("$CALLER_BIN" backup "$@" 2>&1 >/dev/null) || rc=$?
  [ "$rc" -ne 0 ] || fail "backup $* exited 0"
  [ "$(wc -l <<<"$err")" -eq 1 ] && [[ "$err" == *"$want"* ]] || fail "backup $*: want one line with '$want', got: $err"
}
bad "which FILE" --data "$T/data"
bad "unexpected argument" --data "$T/data" "$T/x.db" "$T/y.db"
bad "unexpected argument" --bogus "$T/x.db"
bad "needs a value" "$T/x.db" --data
bad "no store at" --data "$T/nowhere" "$T/x.db"
bad "cannot" --data "$T/data" "$T/no-such-dir/x.db"
mkdir "$T/other" && sqlite3 "$T/other/jiaohao.db" 'CREATE TABLE t(x)'
bad "not a Jiaohao store" --data "$T/other" "$T/x.db"
[ ! -e "$T/x.db" ] && [ ! -e "$T/x.db.tmp" ] || fail "a failed backup left a file behind"
[ ! -e "$T/nowhere" ] || fail "backup created a data directory: it must not act as the daemon"
note "PASS"
