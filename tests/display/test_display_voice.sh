#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_display_voice — announcements written with --voice-out, checked as audio:
# the exact clip order (rebuilt here with sox from the clips named by hand), the
# duration, that it is not silence, that a duplicate event is not said twice,
# that a recall is said again, and that quiet hours keep the board silent.
set -euo pipefail
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/display_lib.sh"
source "$(dirname "$0")/hall_fixture.sh"
VOICE="$JH_SOURCE_DIR/assets/voice"

start_broker
add_displays
fixture_hall 4
start_display main --voice-out "$T/voice.wav"
wait_log "board live"

pub caller event/called '{"seq":42,"ticket":"A012","counter":"c03","counter_number":3}'
pub caller event/called '{"seq":42,"ticket":"A012","counter":"c03","counter_number":3}'
pub caller event/recalled '{"seq":43,"ticket":"B7","counter":"c12","counter_number":12}'
wait_log "announce B7 to counter 12 (recall)"
sleep 0.3
stop_display
[ "$(grep -c "announce A012" "$T/display.log")" -eq 1 ] || fail "duplicate event announced twice"

note "expected audio: chime, then twice (Chinese, gap, English), per call"
sox -q -D -n -r 16000 -c 1 -b 16 "$T/gap.wav" trim 0 0.4 # -D: true silence, no dither
zh() { local w; for w in "$@"; do echo "$VOICE/zh/$w.wav"; done; }
en() { local w; for w in "$@"; do echo "$VOICE/en/$w.wav"; done; }
call() { # the clip files of one announcement, said twice: $ZH words then $EN words
  echo "$VOICE/chime.wav"
  local r
  for r in 1 2; do
    [ "$r" = 2 ] && echo "$T/gap.wav"
    echo "$VOICE/zh/qing.wav"; printf '%s\n' "${ZH[@]}"
    echo "$T/gap.wav"
    echo "$VOICE/en/number.wav"; printf '%s\n' "${EN[@]}"
  done
}
mapfile -t ZH < <(zh A d0 d1 d2 hao dao d3 hao chuangkou banli)
mapfile -t EN < <(en A n0 n1 n2 please_go_to_counter n3)
mapfile -t first < <(call)
mapfile -t ZH < <(zh B d7 hao dao shi d2 hao chuangkou banli)
mapfile -t EN < <(en B n7 please_go_to_counter n12)
mapfile -t second < <(call)
sox -q -D "${first[@]}" "${second[@]}" "$T/expected.wav"

got=$(soxi -D "$T/voice.wav"); want=$(soxi -D "$T/expected.wav")
note "announcements: ${got}s (expected ${want}s)"
[ "$got" = "$want" ] || fail "duration $got s, expected $want s"
awk -v d="$got" 'BEGIN { exit !(d > 10 && d < 60) }' || fail "implausible duration $got s"
rms=$(sox "$T/voice.wav" -n stat 2>&1 | awk '/RMS     amplitude/ {print $3}')
awk -v r="$rms" 'BEGIN { exit !(r > 0.02) }' || fail "announcement is (nearly) silent: RMS $rms"
sox "$T/voice.wav" -t raw "$T/got.raw"; sox "$T/expected.wav" -t raw "$T/want.raw"
cmp -s "$T/got.raw" "$T/want.raw" || fail "clips are not in the expected order (first difference: $(cmp "$T/got.raw" "$T/want.raw" | head -1))"
cp "$T/voice.wav" "$SHOTS/announcements.wav"

note "quiet hours: the board shows the call but says nothing"
start_display quiet --voice-out "$T/quiet.wav"
wait_log "board live"
pub caller event/called '{"seq":44,"ticket":"A013","counter":"c01","counter_number":1}'
wait_log "quiet hours: A013 not announced"
expect_live quiet-call hero.ticket A013 A012
stop_display
[ "$(soxi -s "$T/quiet.wav")" -eq 0 ] || fail "sound during quiet hours"
note "ok"
