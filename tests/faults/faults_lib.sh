# SPDX-License-Identifier: MIT
# faults_lib.sh — what the fault tests share (sourced after tests/integration/lib.sh).
#
# Owns: judging the caller's store after a fault (fault_store_check, with the
# takes the kiosks were told about), the list of those takes, the counts the
# tests print in their summary, killing the broker outright, and a cleanup that
# runs before lib.sh's own (processes restarted during a test, mounts) so
# nothing survives a failure.
#
# Environment: JH_FAULT_CHECK (the fault_store_check binary; default next to
# the other test binaries).

FAULT_CHECK=${JH_FAULT_CHECK:-$JH_BIN_DIR/../tests/fault_store_check}
[ -x "$FAULT_CHECK" ] || fail "no $FAULT_CHECK (build first, or set JH_FAULT_CHECK)"
DB="$T/data/jiaohao.db"
CHECKS=0

# Extra cleanup steps, run in order before lib.sh's cleanup (which kills
# BG_PIDS, the caller and the broker, and removes $T).
FAULT_CLEANUPS=()
faults_cleanup() {
  local rc=$? step
  set +e
  for step in "${FAULT_CLEANUPS[@]}"; do eval "$step"; done
  (exit $rc)
  cleanup
}
trap faults_cleanup EXIT

# kill_wait PID... — ends processes this test started (by pid) and reaps them.
kill_wait() {
  local p
  for p in "$@"; do [ -z "$p" ] || kill "$p" 2>/dev/null || true; done
  for p in "$@"; do [ -z "$p" ] || wait "$p" 2>/dev/null || true; done
}

# acked_takes REPLY-LOG... — "DAY LABEL" of every take a kiosk got an ok reply for.
acked_takes() {
  cat "$@" | cut -d' ' -f2- | jq -r 'select(.ok == true and .ticket != null and .day != null)
    | "\(.day) \(.ticket)"' 2>/dev/null | sort -u
}

# check_store WHAT DB [--engine] [--takes FILE] — the store must be consistent;
# fails the test naming the fault. fault_store_check's counts land in $CHECKED
# (not printed through a subshell, so CHECKS keeps counting).
CHECKED=""
check_store() {
  local what=$1 db=$2 rc=0
  shift 2
  CHECKED=$("$FAULT_CHECK" --config "$CONF" --db "$db" "$@" 2>"$T/check.err") || rc=$?
  CHECKS=$((CHECKS + 1))
  if [ $rc -ne 0 ]; then
    cat "$T/check.err" >&2
    fail "store inconsistent after $what (fault_store_check exit $rc)"
  fi
}

# kill9_broker — SIGKILL: the broker sends no Will, disconnects nobody cleanly and
# keeps only what its last autosave wrote. It stays down (the test may let the load
# find no broker) until restart_broker (lib.sh) starts it again; to kill and start
# at once, `restart_broker KILL`.
kill9_broker() { stop_broker KILL; }

# broker_saves — how many times the broker has written its database so far.
broker_saves() { grep -c 'Saving in-memory database' "$BROKER_DIR/mosquitto.log" || true; }
