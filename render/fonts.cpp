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
// Font files installed by the setup script (Debian fonts-noto-core, fonts-dejavu-core).
// resources/fonts/ (beside the executable's share dir or in the source tree) wins if present.
const char *const kFontFiles[] = {
    "NotoSans-Regular.ttf",       "NotoSans-Bold.ttf",
    "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf",
    "DejaVuSans.ttf",             "DejaVuSans-Bold.ttf",
};
const char *const kFontDirs[] = {
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/truetype/dejavu",
};
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
                         "fonts-noto-core and fonts-dejavu-core (./setup.sh deps).")
                         .arg(missing.join(QStringLiteral(", ")));
        return false;
    }
    loaded = true;
    return true;
}

}  // namespace render
