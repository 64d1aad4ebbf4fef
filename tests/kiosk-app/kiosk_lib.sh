# SPDX-License-Identifier: MIT
# kiosk_lib.sh — what the kiosk tests share (sourced after tests/integration/lib.sh).
#
# Owns: the kiosk's test hall (lib.sh's broker and caller, with six services,
# one of them closed for the next hours, the green-channel labels, the printer
# and screen sections), the printer emulator on a real pty with its control
# FIFO, running jiaohao-kiosk with a script, and reading what the screenshots
# and the emulator's decoded tickets say. Screenshots are kept in $KIOSK_SHOTS.

KIOSK_BIN="$JH_BIN_DIR/jiaohao-kiosk"
EMU_BIN="$JH_BIN_DIR/jiaohao-printer-emu"
PROBE=${JH_PROBE:-$JH_BIN_DIR/../tests/png_probe}
KIOSK_SHOTS=${JH_KIOSK_SHOTS:-$JH_BIN_DIR/../kiosk-shots}
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-dummy}
for b in "$KIOSK_BIN" "$EMU_BIN" "$PROBE"; do [ -x "$b" ] || fail "no $b (build first)"; done
mkdir -p "$KIOSK_SHOTS"
EMU_PID=""

# Service C opens two hours from now (hall time) every day, so the home screen
# always has one greyed button with a known opening time; the others are open
# around the clock so the tests never depend on the time of day.
closed_hours() {
  local h
  h=$(TZ=Asia/Shanghai date +%-H)
  if [ "$h" -lt 21 ]; then printf 'mon-sun %02d:00-%02d:00' $((h + 2)) $((h + 3)); else echo 'mon-sun 01:00-02:00'; fi
}
# When the kiosk should say C opens: "HH:00" today, or "明天 01:00".
closed_opens_zh() {
  local h
  h=$(TZ=Asia/Shanghai date +%-H)
  if [ "$h" -lt 21 ]; then printf '%02d:00' $((h + 2)); else echo '明天 01:00'; fi
}

write_config() { # replaces lib.sh's: the kiosk needs more of a hall
  cat > "$CONF" <<EOF
[hall]
site = $SITE
name_zh = 天河区政务服务中心
name_en = Tianhe District Government Service Center
timezone = Asia/Shanghai
hotline = 12345
rating_url = https://zwfw.example.gov.cn/rate?site=$SITE&ticket=
data_dir = $T/data

[broker]
host = 127.0.0.1
port = $PORT
credentials_dir = $CRED

[dispatch]
policy = strict
recall_limit = 2
requeue = back

[priority]
elderly_zh = 高龄老人
elderly_en = Senior citizen
disabled_zh = 残疾人
disabled_en = Person with disability
pregnant_zh = 孕妇
pregnant_en = Pregnant woman
other_zh = 其他行动不便人员
other_en = Other limited mobility

[service A]
name_zh = 社保业务
name_en = Social Insurance
numbers = 1-999
hours = mon-sun 00:00-24:00
target_minutes = 15
time_limit_zh = 即办件，当场办结
time_limit_en = Done on the spot
material_zh = 居民身份证原件
material_en = Resident ID card (original)
material_zh = 社会保障卡
material_en = Social security card
material_zh = 委托办理的，另带授权委托书及代办人身份证
material_en = If on someone's behalf: power of attorney and your own ID card

[service B]
name_zh = 医保业务
name_en = Medical Insurance
numbers = 1-999
hours = mon-sun 00:00-24:00
target_minutes = 10
material_zh = 医保电子凭证或社会保障卡
material_en = Medical insurance e-voucher or social security card

[service C]
name_zh = 住房公积金
name_en = Housing Provident Fund
numbers = 1-999
hours = $(closed_hours)
target_minutes = 20

[service D]
name_zh = 不动产登记
name_en = Real Estate Registration
numbers = 1-500
hours = mon-sun 00:00-24:00
target_minutes = 30

[service E]
name_zh = 税务
name_en = Taxation
numbers = 1-999
hours = mon-sun 00:00-24:00
target_minutes = 20

[service G]
name_zh = 综合咨询
name_en = General Enquiries
numbers = 1-999
hours = mon-sun 00:00-24:00
target_minutes = 5

[counter c01]
number = 1
name_zh = 1号窗口
name_en = Window 1
services = A, B, C, D, E, G

[counter c02]
number = 2
name_zh = 2号窗口
name_en = Window 2
services = A

[kiosk k1]

[kiosk-screen]
size = ${KIOSK_SIZE:-1080x1920}
confirm_seconds = 8
error_seconds = 8
reply_timeout_ms = ${KIOSK_REPLY_TIMEOUT_MS:-5000}
printer_poll_seconds = ${KIOSK_POLL_S:-1}
${KIOSK_STATE_DIR:+state_dir = $KIOSK_STATE_DIR}

[printer]
device = $T/printer
baud = 115200
status_timeout_ms = 2000
job_timeout_ms = 15000
EOF
  write_staff # lib.sh's roster; the counters here log in PIN-less
}

