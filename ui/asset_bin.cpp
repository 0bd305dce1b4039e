// SPDX-License-Identifier: GPL-3.0-or-later
#include "asset_bin.h"

#include "app/media_library.h"
#include "editor/document.h"

#include <QAction>
#include <QDirIterator>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMimeData>
#include <QPainter>
#include <QScrollArea>
#include <QSet>
#include <QSplitter>
#include <QToolBar>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace ui {

namespace {

using editor::Asset;
using editor::AssetKind;
using editor::Campaign;

enum Column { NameColumn, KindColumn, DurationColumn, SizeColumn, CodecColumn, StatusColumn };
constexpr int kIdRole = Qt::UserRole + 1;
const QSize kIconSize(96, 54);

const QColor kOfflineColor(255, 112, 67);
const QColor kGeneratedColor(120, 190, 255);

QString cleanAbsolute(const QString &path)
{
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

// "Hero Shot (final).png" -> "Hero-Shot-final": ids appear in slots, file names and logs, so
// keep letters, digits, '-' and '_' (any script) and make the rest a single '-'.
QString idFromFileName(const QString &path)
{
    const QString base = QFileInfo(path).completeBaseName();
    QString id;
    for (const QChar ch : base) {
        if (ch.isLetterOrNumber() || ch == QLatin1Char('_') || ch == QLatin1Char('-'))
            id += ch;
        else if (!id.endsWith(QLatin1Char('-')))
            id += QLatin1Char('-');
    }
    while (id.endsWith(QLatin1Char('-')))
        id.chop(1);
    while (id.startsWith(QLatin1Char('-')))
        id.remove(0, 1);
    return id.isEmpty() ? QStringLiteral("asset") : id;
}

// Every id an asset could collide with: existing assets and the ids the generation requests
// will create ("hero-se-genz"); an imported file taking one of those would be overwritten by
// the next generation run.
QSet<QString> takenAssetIds(const Campaign &c)
{
    QSet<QString> taken;
    for (const Asset &a : c.assets)
        taken.insert(a.id);
    for (const editor::GenerationRequest &r : c.generationRequests) {
        taken.insert(r.id);
        if (r.perSegment)
            for (const editor::Segment &s : c.segments)
                taken.insert(r.id + QLatin1Char('-') + s.id);
    }
    return taken;
}

QString kindLabel(AssetKind kind)
{
    switch (kind) {
    case AssetKind::Image: return AssetBin::tr("Image");
    case AssetKind::Video: return AssetBin::tr("Video");
    case AssetKind::Audio: return AssetBin::tr("Audio");
    }
    return {};
}

bool isOfflineOnDisk(const QString &path)
{
    const QFileInfo info(path);
    return !info.isFile() || info.size() == 0;
}

}  // namespace

QString AssetImportReport::summary() const
{
    QStringList parts;
    if (!importedIds.isEmpty())
        parts << AssetBin::tr("Imported %n file(s).", nullptr, int(importedIds.size()));
    if (!skipped.isEmpty())
        parts << AssetBin::tr("Skipped: %1.").arg(skipped.join(QStringLiteral("; ")));
    if (!refused.isEmpty())
        parts << AssetBin::tr("Not imported: %1.").arg(refused.join(QStringLiteral("; ")));
    if (parts.isEmpty())
        parts << AssetBin::tr("Nothing to import.");
    return parts.join(QLatin1Char(' '));
}

QStringList AssetBin::supportedSuffixes()
{
    return {QStringLiteral("png"),  QStringLiteral("jpg"),  QStringLiteral("jpeg"),
            QStringLiteral("webp"), QStringLiteral("gif"),  QStringLiteral("bmp"),
            QStringLiteral("svg"),  QStringLiteral("tif"),  QStringLiteral("tiff"),
            QStringLiteral("mp4"),  QStringLiteral("mov"),  QStringLiteral("m4v"),
            QStringLiteral("mkv"),  QStringLiteral("webm"), QStringLiteral("avi"),
            QStringLiteral("wav"),  QStringLiteral("mp3"),  QStringLiteral("m4a"),
            QStringLiteral("aac"),  QStringLiteral("flac"), QStringLiteral("ogg"),
            QStringLiteral("opus"), QStringLiteral("aiff")};
}

std::optional<AssetKind> AssetBin::kindForFile(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    static const QSet<QString> images{"png", "jpg", "jpeg", "webp", "gif", "bmp", "svg", "tif", "tiff"};
    static const QSet<QString> videos{"mp4", "mov", "m4v", "mkv", "webm", "avi"};
    static const QSet<QString> audio{"wav", "mp3", "m4a", "aac", "flac", "ogg", "opus", "aiff"};
    if (images.contains(suffix))
        return AssetKind::Image;
    if (videos.contains(suffix))
        return AssetKind::Video;
    if (audio.contains(suffix))
        return AssetKind::Audio;
    return std::nullopt;
}

AssetBin::AssetBin(editor::Document *document, services::MediaLibrary *library, QWidget *parent)
    : QWidget(parent), m_doc(document), m_library(library), m_view(new QTreeWidget(this)),
      m_messageLabel(new QLabel(this)), m_detailTitle(new QLabel(this)),
      m_detailBody(new QLabel(this)), m_provenanceTitle(new QLabel(tr("Provenance"), this)),
      m_provenanceBody(new QLabel(this))
{
    setObjectName(QStringLiteral("assetBin"));
    setAcceptDrops(true);

    m_view->setObjectName(QStringLiteral("assetList"));
    m_view->setColumnCount(6);
    m_view->setHeaderLabels({tr("Asset"), tr("Kind"), tr("Duration"), tr("Size"), tr("Codec"),
                             tr("Status")});
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setIconSize(kIconSize);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->header()->setStretchLastSection(true);
    m_view->header()->setSectionResizeMode(NameColumn, QHeaderView::Interactive);
    m_view->setColumnWidth(NameColumn, 230);
    m_view->setColumnWidth(KindColumn, 60);
    m_view->setColumnWidth(DurationColumn, 70);
    m_view->setColumnWidth(SizeColumn, 90);
    m_view->setColumnWidth(CodecColumn, 80);

    m_detailTitle->setObjectName(QStringLiteral("assetDetailTitle"));
    QFont titleFont = m_detailTitle->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_detailTitle->setFont(titleFont);
    for (QLabel *label : {m_detailBody, m_provenanceBody}) {
        label->setWordWrap(true);
        label->setTextFormat(Qt::RichText);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        label->setAlignment(Qt::AlignTop | Qt::AlignLeft);
        // Never squeezed below their text: the scroll area scrolls instead of clipping rows.
        label->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    }
    m_detailBody->setObjectName(QStringLiteral("assetDetails"));
    m_provenanceBody->setObjectName(QStringLiteral("assetProvenance"));
    // A titled section rather than a QGroupBox: a group box did not grow with its wrapped
    // rich-text label and clipped the provenance to its first row.
    m_provenanceTitle->setObjectName(QStringLiteral("assetProvenanceTitle"));
    m_provenanceTitle->setFont(titleFont);

    auto *details = new QWidget(this);
    auto *detailsLayout = new QVBoxLayout(details);
    detailsLayout->setContentsMargins(6, 6, 6, 6);
    detailsLayout->addWidget(m_detailTitle);
    detailsLayout->addWidget(m_detailBody);
    detailsLayout->addSpacing(6);
    detailsLayout->addWidget(m_provenanceTitle);
    detailsLayout->addWidget(m_provenanceBody);
    detailsLayout->addStretch(1);
    auto *detailsScroll = new QScrollArea(this);
    detailsScroll->setObjectName(QStringLiteral("assetInspector"));
    detailsScroll->setWidgetResizable(true);
    detailsScroll->setFrameShape(QFrame::NoFrame);
    detailsScroll->setWidget(details);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_view);
    splitter->addWidget(detailsScroll);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    m_messageLabel->setObjectName(QStringLiteral("assetMessage"));
    m_messageLabel->setWordWrap(true);
    m_messageLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_messageLabel->hide();

