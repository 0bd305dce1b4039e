// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Preflight: the brand and platform rules every (segment, format) cell is checked against
// before export, shared by `campaign-cli validate`, `campaign-cli render` (which refuses cells
// with blocking findings unless --force) and the studio's preflight panel.
//
// The checks run over the resolved composition, so they see exactly what the renderer draws:
// text overflow and size come from render::fitText, the same layout the rasteriser uses.
// Rule ids are stable (they are the JSON report's "rule" values, see docs/cli.md):
//   unresolved-slot     blocking  a {{slot}} the segment has no value for
//   slot-format         blocking  a {{price:currency}} value that is not a C-locale number
//   media-missing       blocking  an asset not generated yet, unknown, or its file offline
//   resolve-error       blocking  anything else that stops the cell from resolving
//   text-overflow       blocking  text does not fit its box even at the minimum size
//   text-words-broken   warning   a word had to be split to fit (long compound)
//   text-safe-zone      blocking  a text box (or its lines when it has no box) outside the
//                                 format's safe zone
//   text-min-size       blocking  text drawn below PreflightOptions::minTextPx
//   text-contrast       blocking  WCAG ratio below 4.5 (3.0 for large text) against a box of
//                                 at least 50 % opacity; warning when measured against the
//                                 mean of the picture behind (an approximation)
//   logo-clear-space    blocking  another layer above the logo, or any text, within the
//                                 logo's clear space (a quarter of its height around it)
//   disclaimer-missing  blocking  the brand kit requires a disclaimer for the segment's
//                                 locale (or language) and no text layer shows it
//   duration-limit      blocking  the timeline is longer than the format's maxDuration
//   file-size-limit     warning   the estimated export size (disk_space.h) is over the
//                                 format's maxFileSizeMB (an estimate, so not blocking)
// Rules that cannot run are listed in PreflightReport::skippedRules.

#include "editor/campaign.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>
#include <vector>

namespace services {

enum class Severity { Blocking, Warning };

struct PreflightFinding {
    QString rule;        // stable id, see above
    Severity severity = Severity::Blocking;
    QString segmentId;
    QString formatId;
    QString layerId;     // the timeline clip id; empty for cell-wide rules
    QString message;     // what is wrong and how to fix it
    bool pseudo = false; // found on pseudo-localised text (--pseudo-locale)
    QString cell() const { return segmentId + QLatin1Char('/') + formatId; }
    bool operator==(const PreflightFinding &) const = default;
};

// Background samples shared between cells: the cells of one format usually have the same
// picture under their text, so it is rendered once for all of them (thread-safe).
class PreflightSamples;

struct PreflightOptions {
    QStringList segmentIds;   // empty = every segment
    QStringList formatIds;    // empty = every format
    double minTextPx = 24.0;  // smallest text size, output pixels, after shrink-to-fit
    // Sample the rendered picture behind text for the contrast rule (decodes media, at a
    // quarter of the output size). Off: contrast is checked only against opaque boxes.
    bool samplePixels = true;
    // Also check every text layer with pseudo-localised copy (pseudoLocalize below); those
    // findings are warnings flagged `pseudo`, so they inform without blocking an export.
    bool pseudoLocale = false;
    const std::atomic<bool> *cancel = nullptr;
    // Shared between calls when set (runPreflight makes one for its whole run).
    std::shared_ptr<PreflightSamples> samples;
};

std::shared_ptr<PreflightSamples> makePreflightSamples();

struct PreflightReport {
    std::vector<PreflightFinding> findings;  // sorted by segment, format, rule, layer
    int cellsChecked = 0;
    QStringList skippedRules;                // "<rule>: why it did not run"
    bool cancelled = false;

    int count(Severity s) const;
    bool hasBlocking() const { return count(Severity::Blocking) > 0; }
    // Cells ("segment/format") with at least one blocking finding.
    QStringList blockedCells() const;
    // {"cellsChecked", "blocking", "warnings", "findings": [{"rule", "severity", "segment",
    //  "format", "layer", "message", "pseudo"}], "skippedRules"}
    QJsonObject toJson() const;
    // One line per finding: "BLOCKING  de-commuters/9x16  text-overflow  [headline] ..."
    QString toText() const;
};

// Checks the selected cells of `c`. Unknown segment/format ids in the options are ignored
// (callers validate them first). Needs a QGuiApplication and render::loadRenderFonts().
// Thread-safe for distinct campaigns; the studio runs it on a worker thread.
PreflightReport runPreflight(const editor::Campaign &c, const PreflightOptions &options = {});

// Checks one cell.
std::vector<PreflightFinding> preflightCell(const editor::Campaign &c, const QString &segmentId,
                                            const QString &formatId,
                                            const PreflightOptions &options = {});

// Deterministic pseudo-localisation of `text`: letters get German-like diacritics, the text
// grows by at least 40 % with German compound words, and an Arabic (right-to-left) run is
// inserted, so a layout that survives it survives real translations.
QString pseudoLocalize(const QString &text);

QString severityName(Severity s);  // "blocking" | "warning"

}  // namespace services
