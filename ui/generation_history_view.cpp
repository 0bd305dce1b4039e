// SPDX-License-Identifier: GPL-3.0-or-later
#include "generation_history_view.h"

#include "render/renderer.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QGridLayout>
#include <QImageReader>
#include <QLabel>
#include <QLocale>
#include <QListWidget>
#include <QPainter>
#include <QPointer>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace ui {

namespace {
constexpr int kThumb = 72;
constexpr int kComparePicture = 360;

// Drawn rather than taken from the style: Fusion has no film icon, and it must read on dark.
QImage filmIcon(const QSize &box, const QString &label)
{
    QImage image(box, QImage::Format_ARGB32_Premultiplied);
    image.fill(QColor(38, 38, 42));
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    const int hole = std::max(3, box.height() / 10);
    p.setBrush(QColor(90, 90, 96));
    p.setPen(Qt::NoPen);
    for (int x = hole; x < box.width() - hole; x += hole * 2) {
        p.drawRect(x, hole / 2, hole, hole);
        p.drawRect(x, box.height() - hole - hole / 2, hole, hole);
    }
    p.setPen(QColor(200, 200, 205));
    p.drawText(image.rect(), Qt::AlignCenter, label);
    return image;
}

QString shortTime(const QString &iso)
{
    const QDateTime t = QDateTime::fromString(iso, Qt::ISODate);
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : iso;
}
}  // namespace

QString recipeSummary(const editor::GenerationRecipe &r, bool withPrompt)
{
    QStringList lines;
    lines << (r.model.isEmpty() ? r.provider : r.provider + QStringLiteral(" · ") + r.model);
    lines << QObject::tr("seed %1 · %2").arg(r.seed).arg(shortTime(r.createdAt));
    if (!r.outputSha256.isEmpty())
        lines << QObject::tr("sha256 %1").arg(r.outputSha256.left(12));
    if (withPrompt && !r.prompt.isEmpty())
        lines << QObject::tr("prompt: %1").arg(r.prompt);
    if (withPrompt && !r.negativePrompt.isEmpty())
        lines << QObject::tr("avoid: %1").arg(r.negativePrompt);
    return lines.join(QLatin1Char('\n'));
}

QImage mediaThumbnail(const QString &path, editor::AssetKind kind, const QSize &box)
{
    if (kind == editor::AssetKind::Audio)
        return filmIcon(box, QObject::tr("audio"));
    if (kind == editor::AssetKind::Video) {
        const QImage frame = render::decodeVideoFrame(path, 0.0);
        return frame.isNull() ? filmIcon(box, QObject::tr("video"))
                              : frame.scaled(box, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    }
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (size.isValid())
        reader.setScaledSize(size.scaled(box, Qt::KeepAspectRatio));
    const QImage image = reader.read();
    return image.isNull() ? filmIcon(box, QObject::tr("missing")) : image;
}

GenerationHistoryView::GenerationHistoryView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("generationHistoryView"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("generationHistory"));
    m_list->setIconSize(QSize(kThumb, kThumb));
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setWordWrap(true);
    m_list->setUniformItemSizes(true);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setToolTip(tr("Stored results of this slot, newest first. Select two to compare."));
    layout->addWidget(m_list, 1);
    m_inspector = new QLabel(this);
    m_inspector->setObjectName(QStringLiteral("historyInspector"));
    m_inspector->setWordWrap(true);
    m_inspector->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Room for the summary; the full prompt is also in each item's tooltip.
    m_inspector->setMinimumHeight(m_inspector->fontMetrics().lineSpacing() * 3);
    m_inspector->setMaximumHeight(m_inspector->fontMetrics().lineSpacing() * 5 + 4);
    m_inspector->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    layout->addWidget(m_inspector);
    connect(m_list, &QListWidget::itemSelectionChanged, this, [this]() {
        updateInspector();
        emit selectionChanged();
    });
    updateInspector();
}

GenerationHistoryView::~GenerationHistoryView()
{
    if (m_stopLoading)
        *m_stopLoading = true;
}

void GenerationHistoryView::setEntries(const QList<services::StoredGeneration> &entries,
                                       const QString &currentPath)
{
    QStringList selected;
    for (const auto &entry : selectedEntries())
        selected << entry.path;
    m_entries = entries;
    const QSignalBlocker block(m_list);
    m_list->clear();
    for (int i = 0; i < m_entries.size(); ++i) {
        const auto &entry = m_entries[i];
        const bool current = QFileInfo(entry.path) == QFileInfo(currentPath);
        QString text = recipeSummary(entry.recipe, false);
        if (current)
            text = tr("● in use\n") + text;
        auto *item = new QListWidgetItem(text, m_list);
        item->setData(Qt::UserRole, i);
        item->setToolTip(recipeSummary(entry.recipe, true) + QStringLiteral("\n") + entry.path);
        item->setIcon(m_thumbnails.value(entry.path));
        if (current) {
            QFont font = item->font();
            font.setBold(true);
            item->setFont(font);
        }
        item->setSelected(selected.contains(entry.path));
    }
    updateInspector();
    loadThumbnails();
    emit selectionChanged();
}