    m_import = new QAction(tr("Import…"), this);
    m_import->setObjectName(QStringLiteral("importAssets"));
    m_import->setToolTip(tr("Add media files to the campaign (you can also drop files or folders "
                            "here)"));
    m_relink = new QAction(tr("Relink…"), this);
    m_relink->setObjectName(QStringLiteral("relinkAsset"));
    m_relink->setToolTip(tr("Point the selected asset at another file of the same kind"));
    m_remove = new QAction(tr("Remove"), this);
    m_remove->setObjectName(QStringLiteral("removeAsset"));
    m_remove->setToolTip(tr("Remove the selected asset from the campaign (the file stays)"));
    connect(m_import, &QAction::triggered, this, &AssetBin::promptImport);
    connect(m_relink, &QAction::triggered, this, &AssetBin::promptRelink);
    connect(m_remove, &QAction::triggered, this, [this] { removeAsset(currentAssetId()); });

    auto *toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addActions({m_import, m_relink, m_remove});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addWidget(toolbar);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_messageLabel);

    connect(m_doc, &editor::Document::changed, this, &AssetBin::rebuild);
    connect(m_library, &services::MediaLibrary::factsReady, this, &AssetBin::factsArrived);
    connect(m_view, &QTreeWidget::currentItemChanged, this, [this] {
        showDetails();
        updateActions();
        emit currentAssetChanged(currentAssetId());
    });
    rebuild();
}

