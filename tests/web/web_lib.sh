# SPDX-License-Identifier: MIT
# web_lib.sh — helpers for jiaohao-web's integration tests (sourced after
# tests/integration/lib.sh, whose throw-away hall, broker and caller they use).
#
# Owns: a small pages folder of the test's own (so these tests do not depend
# on web/pages/ and can check MIME types file by file), starting and stopping
# jiaohao-web on a free loopback port, curl wrappers that keep the headers,
# the WebSocket client (tests/web/ws_client.py, stdlib only), and a monitor
# that records every command reaching the broker's command topics, so a test
# can show that a refused command was never sent on.

WEB_BIN="$JH_BIN_DIR/jiaohao-web"
WS_CLIENT="$JH_SOURCE_DIR/tests/web/ws_client.py"
PAGES="$T/pages"
WEB_PID=""
WPORT=""
WEB_URL=""
[ -x "$WEB_BIN" ] || fail "no $WEB_BIN (build first)"
command -v curl >/dev/null || fail "curl not installed"
command -v python3 >/dev/null || fail "python3 not installed"

# The web server goes too when the test ends (lib.sh's trap kills BG_PIDS).
web_cleanup_log() { [ -z "$WEB_PID" ] || { echo "== web log (last 30 lines)" >&2; tail -n 30 "$T/web.log" >&2; }; }

make_pages() {
  mkdir -p "$PAGES"
  echo '<!doctype html><title>登录 Sign in</title><script type="module" src="/app.js"></script>' > "$PAGES/index.html"
  for p in counter guide supervisor admin t; do echo "<!doctype html><title>$p</title>" > "$PAGES/$p.html"; done
  echo 'export const hall = "test";' > "$PAGES/app.js"
  echo 'body { font-size: 20px; }' > "$PAGES/style.css"
  printf '\x89PNG\r\n\x1a\n' > "$PAGES/logo.png"
  echo 'not for browsers' > "$PAGES/notes.bin"
}

# add_web_section [KEY=VALUE]... — appends [web] to the hall config (listen on $WPORT, pages).
add_web_section() {
  WPORT=$(random_port)
  { echo; echo "[web]"; echo "listen = 127.0.0.1:$WPORT"; echo "pages = $PAGES"
    local kv; for kv in "$@"; do echo "${kv%%=*} = ${kv#*=}"; done; } >> "$CONF"
  WEB_URL="http://127.0.0.1:$WPORT"
}

# start_web [ARGS...] — jiaohao-web with this hall's config; returns once it answers HTTP.
start_web() {
  "$WEB_BIN" --config "$CONF" "$@" >>"$T/web.log" 2>&1 &
  WEB_PID=$!
  BG_PIDS+=("$WEB_PID")
  local i
  for i in $(seq 100); do
    kill -0 "$WEB_PID" 2>/dev/null || fail "jiaohao-web exited: $(tail -n 3 "$T/web.log")"
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$WEB_URL/api/me" 2>/dev/null)" = 401 ] && return 0
    sleep 0.1
  done
  fail "jiaohao-web never answered on $WEB_URL"
}

stop_web() { # SIGTERM; returns its exit status
  local rc=0
  kill -TERM "$WEB_PID"
  wait "$WEB_PID" || rc=$?
  WEB_PID=""
  return $rc
}

# http NAME METHOD PATH [curl args...] — the response's headers in $T/NAME.h, body in
# $T/NAME.b; prints the status code.
http() {
  local name=$1 method=$2 path=$3
  shift 3
  curl -s -m 15 -X "$method" -D "$T/$name.h" -o "$T/$name.b" -w '%{http_code}' "$@" "$WEB_URL$path"
}
# header NAME FIELD — one response header's value (case-insensitive name), without CR.
header() { grep -i "^$2:" "$T/$1.h" | head -n 1 | cut -d: -f2- | sed 's/^ *//; s/\r$//'; }
body() { cat "$T/$1.b"; }

# post_json NAME PATH JSON [curl args...] — a browser-like POST: same Origin, JSON type.
post_json() {
  local name=$1 path=$2 json=$3
  shift 3
  http "$name" POST "$path" -H "Origin: $WEB_URL" -H 'Content-Type: application/json' --data-raw "$json" "$@"
}

# login NAME STAFF SECRET [COUNTER [curl args...]] — POST /api/login; prints the status code.
login() {
  local name=$1 staff=$2 secret=$3 c=""
  [ -z "${4:-}" ] || c=",\"counter\":\"$4\""
  shift 3
  [ $# -eq 0 ] || shift
  post_json "$name" /api/login "{\"staff_id\":\"$staff\",\"secret\":\"$secret\"$c}" "$@"
}

# cookie_of NAME — the jh_session value a response set.
cookie_of() { header "$1" set-cookie | sed -n 's/^jh_session=\([^;]*\).*/\1/p'; }

# ws NAME PATH [ws_client args...] — runs the WebSocket client (with this server's Origin
# unless --origin is given) to the end; its lines in $T/NAME.ws.
ws() {
  local name=$1 path=$2
  shift 2
  local origin=(--origin "$WEB_URL")
  case " $* " in *" --origin "*|*" --no-origin "*) origin=() ;; esac
  local args=() a
  for a in "$@"; do [ "$a" = --no-origin ] || args+=("$a"); done
  python3 "$WS_CLIENT" "ws://127.0.0.1:$WPORT$path" "${origin[@]}" "${args[@]}" > "$T/$name.ws" 2>"$T/$name.ws.err" ||
    fail "ws client $name: $(cat "$T/$name.ws.err")"
}
ws_status() { head -n 1 "$T/$1.ws" | cut -d' ' -f2; }
# ws_msgs NAME JQ-FILTER — the messages of a ws run that match, one JSON per line.
ws_msgs() { sed -n 's/^msg //p' "$T/$1.ws" | jq -c "select($2)"; }
ws_has() { [ -n "$(ws_msgs "$1" "$2")" ] || fail "${3:-$1}: no message with $2 in: $(cat "$T/$1.ws")"; }

# monitor_commands USER — every command the broker lets USER read (the caller's
# command topics), "topic payload" per line in $T/commands.log.
monitor_commands() {
  local user=$1
  : > "$T/commands.log"
  mosquitto_sub -h 127.0.0.1 -p "$PORT" -u "$user" -P "$(pw "$user")" -I "$user:" -q 1 \
    -t "$P/counter/+/cmd" -t "$P/admin/cmd" -F '%t %p' >> "$T/commands.log" 2>>"$T/commands.err" &
  BG_PIDS+=($!)
  sleep 0.3
}
# commands_like JQ-FILTER — how many recorded commands match.
commands_like() { cut -d' ' -f2- "$T/commands.log" | jq -c "select($1)" 2>/dev/null | wc -l; }

# expect_header NAME FIELD VALUE
expect_header() {
  local got
  got=$(header "$1" "$2")
  [ "$got" = "$3" ] || fail "$1: header $2 is '$got', want '$3'"
}

# The security headers every answer carries (CONSOLE.md).
expect_security_headers() {
  expect_header "$1" content-security-policy "default-src 'self'; connect-src 'self'"
  expect_header "$1" x-content-type-options nosniff
  expect_header "$1" referrer-policy no-referrer
}
