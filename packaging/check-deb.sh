#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Packaging check for the Campaign Studio .deb.
#   packaging/check-deb.sh [--build-dir DIR] [--deb FILE] [--no-install]
#
#  1. Packs the build tree with CPack (unless --deb names an existing package).
#  2. Runs lintian on it: any error fails the check; warnings and info are printed.
#  3. As root on Debian 12 (and without --no-install): installs the package with apt-get (which
#     pulls its Depends from the archive), runs the installed campaign-cli --version, generates
#     and renders one segment x format of the installed sample in a temporary copy, checks the
#     MP4, checks the desktop/MIME registration and that the GUI opens its per-user copy of the
#     sample, then removes the package again.
#
# For a truly fresh system, pack on the build machine and run the check in a container:
#   docker run --rm -v "$PWD:/src" debian:12 \
#       /src/packaging/check-deb.sh --deb /src/build/package/campaign-studio_0.1.0_amd64.deb
# (there, with no build tree, the script installs lintian itself; nothing else is preinstalled).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${CAMPAIGN_BUILD_DIR:-$ROOT/build}"
DEB=""
INSTALL=1
PACKAGE=campaign-studio

usage() { sed -n '3,18p' "$0"; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) BUILD_DIR="$(cd "$2" && pwd)"; shift 2 ;;
    --deb) DEB="$(realpath "$2")"; shift 2 ;;
    --no-install) INSTALL=0; shift ;;
    -h|--help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
done

log() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'check-deb: FAILED: %s\n' "$*" >&2; exit 1; }
need() {  # need TOOL DEBIAN-PACKAGE
  command -v "$1" >/dev/null 2>&1 || die "$1 not found: apt-get install $2"
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/check-deb.XXXXXX")"
INSTALLED_BY_US=0
cleanup() {
  local rc=$?
  if [ "$INSTALLED_BY_US" -eq 1 ]; then
    log "Removing $PACKAGE again"
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq "$PACKAGE" >/dev/null || rc=1
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

# --- 1. Package -------------------------------------------------------------------------------
if [ -z "$DEB" ]; then
  need cpack cmake
  need dpkg-shlibdeps dpkg-dev
  [ -f "$BUILD_DIR/CPackConfig.cmake" ] ||
    die "$BUILD_DIR is not a configured build (cmake -S . -B build && cmake --build build)"
  for exe in app/cli/campaign-cli app/studio/campaign-studio; do
    [ -x "$BUILD_DIR/$exe" ] || die "$BUILD_DIR/$exe not built (cmake --build $BUILD_DIR)"
  done
  log "Packing $BUILD_DIR with CPack"
  # Own output folder: a stale .deb from an older version can never be picked up by mistake.
  rm -rf "$BUILD_DIR/package"
  (cd "$BUILD_DIR" && cpack -G DEB -B "$BUILD_DIR/package" >&2)
  DEB="$(find "$BUILD_DIR/package" -maxdepth 1 -name "${PACKAGE}_*.deb" | head -n 1)"
  [ -n "$DEB" ] || die "cpack produced no .deb in $BUILD_DIR/package"
fi
[ -f "$DEB" ] || die "no such package: $DEB"
need dpkg-deb dpkg
log "Package: $DEB"
dpkg-deb --info "$DEB" >&2

# --- 2. lintian -------------------------------------------------------------------------------
if ! command -v lintian >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] && [ "$INSTALL" -eq 1 ] &&
   [ -n "${DEB:-}" ] && [ ! -f "$BUILD_DIR/CPackConfig.cmake" ]; then
  # Container recipe: no build tree, only the package. lintian does not touch the package's
  # runtime dependencies, so installing it keeps the system "fresh" for step 3.
  log "Installing lintian for the check"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends lintian >/dev/null
fi
need lintian lintian
log "lintian"
# --info explains each tag; the overrides shipped in the package are honoured automatically.
lintian --info --display-info --tag-display-limit 0 "$DEB" >"$WORK/lintian.txt" 2>&1 || true
cat "$WORK/lintian.txt" >&2
errors="$(grep -c '^E: ' "$WORK/lintian.txt" || true)"
warnings="$(grep -c '^W: ' "$WORK/lintian.txt" || true)"
log "lintian: $errors error(s), $warnings warning(s)"
[ "$errors" -eq 0 ] || die "lintian reported $errors error(s)"

# --- 3. Install and run -----------------------------------------------------------------------
if [ "$INSTALL" -eq 0 ]; then
  log "Not installing (--no-install). Package check passed."
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  log "Not root: skipping the installation part (run as root to install, run and remove)."
  exit 0
fi
if ! grep -q '^12\.' /etc/debian_version 2>/dev/null; then
  log "Not Debian 12: skipping the installation part."
  exit 0
fi
if dpkg-query -W -f='${Status}' "$PACKAGE" 2>/dev/null | grep -q 'install ok installed'; then
  die "$PACKAGE is already installed; remove it first so the check installs this build"
fi

log "Installing $DEB with apt-get"
apt-get update -qq
INSTALLED_BY_US=1
# "./" or an absolute path makes apt treat the argument as a file, resolving its Depends.
# Without Recommends: the CLI render and the GUI start below must work with Depends alone.
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$DEB" >&2

log "Installed files"
[ "$(command -v campaign-cli)" = /usr/bin/campaign-cli ] || die "campaign-cli is not /usr/bin/campaign-cli"
[ "$(command -v campaign-studio)" = /usr/bin/campaign-studio ] || die "campaign-studio is not /usr/bin/campaign-studio"
version="$(campaign-cli --version)"
echo "$version" >&2
[[ "$version" == "campaign-cli "* ]] || die "unexpected --version output: $version"
sample=/usr/share/campaign-studio/samples/stride
[ -f "$sample/stride.campaign" ] || die "sample not installed at $sample"
# dpkg triggers of shared-mime-info / desktop-file-utils ran on installation.
[ -f /usr/share/mime/application/x-campaign-studio-project.xml ] ||
  die "MIME database does not know application/x-campaign-studio-project"
if [ -f /usr/share/applications/mimeinfo.cache ]; then
  grep -q '^application/x-campaign-studio-project=.*campaign-studio.desktop' \
    /usr/share/applications/mimeinfo.cache || die "campaign-studio.desktop not registered for .campaign files"
fi

log "Generating and rendering the installed sample (one segment x format)"
cp -r "$sample" "$WORK/stride"
chmod -R u+w "$WORK/stride"
export QT_QPA_PLATFORM=offscreen
campaign-cli generate "$WORK/stride/stride.campaign" >&2
campaign-cli render "$WORK/stride/stride.campaign" --segment us-parents --format 1x1 \
  --out "$WORK/renders" >&2
mp4="$(find "$WORK/renders" -path '*/us-parents/1x1.mp4' | head -n 1)"
[ -n "$mp4" ] && [ -s "$mp4" ] || die "no us-parents/1x1.mp4 under $WORK/renders"
# "ftyp" at offset 4 is the start of every MP4; a torn or empty file would not have it.
[ "$(dd if="$mp4" bs=1 skip=4 count=4 status=none)" = ftyp ] || die "$mp4 is not an MP4"
echo "rendered: $mp4 ($(stat -c %s "$mp4") bytes)" >&2
if command -v ffprobe >/dev/null 2>&1; then
  ffprobe -v error -show_entries stream=codec_name,width,height -of csv=p=0 "$mp4" >&2
fi

log "Starting the installed GUI without a project (offscreen, 10 s)"
# It must find the packaged sample and open a per-user writable copy of it.
export XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config" XDG_CACHE_HOME="$WORK/cache"
rc=0
timeout 10 campaign-studio >"$WORK/studio.log" 2>&1 || rc=$?
# 124: still running when timeout stopped it, i.e. it started and stayed up.
[ "$rc" -eq 124 ] || { cat "$WORK/studio.log" >&2; die "campaign-studio exited with $rc"; }
[ -f "$XDG_DATA_HOME/CampaignStudio/Campaign Studio/samples/stride/stride.campaign" ] ||
  die "the GUI did not copy the installed sample to $XDG_DATA_HOME"

log "Package check passed (installed, ran, rendered); removing"
