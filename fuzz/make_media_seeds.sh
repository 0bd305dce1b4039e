#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates the media probe's seed corpus with the ffmpeg CLI: one tiny file per container
# and codec family the studio imports (PNG/JPEG/GIF stills, H.264/AAC MP4 with and without
# faststart, MOV, Matroska/MJPEG, WebM/VP8, WAV, ADTS AAC, Y4M). Each is a few frames of
# 32x32 or shorter, so every seed stays far below 50 KB and a fuzzer iteration stays fast.
# Generated media is never committed: the replay test and fuzz/run.sh call this script to make
# the seeds in a build folder. Usage: make_media_seeds.sh OUT_DIR
set -euo pipefail
OUT="${1:?usage: make_media_seeds.sh OUT_DIR}"
mkdir -p "$OUT"
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
V="testsrc2=size=32x32:rate=10"
A="sine=frequency=440:sample_rate=8000"
ff -f lavfi -i "$V" -frames:v 1 "$OUT/still.png"
ff -f lavfi -i "$V" -frames:v 1 -q:v 8 "$OUT/still.jpg"
ff -f lavfi -i "$V" -frames:v 3 "$OUT/anim.gif"
ff -f lavfi -i "$V" -f lavfi -i "$A" -t 0.3 -c:v libx264 -preset ultrafast -pix_fmt yuv420p \
   -c:a aac -b:a 16k -movflags +faststart "$OUT/clip_faststart.mp4"
ff -f lavfi -i "$V" -t 0.3 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -an "$OUT/clip_video_only.mp4"
ff -f lavfi -i "$V" -f lavfi -i "$A" -t 0.2 -c:v mjpeg -q:v 10 -c:a pcm_s16le "$OUT/clip.mov"
ff -f lavfi -i "$V" -t 0.2 -c:v mjpeg -q:v 10 "$OUT/clip_mjpeg.mkv"
ff -f lavfi -i "$V" -t 0.2 -c:v libvpx -b:v 20k "$OUT/clip_vp8.webm" || true
ff -f lavfi -i "$A" -t 0.05 -c:a pcm_s16le "$OUT/tone.wav"
ff -f lavfi -i "$A" -t 0.2 -c:a aac -b:a 16k "$OUT/tone.aac"
ff -f lavfi -i "testsrc2=size=16x16:rate=10" -frames:v 1 -pix_fmt yuv420p "$OUT/frame.y4m"
