// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Sequential access to the frames of one video file. Requests are expected to move forward in
// small steps (export, playback, scrubbing right), which costs one decode per frame; going
// backwards, or jumping past the next keyframe, seeks. Each returned frame is converted once
// with a reused swscale context straight to the size it is drawn at.

#include "ffmpeg/input.h"

#include <QImage>
#include <QRect>
#include <QSize>
#include <QSizeF>

namespace render {

class VideoSource {
public:
    VideoSource();
    ~VideoSource();
    VideoSource(const VideoSource &) = delete;
    VideoSource &operator=(const VideoSource &) = delete;

    bool open(const QString &path, int threads, RenderError *error);
    bool isOpen() const { return bool(m_in.codec); }
    const QString &path() const { return m_path; }
    // Coded size and the display size after the sample aspect ratio.
    QSize codedSize() const;
    QSizeF displaySize() const;

    // The frame shown at `num/den` seconds after the source's start: the last frame with
    // pts <= that time, the first frame before it, the last frame once the source has ended.
    // Converted to Format_RGB32 at `outSize` (coded size when empty). Null + error on failure.
    // `part` (coded pixels; empty = the whole frame) converts only that part, at 1:1, when
    // `outSize` is the coded size: a clip cover-fitted to 9:16 shows a third of its width.
    // The part is widened as the pixel format needs (convertedPart() tells what was used).
    QImage frameAt(int64_t num, int64_t den, QSize outSize, RenderError *error,
                   QRect part = QRect());
    // The same frame as decoded, unconverted (owned by the source, valid until the next
    // call); null + error on failure. For the export's YUV path (compositor_yuv.cpp).
    const AVFrame *decodedFrameAt(int64_t num, int64_t den, RenderError *error);
    // Whether `frame` is already what the encoder takes: yuv420p, studio range, BT.709 (or
    // untagged HD, which frameAt() also reads as BT.709), square pixels.
    bool isEncoderYuv(const AVFrame *frame) const;
    // The coded-pixel rectangle the last frameAt() returned.
    QRect convertedPart() const { return m_convertedPart; }
    // Frames the decoder has produced since open(): what reaching the frames asked for cost.
    int64_t framesDecoded() const { return m_framesDecoded; }

private:
    bool reach(int64_t num, int64_t den, RenderError *error);  // m_current = the frame shown
    int decodeNext(AVFrame *into);  // 1 = frame, 0 = end of stream, < 0 = AVERROR
    bool seekTo(int64_t pts, RenderError *error);
    bool worthSeekingForward(int64_t target) const;
    // Into m_converted (reused when no caller still holds it).
    bool convert(const AVFrame *frame, QSize outSize, QRect part, RenderError *error);
    // `part` made whole in the frame's chroma subsampling and clamped to it; the whole frame
    // when the format cannot be cut by offsetting its planes.
    QRect alignedPart(const AVFrame *frame, QRect part) const;
    bool fail(int averror, RenderError *error) const;
    // Whether the container's index lists samples past the end of the file (a cut download).
    bool dataMissing() const;

    QString m_path;
    ff::DecoderInput m_in;
    ff::PacketPtr m_packet;
    ff::FramePtr m_current;  // the frame most recently reached (pts <= last target)
    ff::FramePtr m_pending;  // decoded but later than the last target
    bool m_haveCurrent = false;
    bool m_havePending = false;
    bool m_demuxEnded = false;
    bool m_decoderEnded = false;
    bool m_truncated = false;  // the demuxer ended where the index promised more samples
    int64_t m_startPts = 0;
    int64_t m_lastPts = 0;
    int64_t m_framesDecoded = 0;

    // The scaler is rebuilt only when the source format, the output size or the colour tags
    // change, which for a normal clip means once.
    struct SwsKey {
        int srcWidth = 0, srcHeight = 0, srcFormat = -1, dstWidth = 0, dstHeight = 0;
        int color = -1;  // swscale matrix * 2 + full range
        bool operator==(const SwsKey &) const = default;
    };
    ff::SwsPtr m_sws;
    SwsKey m_swsKey;
    QImage m_converted;  // cache of the current frame at m_convertedSize
    int64_t m_convertedPts = INT64_MIN;
    QSize m_convertedSize;
    QRect m_convertedPart;
};

}  // namespace render
