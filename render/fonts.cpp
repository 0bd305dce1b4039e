// SPDX-License-Identifier: GPL-3.0-or-later
// Fonts are loaded from explicit files, never chosen by fontconfig, so the GUI preview, the
// CLI and every machine draw text with the very same glyphs.
#include "renderer.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QFontDatabase>
#include <QMutex>

namespace render {

namespace {
// Font files installed by the setup script (Debian fonts-noto-core, fonts-noto-cjk,
// fonts-dejavu-core): one per script of the built-in fallback chain (text_fit.h) and weight.
const char *const kFontFiles[] = {
    "NotoSans-Regular.ttf",       "NotoSans-Bold.ttf",
    "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf",
    "NotoSansCJK-Regular.ttc",    "NotoSansCJK-Bold.ttc",
    "DejaVuSans.ttf",             "DejaVuSans-Bold.ttf",
};
const char *const kFontDirs[] = {
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/truetype/dejavu",
};

QStringList fontFilesIn(const QString &dir)
{
    QStringList files;
    const QDir d(dir);
    for (const QString &name : d.entryList({QStringLiteral("*.ttf"), QStringLiteral("*.otf"),
                                            QStringLiteral("*.ttc")},
                                           QDir::Files | QDir::Readable, QDir::Name))
        files << d.filePath(name);
    return files;
}
}  // namespace

bool loadRenderFonts(QString *error)
{
    static QMutex mutex;
    static bool loaded = false;
    QMutexLocker lock(&mutex);
    if (loaded)
        return true;
    QStringList missing;
    for (const char *file : kFontFiles) {
        QString found;
        for (const char *dir : kFontDirs) {
            const QString candidate = QDir(QString::fromUtf8(dir)).filePath(QString::fromUtf8(file));
            if (QFileInfo::exists(candidate)) {
                found = candidate;
                break;
            }
        }
        if (found.isEmpty() || QFontDatabase::addApplicationFont(found) < 0)
            missing << QString::fromUtf8(file);
    }
    if (!missing.isEmpty()) {
        if (error)
            *error = QCoreApplication::translate("render",
                         "Font files not found or unreadable: %1. Install the Debian packages "
                         "fonts-noto-core, fonts-noto-cjk and fonts-dejavu-core (./setup.sh deps).")
                         .arg(missing.join(QStringLiteral(", ")));
        return false;
    }
    loaded = true;
    return true;
}

QStringList loadProjectFonts(const QString &projectDir, QStringList *failed)
{
    // A brand face shipped with the project (<project>/fonts/*.ttf|otf|ttc) is registered by
    // file, like the built-in ones, so a brand font never depends on the machine either.
    static QMutex mutex;
    static QStringList registered;
    QMutexLocker lock(&mutex);
    QStringList families;
    for (const QString &file : fontFilesIn(QDir(projectDir).filePath(QStringLiteral("fonts")))) {
        const QString canonical = QFileInfo(file).canonicalFilePath();
        if (registered.contains(canonical))
            continue;
        const int id = QFontDatabase::addApplicationFont(canonical);
        if (id < 0) {
            if (failed)
                *failed << file;
            continue;
        }
        registered << canonical;
        families << QFontDatabase::applicationFontFamilies(id);
    }
    return families;
}

}  // namespace render
