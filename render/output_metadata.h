// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Provenance and AI disclosure in exported files (issue 7). One XMP packet describes an
// output: the IPTC DigitalSourceType, the creating tool and the generator models. It goes
//   - into MP4s as a top-level ISO-BMFF `uuid` box with the XMP UUID (where exiftool and
//     Adobe tools look for XMP in MP4), appended after the muxer has finished, plus plain
//     container tags (comment, encoder, title, description) that ffprobe shows;
//   - into PNGs as an uncompressed iTXt chunk "XML:com.adobe.xmp" (XMP spec part 3);
//   - into JPEGs as an APP1 segment with the "http://ns.adobe.com/xap/1.0/" signature.
// The packet holds no dates or ids, so the same inputs always give the same bytes.
// See docs/provenance.md for the properties written and how to read them back.

#include "renderer.h"

#include <QByteArray>
#include <QImage>
#include <QString>

namespace render {

// Namespace of the properties IPTC has no field for (the full model list).
inline constexpr char kProvenanceNamespace[] = "https://ns.campaign-studio.org/provenance/1.0/";
inline constexpr char kProvenancePrefix[] = "campaignstudio";

// The XMP packet (UTF-8 RDF/XML wrapped in <?xpacket?>) for `m`; empty when m.isEmpty().
QByteArray buildXmpPacket(const OutputMetadata &m);

// One human-readable line for players and ffprobe, e.g. "Contains AI-generated media (IPTC:
// compositeWithTrainedAlgorithmicMedia); models: gemini-2.5-flash-image, veo-3". Empty when
// m.digitalSourceType is empty.
QString disclosureText(const OutputMetadata &m);

// m.generatorModels sorted, without duplicates or empty entries (the order written).
QStringList normalisedModels(const OutputMetadata &m);

// Appends a top-level `uuid` box carrying `xmp` to the finished MP4 at `path`. Appending a box
// after the last one keeps an ISO-BMFF file valid; the walk over the top-level boxes first
// makes sure the file really ends where its last box does (a box "to end of file" would
// swallow ours). Does not fsync: the caller's commit does. IoError / Internal on failure.
bool appendMp4XmpBox(const QString &path, const QByteArray &xmp, RenderError *error);

// `png` with an iTXt XMP chunk inserted right after IHDR; empty if `png` is not a PNG.
QByteArray insertPngXmp(const QByteArray &png, const QByteArray &xmp);
// `jpeg` with an APP1 XMP segment after SOI and any APP0 (JFIF); empty if `jpeg` is not a
// JPEG or the packet does not fit one segment (64 KiB).
QByteArray insertJpegXmp(const QByteArray &jpeg, const QByteArray &xmp);

// Encodes `image` as PNG (format "PNG") or JPEG ("JPEG"/"JPG", quality 92) carrying the XMP
// of `m` (none when m.isEmpty()). Empty array and `error` filled on failure.
QByteArray encodeStillWithMetadata(const QImage &image, const QByteArray &format,
                                   const OutputMetadata &m, RenderError *error = nullptr);

// encodeStillWithMetadata, format from the suffix of `path` (.png, .jpg, .jpeg), written
// through the partial-file-then-rename protocol of output_file.h.
bool writeStillWithMetadata(const QImage &image, const QString &path, const OutputMetadata &m,
                            RenderError *error = nullptr);

// The optional visible disclosure: a small "AI-generated" caption (white on a translucent
// dark box) in the bottom leading corner of `safeRect` (output pixels, the format's safe
// zone), visible on every frame of a `width`×`height` composition of `frameCount` frames.
// Append it last so it sits on top. The caller decides when (format preset flag + generated
// media present); the text is not translated because platforms expect this exact label.
Layer aiDisclosureLabel(int width, int height, const QRectF &safeRect, int64_t frameCount,
                        const QString &text = QStringLiteral("AI-generated"));

}  // namespace render
