// SPDX-License-Identifier: GPL-3.0-or-later
// The advisory preflight of a batch (ExportOptions::preflightAdvice), run on a thread of its
// own beside the rendering: for one variant that is the difference between a core idle for
// the check and both encoding from the start. Its warnings are advice only.
#pragma once

#include "batch_export.h"

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

namespace services {

class AdvisoryPreflight {
public:
    // Starts checking `cells` in order unless `advise` is empty or there are none; stops
    // between cells once `cancel` is set. A check that throws is logged, not fatal.
    AdvisoryPreflight(std::vector<ExportCell> cells,
                      const std::function<void(const ExportCell &)> &advise,
                      const std::atomic<bool> *cancel);
    // Waits for the checks to finish (the batch's caller may destroy `advise` after).
    ~AdvisoryPreflight();
    AdvisoryPreflight(const AdvisoryPreflight &) = delete;
    AdvisoryPreflight &operator=(const AdvisoryPreflight &) = delete;

private:
    std::thread m_thread;
};

}  // namespace services
