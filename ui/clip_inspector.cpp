// SPDX-License-Identifier: GPL-3.0-or-later
#include "clip_inspector.h"

#include "editor/document.h"
#include "inspector_scope.h"
#include "layout_editor.h"
#include "reframe_editor.h"
#include "timeline_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace ui {

using editor::Campaign;
using editor::KeyProperty;
using editor::Rational;

namespace {

QString propertyLabel(KeyProperty p)
{
    switch (p) {
    case KeyProperty::OffsetX: return ClipInspector::tr("Position X");
    case KeyProperty::OffsetY: return ClipInspector::tr("Position Y");
    case KeyProperty::Scale: return ClipInspector::tr("Scale");
    case KeyProperty::Opacity: break;
    }
    return ClipInspector::tr("Opacity");
}

double propertyStep(KeyProperty p)
{
    return p == KeyProperty::OffsetX || p == KeyProperty::OffsetY ? 0.01 : 0.05;
}

// An edit of one field of the clip in the single-clip timeline editClipInScope() hands over.
editor::ClipEdit setField(const std::function<void(editor::Clip &)> &change)
{
    return [change](editor::Timeline &tl, const QString &id) {
        const editor::ClipLocation loc = editor::findClip(tl, id);
        if (!loc.isValid())
            return false;
        change(tl.tracks[size_t(loc.track)].clips[size_t(loc.index)]);
        return true;
    };
}

}  // namespace

