#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The reference workload of BENCHMARKS.md, side by side in one run (see bench/README.md):
#   1. the 16-cell batch:      A = campaign-cli render --jobs 2 (all segments x formats)
#                              then incremental one headline changed in a copy, re-export all
#                              B = the ffmpeg CLI, 16 calls, two at a time (xargs -P 2)
#                              C = sum of the 16 encode-only floors (one after another)
#   2. one 15 s 9:16 variant:  A = campaign-cli render --jobs 2 (its 2 chunks on the 2 cores)
#                              B = the ffmpeg CLI, the same composition in one -filter_complex call
#                              C = encode-only floor (ffmpeg encoding our 450 frames, pre-rendered raw)
# Runs alternate (A B C A B C ...), RUNS times each; prints medians, ratios, peak RSS and the
# targets as a Markdown table. Everything lives in a mktemp dir that is removed at exit.
# Usage: bench/run.sh [BUILD_DIR] [RUNS]     (RUNS=1 for a quick check, default 5)
#        BENCH_ONLY=one bench/run.sh ...       only the one-variant rows (a few minutes)
#        bench/run.sh preview [BUILD_DIR] [RUNS] [extra preview_bench options]
#                                              the preview benchmark (scrub latency, playback)
#                                              on the generated stride sample, RUNS times
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "${1:-}" = preview ]; then
  shift
  BUILD="${1:-$ROOT/build}"; RUNS="${2:-3}"; shift $(( $# < 2 ? $# : 2 ))
  BENCH="$BUILD/bench/preview_bench"
  SAMPLE="$BUILD/test-sample/stride.campaign"
  [ -x "$BENCH" ] || { echo "no $BENCH (cmake --build $BUILD --target preview_bench)" >&2; exit 2; }
  # The generated sample is the ctest fixture; make it once if the build tree lacks it.
  [ -f "$SAMPLE" ] || (cd "$BUILD" && ctest -R prepare_sample >&2)
  for i in $(seq "$RUNS"); do
    echo "## run $i/$RUNS, $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
    QT_QPA_PLATFORM=offscreen "$BENCH" "$SAMPLE" "$@" 2>/dev/null
    echo
  done
  exit 0
fi
BUILD="${1:-$ROOT/build}"
RUNS="${2:-5}"
ONLY="${BENCH_ONLY:-all}"   # all | one
case "$ONLY" in all|one) ;; *) echo "BENCH_ONLY must be all or one" >&2; exit 2;; esac
CLI="$BUILD/app/cli/campaign-cli"
[ -x "$CLI" ] || { echo "no campaign-cli at $CLI (build it first)" >&2; exit 2; }
WORK="$(mktemp -d /tmp/campaign-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

SEGMENTS=(se-stockholm ae-dubai us-ohio de-berlin)
FORMATS=(9x16 1x1 4x5 16x9)
ONE_SEG=se-stockholm
declare -A FW=([9x16]=1080 [1x1]=1080 [4x5]=1080 [16x9]=1920)
declare -A FH=([9x16]=1920 [1x1]=1080 [4x5]=1350 [16x9]=1080)
FONTS=/usr/share/fonts/truetype/noto
ENC=(-c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -c:a aac -b:a 128k -movflags +faststart)

log "making the reference sources"
REF="$WORK/ref"
"$ROOT/bench/make-reference.sh" "$REF" >/dev/null
PROJECT="$REF/reference.campaign"

# --- the ffmpeg CLI peer: one call per cell ----------------------------------------------------
# peer SEGMENT FORMAT OUTPUT
cat > "$WORK/peer.sh" <<EOF
#!/usr/bin/env bash
set -euo pipefail
seg="\$1"; fmt="\$2"; out="\$3"
declare -A FW=([9x16]=1080 [1x1]=1080 [4x5]=1080 [16x9]=1920)
declare -A FH=([9x16]=1920 [1x1]=1080 [4x5]=1350 [16x9]=1080)
W=\${FW[\$fmt]}; H=\${FH[\$fmt]}
font="$FONTS/NotoSans-Bold.ttf"
[ "\$seg" = ae-dubai ] && font="$FONTS/NotoSansArabic-Bold.ttf"
# cover crop first (centred), then scale: what an efficient hand-written graph does
cover="crop='min(iw,ih*\$W/\$H)':'min(ih,iw*\$H/\$W)'"
g="[0:v]\$cover,format=yuv420p,zoompan=z='1+0.15*on/164':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=165:s=\${W}x\${H}:fps=30,setsar=1[s1];"
g+="[1:v]\$cover,scale=\$W:\$H,fps=30,format=yuv420p,setsar=1[c];"
g+="[2:v]\$cover,format=yuv420p,zoompan=z='1.15-0.15*on/134':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=135:s=\${W}x\${H}:fps=30,setsar=1[s2];"
g+="[s1][c]xfade=transition=fade:duration=0.5:offset=5[x1];"
g+="[x1][s2]xfade=transition=fade:duration=0.5:offset=10.5[x2];"
g+="[x2]drawbox=x=iw*0.06:y=ih*0.78:w=iw*0.88:h=ih*0.12:color=black@0.55:t=fill:enable='between(t,1,14)',"
g+="drawtext=fontfile=\$font:textfile=$REF/headline-\$seg.txt:expansion=none:fontsize=48.6:fontcolor=white:"
g+="x=(w-text_w)/2:y=h*0.78+(h*0.12-text_h)/2:enable='between(t,1,14)'[x3];"
g+="[3:v]scale=200:-1,format=rgba[lg];[x3][lg]overlay=x=W-w-40:y=40[v];"
g+="[4:a]afade=t=out:st=14:d=1[a]"
exec ffmpeg -nostdin -v error -y -i "$REF/still1.png" -i "$REF/clip.mp4" -i "$REF/still2.png" \
  -i "$REF/logo.png" -i "$REF/bed.wav" -filter_complex "\$g" -map '[v]' -map '[a]' -t 15 \
  ${ENC[*]} "\$out"
