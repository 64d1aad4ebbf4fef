#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_kiosk_journal — a kiosk killed with SIGKILL leaves no ghost number: what
# the caller issued for it but nobody holds is voided by the next run, from
# the journal in its state directory (kiosk/journal/void_journal.h). Real broker, real
# caller, the printer emulator on a pty, jiaohao-kiosk killed and restarted:
#   killed while printing A001            → the next run voids A001
#   killed after B001 failed to print, its void unanswered (caller stopped)
#                                         → the same void again, applied once
#   killed waiting for G001's take (caller stopped, the take queued)
#                                         → the take again with its id, G001 voided
#   a torn journal                        → one clear line, set aside, the kiosk runs
#   a second kiosk k1 on the same journal → refused; a relative state_dir → refused
# and none of those numbers is ever called.
source "$(dirname "$0")/../integration/lib.sh"
KIOSK_POLL_S=600 # only the start and each tap ask the printer
KIOSK_REPLY_TIMEOUT_MS=1500
KIOSK_STATE_DIR="$T/state"
KIOSK_RUN="" # start_kiosk runs jiaohao-kiosk itself, so kill -9 hits it
source "$(dirname "$0")/kiosk_lib.sh"

setup_hall c01 k1
start_emu
listen events display 'event/#' event/probe
JOURNAL="$KIOSK_STATE_DIR/k1.journal"

