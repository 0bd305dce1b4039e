// SPDX-License-Identifier: GPL-3.0-or-later
#include "soundtrack_cache.h"

#include "renderer.h"

#include <QCryptographicHash>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <mutex>

namespace render {

namespace {
// A few soundtracks are enough for a batch (they arrive format by format, and a cell's
// soundtrack is 250 KB of packets); more would only hold memory for campaigns that vary it.
constexpr size_t kKeptSoundtracks = 8;

struct Entry {
    QByteArray key;
    bool encoding = true;  // claimed, packets not published yet
    std::vector<ff::PacketPtr> packets;
};

struct Cache {
    std::mutex mutex;
    std::condition_variable published;
    std::list<Entry> entries;  // most recently used first
    int encodes = 0;
    int reuses = 0;
};

Cache &cache()
{
    static Cache c;
    return c;
}

std::vector<ff::PacketPtr> cloneAll(const std::vector<ff::PacketPtr> &packets)
{
    std::vector<ff::PacketPtr> copies;
    copies.reserve(packets.size());
    for (const ff::PacketPtr &p : packets) {
        ff::PacketPtr copy(av_packet_clone(p.get()));
        if (!copy)
            return {};
        copies.push_back(std::move(copy));
    }
    return copies;
}
}  // namespace

QByteArray soundtrackKey(const std::vector<float> &interleaved, int sampleRate, int bitrate,
                         int frameSize)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const int64_t settings[] = {sampleRate, bitrate, frameSize, int64_t(interleaved.size())};
    hash.addData(QByteArrayView(reinterpret_cast<const char *>(settings), sizeof settings));
    hash.addData(QByteArrayView(reinterpret_cast<const char *>(interleaved.data()),
                                qsizetype(interleaved.size() * sizeof(float))));
    return hash.result();
}

std::optional<std::vector<ff::PacketPtr>> claimSoundtrack(const QByteArray &key)
{
    Cache &c = cache();
    std::unique_lock lock(c.mutex);
    for (;;) {
        const auto it = std::find_if(c.entries.begin(), c.entries.end(),
                                     [&](const Entry &e) { return e.key == key; });
        if (it == c.entries.end()) {
            c.entries.push_front(Entry{key, true, {}});
            ++c.encodes;
            return std::nullopt;
        }
        if (it->encoding) {
            c.published.wait(lock);
            continue;  // published or abandoned: look again
        }
        c.entries.splice(c.entries.begin(), c.entries, it);
        std::vector<ff::PacketPtr> copies = cloneAll(it->packets);
        if (copies.size() != it->packets.size())
            return std::nullopt;  // out of memory: encode it, but do not claim the key
        ++c.reuses;
        return copies;
    }
}

void publishSoundtrack(const QByteArray &key, const std::vector<ff::PacketPtr> &packets)
{
    std::vector<ff::PacketPtr> kept = cloneAll(packets);
    Cache &c = cache();
    std::lock_guard lock(c.mutex);
    const auto it = std::find_if(c.entries.begin(), c.entries.end(),
                                 [&](const Entry &e) { return e.key == key && e.encoding; });
    if (it != c.entries.end()) {
        if (kept.size() == packets.size()) {
            it->packets = std::move(kept);
            it->encoding = false;
        } else {
            c.entries.erase(it);
        }
    }
    size_t done = 0;
    for (auto e = c.entries.begin(); e != c.entries.end();) {
        if (!e->encoding && ++done > kKeptSoundtracks)
            e = c.entries.erase(e);
        else
            ++e;
    }
    c.published.notify_all();
}

void abandonSoundtrack(const QByteArray &key)
{
    Cache &c = cache();
    std::lock_guard lock(c.mutex);
    c.entries.remove_if([&](const Entry &e) { return e.key == key && e.encoding; });
    c.published.notify_all();
}

SoundtrackCounters soundtrackCounters()
{
    Cache &c = cache();
    std::lock_guard lock(c.mutex);
    return {c.encodes, c.reuses};
}

void forgetEncodedSoundtracks()
{
    Cache &c = cache();
    std::lock_guard lock(c.mutex);
    c.entries.remove_if([](const Entry &e) { return !e.encoding; });
    c.encodes = c.reuses = 0;
}

}  // namespace render