ClipInspector::ClipInspector(editor::Document *document, QWidget *parent)
    : QWidget(parent), m_doc(document)
{
    auto *outer = new QVBoxLayout(this);
    m_empty = new QLabel(tr("Select a clip in the timeline."), this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setEnabled(false);
    outer->addWidget(m_empty);

    m_body = new QWidget(this);
    m_body->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);  // space goes below
    outer->addWidget(m_body);
    outer->addStretch(1);
    auto *bodyLayout = new QVBoxLayout(m_body);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(m_body);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    auto *titleRow = new QHBoxLayout;
    titleRow->addWidget(m_title, 1);
    m_lock = new QCheckBox(tr("Locked"), m_body);
    m_lock->setObjectName(QStringLiteral("lockClip"));
    m_lock->setToolTip(tr("A locked clip (a brand layer such as the logo) cannot be moved, "
                          "trimmed or changed in any variant until it is unlocked."));
    titleRow->addWidget(m_lock);
    bodyLayout->addLayout(titleRow);
    connect(m_lock, &QCheckBox::clicked, this, [this](bool locked) {
        endGesture();
        m_doc->edit(locked ? tr("Lock clip") : tr("Unlock clip"), [&](Campaign &c) {
            return editor::setClipLocked(c.timeline, m_clipId, locked);
        });
    });

    m_scopeBar = new InspectorScopeBar(m_body);
    bodyLayout->addWidget(m_scopeBar);
    connect(m_scopeBar, &InspectorScopeBar::scopeChanged, this, [this] {
        endGesture();  // an edit in another scope is another step
        refresh();
    });
    connect(m_scopeBar, &InspectorScopeBar::resetToMasterRequested, this, [this] {
        endGesture();
        m_doc->edit(tr("Reset clip to master"), [&](Campaign &c) {
            return editor::resetClipToMaster(c, m_clipId, m_segmentId, m_formatId);
        });
    });

    m_form = new QFormLayout;
    bodyLayout->addLayout(m_form);
    m_start = new QLabel(m_body);
    m_duration = new QLabel(m_body);
    m_in = new QLabel(m_body);
    m_form->addRow(tr("Start"), m_start);
    m_form->addRow(tr("Duration"), m_duration);
    m_form->addRow(tr("Source in"), m_in);

    m_fit = new QComboBox(m_body);
    m_fit->addItem(tr("Cover (crop)"), QStringLiteral("cover"));
    m_fit->addItem(tr("Contain (letterbox)"), QStringLiteral("contain"));
    m_fit->addItem(tr("Stretch"), QStringLiteral("stretch"));
    m_fit->addItem(tr("Smart reframe"), QStringLiteral("smart"));
    m_form->addRow(tr("Fit"), fieldRow(m_fit, {QStringLiteral("fit")}));
    connect(m_fit, &QComboBox::activated, this, [this](int index) {
        const QString fit = m_fit->itemData(index).toString();
        endGesture();
        editClip(tr("Change fit"), setField([fit](editor::Clip &clip) { clip.fit = fit; }), {});
    });

    m_layout = new LayoutEditor(m_body);
    m_form->addRow(tr("Layout"), fieldRow(m_layout, {QStringLiteral("layout")}));
    connect(m_layout, &LayoutEditor::layoutEdited, this,
            [this](const editor::ClipLayout &layout, bool continuous) {
                if (m_refreshing)
                    return;
                if (!continuous)
                    endGesture();
                editClip(tr("Change layout"),
                         setField([layout](editor::Clip &clip) { clip.layout = layout; }),
                         continuous ? QStringLiteral("layout") : QString());
            });
    connect(m_layout, &LayoutEditor::editingFinished, this, &ClipInspector::endGesture);

    m_text = new QLineEdit(m_body);
    m_text->setPlaceholderText(tr("Text, with slots such as {{headline}}"));
    m_form->addRow(tr("Text"), fieldRow(m_text, {QStringLiteral("text"), QStringLiteral("text")}));
    connect(m_text, &QLineEdit::textEdited, this, [this](const QString &text) {
        editClip(tr("Edit text"), setField([text](editor::Clip &clip) { clip.text.text = text; }),
                 QStringLiteral("text"));
    });
    connect(m_text, &QLineEdit::editingFinished, this, &ClipInspector::endGesture);

    m_gain = new QDoubleSpinBox(m_body);
    m_gain->setRange(0.0, 16.0);
    m_gain->setSingleStep(0.05);
    m_gain->setDecimals(2);
    m_form->addRow(tr("Gain"), fieldRow(m_gain, {QStringLiteral("gain")}));
    connect(m_gain, &QDoubleSpinBox::valueChanged, this, [this](double gain) {
        if (m_refreshing)
            return;
        editClip(tr("Change gain"), setField([gain](editor::Clip &clip) { clip.gain = gain; }),
                 QStringLiteral("gain"));
    });
    connect(m_gain, &QDoubleSpinBox::editingFinished, this, &ClipInspector::endGesture);

    m_transition = new QDoubleSpinBox(m_body);
    m_transition->setSuffix(tr(" s"));
    m_transition->setDecimals(3);
    m_transition->setToolTip(tr("Crossfade from the layers below at the clip start"));
    m_form->addRow(tr("Crossfade in"), fieldRow(m_transition, {QStringLiteral("transitionIn")}));
    connect(m_transition, &QDoubleSpinBox::valueChanged, this, [this](double seconds) {
        if (m_refreshing)
            return;
        const Rational fps = m_doc->campaign().timeline.fps;
        const Rational length = Rational::fromFrames(std::llround(seconds * fps.toDouble()), fps);
        editClip(tr("Change crossfade"),
                 [length](editor::Timeline &tl, const QString &id) {
                     return editor::setTransitionIn(tl, id, length);
                 },
                 QStringLiteral("transition"));
    });
    connect(m_transition, &QDoubleSpinBox::editingFinished, this, &ClipInspector::endGesture);

    m_keyBox = new QGroupBox(tr("Keyframes at the playhead"), m_body);
    bodyLayout->addWidget(m_keyBox);
    auto *keyLayout = new QFormLayout(m_keyBox);
    m_keyHint = new QLabel(m_keyBox);
    m_keyHint->setWordWrap(true);
    keyLayout->addRow(m_keyHint);
    const KeyProperty order[] = {KeyProperty::OffsetX, KeyProperty::OffsetY, KeyProperty::Scale,
                                 KeyProperty::Opacity};
    for (KeyProperty prop : order) {
        KeyRow row{prop};
        auto *line = new QWidget(m_keyBox);
        auto *h = new QHBoxLayout(line);
        h->setContentsMargins(0, 0, 0, 0);
        row.value = new QDoubleSpinBox(line);
        row.value->setRange(editor::keyMinimum(prop), editor::keyMaximum(prop));
        row.value->setSingleStep(propertyStep(prop));
        row.value->setDecimals(3);
        row.value->setKeyboardTracking(false);  // one key per committed value, not per digit
        row.add = new QPushButton(QStringLiteral("◆"), line);
        row.add->setToolTip(tr("Add or update a keyframe at the playhead"));
        row.remove = new QPushButton(QStringLiteral("✕"), line);
        row.remove->setToolTip(tr("Remove the keyframe at the playhead"));
        for (QPushButton *b : {row.add, row.remove})
            b->setFixedWidth(28);
        // The diamond in the colour the timeline draws this property's keys in.
        QPalette diamond = row.add->palette();
        diamond.setColor(QPalette::ButtonText, keyframeColor(prop));
        row.add->setPalette(diamond);
        h->addWidget(row.value, 1);
        h->addWidget(row.add);
        h->addWidget(row.remove);
        QToolButton *reset = makeResetButton(line);
        h->addWidget(reset);
        row.label = new QLabel(propertyLabel(prop), m_keyBox);
        keyLayout->addRow(row.label, line);
        const QStringList path{QStringLiteral("keyframes"), editor::keyPropertyName(prop)};
        m_markers.push_back({row.value, row.label, reset, path});
        connect(reset, &QToolButton::clicked, this, [this, path] { resetField(path); });
        connect(row.value, &QDoubleSpinBox::valueChanged, this, [this, prop](double v) {
            if (!m_refreshing)
                setKey(prop, v, true);
        });
        connect(row.value, &QDoubleSpinBox::editingFinished, this, &ClipInspector::endGesture);
        QDoubleSpinBox *spin = row.value;
        connect(row.add, &QPushButton::clicked, this, [this, prop, spin] {
            setKey(prop, spin->value(), false);
        });
        connect(row.remove, &QPushButton::clicked, this, [this, prop] { removeKey(prop); });
        m_keys.push_back(row);
    }

    // The labels QFormLayout made for the rows above.
    for (FieldMarker &m : m_markers)
        if (!m.label)
            m.label = qobject_cast<QLabel *>(m_form->labelForField(m.editor->parentWidget()));
    m_reframe = new ReframeEditor(m_doc, m_body);
    bodyLayout->addWidget(m_reframe);

    if (m_doc) {
        connect(m_doc, &editor::Document::changed, this, &ClipInspector::refresh);
        connect(m_doc, &editor::Document::opened, this, [this] { setClip({}); });
    }
    refresh();
}

