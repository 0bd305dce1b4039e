// SPDX-License-Identifier: GPL-3.0-or-later
#include "image_cache.h"
#include "image_source.h"

#include <QFile>

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

QImage DecodedImageCache::get(const QString &path, QSize drawSize, RenderError *error)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return loadImage(path, drawSize, error);  // names the missing or unreadable file
    const auto ns = [](const timespec &t) { return int64_t(t.tv_sec) * 1000000000 + t.tv_nsec; };
    const Key key{path, uint64_t(st.st_dev), uint64_t(st.st_ino), int64_t(st.st_size),
                  ns(st.st_mtim), ns(st.st_ctim), drawSize};
    std::unique_lock lock(m_mutex);
    for (;;) {
        auto it = find(key);
        if (it == m_entries.end())
            break;
        if (!it->loading) {
            m_entries.splice(m_entries.begin(), m_entries, it);
            return it->image;
        }
        // Another thread is decoding it; a failure there removes the entry and this thread
        // then tries (and reports) for itself.
        m_loaded.wait(lock);
    }
    m_entries.push_front(Entry{key, {}, true});
    ++m_decodes;
    lock.unlock();
    QImage image = loadImage(path, drawSize, error);
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
}

}  // namespace render
