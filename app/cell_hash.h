// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The content hash of an export cell: SHA-256 over a canonical serialisation of the resolved
// render::Composition plus the renderer version. Two cells with the same hash produce the
// same pixels and samples, so an incremental export may keep an earlier file. Source paths are
// replaced by the SHA-256 of the files' bytes: moving or copying the project keeps the hash,
// regenerating a picture with other bytes changes it.

#include "render/composition.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <mutex>

namespace services {

// Bump whenever the render core changes what it draws or encodes for the same composition
// (compositor, text layout, scaler, encoder options, FFmpeg upgrade): every cached cell is then
// rendered again. It is part of every content hash and is written into the export manifest.
// 3: chunked video encode; 4: RGB to YUV with 15-bit weights (a few pixels differ by one);
// 5: frames of pictures under static layers drawn straight in YUV (Compositor::renderYuv)
inline constexpr char kRendererVersion[] = "campaign-render/5";

// Hashes each source file once per run. Keyed by (path, size, mtime) so a file rewritten
// during the run is hashed again. Thread-safe: export workers share one cache.
class FileHashCache {
public:
    // Lower-case hex SHA-256, or empty with `error` set when the file cannot be read.
    QString sha256(const QString &path, QString *error = nullptr);

private:
    struct Key {
        QString path;
        qint64 size = 0;
        qint64 mtimeMs = 0;
        bool operator==(const Key &) const = default;
    };
    friend size_t qHash(const Key &k, size_t seed = 0)
    {
        return qHashMulti(seed, k.path, k.size, k.mtimeMs);
    }
    std::mutex m_mutex;
    QHash<Key, QString> m_hashes;
};

// Canonical, compact JSON text of `c` (sorted keys, exact doubles, colours as 16-bit RGBA).
// Every field of composition.h is included except `label`, which only names the cell in
// messages. Empty on failure with `error` naming the unreadable source.
QByteArray canonicalComposition(const render::Composition &c, FileHashCache &files,
                                QString *error = nullptr);

// SHA-256 hex of kRendererVersion + canonicalComposition(c). Empty on failure.
QString cellContentHash(const render::Composition &c, FileHashCache &files,
                        QString *error = nullptr);

}  // namespace services
