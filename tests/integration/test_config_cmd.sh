#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_config_cmd — jiaohao-caller config, the hall config as the shell scripts read it.
#
# --devices prints exactly the site and the counters, kiosks and bridges with
# their lines; --get prints a value as written, nothing when absent. A broken
# file gives, for every class of fault, the daemon's own one-line message (file
# and line) and nothing on stdout; a bad [bridge <id>] gives jiaohao-bridge's.
# Bad arguments exit 2. Then the scripts: scripts/lib/hall-ini.sh finds the
# caller through JH_BIN_DIR, the installed layout and the source tree, and
# refuses an answer out of format; broker-config, central-bridge and first-boot
# stop on a broken hall config with that one line, and broker-config's own
# refusals (reserved names, shared ids) name the line too.
source "$(dirname "$0")/lib.sh"
BRIDGE_BIN="$JH_BIN_DIR/jiaohao-bridge"
[ -x "$BRIDGE_BIN" ] || fail "no $BRIDGE_BIN (build first)"

PORT=1883
write_config
cat >> "$CONF" <<'EOF'

[display main]
layout = main

[bridge b1]
device = /dev/null
keypad = 1 c01
EOF
line_of() { grep -n -m 1 -xF "$1" "$CONF" | cut -d: -f1; }

note "--devices: the site first, then every device section in file order, with its line"
out=$("$CALLER_BIN" config --config "$CONF" --devices) || fail "config --devices: exit $?"
want="site $SITE $(line_of "site = $SITE")
counter c01 $(line_of "[counter c01]")
counter c02 $(line_of "[counter c02]")
kiosk k1 $(line_of "[kiosk k1]")
bridge b1 $(line_of "[bridge b1]")"
[ "$out" = "$want" ] || fail "config --devices printed:
$out
instead of:
$want"

note "--devices on the example hall"
out=$("$CALLER_BIN" config --config "$JH_SOURCE_DIR/assets/hall.ini" --devices) || fail "example hall: exit $?"
[ "$(head -n 1 <<<"$out")" = "site $(sed -n 's/^site = //p' "$JH_SOURCE_DIR/assets/hall.ini") $(grep -n -m 1 '^site = ' "$JH_SOURCE_DIR/assets/hall.ini" | cut -d: -f1)" ] ||
  fail "example hall: first line $(head -n 1 <<<"$out")"
