// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Opening a media file for decoding, with the limits every input gets: local files only, a
// bounded probe, a pixel cap against decompression bombs, and a clear MissingInput error
// naming the path before libavformat ever sees it.

#include "ffmpeg_ptr.h"
#include "render/renderer.h"

#include <QString>

namespace render::ff {

// FFmpeg logs to stderr process-wide; keep it to real errors (libx264 prints a banner per
// encode otherwise) unless CAMPAIGN_FFMPEG_VERBOSE is set. Called by every entry point.
void quietLogging();

// AVERROR code -> readable text ("No such file or directory").
QString errorText(int averror);

// MissingInput when `path` does not exist or is not a regular file; `what` says which kind of
// source it is ("image", "video", "audio") so the message tells the user what to relink.
bool checkSourceFile(const QString &path, const QString &what, RenderError *error);

struct DecoderInput {
    InputFormatPtr format;
    CodecContextPtr codec;
    AVStream *stream = nullptr;  // owned by `format`
    int streamIndex = -1;
};

// Opens `path`, picks the best stream of `type` and opens its decoder with `threads`
// (0 = automatic). Fills `error` (MissingInput / InvalidInput) on failure.
bool openDecoder(const QString &path, AVMediaType type, int threads, DecoderInput *out,
                 RenderError *error);

// Opens `path` for demuxing only (probe). Same checks and limits as openDecoder.
bool openInput(const QString &path, InputFormatPtr *out, RenderError *error);

}  // namespace render::ff
