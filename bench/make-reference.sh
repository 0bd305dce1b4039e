#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Makes the reference workload of docs BENCHMARKS.md in DIR, deterministically (ffmpeg -f lavfi
# sources only, bit-exact flags, fixed seeds):
#   still1.png  2048x2048 mandelbrot (fine detail)
#   still2.png  2048x2048 colour gradients + grid
#   logo.png    2048x2048 RGBA, transparent outside a ring-shaped badge
#   clip.mp4    1920x1080, 30 fps, 6 s (180 frames) H.264, moving test pattern + temporal grain
#   bed.wav     15 s stereo 48 kHz
#   reference.campaign  the reference composition (4 segments x 4 formats, 15 s at 30 fps)
#   headline-<segment>.txt  each segment's headline, for the ffmpeg peer's drawtext
# Usage: bench/make-reference.sh DIR        (sources already present are kept)
set -euo pipefail
DIR="${1:?usage: make-reference.sh DIR}"
mkdir -p "$DIR"
cd "$DIR"
FF=(ffmpeg -nostdin -hide_banner -v error -y)
BITEXACT=(-fflags +bitexact -flags +bitexact)

[ -s still1.png ] || "${FF[@]}" -f lavfi -i 'mandelbrot=size=2048x2048:rate=1:maxiter=512:start_scale=1.5' \
    -vf format=rgb24 -frames:v 1 "${BITEXACT[@]}" still1.png
# (an explicit geq gradient: the lavfi `gradients` source is not reproducible in ffmpeg 5.1,
# even with a fixed seed)
[ -s still2.png ] || "${FF[@]}" -f lavfi -i 'color=c=black:size=2048x2048:rate=1' \
    -vf "format=rgb24,geq=r='40+200*X/W':g='60+160*Y/H':b='128+100*sin(X/260+Y/410)',drawgrid=w=128:h=128:t=3:c=white@0.7" \
    -frames:v 1 "${BITEXACT[@]}" still2.png
[ -s logo.png ] || "${FF[@]}" -f lavfi -i 'color=c=black:size=2048x2048:rate=1' \
    -vf "format=rgba,geq=r='255':g='90+100*Y/H':b='31':a='if(between(hypot(X-1024,Y-1024),560,980),255,if(lt(hypot(X-1024,Y-1024),380),200,0))'" \
    -frames:v 1 "${BITEXACT[@]}" logo.png
[ -s clip.mp4 ] || "${FF[@]}" -f lavfi -i 'testsrc2=size=1920x1080:rate=30:duration=6' \
    -vf 'noise=alls=6:allf=t+u:all_seed=7' -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p \
    -g 60 "${BITEXACT[@]}" -an clip.mp4
[ -s bed.wav ] || "${FF[@]}" -f lavfi \
    -i 'aevalsrc=0.25*sin(2*PI*220*t)+0.1*sin(2*PI*440*t)*sin(2*PI*2*t)|0.25*sin(2*PI*277.2*t)+0.1*sin(2*PI*554.4*t)*sin(2*PI*2*t):s=48000:d=15' \
    -c:a pcm_s16le "${BITEXACT[@]}" bed.wav

# Headlines (one line each at 4.5 % of the shorter side in every format, so the ffmpeg peer's
# single-line drawtext shows the same thing as our wrapped text box).
declare -A HEAD=(
  [se-stockholm]='Spring förbi stan, åk längre'
  [ae-dubai]='انطلق في الدروب مع سترايد'
  [us-ohio]='20% off every mile this week'
  [de-berlin]='Für den Weg zur Arbeit'
)
for s in "${!HEAD[@]}"; do printf '%s' "${HEAD[$s]}" > "headline-$s.txt"; done

