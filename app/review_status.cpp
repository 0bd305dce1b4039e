// SPDX-License-Identifier: GPL-3.0-or-later
#include "review_status.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSet>

namespace services {

QString reviewStatusName(ReviewStatus s)
{
    switch (s) {
    case ReviewStatus::NotRendered: return QStringLiteral("not-rendered");
    case ReviewStatus::Rendered: return QStringLiteral("rendered");
    case ReviewStatus::Approved: return QStringLiteral("approved");
    case ReviewStatus::Rejected: return QStringLiteral("rejected");
    case ReviewStatus::Changed: return QStringLiteral("changed");
    }
    return {};
}

std::optional<ReviewStatus> reviewStatusFromName(QStringView name)
{
    for (ReviewStatus s : {ReviewStatus::NotRendered, ReviewStatus::Rendered, ReviewStatus::Approved,
                           ReviewStatus::Rejected, ReviewStatus::Changed})
        if (name == reviewStatusName(s))
            return s;
    return std::nullopt;
}

QString reviewStatusLabel(ReviewStatus s)
{
    switch (s) {
    case ReviewStatus::NotRendered: return QCoreApplication::translate("services", "Not rendered");
    case ReviewStatus::Rendered: return QCoreApplication::translate("services", "Rendered");
    case ReviewStatus::Approved: return QCoreApplication::translate("services", "Approved");
    case ReviewStatus::Rejected: return QCoreApplication::translate("services", "Rejected");
    case ReviewStatus::Changed:
        return QCoreApplication::translate("services", "Changed since approval");
    }
    return {};
}

ReviewStatus reviewStatus(const editor::Approval *approval, const ManifestCell *entry,
                          bool fileExists, const QString &fileSha256)
{
    if (!fileExists)
        return ReviewStatus::NotRendered;
    if (!approval)
        return ReviewStatus::Rendered;
    // Without a manifest entry nobody can say which inputs the file came from; with an
    // unreadable file (empty hash) nobody can say what it contains. Either way the decision
    // cannot be shown to hold.
    const bool holds = entry && !fileSha256.isEmpty() && approval->fileSha256 == fileSha256
        && entry->sha256 == fileSha256 && approval->contentHash == entry->contentHash;
    if (!holds)
        return ReviewStatus::Changed;
    return approval->decision == editor::Approval::Decision::Approved ? ReviewStatus::Approved
                                                                      : ReviewStatus::Rejected;
}

const editor::Approval *findApproval(const editor::Campaign &c, const QString &segmentId,
                                     const QString &formatId)
{
    for (const editor::Approval &a : c.approvals)
        if (a.segmentId == segmentId && a.formatId == formatId)
            return &a;
    return nullptr;
}

QList<CellReview> reviewCells(const editor::Campaign &c, const QString &outDir,
                              FileHashCache &hashes, QString *warning)
{
    ExportManifest manifest(manifestPath(c, outDir), c.id, c.name);
    manifest.load(warning);
    QList<CellReview> cells;
    for (const editor::Segment &segment : c.segments) {
        for (const editor::FormatPreset &format : c.formats) {
            CellReview cell;
            cell.segmentId = segment.id;
            cell.formatId = format.id;
            cell.filePath = cellOutputPath(c, outDir, segment.id, format.id);
            cell.posterPath = posterPath(ExportCell{segment.id, format.id, cell.filePath});
            cell.manifest = manifest.cell(cell.jobId());
            if (const editor::Approval *a = findApproval(c, segment.id, format.id))
                cell.approval = *a;
            const QFileInfo info(cell.filePath);
            cell.fileExists = info.isFile();
            if (cell.fileExists)
                cell.fileSha256 = hashes.sha256(cell.filePath);
            cell.status = reviewStatus(cell.approval ? &*cell.approval : nullptr,
                                       cell.manifest ? &*cell.manifest : nullptr,
                                       cell.fileExists, cell.fileSha256);
            cells.push_back(std::move(cell));
        }
    }
    return cells;
}

std::optional<editor::Approval> makeApproval(const CellReview &cell,
                                             editor::Approval::Decision decision,
                                             const QString &comment, const QString &reviewer,
                                             const QDateTime &when, QString *why)
{
    auto refuse = [why](const QString &reason) -> std::optional<editor::Approval> {
        if (why)
            *why = reason;
        return std::nullopt;
    };
    if (!cell.fileExists)
        return refuse(QCoreApplication::translate("services", "%1 has not been rendered yet.")
                          .arg(cell.jobId()));
    if (cell.fileSha256.isEmpty())
        return refuse(QCoreApplication::translate("services", "%1 cannot be read.").arg(cell.filePath));
    if (!cell.manifest || cell.manifest->sha256 != cell.fileSha256)
        return refuse(QCoreApplication::translate("services",
                                                  "%1 is not the file the export recorded (it "
                                                  "was changed or copied in afterwards); export "
                                                  "it again before reviewing.")
                          .arg(cell.jobId()));
    editor::Approval a;
    a.segmentId = cell.segmentId;
    a.formatId = cell.formatId;
    a.decision = decision;
    a.comment = comment.trimmed();
    a.reviewer = reviewer.trimmed();
    a.time = when.toUTC().toString(Qt::ISODate);
    a.fileSha256 = cell.fileSha256;
    a.contentHash = cell.manifest->contentHash;
    return a;
}

void setApproval(editor::Campaign &c, const editor::Approval &approval)
{
    for (editor::Approval &a : c.approvals) {
        if (a.segmentId == approval.segmentId && a.formatId == approval.formatId) {
            a = approval;
            return;
        }
    }
    c.approvals.push_back(approval);
}

std::vector<ExportCell> approvedCells(const editor::Campaign &c, const QString &outDir,
                                      const std::vector<ExportCell> &plan)
{
    FileHashCache hashes;
    QSet<QString> approved;
    for (const CellReview &cell : reviewCells(c, outDir, hashes))
        if (cell.status == ReviewStatus::Approved)
            approved.insert(cell.jobId());
    std::vector<ExportCell> kept;
    for (const ExportCell &cell : plan)
        if (approved.contains(cell.jobId()))
            kept.push_back(cell);
    return kept;
}

}  // namespace services
