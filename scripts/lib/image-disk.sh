# SPDX-License-Identifier: MIT
# image-disk.sh — the disk of scripts/build-image (sourced, not run).
#
# Owns: turning a root directory into a bootable raw disk without loop devices or
# mounts: `mkfs.ext4 -d` builds the file system in a plain file, sfdisk writes the
# MBR partition table, and GRUB for BIOS goes where grub-install would put it —
# boot.img in the MBR's code area, core.img in the gap before the partition
# (sectors 1..2047). core.img is made by the image's own grub-mkimage; its prefix
# "(,msdos1)" means the first partition of whatever disk the BIOS booted, so the
# box's disk numbering does not matter.

IMAGE_PART_START=2048   # sectors: the 1 MiB gap GRUB's core image lives in

# image_make_disk ROOTFS IMAGE SIZE-MB ROOT-UUID DISK-ID EPOCH
image_make_disk() {
  local r=$1 img=$2 size_mb=$3 uuid=$4 disk_id=$5 epoch=$6
  local tmp="$img.parts" fs_mb=$(($3 - 1))
  rm -rf "$tmp"
  mkdir -p "$tmp"

  # GRUB's core image, made inside the root file system by its own GRUB, then
  # moved out before the file system is built from that directory.
  chroot "$r" grub-mkimage -O i386-pc -o /tmp/core.img -p '(,msdos1)/boot/grub' \
    biosdisk part_msdos ext2 normal
  mv "$r/tmp/core.img" "$tmp/core.img"
  touch -d "@$epoch" "$r/tmp"
  local core_sectors=$(( ($(stat -c %s "$tmp/core.img") + 511) / 512 ))
  [ "$core_sectors" -lt $((IMAGE_PART_START - 1)) ] ||
    { echo "image-disk: GRUB core image ($core_sectors sectors) does not fit before the partition" >&2; return 1; }

  # The file system: fixed UUID and hash seed, its own times at EPOCH.
  E2FSPROGS_FAKE_TIME=$epoch mkfs.ext4 -q -F -L jiaohao-root -U "$uuid" \
    -E "hash_seed=$uuid,root_owner=0:0" -d "$r" "$tmp/root.ext4" "${fs_mb}M" >/dev/null ||
    { echo "image-disk: mkfs.ext4 failed" >&2; return 1; }

  image_fs_clamp_times "$tmp/root.ext4" "$epoch"

  rm -f "$img"
  truncate -s "${size_mb}M" "$img"
  sfdisk --quiet --no-reread --no-tell-kernel "$img" <<EOF
label: dos
label-id: $disk_id
unit: sectors

start=$IMAGE_PART_START, type=83, bootable
EOF
  dd if="$tmp/root.ext4" of="$img" bs=1M seek=1 conv=notrunc,sparse status=none
  # boot.img's first 440 bytes (its code; the disk id and partition table stay).
  # Its pointer to core.img (LBA 1) and core.img's own list of its sectors
  # (from LBA 2 on) are GRUB's defaults for exactly this layout.
  dd if="$r/usr/lib/grub/i386-pc/boot.img" of="$img" bs=440 count=1 conv=notrunc status=none
  dd if="$tmp/core.img" of="$img" bs=512 seek=1 conv=notrunc status=none
  rm -rf "$tmp"
}

# image_fs_clamp_times FSFILE EPOCH — every inode's ctime and atime set to EPOCH.
# `mkfs.ext4 -d` (e2fsprogs 1.47.0) copies them from the source files, and no tool
# can set a file's ctime; reading the tree for mkfs moves atimes too. So debugfs
# sets both on every inode in use (from the inode bitmaps dumpe2fs prints); mtimes
# are already clamped in the tree.
image_fs_clamp_times() {
  local t cmds="$1.times"
  t=$(date -u -d "@$2" +%Y%m%d%H%M%S)
  dumpe2fs "$1" 2>/dev/null | awk -v t="$t" '
    /^Inodes per group:/ { ipg = $4 }
    /^Group [0-9]+:/ { g = $2 + 0 }
    /^  Free inodes:/ {
      delete free
      s = $0; sub(/^  Free inodes: */, "", s)
      n = split(s, r, /, */)
      for (k = 1; k <= n; k++) {
        if (r[k] == "") continue
        if (split(r[k], ab, "-") == 1) ab[2] = ab[1]
        for (i = ab[1] + 0; i <= ab[2] + 0; i++) free[i] = 1
      }
      for (i = g * ipg + 1; i <= (g + 1) * ipg; i++)
        if (!(i in free)) printf "sif <%d> ctime %s\nsif <%d> atime %s\n", i, t, i, t
    }' > "$cmds"
  [ -s "$cmds" ] || { echo "image-disk: found no inodes in $1" >&2; return 1; }
  E2FSPROGS_FAKE_TIME=$2 debugfs -w -f "$cmds" "$1" >/dev/null 2>&1 || { echo "image-disk: debugfs could not set the times" >&2; return 1; }
  rm -f "$cmds"
}
