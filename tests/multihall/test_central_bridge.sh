#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_central_bridge.sh — two halls on one city dashboard (docs/multi-hall.md).
#
# Owns the end-to-end check of scripts/central-bridge: two halls, each a broker
# from scripts/broker-config (sites alpha-hall and beta-hall) with its own
# jiaohao-caller, bridged to a central mosquitto on loopback whose ACL lets each
# hall's user write only jh/v1/<its site>/#. Checks that
#   1. takes and calls in both halls appear centrally under each site's prefix;
#   2. a hall cannot publish under the other's prefix at the central broker, and
#      a command published centrally never reaches a hall (the bridge is out-only);
#   3. with the central broker down, both halls keep working (takes and calls are
#      answered locally), and when it is back the central side catches up: every
#      event of the outage arrives (checked by seq) and the retained state equals
#      each hall's current state.
# The central broker loads the halls' client-id plugin too (jh_broker_guard.so), so
# the bridge's generated remote_clientid is checked against the rule as well.
# Reuses tests/integration/lib.sh for the halls: its helpers work on one hall at a
# time (globals SITE, P, CONF, PORT, BROKER_DIR, ...), so use_hall switches them.
set -euo pipefail
source "$(dirname "$0")/../integration/lib.sh"

CENTRAL_DIR="$T/central"
CENTRAL_PORT=""
CENTRAL_PID=""
declare -A H_PORT H_BROKER H_CALLER

# use_hall NAME — point lib.sh's one-hall globals at hall NAME (site NAME-hall).
use_hall() {
  SITE="$1-hall"
  P="jh/v1/$SITE"
  CONF="$T/$1.ini"
  BROKER_DIR="$T/$1-broker"
  CRED="$BROKER_DIR/credentials"
  PORT=${H_PORT[$1]:-}
  BROKER_PID=${H_BROKER[$1]:-}
  CALLER_PID=${H_CALLER[$1]:-}
}

# keep_hall NAME — remember the hall's processes; lib.sh's cleanup stops BG_PIDS.
keep_hall() {
  H_PORT[$1]=$PORT H_BROKER[$1]=$BROKER_PID H_CALLER[$1]=$CALLER_PID
  BG_PIDS+=("$BROKER_PID" "$CALLER_PID")
  BROKER_PID="" CALLER_PID=""
}

cpw() { head -n 1 "$CENTRAL_DIR/$1.pw"; }

# The city's broker: one user per hall, writing only under its own site; a
# dashboard that reads everything. Persistence on, as a central broker would run,
# and the client-id guard, as a city running mosquitto may.
write_central() {
  rm -rf "$CENTRAL_DIR"
  mkdir -p "$CENTRAL_DIR"
  local u first=1
  for u in alpha-hall beta-hall dashboard; do
    head -c 18 /dev/urandom | base64 | tr -d '/+=\n' > "$CENTRAL_DIR/$u.pw"
    if [ $first -eq 1 ]; then mosquitto_passwd -c -b "$CENTRAL_DIR/passwd" "$u" "$(cpw "$u")"; first=0
    else mosquitto_passwd -b "$CENTRAL_DIR/passwd" "$u" "$(cpw "$u")"; fi
  done
  cat > "$CENTRAL_DIR/acl" <<EOF
user alpha-hall
topic write jh/v1/alpha-hall/#
user beta-hall
topic write jh/v1/beta-hall/#
user dashboard
topic read jh/v1/#
EOF
  cat > "$CENTRAL_DIR/mosquitto.conf" <<EOF
per_listener_settings false
allow_anonymous false
password_file $CENTRAL_DIR/passwd
acl_file $CENTRAL_DIR/acl
plugin $JH_BROKER_PLUGIN
listener $CENTRAL_PORT 127.0.0.1
persistence true
persistence_location $CENTRAL_DIR/
log_dest file $CENTRAL_DIR/mosquitto.log
connection_messages true
user $(id -un)
EOF
}

# start_central — starts the central broker on CENTRAL_PORT; non-zero when it does not listen.
start_central() {
  mosquitto -c "$CENTRAL_DIR/mosquitto.conf" 2>>"$T/central.stderr" &
  CENTRAL_PID=$!
  BG_PIDS+=("$CENTRAL_PID")
  local i
  for i in $(seq 100); do
    kill -0 "$CENTRAL_PID" 2>/dev/null || break
    port_free "$CENTRAL_PORT" || return 0
    sleep 0.1
  done
  kill "$CENTRAL_PID" 2>/dev/null || true
  wait "$CENTRAL_PID" 2>/dev/null || true
  CENTRAL_PID=""
  return 1
}