for kind in counter kiosk bridge; do
  [ "$(grep -c "^$kind " <<<"$out")" -eq "$(grep -c "^\[$kind " "$JH_SOURCE_DIR/assets/hall.ini")" ] ||
    fail "example hall: not every [$kind] listed: $out"
done
! grep -qvE '^(site|counter|kiosk|bridge) [a-z0-9-]{1,31} [0-9]+$' <<<"$out" || fail "example hall: a line out of format: $out"

note "--get: a value as written, nothing when absent"
get() { "$CALLER_BIN" config --config "$CONF" --get "$@"; }
[ "$(get broker port)" = 1883 ] || fail "--get broker port: $(get broker port)"
[ "$(get 'service B' name_en)" = "Medical Insurance" ] || fail "--get 'service B' name_en: $(get 'service B' name_en)"
[ "$(get 'bridge b1' keypad)" = "1 c01" ] || fail "--get 'bridge b1' keypad: $(get 'bridge b1' keypad)"
out=$(get broker cafile) || fail "--get of an absent key: exit $?"
[ -z "$out" ] || fail "--get broker cafile (absent): '$out'"
[ -z "$(get 'service C' name_en)" ] || fail "--get in an absent section printed something"
[ -z "$(get display name_en)" ] || fail "--get [display] matched [display main]"
printf '\n[display main]\nlayout = strip\n' >> "$CONF"
[ "$(get 'display main' layout)" = strip ] || fail "--get: the last of a repeated key in another part's section"

# broken FILE-SUFFIX SED-EXPRESSION... — a copy of the hall with the edits applied.
broken() {
  local f="$T/broken-$1.ini"; shift
  cp "$CONF" "$f"
  local e
  for e in "$@"; do sed -i "$e" "$f"; done
  echo "$f"
}
# refused FILE WANT-FRAGMENT [REFERENCE-PROGRAM] — config --devices and --get exit 1
# with one line on stderr containing WANT and nothing on stdout; the line after
# its prefix is REFERENCE-PROGRAM's own (the daemon's by default).
refused() {
  local f=$1 want=$2 ref=${3:-$CALLER_BIN} out err rc ref_err mode
  for mode in --devices "--get hall site"; do
    rc=0
    # shellcheck disable=SC2086
    out=$("$CALLER_BIN" config --config "$f" $mode 2>"$T/err") || rc=$?
    err=$(cat "$T/err")
    [ "$rc" -eq 1 ] || fail "config $mode on $f exited $rc (want 1): $err"
    [ -z "$out" ] || fail "config $mode on $f printed: $out"
    [ "$(wc -l <<<"$err")" -eq 1 ] && [[ "$err" == "jiaohao-caller config: $f"*"$want"* ]] ||
      fail "config $mode on $f: want one line with '$want', got: $err"
  done
  rc=0
  ref_err=$(timeout 20 "$ref" --config "$f" 2>&1 >/dev/null) || rc=$?
  [ "$rc" -ne 0 ] || fail "$(basename "$ref") accepted $f"
  [ "${ref_err#*: }" = "${err#jiaohao-caller config: }" ] ||
    fail "config and $(basename "$ref") differ on $f: '$err' / '$ref_err'"
}

note "a broken hall config: the daemon's own line, nothing on stdout"
n=$(line_of "target_minutes = 15")
refused "$(broken minutes "${n}s/15/0/")" ":$n: [service A] target_minutes: '0': want minutes 1..480"
n=$(line_of "site = $SITE")
refused "$(broken site "${n}s/.*/site = Bad_Site/")" ":$n: [hall] site: 'Bad_Site': want a-z0-9-"
n=$(line_of "[counter c02]")
refused "$(broken typo "$((n + 1))s/number/numbr/")" ":$((n + 1)): [counter c02] numbr: unknown key (typo?)"
refused "$(broken header "${n}s/.*/[counter c02/")" ":$n: section header '[counter c02' does not end with ']'"
refused "$(broken ref "$((n + 4))s/.*/services = Z/")" ":$((n + 4)): [counter c02] services: 'Z': no [service Z]"
refused "$(broken nohall '/^\[hall\]/,/^$/d')" ": no [hall] section"
f=$(broken utf8); printf '[bridge b2]\nname = \xc3\x28\n' >> "$f"
refused "$f" ":$(wc -l < "$f"): not valid UTF-8"
refused "$T/none.ini" ": cannot open"

note "a bad [bridge <id>]: jiaohao-bridge's own line"
n=$(line_of "[bridge b1]")
refused "$(broken bridge-upper "${n}s/b1/B1/")" ":$n: [bridge B1]: want [bridge <id>], id of a-z 0-9 - (got 'B1')" "$BRIDGE_BIN"
refused "$(broken bridge-none "${n}s/.*/[bridge]/")" ":$n: [bridge]: want [bridge <id>], id of a-z 0-9 - (got '')" "$BRIDGE_BIN"
f=$(broken control); printf '[display x]\nlayout = a\033b\n' >> "$f"
rc=0; err=$("$CALLER_BIN" config --config "$f" --get 'display x' layout 2>&1 >/dev/null) || rc=$?
[ "$rc" -eq 1 ] && [[ "$err" == *"$f:$(wc -l < "$f"): [display x] layout: control character"* ]] ||
  fail "--get of a value with a control character: exit $rc, $err"

note "bad arguments: one line, exit 2"
bad_args() {
  local rc=0 err
  err=$("$CALLER_BIN" config "$@" 2>&1 >/dev/null) || rc=$?
  [ "$rc" -eq 2 ] && [ "$(wc -l <<<"$err")" -eq 1 ] && [[ "$err" == "jiaohao-caller config: "* ]] ||
    fail "config $*: exit $rc, $err"
}
bad_args --config "$CONF"
bad_args --config "$CONF" --devices --get hall site
bad_args --config "$CONF" --get hall
bad_args --config "$CONF" --get hall ''
bad_args --config "$CONF" --devices --frobnicate
bad_args --config
out=$("$CALLER_BIN" config --help) || fail "config --help: exit $?"
grep -q '^usage: jiaohao-caller config' <<<"$out" && grep -q -- '--devices' <<<"$out" || fail "config --help: $out"
"$CALLER_BIN" --help | grep -q 'jiaohao-caller config .*--devices' || fail "the daemon's --help does not name config"

note "hall-ini.sh finds jiaohao-caller: JH_BIN_DIR, installed, source tree"
caller_of() { # SCRIPTS-DIR [ENV...] — what hall_ini_caller prints there (its stderr on failure)
  local dir=$1; shift
  env "$@" bash -c 'source "$1/lib/hall-ini.sh" && hall_ini_caller' _ "$dir" 2>&1
}
[ "$(caller_of "$JH_SOURCE_DIR/scripts" JH_BIN_DIR="$JH_BIN_DIR")" = "$JH_BIN_DIR/jiaohao-caller" ] ||
  fail "JH_BIN_DIR: $(caller_of "$JH_SOURCE_DIR/scripts" JH_BIN_DIR="$JH_BIN_DIR")"
I="$T/prefix"
mkdir -p "$I/bin" "$I/lib/jiaohao/lib"
cp "$JH_SOURCE_DIR/scripts/lib/hall-ini.sh" "$I/lib/jiaohao/lib/"
[[ "$(caller_of "$I/lib/jiaohao" -u JH_BIN_DIR)" == *"no jiaohao-caller at $I/bin/jiaohao-caller"* ]] ||
  fail "installed, no bin/: $(caller_of "$I/lib/jiaohao" -u JH_BIN_DIR)"
ln -s "$CALLER_BIN" "$I/bin/jiaohao-caller"
[ "$(caller_of "$I/lib/jiaohao" -u JH_BIN_DIR)" = "$I/bin/jiaohao-caller" ] ||
  fail "installed: $(caller_of "$I/lib/jiaohao" -u JH_BIN_DIR)"
src_caller="$JH_SOURCE_DIR/build/bin/jiaohao-caller"
if [ -x "$src_caller" ]; then
  [ "$(caller_of "$JH_SOURCE_DIR/scripts" -u JH_BIN_DIR)" = "$src_caller" ] ||
    fail "source tree: $(caller_of "$JH_SOURCE_DIR/scripts" -u JH_BIN_DIR)"
else
  [[ "$(caller_of "$JH_SOURCE_DIR/scripts" -u JH_BIN_DIR)" == *"no jiaohao-caller at $src_caller"* ]] ||
    fail "source tree without build/: $(caller_of "$JH_SOURCE_DIR/scripts" -u JH_BIN_DIR)"
fi
mkdir -p "$T/fake"
printf '#!/bin/sh\necho "site x 1"\necho "counter a;rm 2"\n' > "$T/fake/jiaohao-caller"
chmod +x "$T/fake/jiaohao-caller"
rc=0; err=$(JH_BIN_DIR=$T/fake bash -c 'source "$1/lib/hall-ini.sh" && hall_ini_devices "$2"' _ \
  "$JH_SOURCE_DIR/scripts" "$CONF" 2>&1 >/dev/null) || rc=$?
[ "$rc" -ne 0 ] && [[ "$err" == *"unexpected answer"* ]] || fail "an answer out of format taken: exit $rc, $err"

note "the scripts stop on a broken hall config with that one line"
f=$(broken script-minutes "$(line_of "target_minutes = 15")s/15/0/")
want="jiaohao-caller config: $f:$(line_of "target_minutes = 15"): [service A] target_minutes: '0': want minutes 1..480"
script_refuses() { # WANT SCRIPT ARGS... — exit 2, exactly the line WANT on stderr, nothing written
  local want=$1 script=$2 rc=0 err; shift 2
  err=$(bash "$JH_SOURCE_DIR/scripts/$script" "$@" 2>&1 >/dev/null) || rc=$?
  [ "$rc" -eq 2 ] && [ "$err" = "$want" ] || fail "$script on a bad config: exit $rc, '$err' (want '$want')"
}
script_refuses "$want" broker-config --config "$f" --out "$T/out-bc" --run-as "$(id -un)"
[ ! -e "$T/out-bc" ] || fail "broker-config wrote $T/out-bc from a broken hall config"
bash "$JH_SOURCE_DIR/scripts/broker-config" --config "$CONF" --out "$T/bc" --run-as "$(id -un)" >/dev/null ||
  fail "broker-config on the good hall"
echo central-pw > "$T/central.pw"
script_refuses "$want" central-bridge --config "$f" --out "$T/bc" --central 127.0.0.1:1883 --user u \
  --password-file "$T/central.pw"
[ ! -e "$T/bc/conf.d/central.conf" ] || fail "central-bridge wrote central.conf from a broken hall config"
if [ "$(id -u)" -eq 0 ]; then
  mkdir -p "$T/fbroot"
  script_refuses "$want" first-boot --root "$T/fbroot" --config "$f" --user "jhcc$$"
  ! getent passwd "jhcc$$" >/dev/null || fail "first-boot created an account from a broken hall config"
  [ -z "$(ls -A "$T/fbroot")" ] || fail "first-boot wrote into its root from a broken hall config"
else
  note "not root: first-boot not run (tests/security/test_first_boot.sh runs it as root)"
fi

note "broker-config's own refusals name the line"
n=$(line_of "[counter c02]")
f=$(broken reserved "${n}s/c02/admin/")
script_refuses "broker-config: $f:$n: [counter admin]: 'admin' is a reserved broker user name" \
  broker-config --config "$f" --out "$T/out-bc" --run-as "$(id -un)"
k=$(line_of "[kiosk k1]")
f=$(broken shared "${k}s/k1/c01/")
script_refuses "broker-config: $f:$k: [kiosk c01]: id 'c01' is used twice (first on line $(line_of "[counter c01]"); counter, kiosk and bridge ids share topics)" \
  broker-config --config "$f" --out "$T/out-bc" --run-as "$(id -un)"
f=$(broken bridge-shared "$(line_of "[bridge b1]")s/b1/k1/")
script_refuses "broker-config: $f:$(line_of "[bridge b1]"): [bridge k1]: id 'k1' is used twice (first on line $k; counter, kiosk and bridge ids share topics)" \
  broker-config --config "$f" --out "$T/out-bc" --run-as "$(id -un)"
[ ! -e "$T/out-bc" ] || fail "broker-config wrote $T/out-bc from a refused hall config"
echo PASS
