# SPDX-License-Identifier: MIT
# hall-ini.sh — what the shell scripts read from a hall config (sourced, not run).
#
# Owns: the scripts' questions to the hall config (scripts/broker-config,
# scripts/central-bridge, scripts/first-boot) and finding who answers them. No
# script reads the INI itself: `jiaohao-caller config` (caller/config_cmd.c) checks
# the whole file as the daemon does, with the C reader every program uses, and
# answers. A broken file fails the call with the caller's one line on stderr,
# "jiaohao-caller config: FILE:LINE: ...", and nothing on stdout.
#
# jiaohao-caller is $JH_BIN_DIR/jiaohao-caller when JH_BIN_DIR is set (the tests,
# a build elsewhere), else <prefix>/bin/jiaohao-caller when the scripts run from
# <prefix>/lib/jiaohao/ (installed, and on the appliance image), else
# build/bin/jiaohao-caller of the source tree they are in.

hall_ini_scripts=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# hall_ini_caller — prints the path of jiaohao-caller; says where it looked and
# returns 1 when there is none.
hall_ini_caller() {
  local c
  if [ -n "${JH_BIN_DIR:-}" ]; then c=$JH_BIN_DIR/jiaohao-caller
  elif [[ "$hall_ini_scripts" == */lib/jiaohao ]]; then c=$(dirname "$(dirname "$hall_ini_scripts")")/bin/jiaohao-caller
  else c=$(dirname "$hall_ini_scripts")/build/bin/jiaohao-caller
  fi
  [ -x "$c" ] || { echo "${prog:-hall-ini}: no jiaohao-caller at $c to read the hall config: build it, or set JH_BIN_DIR" >&2; return 1; }
  echo "$c"
}

# hall_ini_devices FILE — "site <site> <line>" first, then "counter|kiosk|bridge
# <id> <line>" for each such section in file order (jiaohao-caller config --help).
hall_ini_devices() {
  local c out
  c=$(hall_ini_caller) && out=$("$c" config --config "$1" --devices) || return 1
  # The format is a contract: refuse anything else (an older jiaohao-caller) rather
  # than hand a script words it would take for ids.
  if grep -qvE '^(site|counter|kiosk|bridge) [a-z0-9-]{1,31} [0-9]+$' <<<"$out"; then
    echo "${prog:-hall-ini}: $c config --devices: unexpected answer: $(head -c 200 <<<"$out")" >&2
    return 1
  fi
  echo "$out"
}

# hall_ini_site FILE — prints the site id.
hall_ini_site() {
  local out kind site
  out=$(hall_ini_devices "$1") || return 1
  read -r kind site _ <<<"$out"
  echo "$site"
}

# hall_ini_get FILE SECTION KEY — prints the value of KEY in [SECTION] as written,
# nothing when it is absent.
hall_ini_get() {
  local c
  c=$(hall_ini_caller) && "$c" config --config "$1" --get "$2" "$3"
}
