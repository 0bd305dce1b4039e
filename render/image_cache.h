// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Decoded stills shared by every Compositor of the process. An export runs several
// compositors over the same sources at once (the encode chunks of one variant, the groups of
// one format in a batch, the advisory preflight's small renders), and each used to decode the
// same 2048² PNGs and area-scale them for itself. A raster file is decoded once at its
// natural size; every smaller size it is drawn at is area-scaled from that decode (the same
// pixels loadImage gives: the same scale of the same decode), so drawing a still at four
// formats and at the preflight's sample scale inflates its PNG once. Entries are keyed by the
// file (path, device, inode, size, modification and change times in nanoseconds) and the size
// of the picture held, so a file edited or replaced (a new inode, as an atomic save makes) is
// decoded again. The cache holds at most its byte budget, dropping the least recently used
// entries first; a picture a compositor still draws stays alive through its own reference
// (QImage is implicitly shared and never written here).

#include "renderer.h"

#include <QImage>
#include <QSize>
#include <QString>

#include <condition_variable>
#include <cstdint>
#include <functional>
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
    struct FileId {
        QString path;
        uint64_t device = 0, inode = 0;
        int64_t fileSize = 0, modifiedNs = 0, changedNs = 0;
        bool operator==(const FileId &other) const = default;
    };
    struct Key {
        FileId file;
        QSize size;  // of the picture held (a vector file: the size asked for)
        bool operator==(const Key &other) const = default;
    };
    struct Entry {
        Key key;
        QImage image;
        bool loading = true;
        bool drawn = true;  // asked for itself, not only decoded to make smaller sizes from
    };
    enum class Use { Drawn, Scaled, ScaleSource };
    // What a file's header says, read once per file identity.
    struct Header {
        FileId file;
        QSize natural;  // after EXIF orientation
        bool vector = false;
    };
    std::list<Entry>::iterator find(const Key &key);
    // The entry for `key`, made by `produce` (called without the lock) unless it is held or
    // another thread is making it; a null result is not kept.
    // `use` says what the entry is for: drawn as it is (a decode), a smaller size made from
    // the natural one, or that natural decode made to scale from (a decode).
    QImage getOrMake(const Key &key, Use use, const std::function<QImage()> &produce);
    bool header(const FileId &file, Header *out);
    // After `scaled` was made from the natural-size decode `natural`: drops that decode
    // unless it is drawn itself or worth keeping to scale from.
    void keepSourceOf(const Key &natural, QSize scaled);
    void evictOverBudget();

    mutable std::mutex m_mutex;
    std::condition_variable m_loaded;
    std::list<Entry> m_entries;  // most recently used first; a handful of stills, so a list
    std::list<Header> m_headers;
    int64_t m_bytes = 0;         // of the entries done loading
    int64_t m_budget = kDefaultBudget;
    int64_t m_decodes = 0;
};

}  // namespace render