QString AssetBin::currentAssetId() const
{
    const QTreeWidgetItem *item = m_view->currentItem();
    return item ? item->data(NameColumn, kIdRole).toString() : QString();
}

void AssetBin::setCurrentAsset(const QString &assetId)
{
    for (int i = 0; i < m_view->topLevelItemCount(); ++i) {
        if (m_view->topLevelItem(i)->data(NameColumn, kIdRole).toString() == assetId) {
            m_view->setCurrentItem(m_view->topLevelItem(i));
            return;
        }
    }
}

void AssetBin::showMessage(const QString &text, bool problem)
{
    m_lastMessage = text;
    m_messageLabel->setText(text);
    m_messageLabel->setStyleSheet(problem ? QStringLiteral("color: #ff8a65;") : QString());
    m_messageLabel->setVisible(!text.isEmpty());
    emit message(text);
}

void AssetBin::updateActions()
{
    const bool open = m_doc->isOpen();
    const QString id = currentAssetId();
    m_import->setEnabled(open);
    m_remove->setEnabled(open && !id.isEmpty());
    const Asset *asset = open && !id.isEmpty() ? m_doc->campaign().asset(id) : nullptr;
    m_relink->setEnabled(asset != nullptr);
}

QPixmap AssetBin::thumbnail(const Asset &asset)
{
    if (const auto facts = m_library->facts(asset.path); facts && !facts->thumbnailPath.isEmpty()) {
        auto it = m_thumbnails.find(facts->thumbnailPath);
        if (it == m_thumbnails.end()) {
            const QPixmap loaded(facts->thumbnailPath);
            if (!loaded.isNull()) {
                // Centred on a fixed tile, so names line up whatever the picture's aspect.
                QPixmap tile(kIconSize);
                tile.fill(QColor(24, 24, 28));
                const QPixmap fitted = loaded.scaled(kIconSize, Qt::KeepAspectRatio,
                                                     Qt::SmoothTransformation);
                QPainter p(&tile);
                p.drawPixmap((kIconSize.width() - fitted.width()) / 2,
                             (kIconSize.height() - fitted.height()) / 2, fitted);
                p.end();
                it = m_thumbnails.insert(facts->thumbnailPath, tile);
            }
        }
        if (it != m_thumbnails.end())
            return *it;
    }
    // A neutral tile with the kind's initial while the thumbnail is on its way (or impossible).
    const int key = int(asset.kind);
    if (!m_placeholders.contains(key)) {
        QPixmap tile(kIconSize);
        tile.fill(QColor(60, 60, 66));
        QPainter p(&tile);
        p.setPen(QColor(150, 150, 160));
        QFont f = p.font();
        f.setPixelSize(22);
        f.setBold(true);
        p.setFont(f);
        p.drawText(tile.rect(), Qt::AlignCenter, kindLabel(asset.kind).left(1));
        p.end();
        m_placeholders.insert(key, tile);
    }
    return m_placeholders.value(key);
}

