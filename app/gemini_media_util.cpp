// SPDX-License-Identifier: GPL-3.0-or-later
#include "gemini_media_util.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

namespace services {

bool decodeBase64Strict(const QByteArray &base64, QByteArray *out)
{
    if (base64.isEmpty()) return false;
    auto standard = QByteArray::fromBase64Encoding(
        base64, QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    if (standard) {
        *out = std::move(*standard);
        return true;
    }
    auto url = QByteArray::fromBase64Encoding(
        base64, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (url) {
        *out = std::move(*url);
        return true;
    }
    return false;
}

QString readInputImage(const QString &path, qint64 maxBytes, QByteArray *bytes, QString *mimeType)
{
    const QFileInfo info(path);
    const QString name = QDir::toNativeSeparators(path);
    if (!info.isFile())
        return QStringLiteral("The source image %1 does not exist; generate or import it first.").arg(name);
    if (info.size() > maxBytes)
        return QStringLiteral("The source image %1 is %2 MB; the service accepts at most %3 MB inline. "
                              "Use a smaller or more compressed image.")
            .arg(name)
            .arg(double(info.size()) / (1 << 20), 0, 'f', 1)
            .arg(maxBytes >> 20);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("Cannot read the source image %1: %2.").arg(name, file.errorString());
    *bytes = file.readAll();
    // Sniff the content rather than trusting the extension: the service rejects a mismatch.
    if (bytes->startsWith("\x89PNG\r\n\x1a\n"))
        *mimeType = QStringLiteral("image/png");
    else if (bytes->startsWith("\xFF\xD8\xFF"))
        *mimeType = QStringLiteral("image/jpeg");
    else if (bytes->size() >= 12 && bytes->startsWith("RIFF") && bytes->mid(8, 4) == "WEBP")
        *mimeType = QStringLiteral("image/webp");
    else {
        bytes->clear();
        return QStringLiteral("The source image %1 is not a PNG, JPEG or WebP file; convert it first.")
            .arg(name);
    }
    return {};
}

static bool createHidden(const QString &workDir, const QString &prefix, const QString &suffix,
                         const QByteArray *bytes, QString *path, QString *error)
{
    QTemporaryFile file(QDir(workDir).filePath(prefix + QStringLiteral("XXXXXX.") + suffix));
    if (!file.open()) {
        *error = QStringLiteral("Cannot create a file in %1: %2.")
                     .arg(QDir::toNativeSeparators(workDir), file.errorString());
        return false;
    }
    if (bytes && (file.write(*bytes) != bytes->size() || !file.flush())) {
        *error = QStringLiteral("Cannot write to %1: %2.")
                     .arg(QDir::toNativeSeparators(workDir), file.errorString());
        return false;  // autoRemove still on: the partial file goes away with `file`
    }
    file.close();
    file.setAutoRemove(false);  // complete: from now on the caller owns it
    *path = file.fileName();
    return true;
}

bool writeHiddenTempFile(const QString &workDir, const QString &prefix, const QString &suffix,
                         const QByteArray &bytes, QString *path, QString *error)
{
    return createHidden(workDir, prefix, suffix, &bytes, path, error);
}

bool reserveHiddenTempFile(const QString &workDir, const QString &prefix, const QString &suffix,
                           QString *path, QString *error)
{
    return createHidden(workDir, prefix, suffix, nullptr, path, error);
}

}  // namespace services
