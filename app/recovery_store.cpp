// SPDX-License-Identifier: GPL-3.0-or-later
#include "recovery_store.h"

#include "editor/project_io.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QSaveFile>

#include <cerrno>
#include <cstring>

namespace services {

namespace {
const QString kSuffix = QStringLiteral(".autosave");
const QString kTimeFormat = QStringLiteral("yyyyMMdd'T'HHmmsszzz");

// Campaign ids are uuids, but a hand-edited file may hold anything: keep file names safe.
QString safeId(const QString &id)
{
    QString out;
    for (const QChar c : id)
        out += (c.isLetterOrNumber() || c == QLatin1Char('-')) && c.unicode() < 128 ? c : QLatin1Char('_');
    return out.isEmpty() ? QStringLiteral("untitled") : out.left(80);
}

QDateTime timeFromName(const QString &fileName)
{
    // <id>.<time>.autosave
    const QStringList parts = fileName.split(QLatin1Char('.'));
    if (parts.size() < 3)
        return {};
    QDateTime t = QDateTime::fromString(parts.at(parts.size() - 2), kTimeFormat);
    t.setTimeSpec(Qt::UTC);
    return t;
}
}  // namespace

RecoveryStore::RecoveryStore(QString dir) : m_dir(std::move(dir)) {}

RecoveryStore::~RecoveryStore() = default;

QString RecoveryStore::lockPathFor(const QString &campaignId) const
{
    return QDir(m_dir).filePath(safeId(campaignId) + QStringLiteral(".lock"));
}

bool RecoveryStore::lockProject(const QString &campaignId, QString *holder)
{
    if (m_lock && m_lockedId == campaignId)
        return true;
    releaseProject();
    QDir().mkpath(m_dir);
    auto lock = std::make_unique<QLockFile>(lockPathFor(campaignId));
    // A lock whose process is gone is stale at once; a live holder keeps it however old.
    lock->setStaleLockTime(0);
    if (!lock->tryLock(0)) {
        if (holder) {
            qint64 pid = 0;
            QString host, app;
            lock->getLockInfo(&pid, &host, &app);
            *holder = QCoreApplication::translate("services", "%1 (process %2 on %3)")
                          .arg(app.isEmpty() ? QStringLiteral("another program") : app)
                          .arg(pid)
                          .arg(host);
        }
        return false;
    }
    m_lock = std::move(lock);
    m_lockedId = campaignId;
    return true;
}

void RecoveryStore::releaseProject()
{
    m_lock.reset();  // unlocks
    m_lockedId.clear();
}

QStringList RecoveryStore::versionsOf(const QString &campaignId) const
{
    QDir dir(m_dir);
    // Names sort by time because the time is fixed-width; newest first.
    return dir.entryList({safeId(campaignId) + QStringLiteral(".*") + kSuffix}, QDir::Files,
                         QDir::Name | QDir::Reversed);
}

bool RecoveryStore::write(const editor::Campaign &campaign, const QString &projectPath,
                          QString *error)
{
    if (!QDir().mkpath(m_dir)) {
        if (error)
            *error = QCoreApplication::translate("services", "Cannot create the recovery folder %1.")
                         .arg(QDir::toNativeSeparators(m_dir));
        return false;
    }
    const QString projectDir = QFileInfo(projectPath).absolutePath();
    QJsonParseError parseError;
    const QJsonDocument campaignJson =
        QJsonDocument::fromJson(editor::serializeCampaign(campaign, projectDir), &parseError);
    QJsonObject root;
    root.insert(QStringLiteral("projectPath"), QFileInfo(projectPath).absoluteFilePath());
    root.insert(QStringLiteral("campaign"), campaignJson.object());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QString name = safeId(campaign.id) + QLatin1Char('.') + now.toString(kTimeFormat) + kSuffix;
    const QString path = QDir(m_dir).filePath(name);
    QSaveFile file(path);
    const QByteArray bytes = QJsonDocument(root).toJson();
    // Every byte and the flush are checked before commit(): in Qt 6.4 a short write inside
    // commit()'s own flush (full disk, file size limit) goes unreported and the truncated
    // autosave would be committed as the newest version.
    errno = 0;
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.flush()
        || !file.commit()) {
        // A failed buffered write reads "Unknown error" in errorString(); errno has the reason.
        const int writeErrno = errno;
        if (error)
            *error = QCoreApplication::translate("services", "Autosave to %1 failed: %2.")
                         .arg(QDir::toNativeSeparators(path),
                              writeErrno != 0 ? QString::fromLocal8Bit(std::strerror(writeErrno))
                                              : file.errorString());
        file.cancelWriting();
        return false;
    }
    const QStringList versions = versionsOf(campaign.id);
    for (qsizetype i = kVersionsKept; i < versions.size(); ++i)
        QFile::remove(QDir(m_dir).filePath(versions.at(i)));
    return true;
}