kill9_kiosk() { kill -KILL "$KIOSK_PID"; wait "$KIOSK_PID" 2>/dev/null || true; KIOSK_PID=""; }
# wait_log NAME TEXT [TIMEOUT_S] — until run NAME's log has a line with TEXT.
wait_log() {
  local i
  for i in $(seq $((${3:-20} * 20))); do grep -qF -- "$2" "$T/$1.log" && return 0; sleep 0.05; done
  tail -n 20 "$T/$1.log" >&2
  fail "run $1 never logged '$2'"
}
# wait_journal PATTERN — until the journal file has a line matching the ERE.
wait_journal() {
  local i
  for i in $(seq 400); do grep -qE -- "$1" "$JOURNAL" 2>/dev/null && return 0; sleep 0.05; done
  fail "the journal never held /$1/: $(cat "$JOURNAL" 2>/dev/null)"
}
journal_empty() { [ "$(cat "$JOURNAL")" = "jiaohao-kiosk-journal 1 k1
end 0" ]; }
wait_journal_empty() {
  local i
  for i in $(seq 400); do journal_empty && return 0; sleep 0.05; done
  fail "the journal was not emptied: $(cat "$JOURNAL")"
}
# voided TICKET REASON-REGEX — exactly one event/voided for TICKET, with that reason.
voided() {
  wait_line events ".ticket == \"$1\" and .kiosk == \"k1\" and (.reason | test(\"$2\"))" 20 >/dev/null ||
    fail "no event/voided for $1 ($2): $(grep -F "\"$1\"" "$T/events.log" | tail -n 3)"
  grep "^$P/event/voided " "$T/events.log" | cut -d' ' -f2- | jq -e --arg t "$1" 'select(.ticket == $t)' \
    >/dev/null || fail "$1's event is not event/voided"
  local n
  n=$(grep "^$P/event/voided " "$T/events.log" | cut -d' ' -f2- | jq -c --arg t "$1" 'select(.ticket == $t)' | wc -l)
  [ "$n" -eq 1 ] || fail "$1 voided $n times"
}

note "killed while printing A001: the next run voids it"
start_kiosk print '
wait-screen home 15000
wait 1000
tap service:A
wait 600000'
wait_screen print home
emu after 300 silent # the ticket stops half way: the kiosk waits for the printer
wait_log print "ticket A001,"
wait_journal '^print k1-[^ ]+ A001$'
kill9_kiosk
emu online
expect '.waiting == 1' "$(state display state/service/A)" "A001 issued and waiting"
start_kiosk print2 '
wait-screen home 15000
wait 3000
quit'
wait_log print2 "ticket A001 was being printed when the kiosk stopped: voiding it"
voided A001 "kiosk restarted before the ticket was printed"
end_kiosk print2
journal_empty || fail "the journal still holds something: $(cat "$JOURNAL")"
expect '.waiting == 0' "$(state display state/service/A)" "A001 no longer waits"

note "killed after B001 failed to print, its void unanswered: sent again, applied once"
start_kiosk failed '
wait-screen home 15000
wait 1000
tap service:B
wait 600000'
wait_screen failed home
emu after 300 silent
wait_log failed "ticket B001,"
kill -STOP "$CALLER_PID" # the void will wait at the broker, unanswered
wait_log failed "voiding B001"
wait_log failed "sent void"
vid=$(sed -nE 's/^void ([^ ]+) B001 .*/\1/p' "$JOURNAL")
[ -n "$vid" ] || fail "B001's void is not in the journal: $(cat "$JOURNAL")"
kill9_kiosk
emu online
start_kiosk failed2 '
wait-screen home 15000
wait 3000
quit'
wait_log failed2 "void $vid of ticket B001 not answered yet: sending it again"
wait_log failed2 "sent void"
kill -CONT "$CALLER_PID"
voided B001 "print"
wait_line reply-k1 ".id == \"$vid\" and .ok" 20 >/dev/null || fail "no answer to $vid"
end_kiosk failed2
journal_empty || fail "the journal still holds something: $(cat "$JOURNAL")"
answers=$(count_lines reply-k1 ".id == \"$vid\"")
note "void $vid answered $answers times (each copy), applied once"

note "killed waiting for a take the caller has not read: asked again, G001 voided"
# Stopped before the kiosk starts, not between its home screen and its tap: under
# load that 1 s window was sometimes missed and the take answered. The kiosk still
# shows home: the caller's retained state and status stay on the broker.
kill -STOP "$CALLER_PID"
start_kiosk waiting '
wait-screen home 15000
wait 1000
tap service:G
wait 600000'
wait_screen waiting home
wait_log waiting "take k1-"
wait_journal '^take k1-[^ ]+ G none zh$'
tid=$(sed -nE 's/^take ([^ ]+) G .*/\1/p' "$JOURNAL")
wait_screen waiting error # the visitor was told: no ticket
kill9_kiosk
start_kiosk waiting2 '
wait-screen home 15000
wait 3000
quit'
wait_log waiting2 "take $tid (service G) had no answer when the kiosk stopped"
wait_log waiting2 "sent take again"
kill -CONT "$CALLER_PID"
voided G001 "kiosk restarted before the reply came"
end_kiosk waiting2
journal_empty || fail "the journal still holds something: $(cat "$JOURNAL")"
[ "$(count_lines reply-k1 ".id == \"$tid\" and .ticket == \"G001\"")" -ge 1 ] ||
  fail "the take $tid was not answered G001"
[ "$(count_lines events '.ticket == "G002"')" -eq 0 ] || fail "the take was applied twice (G002 issued)"

note "a torn journal: one clear line, set aside, the kiosk runs"
printf 'jiaohao-kiosk-journal 1 k1\nprint k1-x-1 A0' > "$JOURNAL"
start_kiosk torn '
wait-screen home 15000
quit'
end_kiosk torn
grep -qF "journal: $JOURNAL:2: truncated: the last line has no end; set aside as $JOURNAL.bad-" "$T/torn.log" ||
  fail "no clear line about the torn journal: $(grep journal "$T/torn.log")"
ls "$JOURNAL".bad-* >/dev/null 2>&1 || fail "the torn journal was not kept aside"
journal_empty || fail "the kiosk did not start a fresh journal: $(cat "$JOURNAL")"

note "one kiosk k1 per journal; state_dir must be absolute"
start_kiosk first '
wait-screen home 15000
wait 600000'
wait_screen first home
rc=0
"$KIOSK_BIN" --config "$CONF" --script "$T/torn.script" >"$T/second.log" 2>&1 || rc=$?
[ $rc -eq 1 ] || fail "a second kiosk k1 ran (exit $rc)"
grep -q "another jiaohao-kiosk for kiosk k1 is running" "$T/second.log" ||
  fail "the second kiosk did not say why: $(cat "$T/second.log")"
kill "$KIOSK_PID"; wait "$KIOSK_PID" 2>/dev/null || true; KIOSK_PID=""
sed -i "s|^state_dir = .*|state_dir = relative/state|" "$CONF"
rc=0
"$KIOSK_BIN" --config "$CONF" --script "$T/torn.script" >"$T/relative.log" 2>&1 || rc=$?
[ $rc -eq 1 ] && grep -q "state_dir: 'relative/state' is not an absolute path" "$T/relative.log" ||
  fail "a relative state_dir was not refused (exit $rc): $(cat "$T/relative.log")"

note "none of them is ever called"
cmd c01 counter '{"id":"c01-1","op":"login","reply_to":"c01","staff_id":"9001"}' >/dev/null
r=$(cmd c01 counter '{"id":"c01-2","op":"call-next","reply_to":"c01"}')
expect '.ok and .ticket == null' "$r" "nothing waits (A001, B001, G001 voided)"
[ "$(count_lines events '.counter and (.ticket == "A001" or .ticket == "B001" or .ticket == "G001")')" -eq 0 ] ||
  fail "a voided number was called"
echo "PASS"