QDoubleSpinBox *ClipInspector::keyValueEditor(KeyProperty p) const
{
    for (const KeyRow &r : m_keys)
        if (r.property == p)
            return r.value;
    return nullptr;
}

QPushButton *ClipInspector::addKeyButton(KeyProperty p) const
{
    for (const KeyRow &r : m_keys)
        if (r.property == p)
            return r.add;
    return nullptr;
}

QPushButton *ClipInspector::removeKeyButton(KeyProperty p) const
{
    for (const KeyRow &r : m_keys)
        if (r.property == p)
            return r.remove;
    return nullptr;
}

QWidget *ClipInspector::fieldRow(QWidget *editor, const QStringList &path)
{
    auto *row = new QWidget(m_body);
    auto *h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    editor->setParent(row);
    h->addWidget(editor, 1);
    QToolButton *reset = makeResetButton(row);
    h->addWidget(reset);
    m_markers.push_back({editor, nullptr, reset, path});
    connect(reset, &QToolButton::clicked, this, [this, path] { resetField(path); });
    return row;
}

QLabel *ClipInspector::fieldLabel(QWidget *editor) const
{
    for (const FieldMarker &m : m_markers)
        if (m.editor == editor)
            return m.label;
    return nullptr;
}

QToolButton *ClipInspector::fieldResetButton(QWidget *editor) const
{
    for (const FieldMarker &m : m_markers)
        if (m.editor == editor)
            return m.reset;
    return nullptr;
}

void ClipInspector::setCell(const QString &segmentId, const QString &formatId)
{
    if (segmentId == m_segmentId && formatId == m_formatId)
        return;
    endGesture();
    m_segmentId = segmentId;
    m_formatId = formatId;
    refresh();
}

