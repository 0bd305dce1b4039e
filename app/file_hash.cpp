// SPDX-License-Identifier: GPL-3.0-or-later
#include "file_hash.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace services {

QString sha256OfFile(const QString &path, QString *error)
{
    // A FIFO would block open() and /dev/zero would never end: regular files only.
    if (!QFileInfo(path).isFile()) {
        if (error)
            *error = QCoreApplication::translate("services", "Cannot read %1: not a regular file")
                         .arg(QDir::toNativeSeparators(path));
        return {};
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QCoreApplication::translate("services", "Cannot read %1: %2")
                         .arg(QDir::toNativeSeparators(path), file.errorString());
        return {};
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray chunk(1 << 20, Qt::Uninitialized);
    for (;;) {
        const qint64 n = file.read(chunk.data(), chunk.size());
        if (n < 0) {
            if (error)
                *error = QCoreApplication::translate("services", "Cannot read %1: %2")
                             .arg(QDir::toNativeSeparators(path), file.errorString());
            return {};
        }
        if (n == 0)
            break;
        hash.addData(QByteArrayView(chunk.constData(), n));
    }
    return QString::fromLatin1(hash.result().toHex());
}

bool writeFileAtomically(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.flush()
        && file.commit())
        return true;
    if (error)
        *error = QCoreApplication::translate("services", "Cannot write %1: %2")
                     .arg(QDir::toNativeSeparators(path), file.errorString());
    file.cancelWriting();
    return false;
}

}  // namespace services