# start_emu [ARGS...] — the printer emulator on a pty linked at $T/printer, control
# FIFO $T/emu.ctl, decoded tickets in $T/tickets/.
start_emu() {
  mkdir -p "$T/tickets"
  "$EMU_BIN" --link "$T/printer" --control "$T/emu.ctl" --out "$T/tickets" --quiet "$@" \
    >"$T/emu.out" 2>"$T/emu.err" &
  EMU_PID=$!
  BG_PIDS+=("$EMU_PID")
  local i
  for i in $(seq 100); do [ -L "$T/printer" ] && [ -p "$T/emu.ctl" ] && return 0; sleep 0.05; done
  fail "printer emulator did not start"
}
emu() { echo "$*" > "$T/emu.ctl"; }

# run_kiosk NAME SCRIPT-TEXT [ARGS...] — runs the kiosk until its script ends,
# every new screen saved to $T/NAME/; returns the kiosk's exit status.
run_kiosk() {
  local name=$1 script=$2 rc=0
  shift 2
  mkdir -p "$T/$name"
  printf '%s\n' "$script" > "$T/$name.script"
  timeout 120 "$KIOSK_BIN" --config "$CONF" --screenshot-each "$T/$name" --script "$T/$name.script" "$@" \
    >>"$T/$name.log" 2>&1 || rc=$?
  [ $rc -eq 0 ] || { echo "== kiosk log ($name)" >&2; tail -n 25 "$T/$name.log" >&2; }
  return $rc
}

# shot_of NAME SCREEN — the first saved screenshot of SCREEN in run NAME (path without .png).
shot_of() {
  local f
  f=$(ls "$T/$1"/*-"$2".png 2>/dev/null | head -n 1 || true)
  [ -n "$f" ] || fail "run $1 saved no '$2' screen (saved: $(ls "$T/$1" | tr '\n' ' '))"
  echo "${f%.png}"
}

# item BASE TAG — the layout record of the tagged text in BASE.json.
item() { jq -c --arg t "$2" '.items[] | select(.tag == $t)' "$1.json" | head -n 1; }
# rect BASE TAG — its "x y w h".
rect() { item "$1" "$2" | jq -r '"\(.x) \(.y) \(.w) \(.h)"'; }

# ink BASE X Y W H — fraction of pixels unlike the region's background.
ink() { "$PROBE" ink "$1.png" "$2" "$3" "$4" "$5"; }
color() { "$PROBE" color "$1.png" "$2" "$3"; }

# text_is BASE TAG TEXT — the tagged text's pixels spell TEXT (png_probe's glyph overlap).
text_is() {
  local base=$1 tag=$2 want=$3 it x y w h px bold
  it=$(item "$base" "$tag")
  [ -n "$it" ] || fail "$base: no '$tag' drawn"
  read -r x y w h px bold < <(jq -r '"\(.x) \(.y) \(.w) \(.h) \(.px) \(if .bold then 1 else 0 end)"' <<<"$it")
  "$PROBE" text "$base.png" "$x" "$y" "$w" "$h" "$px" "$bold" 0 "$want" 0.8 >/dev/null ||
    fail "$base: '$tag' does not read '$want' (overlap $("$PROBE" text "$base.png" "$x" "$y" "$w" "$h" "$px" "$bold" 0 "$want" 2>&1))"
}

keep_shot() { cp "$1.png" "$KIOSK_SHOTS/$2.png"; }

# start_kiosk NAME SCRIPT-TEXT [ARGS...] — the same in the background ($KIOSK_PID),
# under $KIOSK_RUN: "timeout 120" unless a test sets it empty to kill -9 the kiosk itself.
KIOSK_RUN=${KIOSK_RUN-timeout 120}
start_kiosk() {
  local name=$1 script=$2
  shift 2
  mkdir -p "$T/$name"
  printf '%s\n' "$script" > "$T/$name.script"
  $KIOSK_RUN "$KIOSK_BIN" --config "$CONF" --screenshot-each "$T/$name" --script "$T/$name.script" "$@" \
    >>"$T/$name.log" 2>&1 &
  KIOSK_PID=$!
  BG_PIDS+=("$KIOSK_PID")
}
# end_kiosk NAME — waits for the background kiosk; fails the test if it failed.
end_kiosk() {
  local rc=0
  wait "$KIOSK_PID" || rc=$?
  KIOSK_PID=""
  [ $rc -eq 0 ] || { tail -n 25 "$T/$1.log" >&2; fail "kiosk run $1 exited $rc"; }
}
# wait_screen NAME SCREEN [TIMEOUT_S] — until run NAME has saved a SCREEN screenshot.
wait_screen() {
  local i
  for i in $(seq $((${3:-15} * 20))); do
    ls "$T/$1"/*-"$2".png >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  tail -n 20 "$T/$1.log" >&2
  fail "run $1 never showed '$2'"
}

# The caller's own count of people waiting for a service.
waiting_of() { state display "state/service/$1" | jq -r .waiting; }

# tickets_printed — how many tickets the emulator has cut.
tickets_printed() { ls "$T/tickets"/ticket-*.json 2>/dev/null | wc -l; }