# The logo: 200 px wide with a 40 px margin. Anchor sizes are fractions of the shorter side,
# which is 1080 px in all four formats (1080x1920, 1080x1080, 1080x1350, 1920x1080), so
# 200/1080 and 40/1080 give exactly 200 px and 40 px everywhere.
cat > reference.campaign <<EOF
{
  "schemaVersion": 1,
  "id": "2b7f4c1e-8d3a-4e59-a6b1-0c9e5d7f3a24",
  "name": "Bench Reference",
  "brandKit": {
    "colors": {"primary": "#ff5a1f", "text": "#ffffff"},
    "font": "Noto Sans",
    "logo": "logo"
  },
  "formats": ["9x16", "1x1", "4x5", "16x9"],
  "segments": [
    {"id": "se-stockholm", "name": "Stockholm",
     "attributes": {"locale": "sv_SE", "region": "Stockholm", "tone": "playful"},
     "variables": {"headline": "${HEAD[se-stockholm]}"}},
    {"id": "ae-dubai", "name": "Dubai",
     "attributes": {"locale": "ar_AE", "region": "Dubai", "tone": "bold"},
     "variables": {"headline": "${HEAD[ae-dubai]}"}},
    {"id": "us-ohio", "name": "Ohio",
     "attributes": {"locale": "en_US", "region": "Ohio", "tone": "warm"},
     "variables": {"headline": "${HEAD[us-ohio]}"}},
    {"id": "de-berlin", "name": "Berlin",
     "attributes": {"locale": "de_DE", "region": "Berlin", "tone": "confident"},
     "variables": {"headline": "${HEAD[de-berlin]}"}}
  ],
  "assets": [
    {"id": "still1", "kind": "image", "path": "still1.png"},
    {"id": "still2", "kind": "image", "path": "still2.png"},
    {"id": "logo", "kind": "image", "path": "logo.png"},
    {"id": "clip", "kind": "video", "path": "clip.mp4"},
    {"id": "bed", "kind": "audio", "path": "bed.wav"}
  ],
  "timeline": {
    "fps": "30",
    "duration": "15",
    "tracks": [
      {"id": "v1", "kind": "video", "name": "Pictures",
       "clips": [
         {"id": "still1", "source": "asset:still1", "start": "0", "duration": "11/2", "fit": "cover",
          "kenBurns": {"from": {"scale": 1.0, "x": 0.5, "y": 0.5},
                       "to": {"scale": 1.15, "x": 0.5, "y": 0.5}}},
         {"id": "clip", "source": "asset:clip", "start": "5", "duration": "6", "fit": "cover",
          "transitionIn": "1/2"},
         {"id": "still2", "source": "asset:still2", "start": "21/2", "duration": "9/2", "fit": "cover",
          "transitionIn": "1/2",
          "kenBurns": {"from": {"scale": 1.15, "x": 0.5, "y": 0.5},
                       "to": {"scale": 1.0, "x": 0.5, "y": 0.5}}}
       ]},
      {"id": "t1", "kind": "text", "name": "Headline",
       "clips": [
         {"id": "headline", "start": "1", "duration": "13",
          "layout": {"mode": "box", "box": {"x": 0.06, "y": 0.78, "w": 0.88, "h": 0.12}},
          "text": {"text": "{{headline}}", "size": 0.045, "color": "#ffffff",
                   "background": "#000000", "backgroundOpacity": 0.55, "padding": 0.02,
                   "align": "center", "bold": true}}
       ]},
      {"id": "logo", "kind": "image", "name": "Logo",
       "clips": [
         {"id": "logo", "source": "asset:logo", "start": "0", "duration": "15", "fit": "contain",
          "layout": {"mode": "anchor", "anchor": "top-right",
                     "size": 0.18518518518518517, "margin": 0.037037037037037035}}
       ]},
      {"id": "a1", "kind": "audio", "name": "Bed",
       "clips": [
         {"id": "bed", "source": "asset:bed", "start": "0", "duration": "15", "gain": 1,
          "audioFadeOut": "1"}
       ]}
    ]
  }
}
EOF
echo "$DIR/reference.campaign"
