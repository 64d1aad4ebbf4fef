# SPDX-License-Identifier: MIT
# image-base.sh — the Debian part of scripts/build-image (sourced, not run).
#
# Owns: the Debian base (debootstrap, then apt in a chroot: the box's own
# packages and everything the Jiaohao package depends on), installing that
# package into a copy of it with apt, and the mounts both need. scripts/build-image
# keeps the base between runs while the package list, the Depends and this file
# are the same.

# image_unresolved_libs ROOTFS PACKAGE — "file: library" for every library an ELF
# file of PACKAGE (installed in ROOTFS) needs and the root's own loader cannot find.
image_unresolved_libs() {
  local f
  chroot "$1" dpkg-query -L "$2" >/dev/null || return 1
  while IFS= read -r f; do
    [ -f "$1$f" ] && [ ! -L "$1$f" ] && readelf -h "$1$f" >/dev/null 2>&1 || continue
    chroot "$1" ldd "$f" 2>&1 | awk -v f="$f" '/not found/ { print f ": " $1 }'
  done < <(chroot "$1" dpkg-query -L "$2")
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

# image_make_base BASE SUITE MIRROR SECURITY-MIRROR DEBCACHE DEPENDS PACKAGE... — a
# minbase debootstrap of SUITE with PACKAGES and what DEPENDS (a Depends field:
# alternatives, versions) asks for installed by apt (no recommends), updates and
# security fixes included. No service is started inside the chroot.
image_make_base() {
  local base=$1 suite=$2 mirror=$3 security=$4 debs=$5 depends=$6
  shift 6
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
    depends=$1; shift
    apt-get update -qq &&
    apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 "$@" &&
    apt-get satisfy -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 "$depends" &&
    apt-get dist-upgrade -y -qq -o Dpkg::Use-Pty=0 &&
    apt-get clean' sh "$depends" "$@" > "$base.apt.log" 2>&1 || rc=$?
  image_unmount_all
  rm -f "$base/usr/sbin/policy-rc.d"
  if [ $rc -ne 0 ]; then
    tail -n 20 "$base.apt.log" >&2
    echo "image-base: apt in the chroot failed (log: $base.apt.log)" >&2
    return 1
  fi
}

# image_install_deb ROOTFS DEBCACHE DEB — DEB installed by apt in ROOTFS (a copy of
# the base), which resolves its Depends there. The base holds them already, so
# nothing is downloaded; apt's own --no-download cannot take a local .deb, so a
# dry run first makes anything else apt would install an error, not a fetch.
# Its postinst starts nothing (no systemd runs in the chroot; docs/image.md).
image_install_deb() {
  local r=$1 name rc=0 extra
  name=$(basename "$3")
  install -D -m 644 "$3" "$r/tmp/$name"
  image_chroot_mounts "$r" "$2"
  extra=$(LC_ALL=C chroot "$r" apt-get install -s --no-install-recommends "/tmp/$name" 2>&1 |
    awk '/^Inst / && $2 != "jiaohao" { print $2 } /^E: / { print }') || rc=$?
  if [ $rc -eq 0 ] && [ -z "$extra" ]; then
    LC_ALL=C DEBIAN_FRONTEND=noninteractive chroot "$r" apt-get install -y -qq --no-install-recommends \
      -o Dpkg::Use-Pty=0 "/tmp/$name" > "$r.apt.log" 2>&1 || rc=$?
  fi
  image_unmount_all
  rm -f "$r/tmp/$name"
  if [ -n "$extra" ]; then
    echo "image-base: the base lacks what $name needs: $(echo $extra)" >&2
    return 1
  elif [ $rc -ne 0 ]; then
    tail -n 20 "$r.apt.log" >&2
    echo "image-base: apt could not install $name in the root file system (log: $r.apt.log)" >&2
    return 1
  fi
}
