#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# standin_caller — A TEST STAND-IN for the caller's admin ops the console needs
# before the engine has them (staff-auth, ticket-status, rate by token: branch
# wt-roster). Used only by tests/web/test_web_login.sh, which takes the
# caller's read of admin/cmd away in the broker's ACL so that this answers
# admin/cmd alone, while every counter command still goes to the real
# jiaohao-caller. Never part of the box; once the engine answers these ops
# the end-to-end test can run against the caller alone.
#
#   standin_caller.sh HOST PORT USER PASSWORD TOPIC_PREFIX LOG
#
# Staff it knows (staff_id secret name roles counters):
#   1001 1234        王芳         staff       c01,c02
#   2001 5678        李强         supervisor  -
#   3001 2468        <b>赵</b>&   guide       -   (HTML in a name: shown as text)
#   9001 admin-pass  管理员       admin       -
# Ticket tokens: AbCdEfGhIjKlMnOpQrSt-_ is ticket A001 of service A; rated once.
set -euo pipefail
host=$1 port=$2 user=$3 pass=$4 P=$5 log=$6
# Each answer is worked out in a subshell: what it must remember lives in a file.
rated_file="$log.rated"
rm -f "$rated_file"
rated() { [ -e "$rated_file" ]; }

staff_row() {
  case "$1" in
    1001) echo '1234|王芳|["staff"]|["c01","c02"]' ;;
    2001) echo '5678|李强|["supervisor"]|[]' ;;
    3001) echo '2468|<b>赵</b>&|["guide"]|[]' ;;
    9001) echo 'admin-pass|管理员|["admin"]|[]' ;;
    *) echo '' ;;
  esac
}

answer() { # LINE → the reply JSON
  local line=$1 op id
  op=$(jq -r '.op // ""' <<<"$line")
  id=$(jq -c '.id' <<<"$line")
  case "$op" in
    staff-auth)
      local sid sec row
      sid=$(jq -r '.staff_id // ""' <<<"$line")
      sec=$(jq -r '.secret // ""' <<<"$line")
      row=$(staff_row "$sid")
      if [ -z "$row" ]; then
        echo "{\"id\":$id,\"ok\":false,\"error\":\"unknown-staff\",\"message\":\"no staff member $sid\"}"
      elif [ "${row%%|*}" != "$sec" ]; then
        echo "{\"id\":$id,\"ok\":false,\"error\":\"bad-secret\",\"message\":\"wrong PIN or password\"}"
      else
        IFS='|' read -r _ name roles counters <<<"$row"
        jq -cn --argjson id "$id" --arg sid "$sid" --arg name "$name" --argjson roles "$roles" \
          --argjson counters "$counters" \
          '{id:$id, ok:true, staff_id:$sid, name:$name, department:"", photo:null, roles:$roles, counters:$counters, services:[]}'
      fi ;;
    ticket-status)
      if [ "$(jq -r .token <<<"$line")" = AbCdEfGhIjKlMnOpQrSt-_ ]; then
        jq -cn --argjson id "$id" --argjson rated "$(rated && echo true || echo false)" \
          '{id:$id, ok:true, ticket:"A001", service:"A", service_name:"社保业务", service_name_en:"Social Insurance",
            status:"waiting", ahead:0, ewt_s:0, rated:$rated, can_rate:($rated|not)}'
      else
        echo "{\"id\":$id,\"ok\":false,\"error\":\"unknown-token\",\"message\":\"no such ticket\"}"
      fi ;;
    rate)
      if [ "$(jq -r .token <<<"$line")" != AbCdEfGhIjKlMnOpQrSt-_ ]; then
        echo "{\"id\":$id,\"ok\":false,\"error\":\"unknown-token\",\"message\":\"no such ticket\"}"
      elif rated; then
        echo "{\"id\":$id,\"ok\":false,\"error\":\"already-rated\",\"message\":\"this ticket has a rating\"}"
      else
        touch "$rated_file"
        echo "{\"id\":$id,\"ok\":true,\"ticket\":\"A001\",\"score\":$(jq .score <<<"$line")}"
      fi ;;
    *)
      echo "{\"id\":$id,\"ok\":false,\"error\":\"unknown-op\",\"message\":\"the stand-in knows only staff-auth, ticket-status, rate\"}" ;;
  esac
}

# The subscriber goes when this script does (a test's cleanup kills only this script).
exec 3< <(exec mosquitto_sub -h "$host" -p "$port" -u "$user" -P "$pass" -I "$user:" -q 1 -t "$P/admin/cmd")
sub=$!
trap 'kill "$sub" 2>/dev/null' EXIT
trap 'exit 0' TERM INT
while IFS= read -r line <&3; do
  echo "$line" >> "$log"
  reply=$(answer "$line")
  to=$(jq -r '.reply_to // "admin"' <<<"$line")
  mosquitto_pub -h "$host" -p "$port" -u "$user" -P "$pass" -I "$user:" -q 1 -t "$P/reply/$to" -m "$reply"
done
