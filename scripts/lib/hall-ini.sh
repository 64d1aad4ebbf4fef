# hall-ini.sh — what the shell scripts read from a hall config (sourced, not run).
#
# Owns: the one shell reading of the hall INI, for scripts that need the site and
# the device list (scripts/broker-config, scripts/central-bridge, scripts/first-boot). jiaohao-caller
# validates the whole file; this reads only [hall] site, the [counter <id>],
# [kiosk <id>], [bridge <id>] headers and single keys a script asks for
# (scripts/first-boot: [broker] cafile), by hall_config.c's rules: optional BOM,
# LF or CRLF, [name] or [name arg] headers, key = value taken literally, '#'/';'
# comments only as the first non-blank character.

# hall_ini_devices FILE — prints "site <s>", "counter <id>", "kiosk <id>",
# "bridge <id>", and "error <line> <reason>" for a header it cannot read.
hall_ini_devices() {
  awk '
    NR == 1 && substr($0, 1, 3) == "\357\273\277" { $0 = substr($0, 4) }
    { sub(/\r$/, "") }
    /^[ \t]*[;#]/ || /^[ \t]*$/ { next }
    /^[ \t]*\[/ {
      line = $0; sub(/^[ \t]*\[/, "", line)
      if (line !~ /\][ \t]*$/) { printf "error %d malformed section header\n", NR; next }
      sub(/\][ \t]*$/, "", line); n = split(line, w, /[ \t]+/)
      section = w[1]
      if (section == "counter" || section == "kiosk" || section == "bridge") {
        if (n != 2) { printf "error %d [%s] needs exactly one id\n", NR, line; next }
        print section, w[2]
      }
      next
    }
    section == "hall" && /^[ \t]*site[ \t]*=/ {
      v = $0; sub(/^[^=]*=[ \t]*/, "", v); sub(/[ \t]+$/, "", v)
      print "site", v
    }
  ' "$1"
}

# hall_ini_site FILE — prints the site id; on a bad file prints "FILE:reason" on
# stderr and returns 1.
hall_ini_site() {
  local kind value site=""
  while read -r kind value; do
    case "$kind" in
      error) echo "$1:$value" >&2; return 1 ;;
      site) site=$value ;;
    esac
  done < <(hall_ini_devices "$1")
  [ -n "$site" ] || { echo "$1: [hall] site is missing" >&2; return 1; }
  [[ "$site" =~ ^[a-z0-9-]{1,31}$ ]] || { echo "$1: [hall] site '$site' must be 1-31 of a-z 0-9 -" >&2; return 1; }
  echo "$site"
}

# hall_ini_get FILE SECTION KEY — prints the value of KEY in [SECTION] (the
# last one if repeated), nothing when absent; same reading rules as above.
hall_ini_get() {
  awk -v want="$2" -v key="$3" '
    NR == 1 && substr($0, 1, 3) == "\357\273\277" { $0 = substr($0, 4) }
    { sub(/\r$/, "") }
    /^[ \t]*[;#]/ || /^[ \t]*$/ { next }
    /^[ \t]*\[/ {
      line = $0; sub(/^[ \t]*\[/, "", line); sub(/\][ \t]*$/, "", line)
      section = line; next
    }
    section == want {
      k = $0; sub(/[ \t]*=.*/, "", k); sub(/^[ \t]+/, "", k)
      if (k == key && index($0, "=")) { v = $0; sub(/^[^=]*=[ \t]*/, "", v); sub(/[ \t]+$/, "", v); found = v }
    }
    END { if (found != "") print found }
  ' "$1"
}
