#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_first_boot — scripts/first-boot twice under a temp --root.
#
# The first run creates a fresh system account (removed again on exit), the
# data directory, the broker config and, because [broker] has a cafile, the
# hall CA and the TLS listener. Checked: modes (600 keys and passwords, 700
# directories) and owners; the account can read its passwords and cannot read
# the CA key; a password already on disk before the first run is kept; and the
# second run changes no secret (same passwords, CA, server key). Bad input,
# a broken hall config included, gives one line and exit 2. Needs root (accounts, chown): otherwise SKIP (77).
set -euo pipefail
if [ "$(id -u)" -ne 0 ] || ! command -v useradd >/dev/null || ! command -v runuser >/dev/null; then
  echo "SKIP: needs root, useradd and runuser"
  exit 77
fi
source "$(dirname "$0")/../integration/lib.sh"
FIRST_BOOT="$JH_SOURCE_DIR/scripts/first-boot"

FB_USER="jhfb$((RANDOM % 90000 + 10000))"
getent passwd "$FB_USER" >/dev/null && fail "account $FB_USER exists already"
fb_cleanup() {
  local rc=$?
  getent passwd "$FB_USER" >/dev/null && userdel "$FB_USER" 2>/dev/null
  (exit $rc)
  cleanup
}
trap fb_cleanup EXIT

ROOT="$T/root"
chmod 755 "$T" # the test account must reach into the temp root, as into / on a box
# The broker's account must read its plugin, as it reads /usr/local/lib/jiaohao on a box;
# the build tree may sit below a directory only its owner can enter (a mktemp -d clone).
install -m 644 "$JH_BROKER_PLUGIN" "$T/jh_broker_guard.so"
export JH_BROKER_PLUGIN=$T/jh_broker_guard.so
mkdir -p "$ROOT/etc/jiaohao"
PORT=1883 write_config
cp "$CONF" "$ROOT/etc/jiaohao/hall.ini"
sed -i '/^credentials_dir/a cafile = /etc/jiaohao/ca.crt' "$ROOT/etc/jiaohao/hall.ini"
BROKER="$ROOT/var/lib/jiaohao-broker"
CA="$ROOT/etc/jiaohao/ca"

# A password left from an earlier install (a re-imaged box keeping /var/lib).
mkdir -p "$BROKER/credentials"
echo "kept-from-before" > "$BROKER/credentials/admin.pw"
chmod 600 "$BROKER/credentials/admin.pw"

run() { bash "$FIRST_BOOT" --root "$ROOT" --user "$FB_USER" > "$T/fb.out" 2>&1 || fail "first-boot: $(cat "$T/fb.out")"; }

mode_owner() { stat -c '%a %U' "$1"; }
check_modes() {
  local f
  [ "$(mode_owner "$ROOT/var/lib/jiaohao")" = "700 $FB_USER" ] || fail "data dir: $(mode_owner "$ROOT/var/lib/jiaohao")"
  [ "$(mode_owner "$ROOT/var/lib/jiaohao/data")" = "700 $FB_USER" ] || fail "store dir: $(mode_owner "$ROOT/var/lib/jiaohao/data")"
  [ "$(mode_owner "$BROKER/credentials")" = "700 $FB_USER" ] || fail "credentials: $(mode_owner "$BROKER/credentials")"
  for f in "$BROKER"/credentials/*.pw; do
    [ "$(mode_owner "$f")" = "600 $FB_USER" ] || fail "$f: $(mode_owner "$f")"
  done
  for f in "$CA/ca.key" "$CA/server.key" "$BROKER/tls/server.key"; do
    [ "$(stat -c %a "$f")" = 600 ] || fail "$f is mode $(stat -c %a "$f")"
  done
  [ "$(stat -c %U "$CA/ca.key")" = root ] || fail "the CA key is not root's"
  [ "$(stat -c %a "$ROOT/etc/jiaohao/ca.crt")" = 644 ] || fail "cafile not installed 644"
  runuser -u "$FB_USER" -- head -n 1 "$BROKER/credentials/caller.pw" >/dev/null ||
    fail "$FB_USER cannot read its password"
  ! runuser -u "$FB_USER" -- cat "$CA/ca.key" >/dev/null 2>&1 || fail "$FB_USER can read the CA key"
  ! runuser -u "$FB_USER" -- cat "$BROKER/passwd" >/dev/null 2>&1 || fail "$FB_USER can read the broker's passwd"
}

secrets() { # hashes of every secret, one line each
  (cd "$ROOT" && sha256sum var/lib/jiaohao-broker/credentials/*.pw etc/jiaohao/ca/ca.key \
    etc/jiaohao/ca/ca.crt etc/jiaohao/ca/server.key var/lib/jiaohao-broker/tls/server.key)
}

note "first run"
run
getent passwd "$FB_USER" >/dev/null || fail "account $FB_USER not created"
[ "$(head -n 1 "$BROKER/credentials/admin.pw")" = kept-from-before ] || fail "an existing password was replaced"
for u in caller display c01 c02 k1; do [ -s "$BROKER/credentials/$u.pw" ] || fail "no password for $u"; done
[ -f "$BROKER/conf.d/tls.conf" ] || fail "no TLS listener although [broker] has a cafile"
check_modes
secrets > "$T/secrets.1"

note "second run: nothing secret changes"
run
grep -q "created the system account" "$T/fb.out" && fail "second run created the account again"
secrets > "$T/secrets.2"
diff "$T/secrets.1" "$T/secrets.2" >&2 || fail "a secret changed on the second run"
check_modes

note "bad input: one line, exit 2"
bad() { # fragment args...
  local want=$1 rc=0 err; shift
  err=$(bash "$FIRST_BOOT" "$@" 2>&1 >/dev/null) || rc=$?
  [ "$rc" -eq 2 ] || fail "first-boot $* exited $rc"
  [ "$(wc -l <<<"$err")" -eq 1 ] && [[ "$err" == *"$want"* ]] || fail "first-boot $*: want one line with '$want', got: $err"
}
bad "cannot read" --root "$ROOT" --config "$T/none.ini" --user "$FB_USER"
bad "not a directory" --root "$T/nowhere"
bad "unknown argument" --frobnicate
bad "bad --user" --root "$ROOT" --user 'Bad User'
# A broken hall config: jiaohao-caller's one line naming the file and line, before anything is made.
sed 's/^target_minutes = 15$/target_minutes = 0/' "$ROOT/etc/jiaohao/hall.ini" > "$T/broken.ini"
line=$(grep -n -m 1 '^target_minutes = 0$' "$T/broken.ini" | cut -d: -f1)
mkdir "$T/root2"
bad "$T/broken.ini:$line: [service A] target_minutes: '0'" --root "$T/root2" --config "$T/broken.ini" --user "$FB_USER"
[ -z "$(ls -A "$T/root2")" ] || fail "first-boot wrote into its root from a broken hall config"
note "PASS"