EOF
chmod +x "$WORK/peer.sh"
: > "$WORK/cells.txt"
for s in "${SEGMENTS[@]}"; do for f in "${FORMATS[@]}"; do
  echo "$s $f $WORK/peer-batch/$s-$f.mp4" >> "$WORK/cells.txt"
done; done

measure() {  # OUTFILE CMD...   appends "wall_s cpu_s max_rss_kb"
  local o="$1"; shift
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/t" "$@" >"$WORK/last.log" 2>&1 \
    || { echo "FAILED: $*" >&2; cat "$WORK/last.log" >&2; exit 1; }
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$WORK/t" >> "$o"
}

# --- the floors' raw input: the cells of our first full batch (copied before the incremental run)
REFOUT_DIR="$WORK/refout"
cell_out() { echo "$REFOUT_DIR/$1/$2.mp4"; }
# raw SEG FMT: our rendered cell as raw yuv420p frames + f32 audio in $WORK/raw.{yuv,f32}
raw() {  # SEG FMT [FILE]
  ffmpeg -nostdin -v error -y -i "${3:-$(cell_out "$1" "$2")}" -f rawvideo -pix_fmt yuv420p "$WORK/raw.yuv" \
    -vn -f f32le -ac 2 -ar 48000 "$WORK/raw.f32"
}
floor() {  # FMT OUTFILE
  measure "$2" ffmpeg -nostdin -y -v error -f rawvideo -pix_fmt yuv420p -s "${FW[$1]}x${FH[$1]}" -r 30 \
    -i "$WORK/raw.yuv" -f f32le -ac 2 -ar 48000 -i "$WORK/raw.f32" "${ENC[@]}" "$WORK/floor.mp4"
}
sum_floors() {  # OUTFILE: wall and CPU summed over the 16 cells, max RSS
  : > "$WORK/f16.txt"
  for s in "${SEGMENTS[@]}"; do for f in "${FORMATS[@]}"; do
    raw "$s" "$f"; floor "$f" "$WORK/f16.txt"
  done; done
  rm -f "$WORK/raw.yuv" "$WORK/raw.f32"
  awk '{w += $1; c += $2; if ($3 > m) m = $3} END {printf "%.2f %.2f %d\n", w, c, m}' "$WORK/f16.txt" >> "$1"
}

# --- 1. the 16-cell batch + incremental --------------------------------------------------------
INCR_OK=1
[ "$ONLY" = all ] && for i in $(seq "$RUNS"); do
  log "batch, run $i/$RUNS: campaign-cli"
  rm -rf "$WORK/abatch"
  measure "$WORK/batch_ours.txt" "$CLI" render "$PROJECT" --out "$WORK/abatch" --jobs 2 --ignore-preflight
  [ -d "$REFOUT_DIR" ] || cp -r "$WORK/abatch/bench-reference" "$REFOUT_DIR"
  log "batch, run $i/$RUNS: incremental (one headline changed)"
  sed "s/Für den Weg zur Arbeit/Für den Weg zur Arbeit $i/" "$PROJECT" > "$REF/incremental.campaign"
  find "$WORK/abatch" -name '*.mp4' -printf '%p %i %T@\n' | sort > "$WORK/before.txt"
  measure "$WORK/incr_ours.txt" "$CLI" render "$REF/incremental.campaign" --out "$WORK/abatch" --jobs 2 --ignore-preflight
  find "$WORK/abatch" -name '*.mp4' -printf '%p %i %T@\n' | sort > "$WORK/after.txt"
  changed=$(comm -13 "$WORK/before.txt" "$WORK/after.txt" | awk '{print $1}')
  nchanged=$(printf '%s\n' "$changed" | grep -c . || true)
  other=$(printf '%s\n' "$changed" | grep -vc '/de-berlin/' || true)
  echo "run $i: $nchanged outputs rewritten, $other outside de-berlin" >> "$WORK/incr_cells.txt"
  [ "$nchanged" -eq 4 ] && [ "$other" -eq 0 ] || INCR_OK=0
  log "batch, run $i/$RUNS: ffmpeg CLI, 2 at a time"
  rm -rf "$WORK/peer-batch"; mkdir -p "$WORK/peer-batch"
  measure "$WORK/batch_peer.txt" xargs -P 2 -L 1 -a "$WORK/cells.txt" "$WORK/peer.sh"
  log "batch, run $i/$RUNS: 16 floors"
  sum_floors "$WORK/batch_floor.txt"
