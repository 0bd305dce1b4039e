// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Review state of the exported cells (segment x format). An approval (editor::Approval) is
// bound to the render it was given for: the MP4's SHA-256 and the cell's content hash in the
// export manifest. Whether it still holds is computed here, never stored, so a re-export with
// changed inputs or a file edited after review shows up as "changed since approval" the next
// time anyone looks, in the GUI, the review sheet and `render --approved-only` alike.

#include "app/batch_export.h"
#include "app/cell_hash.h"
#include "app/export_manifest.h"
#include "editor/campaign.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>
#include <vector>

namespace services {

enum class ReviewStatus {
    NotRendered,  // no MP4 on disk
    Rendered,     // an MP4, nobody has decided on it
    Approved,
    Rejected,
    Changed,      // a decision exists but no longer matches the render: void, review again
};

// Stable names for files and the command line: "not-rendered", "rendered", "approved",
// "rejected", "changed".
QString reviewStatusName(ReviewStatus s);
std::optional<ReviewStatus> reviewStatusFromName(QStringView name);
// Text for people: "Not rendered", ..., "Changed since approval".
QString reviewStatusLabel(ReviewStatus s);

// The state machine, pure. `fileSha256` is the hash of the file on disk (ignored when
// !fileExists). A decision holds only when the file's hash, the manifest's hash of that file
// and the decision's hash all agree and the manifest's content hash is the one decided on.
ReviewStatus reviewStatus(const editor::Approval *approval, const ManifestCell *entry,
                          bool fileExists, const QString &fileSha256);

struct CellReview {
    QString segmentId;
    QString formatId;
    QString filePath;      // where the export writes the MP4 (cellOutputPath)
    QString posterPath;    // <format>.poster.png next to it
    bool fileExists = false;
    QString fileSha256;    // of the file on disk; empty when missing or unreadable
    std::optional<ManifestCell> manifest;
    std::optional<editor::Approval> approval;  // also when void: shown as history
    ReviewStatus status = ReviewStatus::NotRendered;
    QString jobId() const { return segmentId + QLatin1Char('/') + formatId; }
};

// Every cell of the campaign, segment-major in project order, against the export folder
// `outDir` (the folder `render --out` takes). Files are hashed through `hashes`, so a GUI that
// keeps one cache hashes each MP4 once until it changes. `warning` is set when the manifest
// was damaged (then every existing file counts as rendered but unverifiable).
QList<CellReview> reviewCells(const editor::Campaign &c, const QString &outDir,
                              FileHashCache &hashes, QString *warning = nullptr);

const editor::Approval *findApproval(const editor::Campaign &c, const QString &segmentId,
                                     const QString &formatId);

// A decision on `cell`: only for a file that is exactly what the manifest recorded, so the
// hashes stored are of the render the approver actually saw. nullopt with `why` otherwise.
std::optional<editor::Approval> makeApproval(const CellReview &cell,
                                             editor::Approval::Decision decision,
                                             const QString &comment, const QString &reviewer,
                                             const QDateTime &when, QString *why = nullptr);

// Replaces the cell's earlier decision, or adds one.
void setApproval(editor::Campaign &c, const editor::Approval &approval);

// `render --approved-only`: the planned cells whose status is Approved, in plan order.
std::vector<ExportCell> approvedCells(const editor::Campaign &c, const QString &outDir,
                                      const std::vector<ExportCell> &plan);

}  // namespace services
