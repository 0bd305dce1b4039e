// SPDX-License-Identifier: GPL-3.0-or-later
#include "encoder_slots.h"

#include <algorithm>

namespace render {

EncoderSlots::EncoderSlots(int count)
    : m_capacity(std::max(1, count))
    , m_free(m_capacity)
{
}

void EncoderSlots::acquire(int n)
{
    n = std::clamp(n, 1, m_capacity);  // more than there are would wait forever
    std::unique_lock lock(m_mutex);
    const uint64_t ticket = m_nextTicket++;
    m_changed.wait(lock, [&] { return m_serving == ticket && m_free >= n; });
    m_free -= n;
    m_peak = std::max(m_peak, m_capacity - m_free);
    ++m_serving;
    // The next ticket may be satisfiable with what is left.
    m_changed.notify_all();
}

void EncoderSlots::release(int n)
{
    n = std::clamp(n, 1, m_capacity);
    {
        std::lock_guard lock(m_mutex);
        m_free = std::min(m_capacity, m_free + n);
    }
    m_changed.notify_all();
}

void EncoderSlots::waitAvailable()
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_free > 0 && m_serving == m_nextTicket; });
}

int EncoderSlots::peakInUse() const
{
    std::lock_guard lock(m_mutex);
    return m_peak;
}

int EncoderSlots::waiting() const
{
    std::lock_guard lock(m_mutex);
    return int(m_nextTicket - m_serving);
}

}  // namespace render