done

# --- 2. one 9:16 variant ---------------------------------------------------------------------
for i in $(seq "$RUNS"); do
  log "one variant, run $i/$RUNS"
  rm -rf "$WORK/a1"
  measure "$WORK/one_ours.txt" "$CLI" render "$PROJECT" --segment "$ONE_SEG" --format 9x16 --out "$WORK/a1" --jobs 2 --ignore-preflight
  measure "$WORK/one_peer.txt" "$WORK/peer.sh" "$ONE_SEG" 9x16 "$WORK/b1.mp4"
  raw "$ONE_SEG" 9x16 "$WORK/a1/bench-reference/$ONE_SEG/9x16.mp4"; floor 9x16 "$WORK/one_floor.txt"
done
rm -f "$WORK/raw.yuv" "$WORK/raw.f32"

# --- report -----------------------------------------------------------------------------------
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
col() { cut -d' ' -f"$2" "$WORK/$1.txt" | median; }
maxrss() { cut -d' ' -f3 "$WORK/$1.txt" | sort -n | tail -n 1 | awk '{printf "%d", $1 / 1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", a/b}'; }
met() { awk -v r="$1" -v t="$2" 'BEGIN{print (r <= t) ? "yes" : "**no**"}'; }
row() {  # name ours peer target_ratio target_text
  # Met or not is judged on the unrounded ratio: 0.303 prints as 0.30 but misses a 0.3 target.
  local r; r=$(ratio "$2" "$3")
  printf '| %s | %s s | %s s | %s | %s | %s |\n' "$1" "$2" "$3" "$r" "$5" \
    "$(met "$(awk -v a="$2" -v b="$3" 'BEGIN{printf "%.6f", a/b}')" "$4")"
}
echo
echo "Medians of $RUNS alternating runs; $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; $("$CLI" --version 2>/dev/null | head -n 1 || true)"
echo
echo '| measurement | ours | peer / floor | ratio | target | met? |'
echo '|---|---|---|---|---|---|'
row 'one 9:16 variant, wall — vs ffmpeg CLI' "$(col one_ours 1)" "$(col one_peer 1)" 0.75 '≤ 0.75×'
row 'one 9:16 variant, wall — vs encode-only floor' "$(col one_ours 1)" "$(col one_floor 1)" 1.15 '≤ 1.15×'
row 'one 9:16 variant, CPU — vs encode-only floor' "$(col one_ours 2)" "$(col one_floor 2)" 1.15 '≤ 1.15×'
if [ "$ONLY" = all ]; then
row '16-cell batch, wall — vs ffmpeg CLI 2 at a time' "$(col batch_ours 1)" "$(col batch_peer 1)" 0.7 '≤ 0.7×'
row '16-cell batch, wall — vs sum of 16 floors' "$(col batch_ours 1)" "$(col batch_floor 1)" 1.1 '≤ 1.1×'
printf '| 16-cell batch, CPU (info) — vs ffmpeg CLI / sum of floors | %s s | %s s / %s s | %s / %s | — | — |\n' \
  "$(col batch_ours 2)" "$(col batch_peer 2)" "$(col batch_floor 2)" \
  "$(ratio "$(col batch_ours 2)" "$(col batch_peer 2)")" "$(ratio "$(col batch_ours 2)" "$(col batch_floor 2)")"
if [ "$INCR_OK" = 1 ]; then
  row 'incremental (1 headline changed), wall — vs our full batch' "$(col incr_ours 1)" "$(col batch_ours 1)" 0.3 '4 cells, ≤ 0.3×'
else
  printf '| incremental (1 headline changed) — vs our full batch | not available yet (%s s, re-renders more than the 4 changed cells) | %s s | — | 4 cells, ≤ 0.3× | no |\n' \
    "$(col incr_ours 1)" "$(col batch_ours 1)"
fi
BR=$(maxrss batch_ours)
printf '| batch peak RSS | %s MB (whole batch, one process) | %s MB (largest single ffmpeg process) | — | ≤ 600 MB | %s |\n' \
  "$BR" "$(maxrss batch_peer)" "$( [ "$BR" -le 600 ] && echo yes || echo '**no**')"
fi
printf '| one variant peak RSS (info) | %s MB | %s MB / floor %s MB | — | — | — |\n' \
  "$(maxrss one_ours)" "$(maxrss one_peer)" "$(maxrss one_floor)"
echo
[ "$ONLY" = all ] && { echo "Incremental check (outputs rewritten by the re-export):"; sed 's/^/  /' "$WORK/incr_cells.txt"; }
echo "Raw samples (wall s, CPU s, max RSS kB):"
for f in one_ours one_peer one_floor batch_ours incr_ours batch_peer batch_floor; do
  [ -f "$WORK/$f.txt" ] || continue
  printf '  %-12s %s\n' "$f" "$(tr '\n' ';' < "$WORK/$f.txt")"
done
