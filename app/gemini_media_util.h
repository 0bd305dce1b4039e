// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Small helpers the Gemini image and Veo providers share: strict base64, reading an input
// image for an inline part, and writing a hidden temporary file into the work folder.
// Internal to services (not part of the provider API).

#include <QByteArray>
#include <QString>

namespace services {

// Decodes standard or URL-safe base64 (Google sends either), aborting on any character outside
// the alphabet: a damaged payload must fail here rather than produce plausible garbage (G10).
bool decodeBase64Strict(const QByteArray &base64, QByteArray *out);

// Reads a PNG, JPEG or WebP file to send inline. Returns an empty string on success, else a
// sentence naming the file and what to do (missing, too large, not an image).
QString readInputImage(const QString &path, qint64 maxBytes, QByteArray *bytes, QString *mimeType);

// Writes `bytes` to a new file "<workDir>/<prefix>XXXXXX.<suffix>" (hidden by the leading dot of
// `prefix`). On failure nothing is left behind and `error` names the folder.
bool writeHiddenTempFile(const QString &workDir, const QString &prefix, const QString &suffix,
                         const QByteArray &bytes, QString *path, QString *error);

// Reserves a new empty file name like writeHiddenTempFile (for downloads that stream into it).
bool reserveHiddenTempFile(const QString &workDir, const QString &prefix, const QString &suffix,
                           QString *path, QString *error);

}  // namespace services