std::optional<RecoveryCandidate> RecoveryStore::candidateFor(const QString &campaignId) const
{
    const QStringList versions = versionsOf(campaignId);
    if (versions.isEmpty())
        return std::nullopt;
    const QString newest = QDir(m_dir).filePath(versions.first());
    QFile file(newest);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    RecoveryCandidate c;
    c.campaignId = campaignId;
    c.autosavePath = newest;
    c.autosavedAt = timeFromName(versions.first());
    c.projectPath = root.value(QStringLiteral("projectPath")).toString();
    const QFileInfo project(c.projectPath);
    if (project.exists())
        c.projectModifiedAt = project.lastModified().toUTC();
    // Saved after the autosave: the project holds everything the autosave had.
    if (c.projectModifiedAt.isValid() && c.projectModifiedAt >= c.autosavedAt)
        return std::nullopt;
    if (m_lock && m_lockedId == campaignId)
        return c;  // our own session: asked about when the same project is reopened here
    QLockFile probe(lockPathFor(campaignId));
    probe.setStaleLockTime(0);
    if (!probe.tryLock(0))
        return std::nullopt;  // a live studio has it open
    probe.unlock();
    return c;
}

std::vector<RecoveryCandidate> RecoveryStore::candidates() const
{
    std::vector<RecoveryCandidate> out;
    QStringList seen;
    const QStringList all = QDir(m_dir).entryList({QStringLiteral("*") + kSuffix}, QDir::Files,
                                                  QDir::Name | QDir::Reversed);
    for (const QString &name : all) {
        const QString id = name.section(QLatin1Char('.'), 0, 0);
        if (seen.contains(id))
            continue;
        seen << id;
        if (auto c = candidateFor(id))
            out.push_back(*c);
    }
    return out;
}

std::optional<editor::Campaign> RecoveryStore::read(const QString &autosavePath,
                                                    QString *projectPath, QString *error)
{
    QFile file(autosavePath);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QCoreApplication::translate("services", "Cannot read the autosave %1: %2")
                         .arg(QDir::toNativeSeparators(autosavePath), file.errorString());
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll(), &parseError).object();
    const QString project = root.value(QStringLiteral("projectPath")).toString();
    const QByteArray json =
        QJsonDocument(root.value(QStringLiteral("campaign")).toObject()).toJson();
    editor::LoadResult loaded = editor::parseCampaign(json, QFileInfo(project).absolutePath());
    if (loaded.status != editor::LoadResult::Status::Ok) {
        if (error) {
            QStringList lines{QCoreApplication::translate("services", "The autosave %1 is damaged.")
                                  .arg(QDir::toNativeSeparators(autosavePath))};
            for (const auto &issue : loaded.issues)
                lines << issue.toString();
            *error = lines.join(QLatin1Char('\n'));
        }
        return std::nullopt;
    }
    if (projectPath)
        *projectPath = project;
    return std::move(loaded.campaign);
}

void RecoveryStore::discard(const QString &campaignId)
{
    for (const QString &name : versionsOf(campaignId))
        QFile::remove(QDir(m_dir).filePath(name));
}

}  // namespace services
