# SPDX-License-Identifier: MIT
# free-port.sh — a loopback port for a throw-away broker (sourced, not run).
#
# Owns the one rule the tests, the benches and the demo share for picking a
# port: draw from 20000 up to the start of the kernel's ephemeral range
# (/proc/sys/net/ipv4/ip_local_port_range), so that no outgoing connection the
# kernel numbers itself can already hold the port a broker is about to bind —
# a test once lost its broker's restart that way — and skip ports something
# already listens on.

# ephemeral_start — the first port the kernel hands out on its own (32768 if unknown).
ephemeral_start() {
  local lo
  lo=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  [ "${lo:-0}" -gt 22000 ] 2>/dev/null || lo=32768
  echo "$lo"
}

# port_in_use PORT — true when something on 127.0.0.1 accepts connections on PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port — a port in 20000..ephemeral_start-1 nothing listens on (at that moment).
free_port() {
  local lo p i
  lo=$(ephemeral_start)
  for i in $(seq 100); do
    p=$((20000 + RANDOM % (lo - 20000)))
    port_in_use "$p" || break
  done
  echo "$p"
}
