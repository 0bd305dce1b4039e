// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The batch's encoder slots: --jobs N means at most N encoders at once, because each 1080p
// x264 encoder holds ~150 MB of frames and keeps one core busy. A group of cells takes a slot
// per cell for its whole run; a single cell split into chunks (exportComposition with
// `encoders` > 1) takes one per chunk while that chunk encodes, so the next cell's first chunk
// starts on a core the moment one chunk of the previous cell ends, instead of waiting while
// the other chunk finishes and the file is muxed, hashed and recorded.
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace render {

class EncoderSlots {
public:
    explicit EncoderSlots(int count);
    EncoderSlots(const EncoderSlots &) = delete;
    EncoderSlots &operator=(const EncoderSlots &) = delete;

    int capacity() const { return m_capacity; }
    // Blocks until `n` slots (at most capacity()) are free and every earlier request has been
    // served: first come, first served, so a group waiting for two slots is not overtaken
    // forever by single chunks taking one each.
    void acquire(int n);
    void release(int n);
    // Blocks until a slot is free and no request is waiting for one, without taking it: a
    // cell about to start its chunks waits here, so its start is reported when it can run.
    void waitAvailable();
    // The most slots ever held at once (for tests: never above capacity()).
    int peakInUse() const;
    // Requests waiting in acquire() now (for tests).
    int waiting() const;

private:
    const int m_capacity;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    int m_free;
    int m_peak = 0;
    uint64_t m_nextTicket = 0;
    uint64_t m_serving = 0;
};

// Holds `n` slots of `from` (none when it is null) until destroyed or released.
class SlotHold {
public:
    SlotHold(EncoderSlots *from, int n) : m_slots(from), m_n(n)
    {
        if (m_slots)
            m_slots->acquire(m_n);
    }
    ~SlotHold() { release(); }
    SlotHold(const SlotHold &) = delete;
    SlotHold &operator=(const SlotHold &) = delete;
    void release()
    {
        if (m_slots)
            m_slots->release(m_n);
        m_slots = nullptr;
    }

private:
    EncoderSlots *m_slots;
    int m_n;
};

}  // namespace render
