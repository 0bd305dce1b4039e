// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Turns export events into either JSON Lines on stdout (--progress jsonl, one object per line,
// keys in the documented order, flushed per line) or short human lines on stderr.
// runExport already serialises events and throttles progress to ~2/s per cell.

#include "app/batch_export.h"

#include <QByteArray>
#include <QHash>
#include <QString>

namespace cli {

class ProgressOutput {
public:
    ProgressOutput(bool jsonl, int cellCount) : m_jsonl(jsonl), m_cellCount(cellCount) {}

    void onEvent(const services::ExportEvent &e);
    void summary(const services::ExportSummary &s, const QString &outDir);

    // Exposed for tests of the exact line format.
    static QByteArray jsonLine(const services::ExportEvent &e);
    static QByteArray summaryLine(const services::ExportSummary &s, const QString &outDir);

private:
    void human(const services::ExportEvent &e);

    bool m_jsonl;
    int m_cellCount;
    int m_started = 0;
    QHash<QString, int> m_lastQuarter;  // per job: last 25 % step printed
};

}  // namespace cli
