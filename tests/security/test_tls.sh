#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_tls — the hall's own CA (scripts/make-ca) and the broker's TLS listener
# (scripts/broker-tls) against the real mosquitto, jiaohao-caller and jiaohao-display.
#
# The test hall of tests/integration/lib.sh gets a second listener, TLS only, and
# every program and outside client is pointed at it: the caller daemon comes
# online and serves a take and a call end to end, a board draws the call, and
# mosquitto_pub/sub work. Then what TLS must refuse: plaintext on the TLS port,
# TLS 1.1, a client that trusts another CA (program and mosquitto client alike),
# and — with client certificates required — a client without one or with one from
# another CA. A certificate never replaces the password. Each refusal has a control
# that differs only in the one thing refused.
set -euo pipefail
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/../display/display_lib.sh"

MAKE_CA="$JH_SOURCE_DIR/scripts/make-ca"
BROKER_TLS="$JH_SOURCE_DIR/scripts/broker-tls"
command -v openssl >/dev/null || fail "openssl not installed"

start_broker
PLAIN_PORT=$PORT

note "make-ca: a CA, a server certificate for 127.0.0.1, client certificates; keys mode 600"
bash "$MAKE_CA" --out "$T/ca" --ip 127.0.0.1 --hall "$SITE" --client c01 --client caller >/dev/null
for k in ca.key server.key clients/c01.key clients/caller.key; do
  [ "$(stat -c %a "$T/ca/$k")" = 600 ] || fail "$k is mode $(stat -c %a "$T/ca/$k")"
done
openssl verify -CAfile "$T/ca/ca.crt" "$T/ca/server.crt" "$T/ca/clients/c01.crt" >/dev/null || fail "chain"
openssl x509 -in "$T/ca/server.crt" -noout -ext subjectAltName | grep -q "IP Address:127.0.0.1" || fail "no SAN 127.0.0.1"
openssl x509 -in "$T/ca/clients/c01.crt" -noout -subject | grep -q "CN *= *c01" || fail "client CN"
sums() { md5sum "$T/ca/ca.crt" "$T/ca/ca.key" "$T/ca/server.crt" "$T/ca/clients/c01.crt"; }
before=$(sums)
bash "$MAKE_CA" --out "$T/ca" --ip 127.0.0.1 --hall other-name --client c01 >/dev/null
[ "$(sums)" = "$before" ] || fail "re-running make-ca changed the CA or a certificate"
bash "$MAKE_CA" --out "$T/ca" --ip 127.0.0.1 --ip 10.9.8.7 >/dev/null
[ "$(md5sum "$T/ca/ca.crt" "$T/ca/ca.key")" = "$(head -n 2 <<<"$before")" ] || fail "a new name replaced the CA"
openssl x509 -in "$T/ca/server.crt" -noout -ext subjectAltName | grep -q "10.9.8.7" || fail "new SAN not issued"
openssl verify -CAfile "$T/ca/ca.crt" "$T/ca/server.crt" >/dev/null || fail "re-issued server cert chain"
rm "$T/ca/ca.key"
if bash "$MAKE_CA" --out "$T/ca" --ip 127.0.0.1 2>/dev/null; then fail "half a CA accepted"; fi
[ ! -e "$T/ca/ca.key" ] || fail "make-ca replaced a missing CA key"
rm -rf "$T/ca"
bash "$MAKE_CA" --out "$T/ca" --ip 127.0.0.1 --hall "$SITE" --client c01 --client caller >/dev/null
bash "$MAKE_CA" --out "$T/other-ca" --ip 127.0.0.1 --hall elsewhere --client c01 >/dev/null

note "broker-tls refuses a server certificate from another CA"
mkdir "$T/mixed" && cp "$T/ca/ca.crt" "$T/other-ca/server.crt" "$T/other-ca/server.key" "$T/mixed/"
if bash "$BROKER_TLS" --broker "$BROKER_DIR" --ca "$T/mixed" 2>/dev/null; then fail "foreign server cert accepted"; fi
[ ! -e "$BROKER_DIR/conf.d/tls.conf" ] || fail "tls.conf written anyway"

for _ in $(seq 20); do
  TLS_PORT=$(random_port)
  [ "$TLS_PORT" != "$PLAIN_PORT" ] && port_free "$TLS_PORT" && break
