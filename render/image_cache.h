// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Decoded stills shared by every Compositor of the process. An export runs several
// compositors over the same sources at once (the encode chunks of one variant, the groups of
// one format in a batch), and each used to decode the same 2048² PNGs and area-scale them for
// itself. Entries are keyed by the file (path, device, inode, size, modification and change
// times in nanoseconds) and the size it is drawn at, so a file edited or replaced (a new
// inode, as an atomic save makes) is decoded again. The cache holds at most its byte budget,
// dropping the least recently used entries first; a picture a compositor still draws stays
// alive through its own reference (QImage is implicitly shared and never written here).

#include "renderer.h"

#include <QImage>
#include <QSize>
#include <QString>

#include <condition_variable>
#include <cstdint>
#include <list>
#include <mutex>

namespace render {

class DecodedImageCache {
public:
    static DecodedImageCache &instance();

    // loadImage(path, drawSize) through the cache. Two threads asking for the same picture at
    // once decode it once: the second waits for the first. Failures are not cached.
    QImage get(const QString &path, QSize drawSize, RenderError *error);

    // Drops least recently used entries down to `bytes`, always keeping the newest one.
    void setBudget(int64_t bytes);
    int64_t bytesHeld() const;
    // Decodes done since the process started (what the cache did not save).
    int64_t decodes() const;
    void clear();

    static constexpr int64_t kDefaultBudget = int64_t(192) << 20;

private:
    DecodedImageCache() = default;
    struct Key {
        QString path;
        uint64_t device = 0, inode = 0;
        int64_t fileSize = 0, modifiedNs = 0, changedNs = 0;
        QSize drawSize;
        bool operator==(const Key &other) const = default;
    };
    struct Entry {
        Key key;
        QImage image;
        bool loading = true;
    };
    std::list<Entry>::iterator find(const Key &key);
    void evictOverBudget();

    mutable std::mutex m_mutex;
    std::condition_variable m_loaded;
    std::list<Entry> m_entries;  // most recently used first; a handful of stills, so a list
    int64_t m_bytes = 0;         // of the entries done loading
    int64_t m_budget = kDefaultBudget;
    int64_t m_decodes = 0;
};

}  // namespace render