void GenerationHistoryView::loadThumbnails()
{
    QList<QPair<QString, editor::AssetKind>> missing;
    for (const auto &entry : std::as_const(m_entries))
        if (!m_thumbnails.contains(entry.path))
            missing.append({entry.path, entry.recipe.kind});
    if (missing.isEmpty())
        return;
    // Decoding a 2K PNG or a video frame takes long enough to stutter the window: worker
    // thread, results posted back one by one; an older load stops when the slot changes.
    if (m_stopLoading)
        *m_stopLoading = true;
    m_stopLoading = std::make_shared<std::atomic<bool>>(false);
    const auto stop = m_stopLoading;
    QPointer<GenerationHistoryView> self(this);
    (void)QtConcurrent::run([self, stop, missing]() {
        for (const auto &[path, kind] : missing) {
            if (*stop)
                return;
            const QImage thumb = mediaThumbnail(path, kind, QSize(kThumb, kThumb));
            QMetaObject::invokeMethod(self, [self, path, thumb]() {
                if (!self)
                    return;
                const QIcon icon(QPixmap::fromImage(thumb));
                self->m_thumbnails.insert(path, icon);
                for (int row = 0; row < self->m_list->count(); ++row) {
                    QListWidgetItem *item = self->m_list->item(row);
                    const int index = item->data(Qt::UserRole).toInt();
                    if (index >= 0 && index < self->m_entries.size() && self->m_entries[index].path == path)
                        item->setIcon(icon);
                }
            }, Qt::QueuedConnection);
        }
    });
}

QList<services::StoredGeneration> GenerationHistoryView::selectedEntries() const
{
    QList<services::StoredGeneration> out;
    for (int row = 0; row < m_list->count(); ++row) {
        const QListWidgetItem *item = m_list->item(row);
        const int index = item->data(Qt::UserRole).toInt();
        if (item->isSelected() && index >= 0 && index < m_entries.size())
            out << m_entries[index];
    }
    return out;
}

void GenerationHistoryView::selectPath(const QString &path)
{
    for (int row = 0; row < m_list->count(); ++row) {
        QListWidgetItem *item = m_list->item(row);
        const int index = item->data(Qt::UserRole).toInt();
        item->setSelected(index >= 0 && index < m_entries.size() && m_entries[index].path == path);
    }
}

void GenerationHistoryView::updateInspector()
{
    const auto selected = selectedEntries();
    if (m_entries.isEmpty())
        m_inspector->setText(tr("No stored results for this slot yet. Generate to fill it."));
    else if (selected.size() == 1)
        m_inspector->setText(recipeSummary(selected.first().recipe, true));
    else if (selected.size() == 2)
        m_inspector->setText(tr("Two results selected: Compare shows them side by side."));
    else
        m_inspector->setText(tr("%n stored result(s). Select one to inspect it.", nullptr,
                                int(m_entries.size())));
}

QStringList CompareDialog::differences(const editor::GenerationRecipe &a, const editor::GenerationRecipe &b)
{
    QStringList out;
    if (a.provider != b.provider) out << tr("provider");
    if (a.model != b.model) out << tr("model");
    if (a.seed != b.seed) out << tr("seed");
    if (a.prompt != b.prompt) out << tr("prompt");
    if (a.negativePrompt != b.negativePrompt) out << tr("negative prompt");
    if (a.width != b.width || a.height != b.height) out << tr("size");
    if (a.duration != b.duration) out << tr("duration");
    if (a.palette != b.palette) out << tr("palette");
    if (a.params != b.params) out << tr("parameters");
    return out;
}

CompareDialog::CompareDialog(const services::StoredGeneration &left,
                             const services::StoredGeneration &right, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("compareDialog"));
    setWindowTitle(tr("Compare results"));
    setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QVBoxLayout(this);
    auto *grid = new QGridLayout;
    const services::StoredGeneration *sides[] = {&left, &right};
    for (int column = 0; column < 2; ++column) {
        const auto &entry = *sides[column];
        auto *picture = new QLabel(this);
        picture->setObjectName(column == 0 ? QStringLiteral("compareLeft") : QStringLiteral("compareRight"));
        picture->setAlignment(Qt::AlignCenter);
        picture->setPixmap(QPixmap::fromImage(
            mediaThumbnail(entry.path, entry.recipe.kind, QSize(kComparePicture, kComparePicture))));
        auto *recipe = new QLabel(recipeSummary(entry.recipe, true), this);
        recipe->setWordWrap(true);
        recipe->setTextInteractionFlags(Qt::TextSelectableByMouse);
        recipe->setMaximumWidth(kComparePicture);
        grid->addWidget(picture, 0, column);
        grid->addWidget(recipe, 1, column, Qt::AlignTop);
    }
    layout->addLayout(grid);
    const QStringList diff = differences(left.recipe, right.recipe);
    auto *summary = new QLabel(diff.isEmpty() ? tr("Same recipe inputs.")
                                              : tr("Differs in: %1").arg(diff.join(QStringLiteral(", "))),
                               this);
    summary->setObjectName(QStringLiteral("compareDifferences"));
    layout->addWidget(summary);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

}  // namespace ui
