#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# One entry point for a fresh Debian 12 machine (run as root, or with sudo available):
#   ./setup.sh demo   install packages, build Release, generate the sample campaign's media
#                     with the offline generator, render every segment x format, print the
#                     output folder, and open the studio on the sample when a display exists
#   ./setup.sh test   install packages, build, run every test through CTest (then the
#                     ASan+UBSan suite too when CAMPAIGN_CI_ASAN=1, as .ci/run sets it)
#   ./setup.sh test-asan  install packages, build with ASan+UBSan into build-asan/ and run the
#                     suite there (without the long sample render; see run_asan_tests)
#   ./setup.sh deps   only install the Debian packages
#   ./setup.sh build  only configure and build (Release) into build/
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD_DIR="${CAMPAIGN_BUILD_DIR:-$ROOT/build}"
JOBS="$(nproc 2>/dev/null || echo 2)"

PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  qt6-base-dev qt6-base-dev-tools qt6-multimedia-dev qt6-image-formats-plugins libqt6svg6
  libgl-dev
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libswresample-dev libavfilter-dev
  libopencv-core-dev libopencv-imgproc-dev
  # smart reframe: Haar face cascades (objdetect + the cascade files) and static saliency
  libopencv-objdetect-dev libopencv-contrib-dev opencv-data
  libcurl4-openssl-dev qtkeychain-qt6-dev
  # SHA-256 of sources and outputs with the CPU's SHA instructions (app/file_hash.cpp)
  libssl-dev
  fonts-noto-core fonts-dejavu-core fonts-noto-cjk
  # packaging checks: the .deb's contents, desktop entry, AppStream metadata, MIME type
  dpkg-dev desktop-file-utils appstream shared-mime-info lintian binutils
  # review sheet PDF pages rasterised in tests; provenance metadata read back independently
  poppler-utils libimage-exiftool-perl
  ffmpeg
)

log() { printf '\n==> %s\n' "$*" >&2; }

install_deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    log "All Debian packages already installed"
    return
  fi
  log "Installing Debian packages: ${missing[*]}"
  local SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
  log "Configuring and building (Release) in $BUILD_DIR"
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
  cmake --build "$BUILD_DIR" -j "$JOBS"
}

demo() {
  install_deps
  build
  local work="$ROOT/out/sample" renders="$ROOT/out/renders"
  log "Preparing the sample campaign in $work"
  rm -rf "$work"
  mkdir -p "$ROOT/out"
  cp -r "$ROOT/resources/samples/stride" "$work"
  rm -rf "$work/generated" "$work/renders"
  log "Generating the sample's media with the offline generator"
  "$BUILD_DIR/app/cli/campaign-cli" generate "$work/stride.campaign"
  log "Rendering every segment x format"
  "$BUILD_DIR/app/cli/campaign-cli" render "$work/stride.campaign" --out "$renders" --jobs 2
  log "Done. Variants are in: $renders"
  find "$renders" -name '*.mp4' | sort
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    log "Opening Campaign Studio on the sample"
    "$BUILD_DIR/app/studio/campaign-studio" "$work/stride.campaign"
  else
    log "No display: not opening the GUI (run $BUILD_DIR/app/studio/campaign-studio $work/stride.campaign)"
  fi
}

run_tests() {
  install_deps
  build
  log "Running every test"
  cd "$BUILD_DIR"
  QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j 2 --timeout 2400
  if [ "${CAMPAIGN_CI_ASAN:-0}" = 1 ]; then
    run_asan_tests
  fi
}

# The whole suite again, built with AddressSanitizer + UndefinedBehaviorSanitizer
# (CAMPAIGN_SANITIZE=ON) in its own folder, at -O1 with line tables only (-g1): the reports
# still name file and line, and on 2 cores the tree builds in well under half the time of
# RelWithDebInfo's -O2 -g (one heavy test file: 17 s against 44 s), which was most of the CI
# budget. Every sanitizer report fails its test: UBSan halts on the first error instead of
# printing and going on, and leaks are checked at exit.
run_asan_tests() {
  local dir="${CAMPAIGN_ASAN_BUILD_DIR:-$ROOT/build-asan}"
  local type="${CAMPAIGN_ASAN_BUILD_TYPE:-RelWithDebInfo}"
  log "Configuring and building (ASan+UBSan, $type) in $dir"
  local start=$SECONDS
  cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" -DCAMPAIGN_SANITIZE=ON \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG"
  cmake --build "$dir" -j "$JOBS"
  log "ASan build took $((SECONDS - start)) s; running the suite under ASan+UBSan"
  # render_sample renders all 16 variants of the sample at full size (about 7 minutes in
  # Release, three times that under ASan) and tst_sample_outputs only inspects its files; the
  # same encode and composite code runs under ASan in tst_render_export, tst_cli_export and
  # the other CLI tests on small compositions, so the two stay in the Release run only.
  local exclude="${CAMPAIGN_ASAN_EXCLUDE:-^(render_sample|tst_sample_outputs)\$}"
  start=$SECONDS
  (
    cd "$dir"
    export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:abort_on_error=1:strict_init_order=1:check_initialization_order=1}"
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
    export QT_QPA_PLATFORM=offscreen
    ctest --output-on-failure -j 2 --timeout 2400 -E "$exclude"
  )
  log "ASan suite took $((SECONDS - start)) s"
}

case "${1:-}" in
  demo) demo ;;
  test) run_tests ;;
  test-asan) install_deps; run_asan_tests ;;
  deps) install_deps ;;
  build) install_deps; shift; build "$@" ;;
  *) sed -n '3,12p' "$0"; exit 2 ;;
esac
