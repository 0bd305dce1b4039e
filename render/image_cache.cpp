// SPDX-License-Identifier: GPL-3.0-or-later
#include "image_cache.h"
#include "image_source.h"

#include <QFile>

#include <algorithm>

#include <sys/stat.h>

namespace render {

DecodedImageCache &DecodedImageCache::instance()
{
    static DecodedImageCache cache;
    return cache;
}

std::list<DecodedImageCache::Entry>::iterator DecodedImageCache::find(const Key &key)
{
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        if (it->key == key)
            return it;
    }
    return m_entries.end();
}

bool DecodedImageCache::header(const FileId &file, Header *out)
{
    {
        std::lock_guard lock(m_mutex);
        for (const Header &h : m_headers) {
            if (h.file == file) {
                *out = h;
                return true;
            }
        }
    }
    ImageInfo info;
    RenderError ignored;  // loadImage reports the same failure, naming the file
    if (!probeImage(file.path, &info, &ignored))
        return false;
    *out = Header{file, info.size.toSize(), info.vector};
    std::lock_guard lock(m_mutex);
    // Files come and go with their identity; a project has a handful of stills.
    std::erase_if(m_headers, [&](const Header &h) { return h.file.path == file.path; });
    m_headers.push_back(*out);
    return true;
}

QImage DecodedImageCache::getOrMake(const Key &key, Use use,
                                    const std::function<QImage()> &produce)
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        auto it = find(key);
        if (it == m_entries.end())
            break;
        if (!it->loading) {
            it->drawn = it->drawn || use != Use::ScaleSource;
            m_entries.splice(m_entries.begin(), m_entries, it);
            return it->image;
        }
        // Another thread is making it; a failure there removes the entry and this thread
        // then tries (and reports) for itself.
        m_loaded.wait(lock);
    }
    m_entries.push_front(Entry{key, {}, true, use != Use::ScaleSource});
    if (use != Use::Scaled)
        ++m_decodes;
    lock.unlock();
    QImage image = produce();
    lock.lock();
    auto it = find(key);  // still there: only this thread removes a loading entry
    if (image.isNull()) {
        m_entries.erase(it);
    } else {
        it->image = image;
        it->loading = false;
        m_bytes += image.sizeInBytes();
        m_entries.splice(m_entries.begin(), m_entries, it);
        evictOverBudget();
    }
    m_loaded.notify_all();
    return image;
}

QImage DecodedImageCache::get(const QString &path, QSize drawSize, RenderError *error)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return loadImage(path, drawSize, error);  // names the missing or unreadable file
    const auto ns = [](const timespec &t) { return int64_t(t.tv_sec) * 1000000000 + t.tv_nsec; };
    const FileId file{path, uint64_t(st.st_dev), uint64_t(st.st_ino), int64_t(st.st_size),
                      ns(st.st_mtim), ns(st.st_ctim)};
    Header h;
    if (!header(file, &h))
        return loadImage(path, drawSize, error);  // names the file and what is wrong with it
    if (h.vector) {
        // Rasterised at the drawn size: no natural size to share, an entry per drawn size.
        const QSize size = drawSize.isValid() && !drawSize.isEmpty() ? drawSize : h.natural;
        return getOrMake(Key{file, size}, Use::Drawn,
                         [&] { return loadImage(path, drawSize, error); });
    }
    const QSize target = rasterSizeForDrawing(h.natural, drawSize);
    const auto decodeNatural = [&] { return loadImage(path, QSize(), error); };
    if (target == h.natural)
        return getOrMake(Key{file, h.natural}, Use::Drawn, decodeNatural);
    return getOrMake(Key{file, target}, Use::Scaled, [&]() -> QImage {
        const QImage natural = getOrMake(Key{file, h.natural}, Use::ScaleSource, decodeNatural);
        if (natural.isNull())
            return {};
        QImage scaled = scaledForDrawing(natural, path, drawSize, error);
        keepSourceOf(Key{file, h.natural}, target);
        return scaled;
    });
}

void DecodedImageCache::keepSourceOf(const Key &natural, QSize scaled)
{
    // A natural-size decode nobody draws is kept to make other sizes from only where that is
    // likely to pay: a picture scaled to a quarter of its size or more (the preflight's sample
    // scale of a picture the export draws whole, a still at another format). One scaled much
    // smaller (a logo) is not worth its memory, nor a camera photo of 24 MP (96 MB decoded),
    // which would crowd out the pictures actually drawn: they are decoded again instead.
    std::lock_guard lock(m_mutex);
    const auto it = find(natural);
    if (it == m_entries.end() || it->loading || it->drawn)
        return;
    const bool small = int64_t(scaled.width()) * 4 < natural.size.width()
        && int64_t(scaled.height()) * 4 < natural.size.height();
    if (!small && it->image.sizeInBytes() <= m_budget / 8)
        return;
    m_bytes -= it->image.sizeInBytes();
    m_entries.erase(it);
}

void DecodedImageCache::evictOverBudget()
{
    // From the least recently used end, keeping the entry just added even when it alone is
    // over the budget (the caller holds it anyway) and entries still loading.
    auto it = m_entries.end();
    while (m_bytes > m_budget && it != m_entries.begin()) {
        --it;
        if (it->loading || it == m_entries.begin())
            continue;
        m_bytes -= it->image.sizeInBytes();
        it = m_entries.erase(it);
    }
}

void DecodedImageCache::setBudget(int64_t bytes)
{
    std::lock_guard lock(m_mutex);
    m_budget = std::max<int64_t>(0, bytes);
    evictOverBudget();
}

int64_t DecodedImageCache::bytesHeld() const
{
    std::lock_guard lock(m_mutex);
    return m_bytes;
}

int64_t DecodedImageCache::decodes() const
{
    std::lock_guard lock(m_mutex);
    return m_decodes;
}

void DecodedImageCache::clear()
{
    std::lock_guard lock(m_mutex);
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (it->loading) {
            ++it;
            continue;
        }
        m_bytes -= it->image.sizeInBytes();
        it = m_entries.erase(it);
    }
    m_headers.clear();
}

}  // namespace render
