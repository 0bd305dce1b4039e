// SPDX-License-Identifier: GPL-3.0-or-later
#include "document.h"

#include "project_io.h"

#include <QFileInfo>
#include <QSet>
#include <QUndoCommand>
#include <QUndoStack>

namespace editor {

class SnapshotCommand : public QUndoCommand {
public:
    SnapshotCommand(Document *doc, Campaign before, Campaign after, const QString &text,
                    QString mergeKey, quint64 gesture)
        : QUndoCommand(text), m_doc(doc), m_before(std::move(before)),
          m_after(std::move(after)), m_mergeKey(std::move(mergeKey)), m_gesture(gesture)
    {
    }
    void undo() override { m_doc->setCampaignFromHistory(m_before); }
    void redo() override
    {
        // QUndoStack::push() calls redo(); the document already holds m_after then.
        if (m_pushed)
            m_doc->setCampaignFromHistory(m_after);
        m_pushed = true;
    }
    int id() const override { return m_mergeKey.isEmpty() ? -1 : 0x43535444; }
    bool mergeWith(const QUndoCommand *other) override
    {
        const auto *o = static_cast<const SnapshotCommand *>(other);
        if (o->m_mergeKey != m_mergeKey || o->m_gesture != m_gesture)
            return false;
        m_after = o->m_after;
        // A drag that ends where it started is no edit at all.
        if (m_after == m_before)
            setObsolete(true);
        return true;
    }

private:
    Document *m_doc;
    Campaign m_before, m_after;
    QString m_mergeKey;
    quint64 m_gesture;
    bool m_pushed = false;
};

Document::Document(QObject *parent) : QObject(parent), m_undo(new QUndoStack(this))
{
    connect(m_undo, &QUndoStack::cleanChanged, this, [this] { emitModifiedIfChanged(); });
}

Document::~Document() = default;

void Document::reset(Campaign campaign, const QString &projectPath, bool modified)
{
    m_undo->clear();
    m_campaign = std::move(campaign);
    m_projectPath = projectPath;
    m_forcedModified = modified;
    ++m_revision;
    ++m_gesture;
    emit opened();
    emit changed();
    emitModifiedIfChanged();
}

void Document::close()
{
    m_undo->clear();
    m_campaign.reset();
    m_projectPath.clear();
    m_forcedModified = false;
    ++m_revision;
    emit opened();
    emit changed();
    emitModifiedIfChanged();
}

QString Document::projectDir() const
{
    return m_projectPath.isEmpty() ? QString() : QFileInfo(m_projectPath).absolutePath();
}

void Document::setProjectPath(const QString &path)
{
    m_projectPath = path;
}

bool Document::edit(const QString &text, const std::function<bool(Campaign &)> &change,
                    const QString &mergeKey)
{
    if (!m_campaign)
        return false;
    Campaign after = *m_campaign;
    if (!change(after) || after == *m_campaign)
        return false;
    Campaign before = std::move(*m_campaign);
    m_campaign = after;
    ++m_revision;
    m_undo->push(new SnapshotCommand(this, std::move(before), std::move(after), text, mergeKey,
                                     m_gesture));
    emit changed();
    emitModifiedIfChanged();
    return true;
}

void Document::endGesture()
{
    ++m_gesture;
}

bool Document::isModified() const
{
    return m_campaign && (m_forcedModified || !m_undo->isClean());
}

void Document::markSaved()
{
    m_forcedModified = false;
    m_undo->setClean();
    emitModifiedIfChanged();
}

void Document::markModified()
{
    m_forcedModified = true;
    emitModifiedIfChanged();
}

void Document::setCampaignFromHistory(const Campaign &c)
{
    m_campaign = c;
    ++m_revision;
    ++m_gesture;  // an undo in the middle of a drag must not merge the drag's rest into it
    emit changed();
    emitModifiedIfChanged();
}

void Document::emitModifiedIfChanged()
{
    const bool now = isModified();
    if (now != m_lastModified) {
        m_lastModified = now;
        emit modifiedChanged(now);
    }
}

QStringList checkConsistency(const Campaign &campaign, const QString &projectDir)
{
    QStringList problems;
    QSet<QString> clipIds;
    for (const Track &track : campaign.timeline.tracks) {
        for (size_t i = 0; i < track.clips.size(); ++i) {
            const Clip &clip = track.clips[i];
            if (clip.id.isEmpty())
                problems << QStringLiteral("track %1: a clip has no id").arg(track.id);
            else if (clipIds.contains(clip.id))
                problems << QStringLiteral("clip id %1 is used twice").arg(clip.id);
            clipIds.insert(clip.id);
            if (!(Rational{0, 1} < clip.duration))
                problems << QStringLiteral("clip %1 has no positive duration").arg(clip.id);
            if (clip.start < Rational{0, 1})
                problems << QStringLiteral("clip %1 starts before 0").arg(clip.id);
            if (i > 0 && clip.start < track.clips[i - 1].start)
                problems << QStringLiteral("clip %1 is out of start order on track %2")
                                .arg(clip.id, track.id);
        }
    }
    // The reader is the authority on what a valid document is: what the editor produces must
    // read back, and read back as the same campaign.
    const QByteArray json = serializeCampaign(campaign, projectDir);
    const LoadResult back = parseCampaign(json, projectDir);
    if (back.status != LoadResult::Status::Ok) {
        for (const LoadIssue &issue : back.issues)
            problems << QStringLiteral("does not load back: ") + issue.toString();
        if (back.issues.empty())
            problems << QStringLiteral("does not load back: ") + back.message;
    } else if (!(*back.campaign == campaign)) {
        problems << QStringLiteral("loads back different from what was saved");
    }
    return problems;
}

}  // namespace editor
