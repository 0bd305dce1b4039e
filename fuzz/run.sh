#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets with clang in build-fuzz/ and runs each for a bounded time over a
# scratch copy of its seed corpus (plus its kept regression inputs), then prints the runs per
# target. Exits 1 when any target found a crash, a leak, a timeout or ran out of memory; the
# input that did it is kept under the scratch folder's artifacts/ and its path is printed.
#
#   fuzz/run.sh [SECONDS_PER_TARGET]      default 60
#   FUZZ_TARGETS="fuzz_media_probe" fuzz/run.sh 600     only some targets
#   FUZZ_KEEP=1 fuzz/run.sh               keep the scratch folder (grown corpus, logs)
#
# Needs clang-14 and libclang-rt-14-dev (Debian); see fuzz/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_PER_TARGET="${1:-60}"
BUILD_DIR="${CAMPAIGN_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
TARGETS=(${FUZZ_TARGETS:-fuzz_project_loader fuzz_media_probe fuzz_generation_response})
JOBS="$(nproc 2>/dev/null || echo 2)"

case "$SECONDS_PER_TARGET" in
  ''|*[!0-9]*) echo "usage: $0 [SECONDS_PER_TARGET]" >&2; exit 2 ;;
esac

CXX_BIN="${CXX_FUZZ:-$(command -v clang++-14 || command -v clang++ || true)}"
if [ -z "$CXX_BIN" ]; then
  echo "clang++ not found: apt-get install clang-14 libclang-rt-14-dev" >&2
  exit 2
fi

echo "==> Building the fuzz targets with $CXX_BIN in $BUILD_DIR" >&2
# Tests are off: this tree is instrumented for fuzzing, not for running the suite.
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_CXX_COMPILER="$CXX_BIN" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCAMPAIGN_FUZZ=ON -DCAMPAIGN_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" --target "${TARGETS[@]}" -j "$JOBS"

SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/campaign-fuzz.XXXXXX")"
if [ "${FUZZ_KEEP:-0}" != 1 ]; then
  trap 'rm -rf "$SCRATCH"' EXIT
fi

# Leaks are findings too (libFuzzer checks after inputs that malloc more than they free).
# UBSan is built with -fno-sanitize-recover, halt_on_error keeps that true for the runtime too.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export QT_QPA_PLATFORM=offscreen LC_ALL=C.UTF-8

status=0
summary=()
for target in "${TARGETS[@]}"; do
  work="$SCRATCH/$target"
  mkdir -p "$work/corpus" "$work/artifacts"
  if [ "$target" = fuzz_media_probe ]; then
    bash "$ROOT/fuzz/make_media_seeds.sh" "$work/corpus"   # media seeds are made, not committed
  else
    cp -r "$ROOT/fuzz/corpus/$target/." "$work/corpus/"
  fi
  log="$work/fuzz.log"
  echo "==> $target for ${SECONDS_PER_TARGET}s (log: $log)" >&2
  # -timeout: one input may take at most 10 s (a probe of a 64 KiB file takes milliseconds;
  # anything slower is a hang worth keeping). -rss_limit_mb: decoders told to allocate what a
  # hostile header claims must be refused long before 2 GiB. -max_len: seeds are < 50 KiB.
  # New coverage is written to the scratch corpus (first folder) only; the regression folder
  # is read, never written.
  set +e
  "$BUILD_DIR/fuzz/$target" \
    -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
    "$work/corpus" "$ROOT/fuzz/regressions/$target" >"$log" 2>&1
  rc=$?
  set -e
  runs="$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second\(s\)' "$log" | tail -1 || true)"
  artifacts="$(find "$work/artifacts" -type f | sort)"
  if [ "$rc" -ne 0 ] || [ -n "$artifacts" ]; then
    status=1
    summary+=("$target: FAILED (exit $rc) ${runs:-before finishing}")
    echo "---- $target: last lines of the log" >&2
    grep -E 'ERROR|SUMMARY|runtime error|round trip|Test unit written|==[0-9]+==' "$log" | tail -20 >&2 || true
    for a in $artifacts; do summary+=("    input kept: $a"); done
  else
    summary+=("$target: ok, ${runs:-no 'Done' line} ($(find "$work/corpus" -type f | wc -l) corpus files after)")
  fi
done

echo
echo "==> Fuzzing summary (${SECONDS_PER_TARGET}s per target)"
printf '%s\n' "${summary[@]}"
if [ "$status" -ne 0 ]; then
  echo "A crash input is kept above; scratch folder: $SCRATCH (kept)."
  trap - EXIT
fi
exit "$status"