void AssetBin::fillRow(QTreeWidgetItem *item, const Asset &asset)
{
    const auto facts = asset.path.isEmpty() ? std::nullopt : m_library->facts(asset.path);
    const bool offline = !asset.path.isEmpty() && (isOfflineOnDisk(asset.path) || (facts && facts->offline));
    item->setData(NameColumn, kIdRole, asset.id);
    item->setText(NameColumn, asset.id);
    item->setIcon(NameColumn, QIcon(thumbnail(asset)));
    item->setToolTip(NameColumn, asset.path.isEmpty() ? tr("Not generated yet")
                                                      : QDir::toNativeSeparators(asset.path));
    item->setText(KindColumn, kindLabel(asset.kind));
    const bool probed = facts && !facts->offline;
    item->setText(DurationColumn, probed ? services::formatDuration(facts->durationSec) : QString());
    item->setText(SizeColumn, probed && facts->width > 0
                                  ? QStringLiteral("%1×%2").arg(facts->width).arg(facts->height)
                                  : QString());
    item->setText(CodecColumn, probed ? facts->codec : QString());

    // Badges: what needs attention first, then where the asset came from.
    QStringList badges;
    QColor color = palette().color(QPalette::Text);
    if (asset.path.isEmpty()) {
        badges << tr("not generated");
        color = kOfflineColor;
    } else if (offline) {
        badges << tr("offline");
        color = kOfflineColor;
    } else if (facts && !facts->problem.isEmpty()) {
        badges << tr("unreadable");
        color = kOfflineColor;
    } else if (!facts) {
        badges << tr("probing…");
    }
    if (asset.recipe) {
        badges << (asset.recipe->model.isEmpty()
                       ? tr("generated: %1").arg(asset.recipe->provider)
                       : tr("generated: %1 / %2").arg(asset.recipe->provider, asset.recipe->model));
        if (!offline && !asset.path.isEmpty())
            color = kGeneratedColor;
    }
    if (asset.pinned)
        badges << tr("pinned");
    item->setText(StatusColumn, badges.join(QStringLiteral(" · ")));
    item->setForeground(StatusColumn, color);
    item->setToolTip(StatusColumn, facts && !facts->problem.isEmpty() ? facts->problem : QString());
    if (offline)
        item->setForeground(NameColumn, kOfflineColor);
    else
        item->setForeground(NameColumn, palette().color(QPalette::Text));
}

