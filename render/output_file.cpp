// SPDX-License-Identifier: GPL-3.0-or-later
#include "output_file.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QRandomGenerator>
#include <QStorageInfo>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace render {

namespace {
QString systemError(int errnoValue)
{
    return QString::fromLocal8Bit(std::strerror(errnoValue));
}

QString randomSuffix()
{
    static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    QString suffix;
    for (int i = 0; i < 6; ++i)
        suffix += QLatin1Char(kAlphabet[QRandomGenerator::global()->bounded(int(sizeof kAlphabet - 1))]);
    return suffix;
}

bool fsyncPath(const QString &path, int flags)
{
    const int fd = ::open(QFile::encodeName(path).constData(), flags | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0 || errno == EINVAL;  // some filesystems cannot sync dirs
    ::close(fd);
    return ok;
}

bool cannotCreate(const QString &folder, const QString &reason, RenderError *error)
{
    if (error) {
        error->kind = ErrorKind::CannotCreate;
        error->message = QCoreApplication::translate("render",
                             "Cannot write to the output folder \"%1\" (%2). Choose a folder "
                             "you can write to.")
                             .arg(folder, reason);
    }
    return false;
}
}  // namespace

RenderError writeFailure(const QString &path, int errnoValue, const QString &detail)
{
    RenderError error;
    // The folder turned read-only (a remount, a read-only bind) or lost its permissions while
    // we wrote: the folder cannot be written, like one refused at the start (exit 73), not a
    // data error. The file is named too, since several steps write into the same folder.
    if (errnoValue == EROFS || errnoValue == EACCES || errnoValue == EPERM) {
        cannotCreate(QDir::toNativeSeparators(QFileInfo(path).absolutePath()),
                     QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path),
                                                  systemError(errnoValue)),
                     &error);
        return error;
    }
    error.kind = ErrorKind::IoError;
    error.message = QCoreApplication::translate("render", "Writing \"%1\" failed (%2).")
                        .arg(path, detail.isEmpty() ? systemError(errnoValue) : detail);
    if (errnoValue == ENOSPC || errnoValue == EDQUOT) {
        const QStorageInfo storage(QFileInfo(path).absolutePath());
        error.message += QLatin1Char(' ')
            + QCoreApplication::translate("render",
                  "The disk is full: %1 free on %2. Free some space and export again.")
                  .arg(QLocale().formattedDataSize(storage.bytesAvailable()),
                       storage.rootPath());
    }
    return error;
}

bool createPartialFile(const QString &finalPath, QString *partialPath, RenderError *error)
{
    const QFileInfo info(finalPath);
    const QString folder = info.absolutePath();
    if (!QDir().mkpath(folder) || !QFileInfo(folder).isDir()) {
        // mkpath does not say why; the usual causes are a file in the way or permissions.
        return cannotCreate(folder, QCoreApplication::translate("render",
                                        "the folder does not exist and cannot be created"),
                            error);
    }
    if (info.isDir())
        return cannotCreate(folder, QCoreApplication::translate("render",
                                        "\"%1\" is a folder").arg(info.fileName()),
                            error);
    for (int attempt = 0; attempt < 100; ++attempt) {
        const QString candidate = QDir(folder).filePath(info.fileName()
                                                        + QStringLiteral(".partial-") + randomSuffix());
        const int fd = ::open(QFile::encodeName(candidate).constData(),
                              O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0) {
            ::close(fd);
            *partialPath = candidate;
            return true;
        }
        if (errno == EEXIST)
            continue;
        if (errno == ENOSPC || errno == EDQUOT) {
            if (error)
                *error = writeFailure(candidate, errno, {});
            return false;
        }
        return cannotCreate(folder, systemError(errno), error);
    }
    return cannotCreate(folder, QCoreApplication::translate("render", "no free temporary name"),
                        error);
}

bool commitPartialFile(const QString &partialPath, const QString &finalPath, RenderError *error)
{
    // Data first, then the name: after a crash the final name holds either the old file or
    // the complete new one.
    if (!fsyncPath(partialPath, O_RDONLY)) {
        if (error)
            *error = writeFailure(partialPath, errno, {});
        return false;
    }
    if (::rename(QFile::encodeName(partialPath).constData(),
                 QFile::encodeName(finalPath).constData()) != 0) {
        const int renameErrno = errno;
        if (error)
            *error = writeFailure(finalPath, renameErrno, {});
        return false;
    }
    fsyncPath(QFileInfo(finalPath).absolutePath(), O_RDONLY | O_DIRECTORY);
    return true;
}

void removePartialFile(const QString &partialPath)
{
    if (!partialPath.isEmpty())
        ::unlink(QFile::encodeName(partialPath).constData());
}

}  // namespace render
