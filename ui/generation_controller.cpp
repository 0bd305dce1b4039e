// SPDX-License-Identifier: GPL-3.0-or-later
#include "generation_controller.h"

#include "app/generate_assets.h"
#include "app/offline_generator.h"

#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent>

namespace ui {

GenerationController::GenerationController(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<editor::Campaign>("editor::Campaign");
}

GenerationController::~GenerationController()
{
    m_cancel = true;
    m_future.waitForFinished();
}

bool GenerationController::start(const editor::Campaign &campaign, const QString &projectDir)
{
    if (m_running)
        return false;
    m_running = true;
    m_cancel = false;
    emit progressChanged(0, tr("Generating missing assets…"));
    QPointer<GenerationController> self(this);
    m_future = QtConcurrent::run([self, this, campaign, projectDir]() {
        editor::Campaign working = campaign;  // the window keeps editing its own copy
        services::OfflineGenerator offline;
        auto onProgress = [self](const services::GenerationProgress &p) {
            const int percent = p.total ? 100 * (p.index + (p.stage == services::GenerationProgress::Stage::Finished)) / p.total : 0;
            const QString status = tr("Generating %1 (%2 of %3)…").arg(p.assetId).arg(p.index + 1).arg(p.total);
            QMetaObject::invokeMethod(self, [self, percent, status]() {
                if (self)
                    emit self->progressChanged(percent, status);
            }, Qt::QueuedConnection);
        };
        const services::GenerationReport report = services::generateMissingAssets(
            working, projectDir, {&offline}, onProgress, &m_cancel);
        using S = services::GenerationOutcome::Status;
        QStringList failures;
        for (const auto &item : report.items)
            if (item.status == S::Failed)
                failures << item.assetId + QStringLiteral(": ") + item.message;
        const QString message = report.cancelled
            ? tr("Generation cancelled")
            : failures.isEmpty() ? tr("Generated %1, reused %2, %3 up to date")
                                       .arg(report.count(S::Generated)).arg(report.count(S::Reused))
                                       .arg(report.count(S::UpToDate))
                                 : failures.join(QLatin1Char('\n'));
        const bool changed = report.campaignChanged;
        const int failed = int(failures.size());
        QMetaObject::invokeMethod(self, [self, working, changed, failed, message]() {
            if (!self)
                return;
            self->m_running = false;
            emit self->progressChanged(100, message);
            emit self->finished(working, changed, failed, message);
        }, Qt::QueuedConnection);
    });
    return true;
}

}  // namespace ui
