#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_links — no program links code it does not use, and the engine stays pure.
#
# Reads the symbol tables (nm) and DT_NEEDED entries (readelf) of the built
# programs and the engine library. Each rule has a control on the other side
# (the symbol is where it belongs), so a broken nm or a stripped binary fails
# the test instead of passing it.
set -euo pipefail
: "${JH_BUILD_DIR:?}"
bin=$JH_BUILD_DIR/bin
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# Each reads the whole listing into a variable first: `nm | grep -q` under
# pipefail fails whenever grep stops reading early and nm gets SIGPIPE.
defined() { # program symbol -> 0 when the program defines it
  local syms
  syms=$(nm --defined-only "$1" 2>/dev/null | awk '{print $NF}')
  grep -qx "$2" <<<"$syms"
}
needs() { # program library-prefix -> 0 when the program loads that shared library
  local deps
  deps=$(readelf -d "$1")
  grep -q "NEEDED.*\[$2" <<<"$deps"
}
without() { # program symbol: must not be in program; control: it is in another
  local prog=$1 sym=$2 home=$3
  defined "$bin/$home" "$sym" || fail "control: $sym is not in $home (did nm read the binaries?)"
  ! defined "$bin/$prog" "$sym" || fail "$prog links $sym, which it never calls"
}

# The caller daemon: no simulated-day generator, no screens, no serial ports.
without jiaohao-caller jh_sim_day_generate jiaohao-sim-day
without jiaohao-caller jh_report_write_csv jiaohao-report
for lib in libSDL2 libserialport; do
  ! needs "$bin/jiaohao-caller" "$lib" || fail "jiaohao-caller loads $lib"
done
needs "$bin/jiaohao-display" libSDL2 || fail "control: jiaohao-display does not load libSDL2"

# The kiosk: the hall's screen, mirror and words, not the boards' layouts,
# frame loop or voice.
without jiaohao-kiosk jh_layout_main jiaohao-display
without jiaohao-kiosk jh_layout_draw jiaohao-display
without jiaohao-kiosk jh_voice_compose jiaohao-display
defined "$bin/jiaohao-kiosk" jh_wait_text || fail "control: jiaohao-kiosk has no jh_wait_text"

# The boards: no printing stack, no engine.
without jiaohao-display jh_escpos_init jiaohao-kiosk
without jiaohao-display jh_engine_apply jiaohao-caller

# The bridge: keypads and MQTT, no screens, no engine.
! needs "$bin/jiaohao-bridge" libSDL2 || fail "jiaohao-bridge loads libSDL2"
without jiaohao-bridge jh_engine_apply jiaohao-caller

# The reports read the store; they never write it through the engine's ops.
without jiaohao-report jh_engine_apply jiaohao-caller

# The one broker link: the caller daemon and the simulated day connect through
# common/link's jh_link like the boards, kiosk and bridge, with no libmosquitto
# code of their own (their objects call no mosquitto_ function; the link's do).
without jiaohao-report jh_link_pump jiaohao-caller
defined "$bin/jiaohao-sim-day" jh_link_pump || fail "jiaohao-sim-day does not link jh_link (common/link)"
calls_mosquitto() { # object-or-archive -> the mosquitto_ functions it calls itself
  local undef
  undef=$(nm -u "$1" 2>/dev/null | awk '{print $NF}')
  grep -E '^mosquitto_' <<<"$undef" || true
}
link_lib=$(find "$JH_BUILD_DIR" -name libjh_mqtt_link.a | head -n 1)
[ -n "$link_lib" ] && [ -n "$(calls_mosquitto "$link_lib")" ] ||
  fail "control: no libjh_mqtt_link.a calling mosquitto_ functions under $JH_BUILD_DIR"
front=$(find "$JH_BUILD_DIR" -path '*/jiaohao-caller.dir/*mqtt_front.c.o' | head -n 1)
sim_lib=$(find "$JH_BUILD_DIR" -name libjh_sim_mqtt.a | head -n 1)
[ -n "$front" ] && [ -n "$sim_lib" ] || fail "mqtt_front.c.o or libjh_sim_mqtt.a not found under $JH_BUILD_DIR"
for own in $(find "$JH_BUILD_DIR" -path '*/jiaohao-caller.dir/*.o') $sim_lib; do
  direct=$(calls_mosquitto "$own")
  [ -z "$direct" ] || fail "$(basename "$own") talks to libmosquitto itself: $(echo $direct)"
done

# The engine is a pure library: nothing of MQTT, SDL, serial ports or HTTP.
engine=$(find "$JH_BUILD_DIR" -name libjh_engine.a | head -n 1)
[ -n "$engine" ] || fail "libjh_engine.a not found under $JH_BUILD_DIR"
if [ -n "$engine" ]; then
  undef=$(nm -u "$engine" | awk '{print $NF}')
  grep -q '^sqlite3_' <<<"$undef" || fail "control: libjh_engine.a calls no sqlite3_ function"
  impure=$(grep -E '^(mosquitto_|SDL_|TTF_|IMG_|sp_|lws_|mg_)' <<<"$undef" || true)
  [ -z "$impure" ] || fail "the engine calls I/O it must not: $(echo $impure)"
fi

[ "$fails" -eq 0 ] || exit 1
echo "links: every program links only what it uses; the engine is pure; one broker link"
