// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Crash recovery for the studio (RELIABILITY.md B1). While a project is open the studio holds
// a QLockFile for it and, a few seconds after each edit, writes the whole document to
// `<dir>/<campaign-uuid>.<UTC time>.autosave` through QSaveFile, keeping the newest ten. The
// project file itself is never touched by autosave.
//
// On the next start, an autosave is offered back when it is newer than the project file and
// the project's lock is free or stale (its owner died): a live lock means another studio has
// the project open, and its autosaves are its own business. Nothing is deleted until the user
// decides.

#include "editor/campaign.h"

#include <QDateTime>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

class QLockFile;

namespace services {

struct RecoveryCandidate {
    QString campaignId;
    QString projectPath;     // the project the autosave belongs to
    QString autosavePath;    // the newest autosave of that project
    QDateTime autosavedAt;   // UTC
    QDateTime projectModifiedAt;  // invalid when the project file is gone
};

class RecoveryStore {
public:
    static constexpr int kVersionsKept = 10;

    // `dir` is created on first write (the studio passes AppDataLocation/recovery).
    explicit RecoveryStore(QString dir);
    ~RecoveryStore();

    QString dir() const { return m_dir; }

    // Takes the lock of the project with this campaign id for as long as this store lives or
    // until release(). False when another live process holds it (then `holder` names it).
    bool lockProject(const QString &campaignId, QString *holder = nullptr);
    void releaseProject();

    // Writes one autosave version and prunes old ones. False with a reason naming the file.
    bool write(const editor::Campaign &campaign, const QString &projectPath, QString *error);

    // Autosaves worth offering: newer than their project and not locked by a live process
    // (the lock this store holds itself counts as live only for other ids).
    std::vector<RecoveryCandidate> candidates() const;
    std::optional<RecoveryCandidate> candidateFor(const QString &campaignId) const;

    // Reads an autosave back as a campaign whose media paths resolve against its project's
    // folder. Empty with `error` set when the file cannot be read.
    static std::optional<editor::Campaign> read(const QString &autosavePath, QString *projectPath,
                                                QString *error);

    // Removes every autosave of the campaign (the user chose Discard, or closed without
    // saving on purpose).
    void discard(const QString &campaignId);

    QString lockPathFor(const QString &campaignId) const;

private:
    QStringList versionsOf(const QString &campaignId) const;  // newest first

    QString m_dir;
    QString m_lockedId;
    std::unique_ptr<QLockFile> m_lock;
};

}  // namespace services
