# image-base.sh — the Debian part of scripts/build-image (sourced, not run).
#
# Owns: which Debian packages the built programs need (from their DT_NEEDED
# entries) and the Debian base: debootstrap plus apt in a chroot, with the mounts
# that needs and their removal. scripts/build-image keeps the base between runs
# while the package list and this file are the same.

# image_needed_packages STAGE — the Debian packages (one a line) whose libraries the
# ELF files under STAGE link against, as this build host's dpkg knows them. The host
# is Debian 12 too, so the package names are the image's. libc6 is left out
# (essential). Any library no package owns is an error, never a silent gap.
image_needed_packages() {
  local f lib owner libs=() pkgs=()
  while IFS= read -r -d '' f; do
    readelf -h "$f" >/dev/null 2>&1 || continue
    mapfile -t -O "${#libs[@]}" libs < <(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  done < <(find "$1" -type f -print0)
  [ ${#libs[@]} -gt 0 ] || { echo "image-base: no ELF file under $1 links anything" >&2; return 1; }
  for lib in $(printf '%s\n' "${libs[@]}" | LC_ALL=C sort -u); do
    owner=$(dpkg -S "*/x86_64-linux-gnu/$lib" 2>/dev/null | head -n 1) ||
      { echo "image-base: no Debian package on this host has $lib (scripts/deps)" >&2; return 1; }
    [ -n "$owner" ] || { echo "image-base: no Debian package on this host has $lib (scripts/deps)" >&2; return 1; }
    owner=${owner%%:*}
    [ "$owner" = libc6 ] || pkgs+=("$owner")
  done
  printf '%s\n' "${pkgs[@]}" | LC_ALL=C sort -u
}

# image_unresolved_libs ROOTFS PREFIX — "file: library" for every library an ELF
# file under ROOTFS/PREFIX needs and the root file system's own loader cannot find.
image_unresolved_libs() {
  local f
  while IFS= read -r -d '' f; do
    readelf -h "$f" >/dev/null 2>&1 || continue
    chroot "$1" ldd "${f#"$1"}" 2>&1 | awk -v f="${f#"$1"}" '/not found/ { print f ": " $1 }'
  done < <(find "$1$2" -type f -print0)
}

IMAGE_MOUNTS=()

# image_chroot_mounts ROOTFS DEBCACHE — what apt and the packages' scripts need
# inside the chroot; the package cache is the build area's, so a rebuild downloads
# nothing again.
image_chroot_mounts() {
  local r=$1 d
  for d in proc sys dev var/cache/apt/archives; do mkdir -p "$r/$d"; done
  mount -t proc proc "$r/proc" && IMAGE_MOUNTS+=("$r/proc")
  mount -t sysfs sys "$r/sys" && IMAGE_MOUNTS+=("$r/sys")
  # Not recursive, and nothing mounted below it: with shared propagation a mount
  # under the bind would appear in the host's own /dev. apt runs without a pty.
  mount --bind /dev "$r/dev" && IMAGE_MOUNTS+=("$r/dev")
  mkdir -p "$2"
  mount --bind "$2" "$r/var/cache/apt/archives" && IMAGE_MOUNTS+=("$r/var/cache/apt/archives")
}

# image_unmount_all — undoes image_chroot_mounts, innermost first. Safe to call twice.
image_unmount_all() {
  local i
  for ((i = ${#IMAGE_MOUNTS[@]} - 1; i >= 0; i--)); do
    ! mountpoint -q "${IMAGE_MOUNTS[$i]}" || umount -l "${IMAGE_MOUNTS[$i]}" || true
  done
  IMAGE_MOUNTS=()
}

# image_make_base BASE SUITE MIRROR SECURITY-MIRROR DEBCACHE PACKAGE... — a minbase
# debootstrap of SUITE with PACKAGES installed by apt (no recommends), updates and
# security fixes included. No service is started inside the chroot.
image_make_base() {
  local base=$1 suite=$2 mirror=$3 security=$4 debs=$5
  shift 5
  rm -rf --one-file-system "$base"
  mkdir -p "$base" "$debs"
  debootstrap --variant=minbase --arch=amd64 --components=main --cache-dir="$debs" \
    "$suite" "$base" "$mirror" > "$base.debootstrap.log" 2>&1 ||
    { tail -n 20 "$base.debootstrap.log" >&2; echo "image-base: debootstrap failed (log: $base.debootstrap.log)" >&2; return 1; }
  {
    echo "deb $mirror $suite main"
    echo "deb $mirror $suite-updates main"
    [ "$security" = none ] || echo "deb $security $suite-security main"
  } > "$base/etc/apt/sources.list"
  # Services stay down in the chroot; the box starts them itself.
  printf '#!/bin/sh\nexit 101\n' > "$base/usr/sbin/policy-rc.d"
  chmod 755 "$base/usr/sbin/policy-rc.d"
  # debconf asks nothing; grub-pc-bin only ships files (build-image installs GRUB).
  image_chroot_mounts "$base" "$debs"
  local rc=0
  LC_ALL=C DEBIAN_FRONTEND=noninteractive chroot "$base" sh -c '
    apt-get update -qq &&
    apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 "$@" &&
    apt-get dist-upgrade -y -qq -o Dpkg::Use-Pty=0 &&
    apt-get clean' sh "$@" > "$base.apt.log" 2>&1 || rc=$?
  image_unmount_all
  rm -f "$base/usr/sbin/policy-rc.d"
  if [ $rc -ne 0 ]; then
    tail -n 20 "$base.apt.log" >&2
    echo "image-base: apt in the chroot failed (log: $base.apt.log)" >&2
    return 1
  fi
}
