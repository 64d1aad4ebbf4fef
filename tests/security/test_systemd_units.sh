#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_systemd_units — the units `cmake --install` puts in lib/systemd/system
# (made from deploy/systemd/*.service.in) load cleanly and keep their sandbox.
#
# What is checked is what gets installed: the units of JH_UNITS_DIR (tests/install
# passes its installed tree), else of the "systemd" component of JH_BUILD_DIR
# installed here into a temp DESTDIR with --prefix /usr/local. Each must name
# its program in JH_UNITS_BINDIR (default /usr/local/bin), with no template
# variable left over.
#
# systemd-analyze verify reads each unit (instances for the templates, and the
# serial-port drop-in example, and the image's deploy/image/jiaohao-{first-boot,grow-root}.service) as systemd would, with ExecStart pointed at this
# build's programs (JH_BIN_DIR), and must print nothing; a deliberately broken
# copy must make it complain, so the check can fail. systemd-analyze security
# --offline then rates each unit's exposure, which must stay "OK" (at most 2.0
# of 10). Finally the rules of docs/operations.md "Running under systemd" that no
# tool checks: who each runs as, what it waits for, how it restarts and is
# watched (Type=notify, WatchdogSec=), journal rate limits, KMSDRM for the screens.
#
# Exits 77 (ctest SKIP) with a message when systemd-analyze cannot run here.
set -euo pipefail

: "${JH_SOURCE_DIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${JH_BUILD_DIR:=$JH_SOURCE_DIR/build}"
: "${JH_BIN_DIR:=$JH_BUILD_DIR/bin}"
: "${JH_UNITS_BINDIR:=/usr/local/bin}"
TEMPLATES="$JH_SOURCE_DIR/deploy/systemd"
SKIP=77

fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "-- $*"; }
skip() { echo "SKIP: $* — the systemd units were NOT checked" >&2; exit $SKIP; }

command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed (scripts/deps installs systemd)"
T=$(mktemp -d /tmp/jh-units.XXXXXX)
trap 'rm -rf "$T"' EXIT

if [ -n "${JH_UNITS_DIR:-}" ]; then
  UNITS_SRC=$JH_UNITS_DIR
else
  note "installing the units of $JH_BUILD_DIR (component systemd, --prefix /usr/local)"
  DESTDIR="$T/root" cmake --install "$JH_BUILD_DIR" --component systemd --prefix /usr/local >"$T/install.log" 2>&1 ||
    fail "cmake --install --component systemd: $(cat "$T/install.log")"
  UNITS_SRC="$T/root/usr/local/lib/systemd/system"
fi
[ -d "$UNITS_SRC" ] || fail "no units in $UNITS_SRC"

# Instances to check: the templates with a config id, as the docs install them.
UNITS=(jiaohao-broker.service jiaohao-caller.service jiaohao-bridge@bus1.service
       jiaohao-display@main.service jiaohao-kiosk@k1.service jiaohao-web.service)