void AssetBin::rebuild()
{
    const QString current = currentAssetId();
    const QSignalBlocker block(m_view);
    const std::vector<Asset> none;
    const std::vector<Asset> &assets = m_doc->isOpen() ? m_doc->campaign().assets : none;
    // Most document changes (a segment cell typed, a clip moved) leave the asset list as it
    // was: refresh the rows in place then, so the list keeps its scroll position.
    bool sameRows = m_view->topLevelItemCount() == int(assets.size());
    for (int i = 0; sameRows && i < m_view->topLevelItemCount(); ++i)
        sameRows = m_view->topLevelItem(i)->data(NameColumn, kIdRole).toString() == assets[size_t(i)].id;
    if (!sameRows)
        m_view->clear();
    for (size_t i = 0; i < assets.size(); ++i) {
        const Asset &asset = assets[i];
        QTreeWidgetItem *item =
            sameRows ? m_view->topLevelItem(int(i)) : new QTreeWidgetItem(m_view);
        fillRow(item, asset);
        if (asset.path.isEmpty())
            continue;
        // A file that came back (or went away) since it was last looked at is looked at again.
        const auto facts = m_library->facts(asset.path);
        if (facts && facts->offline != isOfflineOnDisk(asset.path))
            m_library->forget(asset.path);
        if (!m_library->facts(asset.path) && !m_library->isPending(asset.path))
            m_library->request(asset.path, asset.kind);
    }
    setCurrentAsset(current);
    if (!m_view->currentItem() && m_view->topLevelItemCount() > 0)
        m_view->setCurrentItem(m_view->topLevelItem(0));
    showDetails();
    updateActions();
    if (currentAssetId() != current)
        emit currentAssetChanged(currentAssetId());
}

void AssetBin::factsArrived(const QString &path, const services::MediaFacts &)
{
    if (!m_doc->isOpen())
        return;
    for (int i = 0; i < m_view->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_view->topLevelItem(i);
        const Asset *asset = m_doc->campaign().asset(item->data(NameColumn, kIdRole).toString());
        if (asset && asset->path == path)
            fillRow(item, *asset);
    }
    const Asset *current = m_doc->campaign().asset(currentAssetId());
    if (current && current->path == path)
        showDetails();
}

QString AssetBin::detailsText() const
{
    QStringList lines;
    for (const auto &[label, value] : m_details)
        lines << label + QStringLiteral(": ") + value;
    return lines.join(QLatin1Char('\n'));
}

void AssetBin::showDetails()
{
    m_details.clear();
    const Asset *asset = m_doc->isOpen() ? m_doc->campaign().asset(currentAssetId()) : nullptr;
    m_provenanceTitle->setVisible(asset && asset->recipe);
    m_provenanceBody->setVisible(asset && asset->recipe);
    if (!asset) {
        m_detailTitle->setText(m_doc->isOpen() && m_doc->campaign().assets.empty()
                                   ? tr("No assets yet: import or drop media files here.")
                                   : QString());
        m_detailBody->clear();
        m_provenanceBody->clear();
        return;
    }
    m_detailTitle->setText(asset->id);
    QList<QPair<QString, QString>> general;
    general << qMakePair(tr("Path"), asset->path.isEmpty() ? tr("(not generated yet)")
                                                           : QDir::toNativeSeparators(asset->path));
    general << qMakePair(tr("Kind"), kindLabel(asset->kind));
    const auto facts = asset->path.isEmpty() ? std::nullopt : m_library->facts(asset->path);
    if (!asset->path.isEmpty() && isOfflineOnDisk(asset->path))
        general << qMakePair(tr("Status"), facts && facts->offline
                                               ? facts->problem
                                               : tr("offline: the file is missing or not a "
                                                    "regular file; use Relink…"));
    else if (!facts && !asset->path.isEmpty())
        general << qMakePair(tr("Status"), tr("probing…"));
    if (facts && !facts->offline) {
        if (!facts->problem.isEmpty())
            general << qMakePair(tr("Problem"), facts->problem);
        if (facts->durationSec > 0)
            general << qMakePair(tr("Duration"), services::formatDuration(facts->durationSec));
        if (facts->width > 0)
            general << qMakePair(tr("Dimensions"),
                                 QStringLiteral("%1 × %2 px").arg(facts->width).arg(facts->height));
        if (!facts->codec.isEmpty())
            general << qMakePair(tr("Codec"), facts->codec);
        general << qMakePair(tr("File size"), services::formatBytes(facts->bytes));
        general << qMakePair(tr("SHA-256"), facts->sha256);
    }
    QList<QPair<QString, QString>> provenance;
    if (asset->recipe) {
        const editor::GenerationRecipe &r = *asset->recipe;
        provenance << qMakePair(tr("Provider"), r.provider) << qMakePair(tr("Model"), r.model)
                   << qMakePair(tr("Prompt"), r.prompt);
        if (!r.negativePrompt.isEmpty())
            provenance << qMakePair(tr("Negative prompt"), r.negativePrompt);
        provenance << qMakePair(tr("Seed"), QString::number(r.seed))
                   << qMakePair(tr("Created at"), r.createdAt)
                   << qMakePair(tr("Request id"), r.requestRecordId);
        if (!r.requestId.isEmpty())
            provenance << qMakePair(tr("Generation request"), r.segmentId.isEmpty()
                                                                  ? r.requestId
                                                                  : r.requestId + QStringLiteral(" / ") + r.segmentId);
        provenance << qMakePair(tr("Output SHA-256"), r.outputSha256);
        if (facts && !facts->offline && !facts->sha256.isEmpty() && !r.outputSha256.isEmpty()
            && facts->sha256 != r.outputSha256)
            provenance << qMakePair(tr("Warning"),
                                    tr("the file's bytes differ from what the provider produced"));
    }
    auto html = [](const QList<QPair<QString, QString>> &rows) {
        QString out = QStringLiteral("<table cellspacing='2'>");
        for (const auto &[label, value] : rows)
            out += QStringLiteral("<tr><td style='color:#9a9aa2; padding-right:8px'>%1</td>"
                                  "<td>%2</td></tr>")
                       .arg(label.toHtmlEscaped(),
                            value.isEmpty() ? QStringLiteral("—") : value.toHtmlEscaped());
        return out + QStringLiteral("</table>");
    };
    m_detailBody->setText(html(general));
    m_provenanceBody->setText(html(provenance));
    m_details = general + provenance;
}

