// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Exports a set of (segment, format) cells of one campaign. Used by campaign-cli and the GUI,
// so both produce the same files. Cells run on `jobs` worker threads; events are delivered on
// those worker threads (serialised by a mutex), so a GUI must forward them to its own thread.

#include "editor/campaign.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <vector>

namespace services {

struct ExportCell {
    QString segmentId;
    QString formatId;
    QString outputPath;   // <outDir>/<campaign-slug>/<segment-slug>/<format-id>.mp4
    QString jobId() const { return segmentId + QLatin1Char('/') + formatId; }
};

struct ExportEvent {
    enum class Type { Start, Progress, Done };
    enum class Status { Ok, Failed, Cancelled };
    Type type = Type::Start;
    ExportCell cell;
    int64_t frame = 0;
    int64_t frames = 0;
    double etaSeconds = -1;
    Status status = Status::Ok;     // Done only
    QString sha256;                 // Done + Ok only
    QString errorCode;              // Done + Failed: "missing_input", "invalid_input",
                                    // "cannot_create", "io_error", "internal"
    QString errorMessage;
};

struct ExportSummary {
    int ok = 0;
    int failed = 0;
    int cancelled = 0;
    QStringList errorCodes;  // one per failed cell
};

// Output path rules: names come from ids, sanitised to [A-Za-z0-9._-] and confined to outDir.
QString cellOutputPath(const editor::Campaign &c, const QString &outDir,
                       const QString &segmentId, const QString &formatId);

// Empty filters mean "all". Unknown ids are reported in `errors`.
std::vector<ExportCell> planExport(const editor::Campaign &c, const QString &outDir,
                                   const QStringList &segmentIds, const QStringList &formatIds,
                                   QStringList *errors);

ExportSummary runExport(const editor::Campaign &c, const std::vector<ExportCell> &cells,
                        int jobs, const std::function<void(const ExportEvent &)> &onEvent,
                        const std::atomic<bool> *cancel);

}  // namespace services
