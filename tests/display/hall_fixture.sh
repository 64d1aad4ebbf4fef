# SPDX-License-Identifier: MIT
# hall_fixture.sh — a realistic hall's retained state, as the caller daemon publishes it
# (sourced by the display tests and usable by hand). Needs a function `pubr SUFFIX JSON`
# that publishes one retained QoS 1 message to jh/v1/<site>/SUFFIX.
#
#   fixture_hall N        N counters (1..99): a mix of serving, idle, paused, closed,
#                         eight services, state/hall with the last calls, caller online.
# Counter c03 is always paused with the message "去3楼档案室取材料，10分钟后回来",
# counter c02 always serves A012 (the newest call), so tests know what to look for.

FIX_STAFF=(王小明 李静 张伟 刘洋 陈晨 杨帆 赵磊 黄丽 周婷 吴刚 徐敏 孙浩 马超 朱琳 胡军 郭蕾 何平 高翔 林芳 罗斌)
FIX_SVC=(A B C D E F G QY)
FIX_SVC_ZH=(社保业务 医保业务 住房公积金 不动产登记 税务 出入境 综合咨询 企业开办)
FIX_SVC_EN=("Social Insurance" "Medical Insurance" "Housing Provident Fund" "Real Estate Registration" "Taxation" "Exit-Entry Administration" "General Enquiries" "Business Start-up")

fixture_counter() { # id number status ticket service staff_idx message
  local id=$1 n=$2 st=$3 t=$4 svc=$5 si=$6 msg=$7 staff sid
  staff=${FIX_STAFF[$((si % ${#FIX_STAFF[@]}))]}
  sid=$((1000 + n * 7))
  pubr "state/counter/$id" "$(jq -cn --arg id "$id" --argjson n "$n" --arg st "$st" --arg t "$t" \
    --arg svc "$svc" --arg staff "$staff" --arg sid "$sid" --arg msg "$msg" \
    '{counter:$id, number:$n, name:"\($n)号窗口", name_en:"Window \($n)", status:$st,
      ticket:(if $t == "" then null else $t end), service:$svc, priority:"none",
      staff_id:$sid, staff_name:$staff, message:$msg, since:"2026-11-23T09:12:00+08:00",
      call_count:1, serving_s:120, overrun:false}')"
}

fixture_hall() {
  local n=${1:-14} i id st t svc msg
  pubr status/caller '{"online":true,"version":"test"}'
  for i in $(seq 1 "$n"); do
    id=$(printf 'c%02d' "$i"); svc=${FIX_SVC[$((i % 8))]}; msg=""; t=""
    case $((i % 7)) in
      0) st=idle ;;
      5) st=closed ;;
      *) st=serving; t=$(printf '%s%03d' "$svc" $((i * 3 + 1))) ;;
    esac
    [ "$i" -eq 2 ] && { st=serving; t=A012; svc=A; }
    [ "$i" -eq 3 ] && { st=paused; t=""; msg="去3楼档案室取材料，10分钟后回来"; }
    [ "$i" -eq 9 ] && [ "$n" -ge 9 ] && { st=paused; t=""; msg="午间交接，请稍候"; }
    fixture_counter "$id" "$i" "$st" "$t" "$svc" "$i" "$msg"
  done
  for i in $(seq 0 7); do
    pubr "state/service/${FIX_SVC[$i]}" "$(jq -cn --arg c "${FIX_SVC[$i]}" --arg zh "${FIX_SVC_ZH[$i]}" \
      --arg en "${FIX_SVC_EN[$i]}" --argjson w $(( (i * 7 + 3) % 23 )) --argjson e $(( (i * 7 + 3) % 23 * 240 )) \
      --argjson open $([ "$i" -eq 5 ] && echo false || echo true) \
      '{service:$c, name:$zh, name_en:$en, open:$open, next_open:null, waiting:$w,
        waiting_priority:($w % 3), ewt_s:$e, next_ticket:"\($c)050", last_called:"\($c)012"}')"
  done
  pubr state/hall "$(jq -cn '{site:"x", name:"天河区政务服务中心", name_en:"Tianhe District Government Service Center",
    open:true, notice:"温馨提示：请携带本人有效身份证件原件办理业务；过号请到导办台重新取号。Please bring your original ID card. If your number has passed, please take a new ticket at the guide desk.",
    day:20261123, seq:41,
    last_called:[{ticket:"A012",counter:"c02",counter_number:2,at:"2026-11-23T10:01:00+08:00"},
                 {ticket:"B027",counter:"c04",counter_number:4,at:"2026-11-23T10:00:10+08:00"},
                 {ticket:"C008",counter:"c05",counter_number:5,at:"2026-11-23T09:59:00+08:00"},
                 {ticket:"A011",counter:"c14",counter_number:14,at:"2026-11-23T09:58:00+08:00"},
                 {ticket:"QY003",counter:"c13",counter_number:13,at:"2026-11-23T09:57:00+08:00"},
                 {ticket:"E019",counter:"c09",counter_number:9,at:"2026-11-23T09:56:00+08:00"},
                 {ticket:"D004",counter:"c07",counter_number:7,at:"2026-11-23T09:55:00+08:00"},
                 {ticket:"G031",counter:"c01",counter_number:1,at:"2026-11-23T09:54:00+08:00"},
                 {ticket:"F002",counter:"c11",counter_number:11,at:"2026-11-23T09:53:00+08:00"}]}' | sed 's/"site":"x"/"site":"'"${SITE:-x}"'"/')"
}
