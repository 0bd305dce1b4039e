// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Exports a set of (segment, format) cells of one campaign. Used by campaign-cli and the GUI,
// so both produce the same files. Cells run on `jobs` worker threads; events are delivered on
// those worker threads (serialised by a mutex), so a GUI must forward them to its own thread.
//
// Each cell writes <format>.mp4 and <format>.poster.png into its segment folder and an entry
// of <outDir>/<campaign-slug>/manifest.json (see export_manifest.h). Exports are incremental:
// a cell whose content hash (cell_hash.h) and file are unchanged since the manifest recorded
// it is skipped, unless ExportOptions::force is set.

#include "editor/campaign.h"
#include "render/composition.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <vector>

namespace services {

// x264's output bytes depend on its thread count (frame threading changes its decisions), so
// every cell is encoded with this fixed count, whatever --jobs, the GUI or the machine's core
// count is. Parallelism comes from --jobs instead: several cells, grouped per format, encode
// at once, and a cell rendering alone encodes its fixed chunks (render::encodeChunkStarts)
// on up to --jobs cores. (2-thread x264 gave different bytes run to run on identical frames;
// single-threaded x264 did too once encoders were opened after others had been freed, which
// came from libx264 reading heap memory it never wrote, now kept on fresh zeroed pages by
// render/video_writer.cpp. Whether that was also the 2-thread cause is not re-tested; one
// thread per chunk stays, which also keeps each encoder's memory, and the batch's, smallest.)
inline constexpr int kEncoderThreads = 1;

struct ExportCell {
    QString segmentId;
    QString formatId;
    QString outputPath;   // <outDir>/<campaign-slug>/<segment-slug>/<format-id>.mp4
    QString jobId() const { return segmentId + QLatin1Char('/') + formatId; }
};

struct ExportEvent {
    enum class Type { Start, Progress, Done };
    enum class Status { Ok, Failed, Cancelled, Skipped };  // Skipped: up to date, kept
    Type type = Type::Start;
    ExportCell cell;
    int64_t frame = 0;
    int64_t frames = 0;
    double etaSeconds = -1;
    Status status = Status::Ok;     // Done only
    QString sha256;                 // Done + Ok or Skipped
    QString contentHash;            // Done + Ok or Skipped: cellContentHash of the cell
    QString posterPath;             // Done + Ok or Skipped: <format>.poster.png
    QString errorCode;              // Done + Failed: "missing_input", "invalid_input",
                                    // "cannot_create", "io_error", "internal",
                                    // "changed_since_approval", "preflight_failed",
                                    // "no_space" (refused by the free-space pre-check)
    QString errorMessage;
};

struct ExportSummary {
    int ok = 0;
    int failed = 0;
    int cancelled = 0;
    int skipped = 0;         // up to date in the manifest, not rendered again
    QStringList errorCodes;  // one per failed cell
};

// Output path rules: names come from ids, sanitised to [A-Za-z0-9._-] and confined to outDir.
QString cellOutputPath(const editor::Campaign &c, const QString &outDir,
                       const QString &segmentId, const QString &formatId);

// Empty filters mean "all". Unknown ids are reported in `errors`.
std::vector<ExportCell> planExport(const editor::Campaign &c, const QString &outDir,
                                   const QStringList &segmentIds, const QStringList &formatIds,
                                   QStringList *errors);

// <outDir>/<campaign-slug>/manifest.json
QString manifestPath(const editor::Campaign &c, const QString &outDir);
// The poster of a cell: <format>.poster.png next to its MP4.
QString posterPath(const ExportCell &cell);

struct ExportOptions {
    bool force = false;          // render every cell even when the manifest says it is current
    double posterTimeSec = -1;   // poster frame time; < 0: a third of the duration
    // A sharded render (shard.h) keeps its own manifest next to manifest.json, so shards
    // writing into one shared folder never overwrite each other's entries.
    QString manifestFileName = QStringLiteral("manifest.json");
    QJsonObject manifestExtra;   // extra top-level keys of that manifest (the "shard" record)
    // `render --approved-only`: ship what was reviewed, never a new render of it. A cell whose
    // content hash no longer matches its manifest entry (inputs edited after the approval) is
    // refused with "changed_since_approval" instead of being rendered over the approved file.
    bool onlyAsReviewed = false;
    // Cells ("segment/format" job ids) refused before rendering, with the reason: `render`
    // puts the cells with blocking preflight findings here (app/preflight.h) unless --force.
    // Each fails with errorCode "preflight_failed"; nothing of it is written.
    QMap<QString, QString> refusedCells;
    // Asked only for the cells that will render (not up to date, not refused above), after
    // their content hash is known: a refusal reason fails the cell with "preflight_failed",
    // empty lets it render. `render` checks preflight here, so an incremental re-export
    // checks only what it re-renders. Called from up to --jobs threads at once, before any
    // cell renders; must be thread-safe.
    std::function<QString(const ExportCell &)> preflightRefusal;
    // The advisory form of the same check (`render --force` and `--ignore-preflight`): asked
    // for the same cells, but on one thread beside the rendering instead of before it, since
    // its findings hold nothing back; the batch returns once it is done. Must be thread-safe.
    std::function<void(const ExportCell &)> preflightAdvice;
    // Before anything renders, the batch's estimated size (disk_space.h) is compared with the
    // free space of the export folder's volume; when it does not fit, every cell fails with
    // errorCode "no_space" and nothing is written. `render --no-space-check` turns it off
    // (a volume that reports its free space wrongly, or an estimate known to be too high).
    bool checkFreeSpace = true;
};

// The provenance a cell's MP4 and poster carry: IPTC compositeWithTrainedAlgorithmicMedia
// when any source is a generated asset, trainedAlgorithmicMedia when every layer and sound is
// one, nothing but the creator tool when none is (docs/provenance.md).
render::OutputMetadata outputMetadataFor(const editor::Campaign &c, const render::Composition &comp);

class ExportManifest;
// Bytes the cells that will render need (disk_space.h), skipping those the manifest lists with
// their file still in place (they are most likely up to date) and those refused by preflight.
qint64 estimateBatchBytes(const editor::Campaign &c, const std::vector<ExportCell> &cells,
                          const ExportManifest &manifest, const ExportOptions &options);

// The manifest lives in the campaign folder of the cells (the folder above the segment
// folders); all cells must come from one planExport call.
ExportSummary runExport(const editor::Campaign &c, const std::vector<ExportCell> &cells,
                        int jobs, const std::function<void(const ExportEvent &)> &onEvent,
                        const std::atomic<bool> *cancel, const ExportOptions &options = {});

}  // namespace services
