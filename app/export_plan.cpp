// SPDX-License-Identifier: GPL-3.0-or-later
// Where a batch's files go and what they declare: output names (confined to the export
// folder), the cells of a plan, the provenance of a cell, and the bytes a batch will need.
// The rendering itself is in batch_export.cpp.
#include "batch_export.h"

#include "disk_space.h"
#include "export_manifest.h"

#include "editor/resolve.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSet>

namespace services {

namespace {
QString tr(const char *text) { return QCoreApplication::translate("services", text); }

// "Stride Autumn Drop" -> "stride-autumn-drop"; accents are dropped, not the letters.
QString campaignSlug(const QString &name)
{
    const QString decomposed = name.normalized(QString::NormalizationForm_KD).toLower();
    QString slug;
    for (QChar ch : decomposed) {
        if ((ch >= u'a' && ch <= u'z') || (ch >= u'0' && ch <= u'9'))
            slug += ch;
        else if (ch.category() != QChar::Mark_NonSpacing && !slug.endsWith(QLatin1Char('-')))
            slug += QLatin1Char('-');
    }
    while (slug.startsWith(QLatin1Char('-')))
        slug.remove(0, 1);
    while (slug.endsWith(QLatin1Char('-')))
        slug.chop(1);
    return slug.isEmpty() ? QStringLiteral("campaign") : slug;
}

// Ids become single path components: [A-Za-z0-9._-] only, never "", "." or "..", never hidden.
QString pathComponent(const QString &id)
{
    QString out;
    for (QChar ch : id) {
        const bool ok = (ch >= u'a' && ch <= u'z') || (ch >= u'A' && ch <= u'Z')
            || (ch >= u'0' && ch <= u'9') || ch == u'.' || ch == u'_' || ch == u'-';
        out += ok ? ch : QLatin1Char('_');
    }
    if (out.isEmpty() || out.startsWith(QLatin1Char('.')))
        out.prepend(QLatin1Char('_'));
    return out;
}
}  // namespace

// What the cell's files declare about themselves (docs/provenance.md). As soon as one source
// is a generated asset the output contains AI-generated media, with the models involved: a
// composite, unless every layer and every sound of the cell is generated media (no text, no
// solid, no hand-made picture or sound), and then it is itself purely generated. No
// timestamps, so identical inputs still give byte-identical files.
render::OutputMetadata outputMetadataFor(const editor::Campaign &c, const render::Composition &comp)
{
    QSet<QString> sources;
    for (const render::Layer &l : comp.layers)
        sources.insert(l.sourcePath);
    for (const render::AudioClip &a : comp.audio)
        sources.insert(a.sourcePath);
    render::OutputMetadata m;
    const QString version = QCoreApplication::applicationVersion();
    m.creatorTool = version.isEmpty() ? QStringLiteral("Campaign Studio")
                                      : QStringLiteral("Campaign Studio ") + version;
    QSet<QString> generated;
    for (const editor::Asset &a : c.assets) {
        if (!a.recipe || a.recipe->provider.isEmpty() || a.path.isEmpty() || !sources.contains(a.path))
            continue;
        generated.insert(a.path);
        if (!a.recipe->model.isEmpty())
            m.generatorModels << a.recipe->model;
    }
    if (generated.isEmpty())
        return m;
    bool onlyGenerated = !comp.layers.empty();
    for (const render::Layer &l : comp.layers)
        onlyGenerated = onlyGenerated && !l.sourcePath.isEmpty() && generated.contains(l.sourcePath);
    for (const render::AudioClip &a : comp.audio)
        onlyGenerated = onlyGenerated && generated.contains(a.sourcePath);
    m.digitalSourceType = QString::fromLatin1(onlyGenerated ? render::kDigitalSourceGenerated
                                                            : render::kDigitalSourceComposite);
    return m;
}

QString manifestPath(const editor::Campaign &c, const QString &outDir)
{
    return QDir::cleanPath(QDir(outDir).absolutePath() + QLatin1Char('/') + campaignSlug(c.name)
                           + QStringLiteral("/manifest.json"));
}

QString posterPath(const ExportCell &cell)
{
    QString path = cell.outputPath;
    if (path.endsWith(QStringLiteral(".mp4")))
        path.chop(4);
    return path + QStringLiteral(".poster.png");
}

QString cellOutputPath(const editor::Campaign &c, const QString &outDir, const QString &segmentId,
                       const QString &formatId)
{
    const QString root = QDir::cleanPath(QDir(outDir).absolutePath());
    const QString path = QDir::cleanPath(root + QLatin1Char('/') + campaignSlug(c.name)
                                         + QLatin1Char('/') + pathComponent(segmentId)
                                         + QLatin1Char('/') + pathComponent(formatId)
                                         + QStringLiteral(".mp4"));
    // Belt and braces: the sanitising above already makes escaping impossible.
    return path.startsWith(root + QLatin1Char('/')) ? path : QString();
}

std::vector<ExportCell> planExport(const editor::Campaign &c, const QString &outDir,
                                   const QStringList &segmentIds, const QStringList &formatIds,
                                   QStringList *errors)
{
    QStringList problems;
    QStringList known;
    for (const auto &s : c.segments)
        known << s.id;
    for (const QString &id : segmentIds)
        if (!c.segment(id))
            problems << tr("Unknown segment id \"%1\" (the project has: %2).")
                            .arg(id, known.join(QStringLiteral(", ")));
    known.clear();
    for (const auto &f : c.formats)
        known << f.id;
    for (const QString &id : formatIds)
        if (!c.format(id))
            problems << tr("Unknown format id \"%1\" (the project has: %2).")
                            .arg(id, known.join(QStringLiteral(", ")));

    std::vector<ExportCell> cells;
    QSet<QString> paths;
    for (const auto &s : c.segments) {
        if (!segmentIds.isEmpty() && !segmentIds.contains(s.id))
            continue;
        for (const auto &f : c.formats) {
            if (!formatIds.isEmpty() && !formatIds.contains(f.id))
                continue;
            ExportCell cell{s.id, f.id, cellOutputPath(c, outDir, s.id, f.id)};
            if (cell.outputPath.isEmpty() || paths.contains(cell.outputPath)) {
                problems << tr("The cell %1 has no output path of its own; rename the segment "
                               "or format so their ids differ in letters, digits, '.', '_' or '-'.")
                                .arg(cell.jobId());
                continue;
            }
            paths.insert(cell.outputPath);
            cells.push_back(cell);
        }
    }
    if (errors)
        *errors = problems;
    return cells;
}

qint64 estimateBatchBytes(const editor::Campaign &c, const std::vector<ExportCell> &cells,
                          const ExportManifest &manifest, const ExportOptions &options)
{
    qint64 total = 0;
    for (const ExportCell &cell : cells) {
        if (options.refusedCells.contains(cell.jobId()))
            continue;
        // A cell the manifest lists with its file still there is most likely skipped as up to
        // date; the exact check (content hashes of every source) happens when it runs, and a
        // cell that does render after all is still caught by its write errors.
        const std::optional<ManifestCell> recorded = manifest.cell(cell.jobId());
        if (!options.force && recorded && QFileInfo(cell.outputPath).size() == recorded->bytes)
            continue;
        const editor::ResolveResult resolved =
            editor::resolveVariant(c, cell.segmentId, cell.formatId);
        if (resolved.composition)
            total += estimateCellBytes(*resolved.composition);
    }
    return total;
}

}  // namespace services
