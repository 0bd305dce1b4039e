// SPDX-License-Identifier: GPL-3.0-or-later
// campaign-studio: argument parsing and wiring only; the window lives in ui/.
#include "render/renderer.h"
#include "ui/main_window.h"
#include "ui/studio_theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTimer>

namespace {

// Copies the folder tree at `from` into `to` (created); files already in `to` are kept.
bool copyTree(const QString &from, const QString &to)
{
    const QDir source(from);
    if (!QDir().mkpath(to))
        return false;
    QDirIterator it(from, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString target = QDir(to).filePath(source.relativeFilePath(path));
        if (it.fileInfo().isDir()) {
            if (!QDir().mkpath(target))
                return false;
        } else if (!QFileInfo::exists(target)) {
            if (!QFile::copy(path, target))
                return false;
            // Packaged files are 0644 root-owned; the copy must be the user's to edit.
            QFile::setPermissions(target, QFile::permissions(target) | QFileDevice::WriteOwner);
        }
    }
    return true;
}

QString defaultProject()
{
    // Installed layout first (bin/../share/campaign-studio), then the source tree this binary
    // was built from.
    const QString installedDir = QDir(QCoreApplication::applicationDirPath())
                                     .filePath(QStringLiteral("../share/campaign-studio/samples/stride"));
    const QString installed = QDir(installedDir).filePath(QStringLiteral("stride.campaign"));
    if (QFileInfo::exists(installed)) {
        // A packaged sample lives in read-only /usr/share (and is shared by every user), but
        // generating its media and saving it write next to the project file. Open a per-user
        // copy instead (made once, so the user's edits survive restarts); fall back to the
        // read-only original if copying fails.
        const QString userDir = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                                    .filePath(QStringLiteral("samples/stride"));
        if (copyTree(installedDir, userDir))
            return QDir(userDir).filePath(QStringLiteral("stride.campaign"));
        return QFileInfo(installed).canonicalFilePath();
    }
    return QStringLiteral(CAMPAIGN_SAMPLE_DIR "/stride.campaign");
}

}  // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("CampaignStudio"));
    QCoreApplication::setApplicationName(QStringLiteral("Campaign Studio"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CAMPAIGN_VERSION));
    ui::applyStudioTheme();

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "Campaign Studio: per-segment, per-format campaign video editor."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("project"),
                                 QCoreApplication::translate("main", "The .campaign file to open "
                                                                     "(default: the bundled sample)."));
    parser.process(app);

    QString fontError;
    if (!render::loadRenderFonts(&fontError))
        QMessageBox::warning(nullptr, QCoreApplication::translate("main", "Fonts missing"), fontError);

    ui::MainWindow window;
    const QStringList args = parser.positionalArguments();
    window.openProject(args.isEmpty() ? defaultProject() : args.first());
    window.show();
    // After show(): the prompts are window-modal over the studio, not free-floating boxes.
    QTimer::singleShot(0, &window, [&window] { window.offerOtherRecoveries(); });
    return app.exec();
}