[ -d "$JH_BIN_DIR" ] || fail "no $JH_BIN_DIR (build first)"
JH_BIN_DIR=$(cd "$JH_BIN_DIR" && pwd) # ExecStart= wants an absolute path
mkdir "$T/units"
for f in "$UNITS_SRC"/*.service; do
  sed "s|$JH_UNITS_BINDIR/|$JH_BIN_DIR/|g" "$f" > "$T/units/$(basename "$f")"
done
for b in jiaohao-caller jiaohao-bridge jiaohao-display jiaohao-kiosk jiaohao-web; do
  [ -x "$JH_BIN_DIR/$b" ] || fail "no $JH_BIN_DIR/$b (build first)"
done
[ "$(ls "$UNITS_SRC"/*.service | wc -l)" -eq ${#UNITS[@]} ] || fail "a unit in $UNITS_SRC is not checked here"
[ "$(ls "$TEMPLATES"/*.service.in | wc -l)" -eq ${#UNITS[@]} ] || fail "a template in deploy/systemd was not installed"

note "the installed units name $JH_UNITS_BINDIR and keep no template variable"
for f in "$UNITS_SRC"/*.service; do
  ! grep -Eq '@[A-Z_]+@' "$f" || fail "$f: $(grep -E '@[A-Z_]+@' "$f")"
done
for u in caller bridge@ display@ kiosk@ web; do
  grep -q "^ExecStart=$JH_UNITS_BINDIR/jiaohao-${u%@} " "$UNITS_SRC/jiaohao-$u.service" ||
    fail "jiaohao-$u.service does not run $JH_UNITS_BINDIR/jiaohao-${u%@}"
done

# verify DIR UNIT... — systemd-analyze verify: its output in $out (empty when clean),
# its status in $vrc. Units and drop-ins are looked up in DIR first.
verify() {
  local dir=$1; shift
  vrc=0
  (cd "$dir" && SYSTEMD_UNIT_PATH="$dir:" systemd-analyze verify --man=no "$@") >"$T/verify.out" 2>&1 || vrc=$?
  out=$(cat "$T/verify.out")
}

note "systemd-analyze can run here (a known-good unit)"
mkdir "$T/control"
printf '[Unit]\nDescription=control\n[Service]\nExecStart=/bin/true\n' > "$T/control/jh-control.service"
verify "$T/control" jh-control.service
[ "$vrc" -eq 0 ] && [ -z "$out" ] || skip "systemd-analyze verify fails on a trivial unit here (rc $vrc): $out"

note "every unit verifies with no complaint"
verify "$T/units" "${UNITS[@]}"
[ "$vrc" -eq 0 ] && [ -z "$out" ] || fail "systemd-analyze verify (rc $vrc):"$'\n'"$out"

note "the serial-port drop-in example loads on the bridge and the kiosk"
for u in jiaohao-bridge@bus1.service jiaohao-kiosk@k1.service; do
  mkdir -p "$T/units/$u.d"
  cp "$TEMPLATES/serial-port.conf.example" "$T/units/$u.d/serial-port.conf"
done
verify "$T/units" jiaohao-bridge@bus1.service jiaohao-kiosk@k1.service
[ "$vrc" -eq 0 ] && [ -z "$out" ] || fail "with the drop-in (rc $vrc): $out"
grep -q '^DeviceAllow=/dev/tty' "$TEMPLATES/serial-port.conf.example" || fail "the example grants no serial port"

note "the image's own units (deploy/image, scripts/build-image) verify too"
mkdir "$T/image"
fb=/usr/lib/jiaohao/first-boot keygen=/usr/bin/ssh-keygen
[ -x "$keygen" ] || keygen=/bin/true # the image has openssh-server; this machine may not
sed -e "s|$fb|$JH_SOURCE_DIR/scripts/first-boot|" -e "s|/usr/bin/ssh-keygen|$keygen|" \
  "$JH_SOURCE_DIR/deploy/image/jiaohao-first-boot.service" > "$T/image/jiaohao-first-boot.service"
grep -q "^ExecStart=$fb --tls" "$JH_SOURCE_DIR/deploy/image/jiaohao-first-boot.service" ||
  fail "jiaohao-first-boot.service does not run $fb --tls"
sed "s|/usr/local/lib/jiaohao/grow-root|$JH_SOURCE_DIR/deploy/image/grow-root|" \
  "$JH_SOURCE_DIR/deploy/image/jiaohao-grow-root.service" > "$T/image/jiaohao-grow-root.service"
grep -q "^ExecStart=/usr/local/lib/jiaohao/grow-root" "$JH_SOURCE_DIR/deploy/image/jiaohao-grow-root.service" ||
  fail "jiaohao-grow-root.service does not run /usr/local/lib/jiaohao/grow-root"
verify "$T/image" jiaohao-first-boot.service jiaohao-grow-root.service
[ "$vrc" -eq 0 ] && [ -z "$out" ] || fail "the image's units (rc $vrc): $out"

note "control: a broken copy is noticed"
mkdir "$T/broken"
sed 's/^NoNewPrivileges=yes/NoNewPrivilegs=yes/' "$T/units/jiaohao-caller.service" > "$T/broken/jiaohao-caller.service"
verify "$T/broken" jiaohao-caller.service
grep -q "NoNewPrivilegs" <<<"$out" || fail "verify did not notice an unknown key: $out"

if systemd-analyze security --help 2>/dev/null | grep -q -- '--offline'; then
  note "exposure (systemd-analyze security --offline) at most 2.0 each"
  for u in "${UNITS[@]}"; do
    line=$(cd "$T/units" && SYSTEMD_UNIT_PATH="$T/units:" systemd-analyze security --offline=yes --no-pager "$u" 2>&1 |
      grep "Overall exposure level" || true)
    score=$(sed -n 's/.*: \([0-9.]*\) .*/\1/p' <<<"$line")
    [ -n "$score" ] || fail "$u: no exposure score: $line"
    awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' || fail "$u: exposure $score > 2.0"
    note "$u: exposure $score"
  done