// --- import, relink, remove -----------------------------------------------------------------

AssetImportReport AssetBin::importPaths(const QStringList &paths)
{
    AssetImportReport report;
    if (!m_doc->isOpen())
        return report;
    struct Candidate {
        QString path;
        AssetKind kind;
    };
    std::vector<Candidate> accepted;
    QSet<QString> seen;
    QHash<QString, QString> existing;  // clean absolute path -> asset id
    for (const Asset &a : m_doc->campaign().assets)
        if (!a.path.isEmpty())
            existing.insert(cleanAbsolute(a.path), a.id);

    // `shown` is how the user knows the file: its name, or its path inside a dropped folder.
    auto consider = [&](const QFileInfo &info, const QString &shown) {
        if (info.isSymLink()) {
            report.refused << tr("%1: a symbolic link (import the file it points to)").arg(shown);
            return;
        }
        if (!info.exists()) {
            report.refused << tr("%1: does not exist").arg(shown);
            return;
        }
        if (!info.isFile()) {
            report.refused << tr("%1: not a regular file (a FIFO, socket or device)").arg(shown);
            return;
        }
        const auto kind = kindForFile(info.fileName());
        if (!kind) {
            report.refused << (info.suffix().isEmpty()
                                   ? tr("%1: no file extension, so the media type is unknown").arg(shown)
                                   : tr("%1: unsupported file type (.%2)").arg(shown, info.suffix()));
            return;
        }
        if (info.size() == 0) {
            report.refused << tr("%1: empty (0 bytes)").arg(shown);
            return;
        }
        const QString path = cleanAbsolute(info.absoluteFilePath());
        if (existing.contains(path)) {
            report.skipped << tr("%1: already in the bin as '%2'").arg(shown, existing.value(path));
            return;
        }
        if (seen.contains(path))
            return;  // dropped twice (a file and its folder): one asset
        seen.insert(path);
        accepted.push_back({path, *kind});
    };

    for (const QString &raw : paths) {
        const QFileInfo info(raw);
        if (info.isDir() && !info.isSymLink()) {
            // Sorted so ids ("shot", "shot-2") do not depend on the file system's order.
            QStringList entries;
            QDirIterator it(info.absoluteFilePath(),
                            QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System,
                            QDirIterator::Subdirectories);
            while (it.hasNext())
                entries << it.next();
            entries.sort();
            const QDir root(info.absoluteFilePath());
            for (const QString &entry : entries) {
                const QFileInfo child(entry);
                if (child.isDir() && !child.isSymLink())
                    continue;  // walked into by the iterator
                consider(child, info.fileName() + QLatin1Char('/') + root.relativeFilePath(entry));
            }
        } else {
            consider(info, info.fileName().isEmpty() ? raw : info.fileName());
        }
    }

    if (!accepted.empty()) {
        QStringList ids;
        QSet<QString> taken = takenAssetIds(m_doc->campaign());
        for (const Candidate &c : accepted) {
            const QString base = idFromFileName(c.path);
            QString id = base;
            for (int n = 2; taken.contains(id); ++n)
                id = QStringLiteral("%1-%2").arg(base).arg(n);
            taken.insert(id);
            ids << id;
        }
        const QString text = accepted.size() == 1
            ? tr("Import %1").arg(QFileInfo(accepted.front().path).fileName())
            : tr("Import %n file(s)", nullptr, int(accepted.size()));
        const bool done = m_doc->edit(text, [&](Campaign &c) {
            for (size_t i = 0; i < accepted.size(); ++i) {
                Asset asset;
                asset.id = ids.at(qsizetype(i));
                asset.kind = accepted[i].kind;
                asset.path = accepted[i].path;
                c.assets.push_back(asset);
            }
            return true;
        });
        if (done) {
            report.importedIds = ids;
            setCurrentAsset(ids.front());
        }
    }
    showMessage(report.summary(), !report.refused.isEmpty());
    return report;
}

