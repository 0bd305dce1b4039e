#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Side-by-side timing of one 15 s 9:16 variant of the sample campaign:
#   A = campaign-cli render (decode + composite + encode)
#   B = encode-only floor: the ffmpeg CLI encoding the same 450 frames, already rendered and
#       stored raw, with the same encoder settings (libx264 veryfast crf 23, yuv420p,
#       AAC 128 kb/s, +faststart): what any renderer must pay just to encode.
# Runs alternate A B A B ... (RUNS pairs, default 5) so machine noise hits both alike, and
# prints medians, the ratio A/B and peak RSS. Usage: bench/render_vs_floor.sh [BUILD_DIR] [RUNS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
RUNS="${2:-5}"
CLI="$BUILD/app/cli/campaign-cli"
WORK="$(mktemp -d /tmp/campaign-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

cp -r "$ROOT/resources/samples/stride" "$WORK/sample"
rm -rf "$WORK/sample/generated" "$WORK/sample/renders"
"$CLI" generate "$WORK/sample/stride.campaign" >/dev/null 2>&1

# Reference output once, then its frames and sound as raw input for the floor.
"$CLI" render "$WORK/sample/stride.campaign" --segment se-genz --format 9x16 --out "$WORK/ref" --jobs 1 >/dev/null 2>&1
REF="$(find "$WORK/ref" -name '9x16.mp4' | head -n 1)"
ffmpeg -v error -i "$REF" -f rawvideo -pix_fmt yuv420p "$WORK/frames.yuv"
ffmpeg -v error -i "$REF" -vn -f f32le -ac 2 -ar 48000 "$WORK/audio.f32"

measure() {  # prints "wall_seconds cpu_seconds max_rss_kb"
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/t" "$@" >/dev/null 2>&1
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$WORK/t"
}
ours() { measure "$CLI" render "$WORK/sample/stride.campaign" --segment se-genz --format 9x16 --out "$WORK/a" --jobs 1; }
floor() {
  measure ffmpeg -y -v error -f rawvideo -pix_fmt yuv420p -s 1080x1920 -r 30 -i "$WORK/frames.yuv" \
    -f f32le -ac 2 -ar 48000 -i "$WORK/audio.f32" \
    -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -c:a aac -b:a 128k \
    -movflags +faststart "$WORK/floor.mp4"
}

: > "$WORK/a.txt"; : > "$WORK/b.txt"
for i in $(seq "$RUNS"); do
  ours >> "$WORK/a.txt"
  floor >> "$WORK/b.txt"
done
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
A_WALL=$(cut -d' ' -f1 "$WORK/a.txt" | median); B_WALL=$(cut -d' ' -f1 "$WORK/b.txt" | median)
A_CPU=$(cut -d' ' -f2 "$WORK/a.txt" | median);  B_CPU=$(cut -d' ' -f2 "$WORK/b.txt" | median)
A_RSS=$(cut -d' ' -f3 "$WORK/a.txt" | sort -n | tail -n 1); B_RSS=$(cut -d' ' -f3 "$WORK/b.txt" | sort -n | tail -n 1)
printf '| measurement (median of %s alternating runs) | campaign-cli | encode-only floor | ratio |\n|---|---|---|---|\n' "$RUNS"
printf '| wall time, 15 s 9:16 variant | %ss | %ss | %s |\n' "$A_WALL" "$B_WALL" "$(awk -v a="$A_WALL" -v b="$B_WALL" 'BEGIN{printf "%.2f", a/b}')"
printf '| CPU time | %ss | %ss | %s |\n' "$A_CPU" "$B_CPU" "$(awk -v a="$A_CPU" -v b="$B_CPU" 'BEGIN{printf "%.2f", a/b}')"
printf '| peak RSS | %s MB | %s MB | |\n' "$((A_RSS / 1024))" "$((B_RSS / 1024))"
