// SPDX-License-Identifier: GPL-3.0-or-later
#include "advisory_preflight.h"

#include <QtGlobal>

#include <exception>
#include <utility>

namespace services {

AdvisoryPreflight::AdvisoryPreflight(std::vector<ExportCell> cells,
                                     const std::function<void(const ExportCell &)> &advise,
                                     const std::atomic<bool> *cancel)
{
    if (!advise || cells.empty())
        return;
    m_thread = std::thread([&advise, cancel, cells = std::move(cells)] {
        for (const ExportCell &cell : cells) {
            if (cancel && cancel->load())
                return;
            try {
                advise(cell);
            } catch (const std::exception &e) {
                qWarning("Preflight of %s failed: %s", qPrintable(cell.jobId()), e.what());
            }
        }
    });
}

AdvisoryPreflight::~AdvisoryPreflight()
{
    if (m_thread.joinable())
        m_thread.join();
}

}  // namespace services