done
port_free "$TLS_PORT" || fail "no free port for TLS"
bash "$BROKER_TLS" --broker "$BROKER_DIR" --ca "$T/ca" --bind 127.0.0.1 --port "$TLS_PORT" >/dev/null
grep -qx "tls_version tlsv1.2" "$BROKER_DIR/conf.d/tls.conf" || fail "no TLS 1.2 minimum"
[ "$(stat -c %a "$BROKER_DIR/tls/server.key")" = 600 ] || fail "broker's key copy mode"
[ ! -e "$BROKER_DIR/tls/ca.key" ] || fail "the CA key was copied to the broker"
# From here on the helpers of lib.sh talk to the TLS port: mosquitto_pub/sub take
# default options from $XDG_CONFIG_HOME, so they all carry the CA without a TLS
# copy of every helper. Plaintext checks pass PORT and a bare XDG_CONFIG_HOME.
PORT=$TLS_PORT
restart_broker
mkdir -p "$T/xdg" "$T/bare"
client_opts() { # OPTION VALUE... — what every lib.sh client gets besides the CA
  { echo "--cafile $T/ca/ca.crt"; [ $# -eq 0 ] || printf '%s %s\n' "$@"; } |
    tee "$T/xdg/mosquitto_pub" > "$T/xdg/mosquitto_sub"
}
client_opts
export XDG_CONFIG_HOME="$T/xdg"

# The daemon and the boards know only the TLS port and the CA.
sed -i "s/^port = .*/port = $TLS_PORT/; s|^\[broker\]\$|[broker]\ncafile = $T/ca/ca.crt|" "$CONF"
add_displays

note "jiaohao-caller over TLS: online, serves a take and a call"
start_caller
wait_online
grep -q "connected to broker 127.0.0.1:$TLS_PORT" "$T/caller.log" || fail "caller not on the TLS port"
listen_replies k1
listen_replies c01
r=$(cmd k1 kiosk '{"id":"k1-1","op":"take","reply_to":"k1","service":"A"}')
expect '.ok and .ticket == "A001"' "$r" "take over TLS"
r=$(cmd c01 counter '{"id":"c01-1","op":"login","reply_to":"c01","staff_id":"007","staff_name":"王芳"}')
expect '.ok' "$r" "login over TLS"
r=$(cmd c01 counter '{"id":"c01-2","op":"call-next","reply_to":"c01"}')
expect '.ok and .ticket == "A001"' "$r" "call-next over TLS"
expect '.ticket == "A001"' "$(state display state/counter/c01)" "state/counter/c01 read over TLS"

note "jiaohao-display over TLS draws the call"
shot main tls-board
[ "$(mode tls-board)" = board ] || fail "board over TLS in $(mode tls-board) mode"
expect_text tls-board hero.ticket A001 A002

note "a board that trusts another CA stays in maintenance"
sed "s|^cafile = .*|cafile = $T/other-ca/ca.crt|" "$CONF" > "$T/wrong-ca.ini"
"$DISPLAY_BIN" --config "$T/wrong-ca.ini" --id main --screenshot "$T/wrong-ca.png" \
  --layout-out "$T/wrong-ca.json" --wait 2000 >"$T/wrong-ca.log" 2>&1 || fail "wrong CA: display exit"
[ "$(mode wrong-ca)" = maintenance ] || fail "a board trusting another CA connected"

# try [VAR=VALUE...] -- mosquitto_pub arguments: 0 when the broker took the publish.
try() {
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done; shift
  env "${envs[@]}" mosquitto_pub -h 127.0.0.1 -q 1 "$@" -m '{"online":true}' >/dev/null 2>&1
}
as_c01=(-u c01 -P "$(pw c01)" -I c01: -t "$P/status/c01")

note "plaintext on the TLS port is refused; the same client on the plaintext port is not"
if try XDG_CONFIG_HOME="$T/bare" -- -p "$TLS_PORT" "${as_c01[@]}"; then fail "plaintext accepted on the TLS port"; fi
try XDG_CONFIG_HOME="$T/bare" -- -p "$PLAIN_PORT" "${as_c01[@]}" || fail "control: plaintext on loopback port"
try -- -p "$TLS_PORT" "${as_c01[@]}" || fail "control: TLS client"

note "a client trusting another CA is refused"
if try XDG_CONFIG_HOME="$T/bare" -- -p "$TLS_PORT" --cafile "$T/other-ca/ca.crt" "${as_c01[@]}"; then
  fail "a client that does not trust our CA connected"; fi
grep -q "connected to broker 127.0.0.1:$TLS_PORT" "$T/caller.log" || fail "caller log lost"

note "TLS 1.1 is refused, TLS 1.2 accepted"
handshake() { # openssl s_client exit status for one protocol version
  openssl s_client -connect "127.0.0.1:$TLS_PORT" -CAfile "$T/ca/ca.crt" -verify_return_error \
    -cipher 'DEFAULT:@SECLEVEL=0' "$@" </dev/null >/dev/null 2>&1
}
if handshake -tls1_1; then fail "TLS 1.1 handshake accepted"; fi
handshake -tls1_2 || fail "control: TLS 1.2 handshake"

note "TLS does not replace the password"
if try -- -p "$TLS_PORT" -u c01 -P "$(pw c02)" -I c01: -t "$P/status/c01"; then fail "wrong password over TLS"; fi
if try -- -p "$TLS_PORT" -t "$P/status/c01"; then fail "anonymous over TLS"; fi

note "a caller that trusts another CA says why, also over a slow link"
stop_caller || fail "caller exit status after SIGTERM"
for _ in $(seq 20); do
  SLOW_PORT=$(random_port)
  [ "$SLOW_PORT" != "$PLAIN_PORT" ] && [ "$SLOW_PORT" != "$TLS_PORT" ] && port_free "$SLOW_PORT" && break
done
port_free "$SLOW_PORT" || fail "no free port for the slow link"
# Each connection waits before reaching the broker, so the handshake — and the
# certificate check — ends after mosquitto_connect() returned, as on a real network.
socat "TCP-LISTEN:$SLOW_PORT,bind=127.0.0.1,fork,reuseaddr" \
  SYSTEM:"sleep 0.3; exec socat STDIO TCP\\:127.0.0.1\\:$TLS_PORT" 2>/dev/null &
BG_PIDS+=($!)
for _ in $(seq 100); do port_free "$SLOW_PORT" || break; sleep 0.05; done
# caller_log_within CONFIG TEXT — a caller on CONFIG logs TEXT within 30 s.
caller_log_within() {
  local i
  : > "$T/caller.log"
  CONF=$1 start_caller
  for i in $(seq 300); do
    grep -qF "$2" "$T/caller.log" && { stop_caller || fail "caller exit status"; return 0; }
    kill -0 "$CALLER_PID" 2>/dev/null || fail "caller exited: $(cat "$T/caller.log")"
    sleep 0.1
  done
  fail "caller never logged '$2': $(cat "$T/caller.log")"
}
sed "s/^port = .*/port = $SLOW_PORT/" "$CONF" > "$T/slow.ini"
caller_log_within "$T/slow.ini" "connected to broker 127.0.0.1:$SLOW_PORT"
sed "s/^port = .*/port = $SLOW_PORT/" "$T/wrong-ca.ini" > "$T/slow-wrong-ca.ini"
caller_log_within "$T/slow-wrong-ca.ini" "unreachable (TLS handshake failed"
: > "$T/caller.log"

note "client certificates required"
bash "$BROKER_TLS" --broker "$BROKER_DIR" --ca "$T/ca" --bind 127.0.0.1 --port "$TLS_PORT" \
  --require-client-cert >/dev/null
grep -qx "require_certificate true" "$BROKER_DIR/conf.d/tls.conf" || fail "require_certificate"
restart_broker
if try -- -p "$TLS_PORT" "${as_c01[@]}"; then fail "no client certificate accepted"; fi
if try -- -p "$TLS_PORT" --cert "$T/other-ca/clients/c01.crt" --key "$T/other-ca/clients/c01.key" "${as_c01[@]}"; then
  fail "a client certificate from another CA accepted"; fi
try -- -p "$TLS_PORT" --cert "$T/ca/clients/c01.crt" --key "$T/ca/clients/c01.key" "${as_c01[@]}" ||
  fail "control: c01 with its certificate"
if try -- -p "$TLS_PORT" --cert "$T/ca/clients/c01.crt" --key "$T/ca/clients/c01.key" \
     -u c01 -P "$(pw c02)" -I c01: -t "$P/status/c01"; then fail "certificate without the right password"; fi

client_opts --cert "$T/ca/clients/caller.crt" --key "$T/ca/clients/caller.key"
sed -i "s|^cafile = .*|&\ncertfile = $T/ca/clients/caller.crt\nkeyfile = $T/ca/clients/caller.key|" "$CONF"
start_caller
wait_online
listen_replies k1
r=$(cmd k1 kiosk '{"id":"k1-2","op":"take","reply_to":"k1","service":"A"}')
expect '.ok and .ticket == "A002"' "$r" "take with client certificates"
stop_caller || fail "caller exit status after SIGTERM"
echo "PASS"