stop_central() { kill "$CENTRAL_PID"; wait "$CENTRAL_PID" 2>/dev/null || true; CENTRAL_PID=""; }

# cpub USER TOPIC PAYLOAD [-r] — publish at the central broker.
cpub() { mosquitto_pub -h 127.0.0.1 -p "$CENTRAL_PORT" -u "$1" -P "$(cpw "$1")" -I "$1:" -q 1 -t "$2" -m "$3" ${4:-}; }

# central_retained FILTER — the central broker's retained "topic payload" lines, sorted.
central_retained() {
  mosquitto_sub -h 127.0.0.1 -p "$CENTRAL_PORT" -u dashboard -P "$(cpw dashboard)" -I dashboard: -t "$1" \
    --retained-only -W 2 -F '%t %p' 2>/dev/null | sort || true
}

# hcmd HALL USER KIND PAYLOAD — a command in hall HALL; prints the reply.
hcmd() {
  use_hall "$1"
  local user=$2 kind=$3 payload=$4 id
  id=$(jq -r .id <<<"$payload")
  pub "$user" "$kind/$user/cmd" "$payload"
  wait_line "$1-reply-$user" ".id == \"$id\"" 20 || fail "$1: no reply to $id from $user"
}

# central_wait JQ-FILTER TOPIC-SUFFIX-REGEX [TIMEOUT] — a payload seen by the dashboard.
central_wait() {
  local filter=$1 topic_re=$2 timeout=${3:-20} end line
  end=$(( $(date +%s) + timeout ))
  while :; do
    line=$(grep -E "^$topic_re " "$T/dashboard.log" | cut -d' ' -f2- | jq -c "select($filter)" 2>/dev/null | head -n 1 || true)
    [ -z "$line" ] || { echo "$line"; return 0; }
    [ "$(date +%s)" -lt "$end" ] || return 1
    sleep 0.1
  done
}

# ---------------------------------------------------------------- setup
# A free port can be taken by someone else before mosquitto binds it: try a few.
for tries in 1 2 3 4 5 6 7 8; do
  CENTRAL_PORT=$(random_port)
  port_free "$CENTRAL_PORT" || continue
  write_central
  start_central && break
done
[ -n "$CENTRAL_PID" ] || fail "could not start the central mosquitto: $(tail -n 5 "$CENTRAL_DIR/mosquitto.log" "$T/central.stderr" 2>&1)"
note "central broker on $CENTRAL_PORT"

# The dashboard: a persistent session (QoS 1), so what arrives while it is
# reconnecting after the central restart is kept for it, not lost.
mosquitto_sub -h 127.0.0.1 -p "$CENTRAL_PORT" -u dashboard -P "$(cpw dashboard)" -i dashboard:jh-test -c \
  -q 1 -t 'jh/v1/#' -F '%t %p' >> "$T/dashboard.log" 2>>"$T/dashboard.err" &
BG_PIDS+=($!)

for h in alpha beta; do
  use_hall "$h"
  start_broker
  out=$(bash "$JH_SOURCE_DIR/scripts/central-bridge" --config "$CONF" --out "$BROKER_DIR" \
        --central "127.0.0.1:$CENTRAL_PORT" --user "$SITE" --password-file "$CENTRAL_DIR/$SITE.pw")
  note "$out"
  restart_broker # a broker reads its bridges only at start
  "$CALLER_BIN" --config "$CONF" --data "$T/$h-data" >>"$T/$h-caller.log" 2>&1 &
  CALLER_PID=$!
  wait_online
  listen "$h-reply-k1" k1 reply/k1 reply/k1
  listen "$h-reply-c01" c01 reply/c01 reply/c01
  listen "$h-events" display 'event/#' event/probe
  keep_hall "$h"
done

# The generated bridge is out-only, for exactly this hall's event/ and state/.
conf="$T/alpha-broker/conf.d/central.conf"
grep -q '^topic jh/v1/alpha-hall/event/# out 1$' "$conf" || fail "no event/# out topic: $(cat "$conf")"
grep -q '^topic jh/v1/alpha-hall/state/# out 1$' "$conf" || fail "no state/# out topic: $(cat "$conf")"
[ "$(grep -c '^topic ' "$conf")" -eq 2 ] || fail "bridge has other topics: $(grep '^topic ' "$conf")"
[ "$(stat -c %a "$conf")" = 600 ] || fail "central.conf holds a password but is mode $(stat -c %a "$conf")"
grep -qx 'remote_clientid alpha-hall:jh-hall-alpha-hall' "$conf" || fail "bridge client id: $(grep clientid "$conf")"

