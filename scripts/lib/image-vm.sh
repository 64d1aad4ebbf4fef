# SPDX-License-Identifier: MIT
# image-vm.sh — the box under qemu, for scripts/image-boot-test (sourced, not run).
#
# Owns: starting the image in qemu-system-x86_64 (software emulation, BIOS, the
# image's own GRUB; its serial console logged to a file; its hall-network TLS
# listener 8883 and its SSH forwarded to random loopback ports), its power button and its
# power cut, reading files off the powered-off disk with debugfs (no mount), and
# the MQTT client that talks to the box's broker over TLS. Expects
# tests/integration/lib.sh sourced first (T, BG_PIDS, fail, note, random_port,
# port_free, wait_line) and DISK, P and logs set.

IMAGE_PART_OFFSET=1048576   # the root partition starts at 1 MiB (scripts/lib/image-disk.sh)
VM_PID="" VM_SERIAL="" VM_CLOCK0="" VM_HOST0="" VM_RTC0=0 SSH_PORT=""
VM_LISTENERS=()

# --- the disk, powered off ---
image_disk_cat() { debugfs -R "cat $1" "$DISK?offset=$IMAGE_PART_OFFSET" 2>/dev/null; }
image_disk_exists() {
  debugfs -R "stat $1" "$DISK?offset=$IMAGE_PART_OFFSET" 2>/dev/null | grep '^Inode:' >/dev/null
}
image_disk_dump() { # PATH DEST
  debugfs -R "dump $1 $2" "$DISK?offset=$IMAGE_PART_OFFSET" >/dev/null 2>&1 && [ -f "$2" ]
}

# image_disk_fs_bytes — the size of the root file system (block count × block size).
image_disk_fs_bytes() {
  dumpe2fs -h "$DISK?offset=$IMAGE_PART_OFFSET" 2>/dev/null |
    awk -F: '/^Block count:/ { n = $2 } /^Block size:/ { b = $2 } END { if (n && b) printf "%.0f\n", n * b }'
}

