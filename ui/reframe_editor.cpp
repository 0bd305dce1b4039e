// SPDX-License-Identifier: GPL-3.0-or-later
#include "reframe_editor.h"

#include "crop_view.h"

#include "app/reframe_cache.h"
#include "editor/document.h"
#include "editor/resolve.h"
#include "editor/timeline_edit.h"
#include "render/image_source.h"
#include "render/reframe.h"
#include "render/renderer.h"

#include <QDir>
#include <QFileInfo>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <algorithm>
#include <cmath>

namespace ui {

using editor::Campaign;
using editor::CropKey;
using editor::Rational;
using editor::ReframeSpec;

namespace {

// Thumbnails are drawn a few hundred pixels wide; decoding at this size keeps them cheap.
constexpr int kThumbnailSide = 480;

render::SafeZones safeZonesOf(const editor::FormatPreset &f)
{
    return {f.safeTop, f.safeBottom, f.safeLeft, f.safeRight};
}

QRectF lerp(const QRectF &a, const QRectF &b, double t)
{
    auto mix = [t](double p, double q) { return p + (q - p) * t; };
    return {mix(a.x(), b.x()), mix(a.y(), b.y()), mix(a.width(), b.width()),
            mix(a.height(), b.height())};
}

// The window at source time `t`: linear between keys, held before the first and after the
// last, exactly as render::sourceCropAt does per output frame.
QRectF windowAt(const std::vector<CropKey> &keys, const Rational &t)
{
    if (keys.empty())
        return {0, 0, 1, 1};
    if (t <= keys.front().time)
        return keys.front().window;
    for (size_t i = 1; i < keys.size(); ++i) {
        if (t <= keys[i].time) {
            const double span = (keys[i].time - keys[i - 1].time).toDouble();
            const double k = span > 0 ? (t - keys[i - 1].time).toDouble() / span : 1.0;
            return lerp(keys[i - 1].window, keys[i].window, k);
        }
    }
    return keys.back().window;
}

// The project reader accepts only windows inside the source.
QRectF clampToSource(QRectF w)
{
    const double width = std::clamp(w.width(), 0.001, 1.0);
    const double height = std::clamp(w.height(), 0.001, 1.0);
    return {std::clamp(w.x(), 0.0, 1.0 - width), std::clamp(w.y(), 0.0, 1.0 - height), width,
            height};
}

QString seconds(const Rational &t)
{
    return QString::number(t.toDouble(), 'f', 3);
}

}  // namespace

struct ReframeEditor::Context {
    const editor::Clip *clip = nullptr;
    editor::TrackKind kind = editor::TrackKind::Video;
    const editor::Segment *segment = nullptr;
    const editor::FormatPreset *format = nullptr;
    const editor::Asset *asset = nullptr;  // null when the clip cannot be bound (bindError)
    QString bindError;
    const ReframeSpec *spec = nullptr;  // null = no crop track yet (centred cover)
    Rational sourceTime;  // the source time under the playhead, clamped to the clip
    bool inside = false;  // the playhead is within the clip
};

ReframeEditor::ReframeEditor(editor::Document *document, QWidget *parent)
    : QWidget(parent), m_doc(document)
{
    setObjectName(QStringLiteral("reframeEditor"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    layout->addWidget(m_title);

    m_useSmart = new QPushButton(tr("Use smart reframe"), this);
    m_useSmart->setObjectName(QStringLiteral("useSmartReframeButton"));
    m_useSmart->setToolTip(tr("Crop this clip per format around its subject instead of the "
                              "centre"));
    layout->addWidget(m_useSmart);
    connect(m_useSmart, &QPushButton::clicked, this, &ReframeEditor::useSmartReframe);

    m_smartBody = new QWidget(this);
    auto *body = new QVBoxLayout(m_smartBody);
    body->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_smartBody);

    m_view = new CropView(m_smartBody);
    m_view->setToolTip(tr("Drag the window to move the crop; scroll to zoom. Hatched bands are "
                          "covered by the platform's buttons and captions."));
    body->addWidget(m_view);
    connect(m_view, &CropView::windowEdited, this,
            [this](QRectF w) { editWindow(w, QStringLiteral("drag")); });
    connect(m_view, &CropView::gestureFinished, this, &ReframeEditor::endGesture);

    auto *fields = new QHBoxLayout;
    auto makeSpin = [this, fields](const QString &label, const QString &name) {
        auto *spin = new QDoubleSpinBox(m_smartBody);
        spin->setObjectName(name);
        spin->setRange(0.0, 1.0);
        spin->setDecimals(3);
        spin->setSingleStep(0.01);
        spin->setKeyboardTracking(false);  // one edit per committed value, not per digit
        fields->addWidget(new QLabel(label, m_smartBody));
        fields->addWidget(spin, 1);
        return spin;
    };
    m_x = makeSpin(tr("X"), QStringLiteral("cropX"));
    m_y = makeSpin(tr("Y"), QStringLiteral("cropY"));
    m_width = makeSpin(tr("Width"), QStringLiteral("cropWidth"));
    m_width->setToolTip(tr("Width of the window as a fraction of the source; the height "
                           "follows the format's aspect"));
    body->addLayout(fields);
    const auto spinEdited = [this](const QString &field) {
        if (m_refreshing)
            return;
        // Only the edited field changes: the others show rounded values (three decimals) and
        // must not round the window.
        const QRectF current = m_view->window();
        QRectF wanted = current;
        if (field == u"x") {
            wanted.moveLeft(m_x->value());
        } else if (field == u"y") {
            wanted.moveTop(m_y->value());
        } else if (current.width() > 0) {  // zoom about the centre, like the wheel
            const double width = m_width->value();
            wanted.setSize(QSizeF(width, current.height() / current.width() * width));
            wanted.moveCenter(current.center());
        }
        editWindow(wanted, field);
    };
    connect(m_x, &QDoubleSpinBox::valueChanged, this,
            [spinEdited] { spinEdited(QStringLiteral("x")); });
    connect(m_y, &QDoubleSpinBox::valueChanged, this,
            [spinEdited] { spinEdited(QStringLiteral("y")); });
    connect(m_width, &QDoubleSpinBox::valueChanged, this,
            [spinEdited] { spinEdited(QStringLiteral("width")); });
    for (QDoubleSpinBox *spin : {m_x, m_y, m_width})
        connect(spin, &QDoubleSpinBox::editingFinished, this, &ReframeEditor::endGesture);

    m_keys = new QTreeWidget(m_smartBody);
    m_keys->setObjectName(QStringLiteral("cropKeyList"));
    m_keys->setRootIsDecorated(false);
    m_keys->setHeaderLabels({tr("Source time (s)"), tr("X"), tr("Y"), tr("Width")});
    m_keys->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_keys->setMaximumHeight(120);
    body->addWidget(m_keys);

    auto *buttons = new QHBoxLayout;
    m_addKey = new QPushButton(tr("Add key at playhead"), m_smartBody);
    m_addKey->setObjectName(QStringLiteral("addCropKeyButton"));
    m_deleteKey = new QPushButton(tr("Delete key"), m_smartBody);
    m_deleteKey->setObjectName(QStringLiteral("deleteCropKeyButton"));
    m_automatic = new QPushButton(tr("Back to automatic"), m_smartBody);
    m_automatic->setObjectName(QStringLiteral("automaticCropButton"));
    m_automatic->setToolTip(tr("Replace this crop with the subject analysis' keys"));
    buttons->addWidget(m_addKey);
    buttons->addWidget(m_deleteKey);
    buttons->addStretch(1);
    body->addLayout(buttons);
    // On its own row: a narrow inspector would otherwise squeeze its label.
    m_analyseAll = new QPushButton(tr("Analyse all"), m_smartBody);
    m_analyseAll->setObjectName(QStringLiteral("analyseAllCropsButton"));
    m_analyseAll->setToolTip(tr("Compute the automatic crop of every smart clip in every "
                                "segment and format (crops set by hand are kept), so the "
                                "preview shows what export will"));
    auto *automaticRow = new QHBoxLayout;
    automaticRow->addWidget(m_analyseAll);
    automaticRow->addStretch(1);
    automaticRow->addWidget(m_automatic);
    body->addLayout(automaticRow);
    connect(m_addKey, &QPushButton::clicked, this, &ReframeEditor::addKeyAtPlayhead);
    connect(m_deleteKey, &QPushButton::clicked, this, &ReframeEditor::deleteSelectedKey);
    connect(m_automatic, &QPushButton::clicked, this, &ReframeEditor::backToAutomatic);
    connect(m_analyseAll, &QPushButton::clicked, this, &ReframeEditor::analyseAll);
    connect(m_keys, &QTreeWidget::currentItemChanged, this, [this] {
        m_deleteKey->setEnabled(m_keys->currentItem() && m_keys->topLevelItemCount() > 1);
    });

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("reframeStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    connect(&m_thumbnail, &QFutureWatcher<Thumbnail>::finished, this,
            &ReframeEditor::thumbnailDone);
    connect(&m_analysis, &QFutureWatcher<AutoResult>::finished, this,
            &ReframeEditor::automaticDone);
    if (m_doc) {
        connect(m_doc, &editor::Document::changed, this, &ReframeEditor::refresh);
        connect(m_doc, &editor::Document::opened, this, [this] { setClip({}); });
    }
    refresh();
}

ReframeEditor::~ReframeEditor()
{
    // Both jobs only touch their own copies; waiting keeps them from outliving the watchers.
    m_thumbnail.waitForFinished();
    m_analysis.waitForFinished();
}

void ReframeEditor::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
}

void ReframeEditor::setClip(const QString &clipId)
{
    if (clipId == m_clipId)
        return;
    endGesture();
    m_clipId = clipId;
    refresh();
}

void ReframeEditor::setPlayhead(qint64 frame)
{
    if (frame == m_playhead)
        return;
    endGesture();  // a drag at another time edits another key: another undo step
    m_playhead = frame;
    refresh();
}

void ReframeEditor::setCell(const QString &segmentId, const QString &formatId)
{
    if (segmentId == m_segmentId && formatId == m_formatId)
        return;
    endGesture();
    m_segmentId = segmentId;
    m_formatId = formatId;
    refresh();
}

QString ReframeEditor::segmentId() const
{
    const std::optional<Context> ctx = context();
    return ctx && ctx->segment ? ctx->segment->id : m_segmentId;
}

QString ReframeEditor::formatId() const
{
    const std::optional<Context> ctx = context();
    return ctx && ctx->format ? ctx->format->id : m_formatId;
}

QString ReframeEditor::assetId() const
{
    const std::optional<Context> ctx = context();
    return ctx && ctx->asset ? ctx->asset->id : QString();
}

void ReframeEditor::endGesture()
{
    if (m_doc)
        m_doc->endGesture();
}

std::optional<ReframeEditor::Context> ReframeEditor::context() const
{
    if (!m_doc || !m_doc->isOpen() || m_clipId.isEmpty())
        return std::nullopt;
    const Campaign &c = m_doc->campaign();
    const editor::ClipLocation loc = editor::findClip(c.timeline, m_clipId);
    if (!loc.isValid())
        return std::nullopt;
    Context ctx;
    const editor::Track &track = c.timeline.tracks[size_t(loc.track)];
    ctx.kind = track.kind;
    ctx.clip = &track.clips[size_t(loc.index)];
    if (ctx.kind == editor::TrackKind::Text || ctx.kind == editor::TrackKind::Audio)
        return ctx;
    ctx.segment = c.segment(m_segmentId);
    if (!ctx.segment && !c.segments.empty())
        ctx.segment = &c.segments.front();
    ctx.format = c.format(m_formatId);
    if (!ctx.format && !c.formats.empty())
        ctx.format = &c.formats.front();
    if (ctx.segment) {
        const editor::SourceBinding binding = editor::bindClipSource(c, *ctx.clip, *ctx.segment);
        ctx.asset = binding.asset;
        ctx.bindError = binding.error;
        if (ctx.asset && ctx.asset->kind == editor::AssetKind::Audio)
            ctx.asset = nullptr;
    }
    if (ctx.asset && ctx.format)
        ctx.spec = ctx.clip->reframeFor(ctx.asset->id, ctx.format->id);
    const Rational onClip = Rational::fromFrames(m_playhead, c.timeline.fps) - ctx.clip->start;
    ctx.inside = !onClip.isNegative() && !(ctx.clip->duration < onClip);
    const Rational clamped = onClip.isNegative()          ? Rational(0)
                           : ctx.clip->duration < onClip ? ctx.clip->duration
                                                         : onClip;
    ctx.sourceTime = ctx.clip->in + clamped;
    return ctx;
}

std::vector<CropKey> ReframeEditor::effectiveKeys(const Context &ctx) const
{
    if (ctx.spec && !ctx.spec->keys.empty())
        return ctx.spec->keys;
    if (!ctx.format || m_sourceSize.isEmpty())
        return {};
    // What resolve does without a track: plain cover, centred.
    const QRectF px = render::chooseCropWindow(m_sourceSize, {}, QSizeF(ctx.format->width,
                                                                       ctx.format->height),
                                               safeZonesOf(*ctx.format));
    const QRectF window(px.x() / m_sourceSize.width(), px.y() / m_sourceSize.height(),
                        px.width() / m_sourceSize.width(), px.height() / m_sourceSize.height());
    return {CropKey{Rational(0), clampToSource(window)}};
}

double ReframeEditor::heightPerWidth(const Context &ctx) const
{
    if (ctx.format && !m_sourceSize.isEmpty() && ctx.format->height > 0)
        return m_sourceSize.width() / m_sourceSize.height() * ctx.format->height
            / ctx.format->width;
    const std::vector<CropKey> keys = effectiveKeys(ctx);
    if (!keys.empty() && keys.front().window.width() > 0)
        return keys.front().window.height() / keys.front().window.width();
    return 1.0;
}

void ReframeEditor::refresh()
{
    const std::optional<Context> ctx = context();
    const bool visual = ctx && ctx->kind != editor::TrackKind::Text
        && ctx->kind != editor::TrackKind::Audio;
    setVisible(visual);
    if (!visual)
        return;
    const bool smart = ctx->clip->fit == u"smart";
    m_useSmart->setVisible(!smart);
    m_smartBody->setVisible(smart && ctx->asset && ctx->format);
    if (!smart) {
        m_title->setText(tr("Reframe"));
        m_status->setText(tr("This clip is cover-fitted around its centre in every format."));
        return;
    }
    if (!ctx->asset || !ctx->format) {
        m_title->setText(tr("Reframe"));
        m_status->setText(ctx->bindError.isEmpty()
                              ? tr("The campaign has no segment or format to show a crop for.")
                              : ctx->bindError);
        return;
    }
    const QString mode = !ctx->spec ? tr("not analysed yet")
        : ctx->spec->mode == ReframeSpec::Mode::Manual ? tr("manual")
                                                       : tr("automatic");
    m_title->setText(tr("Reframe: %1 in %2 (%3)")
                         .arg(ctx->asset->id, ctx->format->id, mode));
    if (m_sizePath != ctx->asset->path) {
        m_sourceSize = QSizeF();  // the size of another source; the new one is on its way
        m_view->setImage(QImage());
    }
    if (ctx->asset->path.isEmpty() || !QFileInfo(ctx->asset->path).isFile()) {
        m_view->setImage(QImage());
        m_view->setMessage(tr("The source of asset '%1' is missing; generate or relink it.")
                               .arg(ctx->asset->id));
    } else if (isVisible()) {
        // Hidden (the Inspector tabbed away), frames would be decoded for nobody; showEvent
        // catches up.
        requestThumbnail(ctx->asset->path, ctx->asset->kind,
                         std::llround(ctx->sourceTime.toDouble() * 1000.0));
    }

    m_refreshing = true;
    const std::vector<CropKey> keys = effectiveKeys(*ctx);
    const QRectF window = windowAt(keys, ctx->sourceTime);
    const bool ready = !keys.empty() && !m_sourceSize.isEmpty();
    const double hpw = heightPerWidth(*ctx);
    m_view->setWindow(window, hpw);
    // The widest window of the format's aspect that fits in the source; no narrower than the
    // view lets the wheel go.
    m_width->setRange(0.05, std::min(1.0, hpw > 0 ? 1.0 / hpw : 1.0));
    m_view->setSafeZones(safeZonesOf(*ctx->format));
    m_view->setEditable(ready && !isAnalysing());
    m_x->setValue(window.x());
    m_y->setValue(window.y());
    m_width->setValue(window.width());
    for (QDoubleSpinBox *spin : {m_x, m_y, m_width})
        spin->setEnabled(ready && !isAnalysing());

    const QString selectedTime =
        m_keys->currentItem() ? m_keys->currentItem()->text(0) : QString();
    m_keys->clear();
    for (const CropKey &k : ctx->spec ? ctx->spec->keys : std::vector<CropKey>{}) {
        auto *item = new QTreeWidgetItem(m_keys, {seconds(k.time),
                                                  QString::number(k.window.x(), 'f', 3),
                                                  QString::number(k.window.y(), 'f', 3),
                                                  QString::number(k.window.width(), 'f', 3)});
        if (k.time == ctx->sourceTime) {  // the key an edit here changes
            QFont f = item->font(0);
            f.setBold(true);
            for (int col = 0; col < 4; ++col)
                item->setFont(col, f);
        }
        if (item->text(0) == selectedTime)
            m_keys->setCurrentItem(item);
    }
    m_addKey->setEnabled(ready && ctx->inside && !isAnalysing()
                         && !(ctx->spec && std::any_of(ctx->spec->keys.begin(),
                                                       ctx->spec->keys.end(),
                                                       [&](const CropKey &k) {
                                                           return k.time == ctx->sourceTime;
                                                       })));
    m_deleteKey->setEnabled(m_keys->currentItem() && m_keys->topLevelItemCount() > 1);
    m_automatic->setText(ctx->spec ? tr("Back to automatic") : tr("Analyse subject"));
    m_automatic->setEnabled(!isAnalysing()
                            && !(ctx->spec && ctx->spec->mode == ReframeSpec::Mode::Auto));
    m_analyseAll->setEnabled(!isAnalysing());
    if (isAnalysing())
        m_status->setText(tr("Analysing the subject of %1…").arg(ctx->asset->id));
    else if (!ctx->spec)
        m_status->setText(tr("Not stored yet: the preview and export compute the automatic "
                             "crop from the subject analysis (\"Analyse subject\" shows and "
                             "keeps it here). Moving the window sets it yourself, starting "
                             "from the centre."));
    else if (ctx->spec->mode == ReframeSpec::Mode::Manual)
        m_status->setText(tr("Set by hand: re-analysing the campaign keeps this crop."));
    else
        m_status->setText(tr("From the subject analysis. Moving the window makes it yours."));
    m_refreshing = false;
}

void ReframeEditor::requestThumbnail(const QString &path, editor::AssetKind kind, qint64 timeMs)
{
    if (kind == editor::AssetKind::Image)
        timeMs = 0;  // a still is the same picture at every time
    const std::pair<QString, qint64> key{path, timeMs};
    if (m_shown == key && m_sizePath == path)
        return;
    if (m_thumbnail.isRunning()) {
        m_pending = key;
        m_pendingKind = kind;
        return;
    }
    m_pending.reset();
    m_thumbnail.setFuture(QtConcurrent::run([path, kind, timeMs]() {
        Thumbnail t;
        t.path = path;
        t.timeMs = timeMs;
        render::RenderError error;
        if (kind == editor::AssetKind::Image) {
            render::ImageInfo info;
            if (render::probeImage(path, &info, &error)) {
                t.sourceSize = info.size;
                QSizeF draw = info.size;
                draw.scale(kThumbnailSide, kThumbnailSide, Qt::KeepAspectRatio);
                t.image = render::loadImage(path, draw.toSize(), &error);
            }
        } else {
            const QImage frame = render::decodeVideoFrame(path, double(timeMs) / 1000.0, &error);
            if (!frame.isNull()) {
                t.sourceSize = frame.size();
                t.image = frame.scaled(kThumbnailSide, kThumbnailSide, Qt::KeepAspectRatio,
                                       Qt::SmoothTransformation);
            }
        }
        t.error = error.message;
        return t;
    }));
}

void ReframeEditor::thumbnailDone()
{
    const Thumbnail t = m_thumbnail.result();
    m_shown = std::make_pair(t.path, t.timeMs);
    if (t.image.isNull()) {
        m_view->setImage(QImage());
        m_view->setMessage(t.error);
    } else {
        m_view->setImage(t.image);
    }
    const bool newSize = m_sizePath != t.path || m_sourceSize != t.sourceSize;
    m_sizePath = t.path;
    m_sourceSize = t.sourceSize;
    if (m_pending) {
        const auto [path, ms] = *m_pending;
        m_pending.reset();
        requestThumbnail(path, m_pendingKind, ms);
    }
    if (newSize)
        refresh();  // the window's aspect and the centred crop depend on the source size
}

void ReframeEditor::editWindow(const QRectF &wanted, const QString &mergeField)
{
    const std::optional<Context> ctx = context();
    if (!ctx || !ctx->asset || !ctx->format || m_sourceSize.isEmpty() || isAnalysing())
        return;
    const std::vector<CropKey> start = effectiveKeys(*ctx);
    if (start.empty())
        return;
    const QString assetId = ctx->asset->id, formatId = ctx->format->id;
    const Rational t = ctx->sourceTime;
    const QRectF window = clampToSource(wanted);
    m_doc->edit(
        tr("Move crop"),
        [&](Campaign &c) {
            const editor::ClipLocation loc = editor::findClip(c.timeline, m_clipId);
            if (!loc.isValid())
                return false;
            editor::Clip &clip = c.timeline.tracks[size_t(loc.track)].clips[size_t(loc.index)];
            ReframeSpec *spec = clip.reframeFor(assetId, formatId);
            if (!spec) {
                clip.reframe.push_back(ReframeSpec{assetId, formatId, ReframeSpec::Mode::Manual,
                                                   start});
                spec = &clip.reframe.back();
            }
            spec->mode = ReframeSpec::Mode::Manual;
            auto at = std::find_if(spec->keys.begin(), spec->keys.end(),
                                   [&](const CropKey &k) { return k.time == t; });
            if (at != spec->keys.end())
                at->window = window;
            else if (spec->keys.size() == 1)
                spec->keys.front().window = window;
            else {
                const auto after = std::upper_bound(
                    spec->keys.begin(), spec->keys.end(), t,
                    [](const Rational &time, const CropKey &k) { return time < k.time; });
                spec->keys.insert(after, CropKey{t, window});
            }
            return true;
        },
        QStringLiteral("reframe:%1:%2:%3:%4").arg(mergeField, m_clipId, assetId, formatId));
}

void ReframeEditor::addKeyAtPlayhead()
{
    const std::optional<Context> ctx = context();
    if (!ctx || !ctx->asset || !ctx->format || !ctx->inside)
        return;
    const std::vector<CropKey> start = effectiveKeys(*ctx);
    if (start.empty())
        return;
    endGesture();
    const QString assetId = ctx->asset->id, formatId = ctx->format->id;
    const Rational t = ctx->sourceTime;
    m_doc->edit(tr("Add crop key"), [&](Campaign &c) {
        const editor::ClipLocation loc = editor::findClip(c.timeline, m_clipId);
        if (!loc.isValid())
            return false;
        editor::Clip &clip = c.timeline.tracks[size_t(loc.track)].clips[size_t(loc.index)];
        ReframeSpec *spec = clip.reframeFor(assetId, formatId);
        if (!spec) {
            clip.reframe.push_back(ReframeSpec{assetId, formatId, ReframeSpec::Mode::Manual,
                                               start});
            spec = &clip.reframe.back();
        }
        if (std::any_of(spec->keys.begin(), spec->keys.end(),
                        [&](const CropKey &k) { return k.time == t; }))
            return false;
        spec->mode = ReframeSpec::Mode::Manual;
        const QRectF window = windowAt(spec->keys, t);  // the crop shown there now
        const auto after = std::upper_bound(
            spec->keys.begin(), spec->keys.end(), t,
            [](const Rational &time, const CropKey &k) { return time < k.time; });
        spec->keys.insert(after, CropKey{t, window});
        return true;
    });
}

void ReframeEditor::deleteSelectedKey()
{
    const std::optional<Context> ctx = context();
    const int row = m_keys->currentItem() ? m_keys->indexOfTopLevelItem(m_keys->currentItem())
                                          : -1;
    if (!ctx || !ctx->spec || row < 0 || size_t(row) >= ctx->spec->keys.size()
        || ctx->spec->keys.size() < 2)
        return;
    endGesture();
    const QString assetId = ctx->asset->id, formatId = ctx->format->id;
    const Rational t = ctx->spec->keys[size_t(row)].time;
    m_doc->edit(tr("Delete crop key"), [&](Campaign &c) {
        const editor::ClipLocation loc = editor::findClip(c.timeline, m_clipId);
        if (!loc.isValid())
            return false;
        editor::Clip &clip = c.timeline.tracks[size_t(loc.track)].clips[size_t(loc.index)];
        ReframeSpec *spec = clip.reframeFor(assetId, formatId);
        if (!spec || spec->keys.size() < 2)
            return false;
        const auto at = std::find_if(spec->keys.begin(), spec->keys.end(),
                                     [&](const CropKey &k) { return k.time == t; });
        if (at == spec->keys.end())
            return false;
        spec->keys.erase(at);
        spec->mode = ReframeSpec::Mode::Manual;
        return true;
    });
}

void ReframeEditor::backToAutomatic()
{
    const std::optional<Context> ctx = context();
    if (!ctx || !ctx->asset || !ctx->format || !ctx->segment || isAnalysing())
        return;
    endGesture();
    // The analysis reads and hashes the source and may run OpenCV on every sampled frame: a
    // worker thread with its own copy of the campaign and its own cache object.
    Campaign copy = m_doc->campaign();
    const QString cacheDir = analysisCacheDir();
    AutoResult job;
    job.campaignId = m_doc->campaign().id;
    job.clipId = m_clipId;
    job.assetId = ctx->asset->id;
    job.formatId = ctx->format->id;
    const QString segmentId = ctx->segment->id;
    m_analysis.setFuture(QtConcurrent::run([copy = std::move(copy), cacheDir, job,
                                            segmentId]() mutable {
        AutoResult result = job;
        const editor::ClipLocation loc = editor::findClip(copy.timeline, job.clipId);
        if (!loc.isValid())
            return result;
        editor::Clip &clip = copy.timeline.tracks[size_t(loc.track)].clips[size_t(loc.index)];
        // Without the designer's track the analysis fills this cell like any other. Only this
        // clip is analysed: the other smart clips of the cell keep the copy's tracks.
        std::erase_if(clip.reframe, [&](const ReframeSpec &s) {
            return s.assetId == job.assetId && s.formatId == job.formatId;
        });
        for (editor::Track &track : copy.timeline.tracks)
            for (editor::Clip &other : track.clips)
                if (other.id != job.clipId)
                    other.fit = QStringLiteral("cover");
        services::ReframeCache cache(cacheDir);
        const services::ReframeReport report =
            services::fillAutoReframe(copy, cache, {{segmentId, job.formatId}});
        const editor::Clip &filled =
            copy.timeline.tracks[size_t(loc.track)].clips[size_t(loc.index)];
        if (const ReframeSpec *spec = filled.reframeFor(job.assetId, job.formatId))
            result.spec = *spec;
        else
            result.error = report.errors.isEmpty()
                ? QObject::tr("The source could not be analysed.")
                : report.errors.join(QLatin1Char('\n'));
        return result;
    }));
    refresh();
}

QString ReframeEditor::analysisCacheDir() const
{
    const QString projectPath = m_doc->projectPath();
    return projectPath.isEmpty()
        ? QDir::temp().filePath(QStringLiteral("campaign-studio-reframe"))
        : services::defaultReframeCacheDir(projectPath);
}

void ReframeEditor::analyseAll()
{
    if (!m_doc || !m_doc->isOpen() || isAnalysing())
        return;
    endGesture();
    AutoResult job;
    job.all = true;
    job.campaignId = m_doc->campaign().id;
    m_analysis.setFuture(QtConcurrent::run([copy = m_doc->campaign(), cacheDir = analysisCacheDir(),
                                            job]() mutable {
        AutoResult result = job;
        services::ReframeCache cache(cacheDir);
        const services::ReframeReport report = services::fillAutoReframe(copy, cache);
        for (const editor::Track &track : copy.timeline.tracks)
            for (const editor::Clip &clip : track.clips)
                if (clip.fit == u"smart")
                    result.clips.emplace_back(clip.id, clip.reframe);
        result.error = report.errors.join(QLatin1Char('\n'));
        return result;
    }));
    refresh();
}

void ReframeEditor::applyAll(const AutoResult &result)
{
    int filled = 0;
    m_doc->edit(tr("Analyse smart clips"), [&](Campaign &c) {
        for (const auto &[clipId, specs] : result.clips) {
            const editor::ClipLocation loc = editor::findClip(c.timeline, clipId);
            if (!loc.isValid())
                continue;
            editor::Clip &clip = c.timeline.tracks[size_t(loc.track)].clips[size_t(loc.index)];
            for (const ReframeSpec &spec : specs) {
                if (spec.mode != ReframeSpec::Mode::Auto)
                    continue;
                ReframeSpec *mine = clip.reframeFor(spec.assetId, spec.formatId);
                if (mine && mine->mode == ReframeSpec::Mode::Manual)
                    continue;  // set by hand meanwhile, or before: the designer's
                if (mine)
                    *mine = spec;
                else
                    clip.reframe.push_back(spec);
                ++filled;
            }
        }
        return filled > 0;
    });
    refresh();
    m_status->setText(result.error.isEmpty()
                          ? tr("%n automatic crop(s) from the analysis.", nullptr, filled)
                          : result.error);
}

void ReframeEditor::automaticDone()
{
    const AutoResult result = m_analysis.result();
    if (!m_doc || !m_doc->isOpen() || m_doc->campaign().id != result.campaignId) {
        refresh();  // another project was opened meanwhile: not its crop
        return;
    }
    if (result.all) {
        applyAll(result);
        return;
    }
    if (!result.spec) {
        refresh();
        if (!result.error.isEmpty())
            m_status->setText(result.error);
        return;
    }
    m_doc->edit(tr("Back to automatic crop"), [&](Campaign &c) {
        const editor::ClipLocation loc = editor::findClip(c.timeline, result.clipId);
        if (!loc.isValid())
            return false;
        editor::Clip &clip = c.timeline.tracks[size_t(loc.track)].clips[size_t(loc.index)];
        if (ReframeSpec *spec = clip.reframeFor(result.assetId, result.formatId))
            *spec = *result.spec;
        else
            clip.reframe.push_back(*result.spec);
        return true;
    });
    refresh();  // the edit may have changed nothing (already automatic): re-enable anyway
}

void ReframeEditor::useSmartReframe()
{
    endGesture();
    m_doc->edit(tr("Use smart reframe"), [&](Campaign &c) {
        const editor::ClipLocation loc = editor::findClip(c.timeline, m_clipId);
        if (!loc.isValid())
            return false;
        c.timeline.tracks[size_t(loc.track)].clips[size_t(loc.index)].fit =
            QStringLiteral("smart");
        return true;
    });
}

}  // namespace ui