# With --cafile the bridge speaks TLS and checks the central broker's name; bad input is refused.
mkdir -p "$T/tls/conf.d"; : > "$T/tls/mosquitto.conf"; : > "$T/ca.pem"
bash "$JH_SOURCE_DIR/scripts/central-bridge" --config "$T/alpha.ini" --out "$T/tls" --central "[::1]:8883" \
  --user alpha-hall --password-file "$CENTRAL_DIR/alpha-hall.pw" --cafile "$T/ca.pem" >/dev/null
tls="$T/tls/conf.d/central.conf"
grep -q "^bridge_cafile $T/ca.pem\$" "$tls" && grep -q '^bridge_insecure false$' "$tls" \
  && grep -q '^address ::1:8883$' "$tls" || fail "TLS bridge config: $(cat "$tls")"
if bash "$JH_SOURCE_DIR/scripts/central-bridge" --config "$T/alpha.ini" --out "$T/nowhere" --central 127.0.0.1:1 \
     --user u --password-file "$CENTRAL_DIR/alpha-hall.pw" 2>"$T/cb.err"; then fail "central-bridge wrote into a dir without a broker config"; fi
grep -q "run scripts/broker-config" "$T/cb.err" || fail "unclear refusal: $(cat "$T/cb.err")"

for h in alpha beta; do
  central_wait '. == 1' "jh/v1/$h-hall/bridge/central" 30 >/dev/null \
    || fail "$h's bridge never reported itself up centrally: $(tail -n 5 "$T/$h-broker/mosquitto.log")"
done
note "both bridges are up"
grep -q "jh_broker_guard: client ids must be" "$CENTRAL_DIR/mosquitto.log" || fail "the central broker has no plugin"
! grep -q "jh_broker_guard: refused" "$CENTRAL_DIR/mosquitto.log" ||
  fail "the central broker refused: $(grep "jh_broker_guard: refused" "$CENTRAL_DIR/mosquitto.log" | head -n 3)"

# ---------------------------------------------------------------- 1. both halls appear centrally
for h in alpha beta; do
  r=$(hcmd "$h" c01 counter '{"id":"'$h'-login","op":"login","reply_to":"c01","staff_id":"1001","staff_name":"王芳"}')
  expect '.ok == true' "$r" "$h login"
  r=$(hcmd "$h" k1 kiosk '{"id":"'$h'-t1","op":"take","reply_to":"k1","service":"A"}')
  expect '.ok == true and .ticket == "A001"' "$r" "$h take"
  r=$(hcmd "$h" c01 counter '{"id":"'$h'-n1","op":"call-next","reply_to":"c01"}')
  expect '.ok == true and .ticket == "A001"' "$r" "$h call-next"
done
for h in alpha beta; do
  central_wait '.ticket == "A001"' "jh/v1/$h-hall/event/issued" >/dev/null || fail "$h's issued event not seen centrally"
  central_wait '.ticket == "A001" and .counter == "c01"' "jh/v1/$h-hall/event/called" >/dev/null \
    || fail "$h's called event not seen centrally"
  central_wait '.status == "serving" and .ticket == "A001"' "jh/v1/$h-hall/state/counter/c01" >/dev/null \
    || fail "$h's counter state not seen centrally"
done
note "takes and calls of both halls arrive under their own prefixes"

# ---------------------------------------------------------------- 2. no crossing prefixes, no commands in
# alpha's central login tries beta's prefix: the central ACL must drop it.
cpub alpha-hall jh/v1/beta-hall/state/hall '{"forged":true}' -r
cpub alpha-hall jh/v1/beta-hall/event/called '{"forged":true,"ticket":"Z999"}'
cpub alpha-hall jh/v1/alpha-hall/test/marker '{"marker":1}' # allowed: proves the forged ones had their turn
central_wait '.marker == 1' 'jh/v1/alpha-hall/test/marker' >/dev/null || fail "alpha's own publish never arrived"
! grep -q '"forged":true' "$T/dashboard.log" || fail "alpha published under beta's prefix: $(grep forged "$T/dashboard.log")"
central_retained 'jh/v1/beta-hall/state/hall' | grep -q '"site":"beta-hall"' || fail "beta's retained hall state is gone"
! central_retained 'jh/v1/beta-hall/state/hall' | grep -q forged || fail "alpha replaced beta's retained state"