bool ClipInspector::editClip(const QString &text, const editor::ClipEdit &edit, const QString &field)
{
    if (!m_doc || !m_doc->isOpen())
        return false;
    const editor::OverrideScope scope = m_scopeBar->scope();
    return m_doc->edit(
        text,
        [&](Campaign &c) {
            return editor::editClipInScope(c, m_clipId, scope, m_segmentId, m_formatId, edit);
        },
        field.isEmpty() ? QString()
                        : mergeKey(QStringLiteral("%1:%2").arg(field).arg(int(scope))));
}

void ClipInspector::resetField(const QStringList &path)
{
    endGesture();
    m_doc->edit(tr("Reset %1 to master").arg(path.join(QLatin1Char('.'))), [&](Campaign &c) {
        return editor::resetOverriddenProperty(c, m_clipId, m_segmentId, m_formatId, path);
    });
}

void ClipInspector::refreshMarkers(const editor::Clip &master, bool locked)
{
    for (const FieldMarker &m : m_markers) {
        if (!m.label)
            continue;
        // Key rows keep their bold "keyed here" label (set by refresh()).
        const bool keyRow = m.path.front() == u"keyframes";
        const bool keyedHere = keyRow && m.label->font().bold();  // just set by refresh()
        markOverridden(m.label, m.reset, overrideOrigin(master, m_segmentId, m_formatId, m.path),
                       keyedHere);
        m.reset->setEnabled(!locked);
    }
}

void ClipInspector::setClip(const QString &clipId)
{
    if (clipId == m_clipId)
        return;
    endGesture();
    m_clipId = clipId;
    m_reframe->setClip(clipId);
    refresh();
}

void ClipInspector::setPlayhead(qint64 frame)
{
    if (frame == m_playhead)
        return;
    endGesture();  // a value typed at another time is another keyframe, another step
    m_playhead = frame;
    m_reframe->setPlayhead(frame);
    refresh();
}

QString ClipInspector::mergeKey(const QString &field) const
{
    return QStringLiteral("inspector:%1:%2").arg(field, m_clipId);
}

void ClipInspector::endGesture()
{
    if (m_doc)
        m_doc->endGesture();
}

const editor::Clip *ClipInspector::currentClip(editor::TrackKind *kind) const
{
    if (!m_doc || !m_doc->isOpen() || m_clipId.isEmpty())
        return nullptr;
    const editor::Timeline &tl = m_doc->campaign().timeline;
    const editor::ClipLocation loc = editor::findClip(tl, m_clipId);
    if (!loc.isValid())
        return nullptr;
    if (kind)
        *kind = tl.tracks[size_t(loc.track)].kind;
    return &tl.tracks[size_t(loc.track)].clips[size_t(loc.index)];
}

std::optional<Rational> ClipInspector::keyTime() const
{
    const editor::Clip *clip = currentClip();
    if (!clip)
        return std::nullopt;
    const Rational t = Rational::fromFrames(m_playhead, m_doc->campaign().timeline.fps) - clip->start;
    if (t.isNegative() || clip->duration < t)
        return std::nullopt;
    return t;
}

void ClipInspector::setKey(KeyProperty p, double value, bool merge)
{
    const std::optional<Rational> t = keyTime();
    if (!t)
        return;
    if (!merge)
        endGesture();
    editClip(tr("Set %1 keyframe").arg(propertyLabel(p).toLower()),
             [&](editor::Timeline &tl, const QString &id) {
                 return editor::setKeyframe(tl, id, p, *t, value);
             },
             merge ? QStringLiteral("key-") + editor::keyPropertyName(p) : QString());
}

void ClipInspector::removeKey(KeyProperty p)
{
    const std::optional<Rational> t = keyTime();
    if (!t)
        return;
    endGesture();
    editClip(tr("Remove %1 keyframe").arg(propertyLabel(p).toLower()),
             [&](editor::Timeline &tl, const QString &id) {
                 return editor::removeKeyframe(tl, id, p, *t);
             },
             {});
}

