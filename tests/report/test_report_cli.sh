#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# integration_report — jiaohao-report end to end, as a hall's IT person runs it.
#
# report_sim fills a store with five busy weekdays of the example hall through
# the real engine; jiaohao-report makes the week's report from it. The figures
# are cross-checked against the sqlite3 shell computing the same definitions
# (docs/reports.md) independently; the report must work while another
# connection holds the store's write lock, must not change the store, and must
# answer every bad command line with one line on stderr and a non-zero exit.
set -euo pipefail
: "${JH_BIN_DIR:?}" "${JH_SOURCE_DIR:?}" "${JH_REPORT_SIM:?}"
report=$JH_BIN_DIR/jiaohao-report
config=$JH_SOURCE_DIR/assets/hall.ini
base=/dev/shm; [ -w "$base" ] || base=/tmp
work=$(mktemp -d "$base/jh-report-cli-XXXXXX")
writer=""
cleanup() { [ -n "$writer" ] && kill "$writer" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
csv_cell() { # csv_cell FILE ROW COLUMN-HEADER-PREFIX — the cell (no quoted cells in these rows)
  sed '1s/^\xEF\xBB\xBF//' "$1" | tr -d '\r' | awk -F, -v row="$2" -v head="$3" '
    NR == 1 { for (i = 1; i <= NF; i++) if (index($i, head) == 1) col = i }
    NR == row + 1 { print $col }'
}
sql() { sqlite3 "$work/data/jiaohao.db" "$1"; }

mkdir -p "$work/data"
"$JH_REPORT_SIM" --config "$config" --db "$work/data/jiaohao.db" --day 2026-11-23 --days 5

# --- a week's report, while another connection holds the write lock ---
(echo "BEGIN IMMEDIATE; UPDATE hall SET notice = notice;"; sleep 5; echo "ROLLBACK;") |
  sqlite3 "$work/data/jiaohao.db" & writer=$!
sleep 0.5
before=$(sql "SELECT count(*), sum(status = 'finished') FROM tickets")
"$report" --config "$config" --data "$work/data" --week 2026-11-26 --out "$work/out" >"$work/stdout" 2>"$work/stderr" ||
  fail "report failed: $(cat "$work/stderr")"
kill "$writer" 2>/dev/null || true; wait "$writer" 2>/dev/null || true; writer=""
[ -s "$work/stderr" ] && fail "stderr not empty: $(cat "$work/stderr")"
[ "$(sql "SELECT count(*), sum(status = 'finished') FROM tickets")" = "$before" ] || fail "the store changed"
for f in summary by-day by-counter by-staff by-service by-hour pauses flagged-ratings; do
  [ "$(head -c 3 "$work/out/$f.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "$f.csv has no BOM"
done
for f in wait-by-hour arrivals-served-by-hour satisfaction-by-counter; do
  # PNG signature, then IHDR: width and height as big-endian 32-bit numbers (1200 = 4b0, 675 = 2a3)
  [ "$(od -An -tx1 -N24 "$work/out/$f.png" | tr -d ' \n')" = 89504e470d0a1a0a0000000d49484452000004b0000002a3 ] ||
    fail "$f.png is not a 1200x675 PNG"
done

# --- the same figures, computed by sqlite3 from the definitions ---
week="day BETWEEN 20261123 AND 20261129"
check() { # check WHAT REPORTED EXPECTED
  [ "$2" = "$3" ] || fail "$1: report says '$2', sqlite3 says '$3'"
}
S=$work/out/summary.csv
check issued "$(csv_cell "$S" 1 取号)" "$(sql "SELECT count(*) FROM tickets WHERE $week")"
check served "$(csv_cell "$S" 1 办结)" "$(sql "SELECT count(*) FROM tickets WHERE $week AND status = 'finished'")"
check no-shows "$(csv_cell "$S" 1 过号)" "$(sql "SELECT count(*) FROM tickets WHERE $week AND status = 'no-show'")"
check green "$(csv_cell "$S" 1 '绿色通道 /')" "$(sql "SELECT count(*) FROM tickets WHERE $week AND priority > 0")"
check "wait mean" "$(csv_cell "$S" 1 等候均值)" \
  "$(sql "SELECT printf('%.1f', avg((called_at - issued_at) / 60000.0)) FROM tickets WHERE $week AND called_at IS NOT NULL")"
check "wait max" "$(csv_cell "$S" 1 等候最长)" \
  "$(sql "SELECT printf('%.1f', max((called_at - issued_at) / 60000.0)) FROM tickets WHERE $week")"
check "service mean" "$(csv_cell "$S" 1 办理均值)" \
  "$(sql "SELECT printf('%.1f', avg(service_s / 60.0)) FROM tickets WHERE $week AND status = 'finished'")"
check "flagged" "$(csv_cell "$S" 1 可疑评价)" "$(sql "SELECT count(*) FROM tickets WHERE $week AND rating_suspicious = 1")"
check "satisfaction" "$(csv_cell "$S" 1 '满意率(%)')" \
  "$(sql "SELECT printf('%.1f', 100.0 * sum(rating >= 4) / count(*)) FROM tickets WHERE $week AND rating > 0 AND rating_suspicious = 0")"
check "pause minutes" "$(csv_cell "$S" 1 暂停时长)" \
  "$(sql "SELECT printf('%.1f', sum(ended_at - started_at) / 60000.0) FROM pauses WHERE $week")"
# p90, nearest rank, of the waits at counter c02
n=$(sql "SELECT count(*) FROM tickets WHERE $week AND counter = 'c02' AND called_at IS NOT NULL")
check "c02 wait p90" "$(csv_cell "$work/out/by-counter.csv" 2 等候P90)" \
  "$(sql "SELECT printf('%.1f', (called_at - issued_at) / 60000.0) FROM tickets WHERE $week AND counter = 'c02'
          AND called_at IS NOT NULL ORDER BY called_at - issued_at LIMIT 1 OFFSET (SELECT CAST(ceil(0.9 * $n) AS INTEGER) - 1)")"
check "c09 overruns" "$(csv_cell "$work/out/by-counter.csv" 9 "超时 /")" \
  "$(sql "SELECT count(*) FROM tickets WHERE $week AND counter = 'c09' AND status = 'finished' AND service_s > 20 * 60")"
[ "$(csv_cell "$work/out/by-day.csv" 6 取号)" = 0 ] || fail "Saturday should have no tickets"
[ -n "${JH_REPORT_SHOTS:-}" ] && mkdir -p "$JH_REPORT_SHOTS" && cp "$work/out"/* "$JH_REPORT_SHOTS"/

# --- --db and --format ---
"$report" --config "$config" --db "$work/data/jiaohao.db" --day 2026-11-23 --out "$work/csv-only" --format csv >/dev/null
[ -f "$work/csv-only/by-hour.csv" ] && [ ! -e "$work/csv-only/wait-by-hour.png" ] || fail "--format csv"

# --- bad input: exit 2 (command line, config) or 1 (store), one line on stderr ---
expect_error() { # expect_error CODE WORD args... — WORD must be in the message
  local code=$1 word=$2 rc=0; shift 2
  "$report" "$@" >"$work/o" 2>"$work/e" || rc=$?
  [ "$rc" = "$code" ] || fail "$* → exit $rc, want $code"
  [ "$(wc -l <"$work/e")" = 1 ] || fail "$* → not one line: $(cat "$work/e")"
  grep -q -- "$word" "$work/e" || fail "$* → '$(cat "$work/e")' does not mention $word"
  [ ! -s "$work/o" ] || fail "$* → wrote to stdout"
}
ok=(--config "$config" --data "$work/data" --out "$work/o2")
expect_error 2 2026-02-30 "${ok[@]}" --day 2026-02-30
expect_error 2 YYYY-MM "${ok[@]}" --month 2026-11-01
expect_error 2 "exactly one" "${ok[@]}"
expect_error 2 "exactly one" "${ok[@]}" --day 2026-11-23 --week 2026-11-23
expect_error 2 "'--days'" "${ok[@]}" --days 2026-11-23
expect_error 2 pdf "${ok[@]}" --day 2026-11-23 --format csv,pdf
expect_error 2 "needs a value" "${ok[@]}" --day
expect_error 2 "--out" --config "$config" --data "$work/data" --day 2026-11-23
expect_error 2 "not both" "${ok[@]}" --db x.db --day 2026-11-23
expect_error 2 nothere.ini --config "$work/nothere.ini" --data "$work/data" --out "$work/o2" --day 2026-11-23
expect_error 1 "no store" --config "$config" --data "$work/empty" --out "$work/o2" --day 2026-11-23
echo "not a database" >"$work/junk.db"
expect_error 1 junk.db --config "$config" --db "$work/junk.db" --out "$work/o2" --day 2026-11-23
"$report" --help | grep -q -- "--week" || fail "--help"
echo "integration_report: ok"
