# SPDX-License-Identifier: MIT
# display_lib.sh — what the display tests share (sourced after tests/integration/lib.sh).
#
# Owns: publishing retained state as the caller user, adding [display ...] sections
# and the counters they show to the test hall, running jiaohao-display for a
# screenshot (or signalling a running one), and checking the pixels of a tagged
# text with png_probe. Screenshots are copied to $JH_SHOTS for people to look at.

DISPLAY_BIN="$JH_BIN_DIR/jiaohao-display"
PROBE=${JH_PROBE:-$JH_BIN_DIR/../tests/png_probe}
SHOTS=${JH_SHOTS:-$JH_BIN_DIR/../display-shots}
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-dummy} SDL_AUDIODRIVER=${SDL_AUDIODRIVER:-dummy}
[ -x "$DISPLAY_BIN" ] || fail "no $DISPLAY_BIN (build first)"
[ -x "$PROBE" ] || fail "no png_probe at $PROBE"
mkdir -p "$SHOTS"
DISPLAY_PID=""

# pubr SUFFIX JSON — a retained QoS 1 message from the caller user.
pubr() { mosquitto_pub -h 127.0.0.1 -p "$PORT" -u caller -P "$(pw caller)" -I caller: -q 1 -r -t "$P/$1" -m "$2"; }
# clear SUFFIX — removes a retained message.
clear_retained() { mosquitto_pub -h 127.0.0.1 -p "$PORT" -u caller -P "$(pw caller)" -I caller: -q 1 -r -n -t "$P/$1"; }

# The test hall (lib.sh) has counters c01, c02; the boards below need c03 too.
add_displays() {
  cat >> "$CONF" <<EOF

[counter c03]
number = 3
name_zh = 3号窗口
name_en = Window 3
services = A

[display main]
layout = main
history = 8
voice = on
repeat = 2
volume = 100

[display strip3]
layout = strip
counter = c03

[display strip2]
layout = strip
counter = c02

[display led]
layout = led
size = 192x32
colors = red, green

[display quiet]
layout = main
voice = on
quiet_hours = 00:00-24:00
EOF
}

# shot ID NAME [extra args] — first complete frame of display ID into $T/NAME.png/.json.
shot() {
  local id=$1 name=$2; shift 2
  "$DISPLAY_BIN" --config "$CONF" --id "$id" --screenshot "$T/$name.png" \
    --layout-out "$T/$name.json" "$@" >>"$T/display-$name.log" 2>&1 \
    || { cat "$T/display-$name.log" >&2; fail "jiaohao-display --id $id exited non-zero"; }
  cp "$T/$name.png" "$SHOTS/$name.png"
}

# mode NAME — "board" or "maintenance", as the frame's layout record says.
mode() { jq -r .mode "$T/$1.json"; }

# item NAME TAG FIELD — a field of the first record with that tag.
item() { jq -r --arg t "$2" "[.items[] | select(.tag == \$t)][0].$3 // empty" "$T/$1.json"; }

# probe_text NAME TAG TEXT — png_probe's verdict on TEXT at the tag's place (0 = it is there).
probe_text() {
  local name=$1 tag=$2 text=$3 r
  r=$(jq -r --arg t "$tag" '[.items[] | select(.tag == $t)][0] |
      "\(.x) \(.y) \(.w) \(.h) \(.px) \(if .bold then 1 else 0 end) \(if .solid then 1 else 0 end)"' "$T/$name.json")
  [ -n "$r" ] && [ "$r" != "null null null null null 0 0" ] || { echo "no $tag"; return 2; }
  local v
  v=$(jq -r --arg t "$tag" '[.items[] | select(.tag == $t)][0] | "\(.vx) \(.vy) \(.vw) \(.vh)"' "$T/$name.json")
  # shellcheck disable=SC2086
  "$PROBE" text "$T/$name.png" $r "$text" 0.8 $v
}

# expect_text NAME TAG TEXT WRONG — TEXT is drawn at TAG, and WRONG (one character off) is not.
expect_text() {
  local name=$1 tag=$2 text=$3 wrong=$4 s
  s=$(probe_text "$name" "$tag" "$text") || fail "$name: '$text' not found in pixels at $tag (score $s)"
  note "$name: $tag shows '$text' (score $s)"
  if s=$(probe_text "$name" "$tag" "$wrong"); then fail "$name: probe cannot tell '$wrong' from '$text' ($s)"; fi
}

# start_display ID [args] — a running board that saves a frame on SIGUSR1.
start_display() {
  local id=$1; shift
  "$DISPLAY_BIN" --config "$CONF" --id "$id" --screenshot-signal "$T/live.png" \
    --layout-out "$T/live.json" "$@" >"$T/display.log" 2>&1 &
  DISPLAY_PID=$!
  BG_PIDS+=("$DISPLAY_PID")
  wait_log "display $id: " # its signal handlers are in place once it logs this
}

# live_shot NAME — asks the running board for a frame; $T/NAME.png/.json.
live_shot() {
  local name=$1 i
  rm -f "$T/live.png" "$T/live.json"
  kill -USR1 "$DISPLAY_PID"
  for i in $(seq 100); do
    [ -f "$T/live.png" ] && break
    sleep 0.05
  done
  [ -f "$T/live.png" ] || fail "the board saved no frame on SIGUSR1"
  mv "$T/live.png" "$T/$name.png"
  mv "$T/live.json" "$T/$name.json"
}

# expect_live NAME TAG TEXT WRONG [TIMEOUT_S] — frames from the running board until
# TEXT is drawn at TAG (a message reaches the board a moment after the log line
# that announced it, and later on a loaded machine), then expect_text on it.
expect_live() {
  local name=$1 tag=$2 text=$3 wrong=$4 timeout=${5:-15} end
  end=$(( $(date +%s) + timeout ))
  while :; do
    live_shot "$name"
    probe_text "$name" "$tag" "$text" >/dev/null && break
    [ "$(date +%s)" -lt "$end" ] || break
    sleep 0.2
  done
  cp "$T/$name.png" "$SHOTS/$name.png"
  expect_text "$name" "$tag" "$text" "$wrong"
}

# wait_mode NAME MODE [TIMEOUT_S] — frames until the board shows MODE.
wait_mode() {
  local name=$1 want=$2 timeout=${3:-10} end
  end=$(( $(date +%s) + timeout ))
  while :; do
    kill -0 "$DISPLAY_PID" 2>/dev/null || { cat "$T/display.log" >&2; fail "jiaohao-display died"; }
    live_shot "$name"
    [ "$(mode "$name")" = "$want" ] && { cp "$T/$name.png" "$SHOTS/$name.png"; return 0; }
    [ "$(date +%s)" -lt "$end" ] || fail "board never showed $want (still $(mode "$name"))"
    sleep 0.2
  done
}

# wait_log TEXT [TIMEOUT_S] — a line of the running board's log.
wait_log() {
  local text=$1 timeout=${2:-10} i
  for i in $(seq $((timeout * 20))); do
    grep -qF -- "$text" "$T/display.log" && return 0
    sleep 0.05
  done
  cat "$T/display.log" >&2
  fail "board never logged '$text'"
}

stop_display() {
  kill -TERM "$DISPLAY_PID"
  wait "$DISPLAY_PID" || fail "jiaohao-display exited non-zero after SIGTERM"
  DISPLAY_PID=""
}
