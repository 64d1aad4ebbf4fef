# SPDX-License-Identifier: MIT
# image-rootfs.sh — the appliance's own part of scripts/build-image (sourced, not run).
#
# Owns: what makes a Debian base a Jiaohao box — the default hall config, the files
# in deploy/image/ (first-boot and grow-root units, fstab, network, GRUB menu,
# lock-down drop-ins), which units are enabled or masked, the locked root account
# — and the scrubbing that leaves nothing unique or secret in the image (machine
# id, SSH host keys, logs, apt lists) with every file time clamped to
# SOURCE_DATE_EPOCH.

# image_hall_config SRC — SRC (the package's example hall) with the two paths the box
# uses: the store where jiaohao-caller.service keeps it and the programs' passwords
# where scripts/first-boot has broker-config write them.
image_hall_config() {
  awk '
    /^[ \t]*\[/ { section = $0; gsub(/^[ \t]*\[|\][ \t]*$/, "", section) }
    section == "hall" && /^[ \t]*data_dir[ \t]*=/ { print "data_dir = /var/lib/jiaohao/data"; next }
    section == "broker" && /^[ \t]*credentials_dir[ \t]*=/ {
      print "credentials_dir = /var/lib/jiaohao-broker/credentials"; next }
    { print }
  ' "$1"
}

# image_configure ROOTFS REPO ROOT-UUID SSH-KEY-FILE-OR-EMPTY
image_configure() {
  local r=$1 repo=$2 uuid=$3 key=$4 d="$2/deploy/image"
  echo jiaohao > "$r/etc/hostname"
  chmod 644 "$r/etc/hostname"
  printf '127.0.0.1\tlocalhost\n127.0.1.1\tjiaohao\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$r/etc/hosts"
  : > "$r/etc/resolv.conf"
  sed "s/@ROOT_UUID@/$uuid/g" "$d/fstab.in" > "$r/etc/fstab"
  # The initramfs again, told the root's type (it cannot probe the box's disk
  # from here): it then holds fsck.ext4, and the root is checked before it is
  # mounted after a power cut.
  echo 'FSTYPE=ext4' > "$r/etc/initramfs-tools/conf.d/jiaohao-root"
  chroot "$r" update-initramfs -u -k all >/dev/null 2>&1 ||
    { echo "image-rootfs: update-initramfs failed in the root file system" >&2; return 1; }

  install -d -m 755 "$r/etc/jiaohao"
  image_hall_config "$r/usr/share/jiaohao/hall.ini" > "$r/etc/jiaohao/hall.ini"
  chmod 644 "$r/etc/jiaohao/hall.ini"
  grep -q '^data_dir = /var/lib/jiaohao/data$' "$r/etc/jiaohao/hall.ini" &&
    grep -q '^credentials_dir = /var/lib/jiaohao-broker/credentials$' "$r/etc/jiaohao/hall.ini" ||
    { echo "image-rootfs: /usr/share/jiaohao/hall.ini has no [hall] data_dir or [broker] credentials_dir to set" >&2; return 1; }

  # The image's own parts, not the package's (a Debian box installed by hand grows
  # no partition): /etc and /usr/local, where dpkg owns nothing.
  install -m 644 "$d/jiaohao-first-boot.service" "$d/jiaohao-grow-root.service" "$r/etc/systemd/system/"
  install -D -m 755 "$d/grow-root" "$r/usr/local/lib/jiaohao/grow-root"
  install -D -m 644 "$d/80-wired-dhcp.network" "$r/etc/systemd/network/80-wired-dhcp.network"
  install -D -m 644 "$d/90-jiaohao.conf" "$r/etc/sysctl.d/90-jiaohao.conf"
  install -D -m 644 "$d/logind-jiaohao.conf" "$r/etc/systemd/logind.conf.d/jiaohao.conf"
  install -D -m 644 "$d/journald-jiaohao.conf" "$r/etc/systemd/journald.conf.d/jiaohao.conf"
  install -D -m 644 /dev/stdin "$r/etc/ssh/sshd_config.d/jiaohao.conf" <<'EOF'
# Keys only: the image has no password for anyone (docs/image.md "Getting in").
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
EOF

  # The broker and the caller on every box; boards, kiosks and bridges are enabled
  # per box with their id (docs/image.md). Debian's own mosquitto would take 1883.
  systemctl --root="$r" --quiet enable jiaohao-grow-root.service jiaohao-first-boot.service jiaohao-broker.service \
    jiaohao-caller.service systemd-networkd.service ssh.service
  # No login prompts: root is locked, so a getty on a screen or on the serial console
  # (systemd starts serial-getty@ttyS0 for console=ttyS0) only hides the boot's status lines.
  systemctl --root="$r" --quiet mask mosquitto.service ctrl-alt-del.target getty@.service \
    serial-getty@.service

  # root: no password, no login but an SSH key given at build or flash time.
  chroot "$r" usermod -p '!*' root
  if [ -n "$key" ]; then
    install -d -m 700 "$r/root/.ssh"
    install -m 600 "$key" "$r/root/.ssh/authorized_keys"
  fi

  # GRUB's modules beside its menu, as grub-install would put them.
  rm -rf "$r/boot/grub"
  install -d "$r/boot/grub/i386-pc"
  cp "$r"/usr/lib/grub/i386-pc/*.mod "$r"/usr/lib/grub/i386-pc/*.lst "$r/boot/grub/i386-pc/"
  sed "s/@ROOT_UUID@/$uuid/g" "$d/grub.cfg.in" > "$r/boot/grub/grub.cfg"
  [ -e "$r/vmlinuz" ] && [ -e "$r/initrd.img" ] ||
    { echo "image-rootfs: no /vmlinuz or /initrd.img in the root file system" >&2; return 1; }
}

# image_scrub ROOTFS EPOCH — nothing unique to this build machine or run, nothing
# secret, and every time stamp at most EPOCH.
image_scrub() {
  local r=$1 epoch=$2
  # Empty, not absent: systemd makes the box's own id on its first boot.
  : > "$r/etc/machine-id"
  rm -f "$r/var/lib/dbus/machine-id" "$r"/etc/ssh/ssh_host_* "$r/var/lib/systemd/random-seed" \
    "$r/var/cache/ldconfig/aux-cache" "$r"/var/cache/apt/*.bin "$r"/var/cache/debconf/*-old \
    "$r"/var/lib/dpkg/*-old "$r"/etc/*- "$r/etc/.pwd.lock"
  find "$r/var/lib/apt/lists" -maxdepth 1 -type f ! -name lock -delete
  find "$r/var/log" -type f -delete
  find "$r/tmp" "$r/var/tmp" "$r/run" -mindepth 1 -delete
  ln -sf /etc/machine-id "$r/var/lib/dbus/machine-id"
  find "$r" -xdev -newermt "@$epoch" -print0 | xargs -0r touch -h -d "@$epoch"
}

# image_package_list ROOTFS — "package version" per line, what went into the image.
image_package_list() {
  chroot "$1" dpkg-query -W -f '${Package} ${Version}\n' | LC_ALL=C sort
}