# A command published at the central broker under alpha's own prefix never reaches alpha's caller.
cpub alpha-hall jh/v1/alpha-hall/kiosk/k1/cmd '{"id":"from-central","op":"take","reply_to":"k1","service":"A"}'
r=$(hcmd alpha k1 kiosk '{"id":"alpha-t2","op":"take","reply_to":"k1","service":"A"}')
expect '.ok == true and .ticket == "A002"' "$r" "alpha take after a central command (A002 = nothing else was issued)"
sleep 1
[ "$(count_lines alpha-reply-k1 '.id == "from-central"')" -eq 0 ] || fail "a command from the central broker reached alpha"
note "prefixes are enforced centrally; nothing flows from the centre into a hall"

# ---------------------------------------------------------------- 3. central outage and catch-up
last_seq() { cut -d' ' -f2- "$T/$1-events.log" | jq -r 'select(.seq != null) | .seq' | sort -n | tail -n 1; }
declare -A LAST_SEQ
for h in alpha beta; do LAST_SEQ[$h]=$(last_seq "$h"); LAST_SEQ[$h]=${LAST_SEQ[$h]:-0}; done

stop_central
note "central broker stopped; the halls carry on"
for h in alpha beta; do
  for i in 3 4 5; do
    r=$(hcmd "$h" k1 kiosk '{"id":"'$h'-out-t'$i'","op":"take","reply_to":"k1","service":"A"}')
    expect '.ok == true' "$r" "$h take during the outage"
  done
  r=$(hcmd "$h" c01 counter '{"id":"'$h'-out-n1","op":"call-next","reply_to":"c01"}')
  expect '.ok == true and (.ticket | type) == "string"' "$r" "$h call-next during the outage"
  r=$(hcmd "$h" c01 counter '{"id":"'$h'-out-f1","op":"finish","reply_to":"c01"}')
  expect '.ok == true' "$r" "$h finish during the outage"
done
# alpha also pauses, so a state that only changed during the outage must catch up.
r=$(hcmd alpha c01 counter '{"id":"alpha-out-p","op":"pause","reply_to":"c01","message":"去3号窗口取材料"}')
expect '.ok == true' "$r" "alpha pause during the outage"

# The last event of the outage in each hall: alpha's pause, beta's finish.
declare -A LAST_EVENT=([alpha]='.message == "去3号窗口取材料"' [beta]='.service_s != null')
declare -A OUT_SEQS
for h in alpha beta; do
  use_hall "$h"
  wait_line "$h-events" "(.seq // 0) > ${LAST_SEQ[$h]} and ${LAST_EVENT[$h]}" 20 >/dev/null \
    || fail "$h: the outage's last event was not published locally"
  OUT_SEQS[$h]=$(cut -d' ' -f2- "$T/$h-events.log" | jq -r "select(.seq != null and .seq > ${LAST_SEQ[$h]}) | .seq" | sort -n | tr '\n' ' ')
  [ -n "${OUT_SEQS[$h]}" ] || fail "$h published no events during the outage"
  note "$h events during the outage: seq ${OUT_SEQS[$h]}"
done

start_central || fail "the central mosquitto did not come back on $CENTRAL_PORT: $(tail -n 5 "$CENTRAL_DIR/mosquitto.log")"
note "central broker back; waiting for the bridges to catch up"
for h in alpha beta; do
  for s in ${OUT_SEQS[$h]}; do
    central_wait ".seq == $s" "jh/v1/$h-hall/event/[a-z-]+" 90 >/dev/null \
      || fail "$h's event seq $s (published during the outage) never reached the centre: $(tail -n 5 "$T/$h-broker/mosquitto.log")"
  done
done
note "every event of the outage arrived centrally"

# Retained state: the centre's copy of each hall equals the hall's own, topic by topic.
for h in alpha beta; do
  use_hall "$h"
  end=$(( $(date +%s) + 60 ))
  while :; do
    local_state=$(retained display 'state/#' | sort)
    central_state=$(central_retained "$P/state/#")
    [ -n "$local_state" ] && [ "$local_state" = "$central_state" ] && break
    [ "$(date +%s)" -lt "$end" ] || fail "$h: central retained state differs from the hall's:
$(diff <(echo "$local_state") <(echo "$central_state") | head -n 20)"
    sleep 0.5
  done
done
central_retained 'jh/v1/alpha-hall/state/counter/c01' | grep -q '"status":"paused"' \
  || fail "alpha's pause (during the outage) is not in the central retained state"
note "the centre's retained state equals each hall's"
echo "PASS"
