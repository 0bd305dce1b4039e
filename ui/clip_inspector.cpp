// SPDX-License-Identifier: GPL-3.0-or-later
#include "clip_inspector.h"

#include "editor/document.h"
#include "reframe_editor.h"
#include "timeline_view.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
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
    bodyLayout->addWidget(m_title);

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
    m_form->addRow(tr("Fit"), m_fit);
    connect(m_fit, &QComboBox::activated, this, [this](int index) {
        const QString fit = m_fit->itemData(index).toString();
        m_doc->edit(tr("Change fit"), [&](Campaign &c) {
            const editor::ClipLocation loc = editor::findClip(c.timeline, m_clipId);
            if (!loc.isValid())
                return false;
            c.timeline.tracks[size_t(loc.track)].clips[size_t(loc.index)].fit = fit;
            return true;
        });
    });

    m_text = new QLineEdit(m_body);
    m_text->setPlaceholderText(tr("Text, with slots such as {{headline}}"));
    m_form->addRow(tr("Text"), m_text);
    connect(m_text, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_doc->edit(
            tr("Edit text"),
            [&](Campaign &c) {
                const editor::ClipLocation loc = editor::findClip(c.timeline, m_clipId);
                if (!loc.isValid())
                    return false;
                c.timeline.tracks[size_t(loc.track)].clips[size_t(loc.index)].text.text = text;
                return true;
            },
            mergeKey(QStringLiteral("text")));
    });
    connect(m_text, &QLineEdit::editingFinished, this, &ClipInspector::endGesture);

    m_gain = new QDoubleSpinBox(m_body);
    m_gain->setRange(0.0, 16.0);
    m_gain->setSingleStep(0.05);
    m_gain->setDecimals(2);
    m_form->addRow(tr("Gain"), m_gain);
    connect(m_gain, &QDoubleSpinBox::valueChanged, this, [this](double gain) {
        if (m_refreshing)
            return;
        m_doc->edit(
            tr("Change gain"),
            [&](Campaign &c) {
                const editor::ClipLocation loc = editor::findClip(c.timeline, m_clipId);
                if (!loc.isValid())
                    return false;
                c.timeline.tracks[size_t(loc.track)].clips[size_t(loc.index)].gain = gain;
                return true;
            },
            mergeKey(QStringLiteral("gain")));
    });
    connect(m_gain, &QDoubleSpinBox::editingFinished, this, &ClipInspector::endGesture);

    m_transition = new QDoubleSpinBox(m_body);
    m_transition->setSuffix(tr(" s"));
    m_transition->setDecimals(3);
    m_transition->setToolTip(tr("Crossfade from the layers below at the clip start"));
    m_form->addRow(tr("Crossfade in"), m_transition);
    connect(m_transition, &QDoubleSpinBox::valueChanged, this, [this](double seconds) {
        if (m_refreshing)
            return;
        const Rational fps = m_doc->campaign().timeline.fps;
        const Rational length = Rational::fromFrames(std::llround(seconds * fps.toDouble()), fps);
        m_doc->edit(
            tr("Change crossfade"),
            [&](Campaign &c) { return editor::setTransitionIn(c.timeline, m_clipId, length); },
            mergeKey(QStringLiteral("transition")));
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
        row.label = new QLabel(propertyLabel(prop), m_keyBox);
        keyLayout->addRow(row.label, line);
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
    m_doc->edit(
        tr("Set %1 keyframe").arg(propertyLabel(p).toLower()),
        [&](Campaign &c) { return editor::setKeyframe(c.timeline, m_clipId, p, *t, value); },
        merge ? mergeKey(QStringLiteral("key-") + editor::keyPropertyName(p)) : QString());
}

void ClipInspector::removeKey(KeyProperty p)
{
    const std::optional<Rational> t = keyTime();
    if (!t)
        return;
    endGesture();
    m_doc->edit(tr("Remove %1 keyframe").arg(propertyLabel(p).toLower()), [&](Campaign &c) {
        return editor::removeKeyframe(c.timeline, m_clipId, p, *t);
    });
}

void ClipInspector::refresh()
{
    editor::TrackKind kind{};
    const editor::Clip *clip = currentClip(&kind);
    m_empty->setVisible(!clip);
    m_body->setVisible(clip != nullptr);
    if (!clip)
        return;
    m_refreshing = true;
    const Rational fps = m_doc->campaign().timeline.fps;
    const auto tc = [&](const Rational &t) { return timecode(t.toFrames(fps), fps); };
    m_title->setText(tr("%1 — %2 clip").arg(clip->id, editor::trackKindName(kind)));
    m_start->setText(tc(clip->start));
    m_duration->setText(tc(clip->duration));
    m_in->setText(tc(clip->in));

    const bool text = kind == editor::TrackKind::Text;
    const bool audio = kind == editor::TrackKind::Audio;
    m_form->setRowVisible(m_fit, !text && !audio);
    m_form->setRowVisible(m_text, text);
    m_form->setRowVisible(m_gain, audio);
    m_form->setRowVisible(m_transition, !audio);
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
    m_refreshing = false;
}

}  // namespace ui