bool AssetBin::relinkAsset(const QString &assetId, const QString &newPath)
{
    if (!m_doc->isOpen())
        return false;
    const Asset *asset = m_doc->campaign().asset(assetId);
    if (!asset)
        return false;
    const QFileInfo info(newPath);
    const QString name = info.fileName();
    QString problem;
    const auto kind = kindForFile(newPath);
    if (info.isSymLink())
        problem = tr("%1 is a symbolic link; choose the file it points to.").arg(name);
    else if (!info.isFile())
        problem = tr("%1 is not a regular file.").arg(name);
    else if (info.size() == 0)
        problem = tr("%1 is empty (0 bytes).").arg(name);
    else if (!kind)
        problem = tr("%1 is not a supported media file.").arg(name);
    else if (*kind != asset->kind)
        problem = tr("%1 is %2 file, but '%3' is %4 asset; choose a file of the same kind.")
                      .arg(name, kindLabel(*kind).toLower(), assetId, kindLabel(asset->kind).toLower());
    if (!problem.isEmpty()) {
        showMessage(tr("Cannot relink '%1': %2").arg(assetId, problem), true);
        return false;
    }
    const QString oldPath = asset->path;
    const QString path = cleanAbsolute(newPath);
    const bool done = m_doc->edit(tr("Relink %1").arg(assetId), [&](Campaign &c) {
        c.asset(assetId)->path = path;
        return true;
    });
    if (done) {
        m_library->forget(oldPath);
        showMessage(tr("Relinked '%1' to %2.").arg(assetId, QDir::toNativeSeparators(path)), false);
    }
    return done;
}