else
  note "this systemd-analyze has no 'security --offline': exposure NOT rated (needs systemd 252)"
fi

note "the rules no tool checks"
# has FILE LINE — the exact line is in the unit.
has() { grep -qxF -- "$2" "$UNITS_SRC/$1" || fail "$1: no '$2'"; }
for f in jiaohao-broker.service jiaohao-caller.service jiaohao-bridge@.service \
         jiaohao-display@.service jiaohao-kiosk@.service jiaohao-web.service; do
  for l in ProtectSystem=strict PrivateTmp=yes NoNewPrivileges=yes ProtectHome=yes \
           ProtectKernelTunables=yes ProtectKernelModules=yes ProtectKernelLogs=yes \
           CapabilityBoundingSet= SystemCallFilter=@system-service; do
    has "$f" "$l"
  done
  grep -q '^RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' "$UNITS_SRC/$f" || fail "$f: address families"
  ! grep -q '^AmbientCapabilities=.' "$UNITS_SRC/$f" || fail "$f: ambient capabilities"
done
has jiaohao-broker.service User=mosquitto
has jiaohao-broker.service Conflicts=mosquitto.service
has jiaohao-broker.service ReadWritePaths=/var/lib/jiaohao-broker
has jiaohao-caller.service ReadWritePaths=/var/lib/jiaohao
for f in jiaohao-caller.service jiaohao-bridge@.service jiaohao-display@.service jiaohao-kiosk@.service \
         jiaohao-web.service; do
  has "$f" User=jiaohao
  grep -q '^After=jiaohao-broker.service' "$UNITS_SRC/$f" || fail "$f: not after the broker"
  grep -q '^Wants=jiaohao-broker.service' "$UNITS_SRC/$f" || fail "$f: does not want the broker"
done
# Watched by systemd: ready when they can serve, restarted when their loop stops
# kicking the watchdog (mosquitto has no watchdog), whatever ended them, never
# given up on; and a flood of log lines is capped.
for f in jiaohao-broker.service jiaohao-caller.service jiaohao-bridge@.service \
         jiaohao-display@.service jiaohao-kiosk@.service jiaohao-web.service; do
  for l in Type=notify NotifyAccess=main Restart=always StartLimitIntervalSec=0 \
           LogRateLimitIntervalSec=30s LogRateLimitBurst=600; do
    has "$f" "$l"
  done
done
! grep -q '^WatchdogSec=' "$UNITS_SRC/jiaohao-broker.service" || fail "the broker sends no WATCHDOG=1"
has jiaohao-caller.service WatchdogSec=30s
for f in jiaohao-bridge@.service jiaohao-display@.service jiaohao-kiosk@.service jiaohao-web.service; do
  has "$f" WatchdogSec=15s
done
for f in jiaohao-display@.service jiaohao-kiosk@.service; do
  grep -q '^Environment=SDL_VIDEODRIVER=kmsdrm' "$UNITS_SRC/$f" || fail "$f: not on KMSDRM"
  has "$f" Conflicts=getty@tty1.service
  has "$f" StandardInput=tty
done
# Serial ports only by drop-in: the shipped units grant none.
for f in jiaohao-bridge@.service jiaohao-kiosk@.service; do
  has "$f" DevicePolicy=closed
  ! grep -Eq '^DeviceAllow=(/dev/tty(S|USB|ACM)|char-tty)' "$UNITS_SRC/$f" || fail "$f grants serial ports itself"
done
echo "PASS"