# image_disk_partitions — the MBR as one line of JSON: the disk id and, per
# partition, start, size (sectors) and the boot flag.
image_disk_partitions() {
  sfdisk --json "$DISK" | jq -c '.partitiontable |
    {id, parts: [.partitions[] | {start, size, bootable: (.bootable // false)}]}'
}

# image_disk_add_key PUBFILE — root's authorized_keys on the powered-off disk, as
# docs/image.md "Getting in" has the IT person put it there after flashing.
image_disk_add_key() {
  printf '%s\n' "mkdir /root/.ssh" "rm /root/.ssh/authorized_keys" \
    "write $1 /root/.ssh/authorized_keys" \
    "sif /root/.ssh mode 040700" "sif /root/.ssh uid 0" "sif /root/.ssh gid 0" \
    "sif /root/.ssh/authorized_keys mode 0100600" \
    "sif /root/.ssh/authorized_keys uid 0" "sif /root/.ssh/authorized_keys gid 0" > "$T/addkey.cmds"
  debugfs -w -f "$T/addkey.cmds" "$DISK?offset=$IMAGE_PART_OFFSET" >/dev/null 2>&1
  [ "$(image_disk_cat /root/.ssh/authorized_keys)" = "$(cat "$1")" ]
}

# image_ssh COMMAND... — runs it on the box as root with the test's key.
image_ssh() {
  ssh -q -i "$T/id_test" -p "$SSH_PORT" -o BatchMode=yes -o ConnectTimeout=30 \
    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null root@127.0.0.1 "$@"
}

# image_read_credentials USER... — the hall CA certificate and the users' passwords
# that the box made on its first boot, into $T/ca.crt and $CRED (lib.sh's pw()).
image_read_credentials() {
  CRED="$T/cred"
  mkdir -p "$CRED"
  image_disk_dump /etc/jiaohao/ca/ca.crt "$T/ca.crt" || fail "no /etc/jiaohao/ca/ca.crt on the disk after first boot"
  openssl x509 -in "$T/ca.crt" -noout 2>/dev/null || fail "the box's ca.crt is not a certificate"
  local u
  for u in "$@"; do
    image_disk_dump "/var/lib/jiaohao-broker/credentials/$u.pw" "$CRED/$u.pw" && [ -s "$CRED/$u.pw" ] ||
      fail "no password for $u on the disk after first boot"
  done
}

# image_read_store — the caller's SQLite store (and its WAL, if any) into $T/store.
image_read_store() {
  mkdir -p "$T/store"
  image_disk_dump /var/lib/jiaohao/data/jiaohao.db "$T/store/jiaohao.db" || fail "no store on the disk"
  image_disk_dump /var/lib/jiaohao/data/jiaohao.db-wal "$T/store/jiaohao.db-wal" || true
}

# --- the box's clock ---
# The last weekday 10:00 in the example hall (Asia/Shanghai, 02:00 UTC) that is not
# in the host's future: the services are open then, and the certificates the box
# makes on its first boot are already valid for the host's MQTT clients. Every
# boot continues that clock by the host time gone by.
image_vm_clock() {
  local now d
  now=$(date +%s)
  d=$(date -u -d "@$now" +%F)
  while [ "$(date -u -d "$d 02:00:00" +%s)" -gt "$now" ] ||
        [ "$(date -u -d "$d" +%u)" -gt 5 ]; do
    d=$(date -u -d "$d - 1 day" +%F)
  done
  VM_CLOCK0=$(date -u -d "$d 02:00:00" +%s)
  VM_HOST0=$now
}

# --- power ---
image_vm_boot() { # N
  VM_SERIAL="$logs/boot-$1.log"
  : > "$VM_SERIAL"
  [ -n "$VM_CLOCK0" ] || image_vm_clock
  VM_RTC0=$((VM_CLOCK0 + $(date +%s) - VM_HOST0))
  local rtc tries
  rtc=$(date -u -d "@$VM_RTC0" +%Y-%m-%dT%H:%M:%S)
  for tries in 1 2 3 4 5 6 7 8; do
    PORT=$(random_port)
    SSH_PORT=$(random_port)
    [ "$PORT" != "$SSH_PORT" ] && port_free "$PORT" && port_free "$SSH_PORT" || continue
    rm -f "$T/monitor.sock"
    qemu-system-x86_64 -machine pc,accel=tcg -m 1024 -smp 2 -display none \
      -serial "file:$VM_SERIAL" -monitor "unix:$T/monitor.sock,server,nowait" \
      -drive "file=$DISK,format=raw,if=virtio" \
      -netdev "user,id=lan,restrict=on,hostfwd=tcp:127.0.0.1:$PORT-:8883,hostfwd=tcp:127.0.0.1:$SSH_PORT-:22" \
      -device virtio-net-pci,netdev=lan \
      -rtc "base=$rtc" -no-reboot 2>>"$T/qemu.err" &
    VM_PID=$!
    BG_PIDS+=("$VM_PID")
    sleep 2
    if kill -0 "$VM_PID" 2>/dev/null; then
      note "boot $1: qemu pid $VM_PID, box clock $rtc UTC, broker TLS on 127.0.0.1:$PORT, ssh on $SSH_PORT"
      return 0
    fi
    wait "$VM_PID" 2>/dev/null || true
  done
  fail "qemu did not start: $(tail -n 3 "$T/qemu.err" | tr '\n' ' ')"
}

# image_vm_wait_serial TEXT TIMEOUT_S — TEXT appears on this boot's serial console
# (colour codes taken out); non-zero if it does not or the box stops.
image_vm_wait_serial() {
  local end=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$end" ]; do
    sed 's/\x1b\[[0-9;]*m//g' "$VM_SERIAL" | grep -F "$1" >/dev/null && return 0
    kill -0 "$VM_PID" 2>/dev/null || { echo "the box stopped" >&2; return 1; }
    sleep 2
  done
  return 1
}

image_vm_stopped() { # the box is off: its qemu and the clients of this boot
  local p
  wait "$VM_PID" 2>/dev/null || true
  for p in "${VM_LISTENERS[@]}"; do kill "$p" 2>/dev/null || true; done
  VM_LISTENERS=()
  VM_PID=""
}

# image_vm_powerdown TIMEOUT_S — the power button (ACPI): systemd-logind shuts the
# box down cleanly. Pressed again every 20 s: a press before logind runs is lost.
image_vm_powerdown() {
  local end=$(( $(date +%s) + $1 )) i=0
  while kill -0 "$VM_PID" 2>/dev/null; do
    [ "$(date +%s)" -lt "$end" ] || return 1
    if [ $((i++ % 20)) -eq 0 ]; then
      echo system_powerdown | socat - "UNIX-CONNECT:$T/monitor.sock" >/dev/null 2>&1 || true
    fi
    sleep 1
  done
  image_vm_stopped
}

# image_vm_wait_tls TIMEOUT_S — the box's broker completes a TLS handshake on its
# hall-network listener (before the test has its CA: the certificate is not checked).
image_vm_wait_tls() {
  local end=$(( $(date +%s) + $1 ))
  while [ "$(date +%s)" -lt "$end" ]; do
    kill -0 "$VM_PID" 2>/dev/null || return 1
    timeout 20 openssl s_client -connect "127.0.0.1:$PORT" </dev/null 2>/dev/null |
      grep -q '^subject=' && return 0
    sleep 3
  done
  return 1
}

image_vm_kill() { kill -KILL "$VM_PID"; image_vm_stopped; }

image_vm_cleanup() { # EXIT trap: keeps qemu's errors, then lib.sh's cleanup
  local rc=$?
  [ ! -s "$T/qemu.err" ] || cp "$T/qemu.err" "$logs/qemu.err" 2>/dev/null || true
  [ -z "$VM_PID" ] || kill -KILL "$VM_PID" 2>/dev/null || true
  (exit $rc)
  cleanup
}

# --- MQTT over TLS to the box's hall-network listener ---
# Client ids are <user>:<suffix>, as the broker requires of every client.
image_mqtt() { # CMD USER ARGS...
  local cmd=$1 user=$2
  shift 2
  "$cmd" -h 127.0.0.1 -p "$PORT" --cafile "$T/ca.crt" -u "$user" -P "$(pw "$user")" \
    -i "$user:boot-test-$RANDOM$RANDOM" "$@"
}

image_pub() { image_mqtt mosquitto_pub "$1" -q 1 -t "$P/$2" -m "$3"; }

# image_retained USER TOPIC — the retained payload of one topic (empty if none).
image_retained() {
  image_mqtt mosquitto_sub "$1" -t "$P/$2" --retained-only -C 1 -W 20 -F '%p' 2>/dev/null || true
}

# image_listen NAME USER FILTER — "topic payload" lines into $T/NAME.log (wait_line).
image_listen() {
  : > "$T/$1.log"
  image_mqtt mosquitto_sub "$2" -q 1 -t "$P/$3" -F '%t %p' >> "$T/$1.log" 2>>"$T/$1.err" &
  BG_PIDS+=($!)
  VM_LISTENERS+=($!)
}

# image_ask USER KIND PAYLOAD — sends a command on KIND/USER/cmd until the reply with
# its id arrives on the replies-USER listener; prints it. Resending is safe: the
# caller answers a command id it has seen with the same answer and applies it once.
image_ask() {
  local id i line
  id=$(jq -r .id <<<"$3")
  for i in $(seq 30); do
    image_pub "$1" "$2/$1/cmd" "$3" 2>>"$T/pub.err" || true
    if line=$(wait_line "replies-$1" ".id == \"$id\"" 5); then echo "$line"; return 0; fi
  done
  fail "no reply to $id from the box"
}

# image_wait_caller_online TIMEOUT_S — the box's broker answers over TLS and the
# caller says it is online since this boot (not a retained message from before).
image_wait_caller_online() {
  local end=$(( $(date +%s) + $1 )) s at
  while [ "$(date +%s)" -lt "$end" ]; do
    kill -0 "$VM_PID" 2>/dev/null || return 1
    s=$(image_retained display status/caller)
    if jq -e '.online == true' >/dev/null 2>&1 <<<"$s"; then
      at=$(date -d "$(jq -r .started_at <<<"$s")" +%s 2>/dev/null || echo 0)
      [ "$at" -lt "$VM_RTC0" ] || return 0
    fi
    sleep 3
  done
  return 1
}