QStringList AssetBin::usersOf(const QString &assetId) const
{
    const Campaign &c = m_doc->campaign();
    QStringList users;
    if (c.brand.logoAssetId == assetId)
        users << tr("the brand kit logo");
    for (const editor::Track &track : c.timeline.tracks)
        for (const editor::Clip &clip : track.clips)
            if (clip.source == QStringLiteral("asset:") + assetId)
                users << tr("clip '%1' on track '%2'").arg(clip.id, track.name.isEmpty() ? track.id : track.name);
    for (const editor::Segment &s : c.segments)
        for (auto it = s.variables.constBegin(); it != s.variables.constEnd(); ++it)
            if (it.value() == assetId)
                users << tr("segment '%1' (variable %2)").arg(s.id, it.key());
    for (const editor::GenerationRequest &r : c.generationRequests)
        if (r.sourceAssetId == assetId)
            users << tr("generation request '%1'").arg(r.id);
    for (const Asset &a : c.assets)
        if (a.recipe && a.recipe->sourceAssetId == assetId)
            users << tr("asset '%1' (made from it)").arg(a.id);
    return users;
}

bool AssetBin::removeAsset(const QString &assetId)
{
    if (!m_doc->isOpen() || !m_doc->campaign().asset(assetId))
        return false;
    const QStringList users = usersOf(assetId);
    if (!users.isEmpty()) {
        showMessage(tr("Cannot remove '%1': it is used by %2.")
                        .arg(assetId, users.join(QStringLiteral(", "))), true);
        return false;
    }
    const bool done = m_doc->edit(tr("Remove asset %1").arg(assetId), [&](Campaign &c) {
        c.assets.erase(std::remove_if(c.assets.begin(), c.assets.end(),
                                      [&](const Asset &a) { return a.id == assetId; }),
                       c.assets.end());
        return true;
    });
    if (done)
        showMessage(tr("Removed '%1' from the campaign; the file was not deleted.").arg(assetId), false);
    return done;
}

void AssetBin::promptImport()
{
    QStringList patterns;
    for (const QString &suffix : supportedSuffixes())
        patterns << QStringLiteral("*.") + suffix;
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Import media"), m_doc->projectDir(),
        tr("Media files (%1)").arg(patterns.join(QLatin1Char(' '))));
    if (!files.isEmpty())
        importPaths(files);
}

void AssetBin::promptRelink()
{
    const Asset *asset = m_doc->isOpen() ? m_doc->campaign().asset(currentAssetId()) : nullptr;
    if (!asset)
        return;
    QStringList patterns;
    for (const QString &suffix : supportedSuffixes())
        if (kindForFile(QStringLiteral("x.") + suffix) == asset->kind)
            patterns << QStringLiteral("*.") + suffix;
    const QString start = asset->path.isEmpty() ? m_doc->projectDir()
                                                : QFileInfo(asset->path).absolutePath();
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Relink %1").arg(asset->id), start,
        tr("%1 files (%2)").arg(kindLabel(asset->kind), patterns.join(QLatin1Char(' '))));
    if (!file.isEmpty())
        relinkAsset(asset->id, file);
}

// --- drag and drop --------------------------------------------------------------------------

namespace {
bool hasLocalUrls(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls())
        return false;
    const QList<QUrl> urls = mime->urls();
    return std::any_of(urls.begin(), urls.end(), [](const QUrl &u) { return u.isLocalFile(); });
}
}  // namespace

void AssetBin::dragEnterEvent(QDragEnterEvent *event)
{
    if (m_doc->isOpen() && hasLocalUrls(event->mimeData()))
        event->acceptProposedAction();
    else
        event->ignore();
}

void AssetBin::dragMoveEvent(QDragMoveEvent *event)
{
    if (m_doc->isOpen() && hasLocalUrls(event->mimeData()))
        event->acceptProposedAction();
    else
        event->ignore();
}

void AssetBin::dropEvent(QDropEvent *event)
{
    if (!m_doc->isOpen() || !hasLocalUrls(event->mimeData())) {
        event->ignore();
        return;
    }
    QStringList paths;
    QStringList remote;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            paths << url.toLocalFile();
        else
            remote << url.toDisplayString();
    }
    event->acceptProposedAction();
    AssetImportReport report = importPaths(paths);
    if (!remote.isEmpty()) {
        for (const QString &r : remote)
            report.refused << tr("%1: not a local file").arg(r);
        showMessage(report.summary(), true);
    }
}

}  // namespace ui