std::optional<editor::Clip> ClipInspector::shownClip(editor::TrackKind *kind) const
{
    editor::TrackKind k{};
    const editor::Clip *master = currentClip(&k);
    if (!master)
        return std::nullopt;
    if (kind)
        *kind = k;
    std::optional<editor::Clip> shown =
        editor::scopedClip(*master, k, m_scopeBar->scope(), m_segmentId, m_formatId);
    return shown ? shown : std::optional<editor::Clip>(*master);
}

void ClipInspector::refresh()
{
    editor::TrackKind kind{};
    const editor::Clip *master = currentClip(&kind);
    m_empty->setVisible(!master);
    m_body->setVisible(master != nullptr);
    if (!master)
        return;
    m_refreshing = true;
    {
        const QSignalBlocker block(m_scopeBar);
        m_scopeBar->setCell(&m_doc->campaign(), m_segmentId, m_formatId);
    }
    m_scopeBar->setClipState(master);
    const std::optional<editor::Clip> shown = shownClip();
    const editor::Clip *clip = &*shown;
    const bool locked = master->locked;
    m_lock->setChecked(locked);
    for (QWidget *w : {static_cast<QWidget *>(m_scopeBar), static_cast<QWidget *>(m_layout),
                       static_cast<QWidget *>(m_fit),
                       static_cast<QWidget *>(m_text), static_cast<QWidget *>(m_gain),
                       static_cast<QWidget *>(m_transition), static_cast<QWidget *>(m_keyBox),
                       static_cast<QWidget *>(m_reframe)})
        w->setEnabled(!locked);
    const Rational fps = m_doc->campaign().timeline.fps;
    const auto tc = [&](const Rational &t) { return timecode(t.toFrames(fps), fps); };
    m_title->setText(tr("%1 — %2 clip").arg(clip->id, editor::trackKindName(kind)));
    m_start->setText(tc(clip->start));
    m_duration->setText(tc(clip->duration));
    m_in->setText(tc(clip->in));

    const bool text = kind == editor::TrackKind::Text;
    const bool audio = kind == editor::TrackKind::Audio;
    m_form->setRowVisible(m_fit->parentWidget(), !text && !audio);
    m_form->setRowVisible(m_text->parentWidget(), text);
    m_form->setRowVisible(m_gain->parentWidget(), audio);
    m_form->setRowVisible(m_layout->parentWidget(), !audio);
    m_layout->setClipLayout(clip->layout);
    m_form->setRowVisible(m_transition->parentWidget(), !audio);
    m_form->setRowVisible(m_in, !text);
    m_keyBox->setVisible(!audio);

    {
        const QSignalBlocker b(m_fit);
        m_fit->setCurrentIndex(std::max(0, m_fit->findData(clip->fit)));
    }
    if (m_text->text() != clip->text.text)
        m_text->setText(clip->text.text);
    m_gain->setValue(clip->gain);
    m_transition->setRange(0.0, clip->duration.toDouble());
    m_transition->setSingleStep(1.0 / fps.toDouble());
    m_transition->setValue(clip->transitionIn.toDouble());

    const std::optional<Rational> t = keyTime();
    m_keyHint->setText(t ? tr("At %1 into the clip.").arg(tc(*t))
                         : tr("Move the playhead into the clip to add keyframes."));
    for (KeyRow &row : m_keys) {
        const editor::Keyframe *key = t ? editor::keyframeAt(*clip, row.property, *t) : nullptr;
        row.value->setEnabled(t.has_value());
        row.add->setEnabled(t.has_value());
        row.remove->setEnabled(key != nullptr);
        row.value->setValue(t ? editor::keyValueAt(*clip, row.property, *t)
                              : editor::keyDefault(row.property));
        // A bold label says "this value is keyed here".
        QFont f = row.label->font();
        f.setBold(key != nullptr);
        row.label->setFont(f);
        const int count = int(editor::keyframes(*clip, row.property).size());
        row.label->setToolTip(tr("%n keyframe(s) on this clip", nullptr, count));
    }
    refreshMarkers(*master, locked);
    m_refreshing = false;
}

}  // namespace ui
