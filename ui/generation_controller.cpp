// SPDX-License-Identifier: GPL-3.0-or-later
#include "generation_controller.h"

#include "app/gemini_image_provider.h"
#include "app/offline_generator.h"
#include "app/veo_provider.h"

#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent>

namespace ui {

namespace {

// Stands in for a network provider whose back end is not configured, so its jobs fail with a
// sentence naming the fix instead of a request that can only be rejected.
class UnavailableProvider : public services::GenerationProvider {
public:
    UnavailableProvider(QString id, QString message)
        : m_id(std::move(id)), m_message(std::move(message)) {}
    QString id() const override { return m_id; }
    services::GenerationResult generate(const editor::GenerationRecipe &,
                                        const services::GenerationInputs &, const QString &,
                                        const services::GenerationContext &) override
    {
        services::GenerationResult result;
        result.error = m_message;
        result.failure = services::FailureKind::Config;
        return result;
    }
    int maxConcurrency() const override { return 4; }

private:
    QString m_id;
    QString m_message;
};

services::JobState stateOf(services::GenerationOutcome::Status status)
{
    using S = services::GenerationOutcome::Status;
    using J = services::JobState;
    switch (status) {
    case S::Generated: return J::Done;
    case S::Reused: return J::Reused;
    case S::UpToDate: return J::UpToDate;
    case S::Planned: return J::Planned;
    case S::Failed: return J::Failed;
    case S::Blocked: return J::Blocked;
    case S::Cancelled: return J::Cancelled;
    }
    return J::Failed;
}

}  // namespace

GenerationController::GenerationController(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<editor::Campaign>("editor::Campaign");
    qRegisterMetaType<services::GenerationJobEvent>("services::GenerationJobEvent");
    qRegisterMetaType<services::GenerationOptions>("services::GenerationOptions");
}

GenerationController::~GenerationController()
{
    cancel();
    m_future.waitForFinished();
}

QString GenerationController::unusableBackendMessage(const QString &providerId, const QString &problem)
{
    return tr("%1 is not set up: %2 Open Generation ▸ Settings… to fix it, or choose the "
              "offline provider.").arg(providerId, problem);
}

void GenerationController::cancel()
{
    if (m_cancellation)
        m_cancellation->cancelAll();
}

void GenerationController::cancelAsset(const QString &assetId)
{
    if (m_cancellation)
        m_cancellation->cancel(assetId);
}

bool GenerationController::start(const editor::Campaign &campaign, const QString &projectDir)
{
    return start(campaign, projectDir, services::GenerationOptions{});
}

bool GenerationController::start(const editor::Campaign &campaign, const QString &projectDir,
                                  const services::GenerationOptions &options)
{
    if (m_running)
        return false;
    m_running = true;
    m_lastEvents.clear();
    m_total = 0;
    m_cancellation = std::make_shared<services::GenerationCancellation>();
    emit runStarted(options);
    emit progressChanged(0, tr("Generating…"));

    const std::optional<services::GoogleBackend> backend = m_backend;
    const auto cancellation = m_cancellation;
    QPointer<GenerationController> self(this);
    m_future = QtConcurrent::run([self, campaign, projectDir, options, backend, cancellation]() {
        editor::Campaign working = campaign;  // the window keeps editing its own copy
        services::OfflineGenerator offline;
        std::unique_ptr<services::GenerationProvider> gemini, veo;
        const QString problem = backend ? backend->problem()
                                        : tr("no back end is configured.");
        if (backend && problem.isEmpty()) {
            gemini = std::make_unique<services::GeminiImageProvider>(*backend);
            veo = std::make_unique<services::VeoProvider>(*backend);
        } else {
            const QString g = services::GeminiImageProvider::providerId();
            const QString v = services::VeoProvider::providerId();
            gemini = std::make_unique<UnavailableProvider>(g, unusableBackendMessage(g, problem));
            veo = std::make_unique<UnavailableProvider>(v, unusableBackendMessage(v, problem));
        }
        services::GenerationOptions runOptions = options;
        if (backend)
            runOptions.secrets << backend->secrets();  // redacted from generation.log
        const auto onEvent = [self](const services::GenerationJobEvent &event) {
            QMetaObject::invokeMethod(self, [self, event]() {
                if (self)
                    self->deliver(event);
            }, Qt::QueuedConnection);
        };
        const services::GenerationReport report = services::generateAssets(
            working, projectDir, {&offline, gemini.get(), veo.get()}, runOptions, onEvent,
            cancellation.get());
        QMetaObject::invokeMethod(self, [self, working, report]() {
            if (self)
                self->complete(working, report);
        }, Qt::QueuedConnection);
    });
    return true;
}

void GenerationController::deliver(const services::GenerationJobEvent &event)
{
    m_lastEvents.insert(event.assetId, event);
    m_total = std::max(m_total, event.total);
    int final = 0;
    for (const auto &e : std::as_const(m_lastEvents))
        final += services::isFinalJobState(e.state);
    emit jobChanged(event);
    if (m_total > 0)
        emit progressChanged(100 * final / m_total,
                             tr("Generating: %1 of %2 jobs finished").arg(final).arg(m_total));
}

void GenerationController::complete(const editor::Campaign &campaign,
                                    const services::GenerationReport &report)
{
    using S = services::GenerationOutcome::Status;
    // The report is the truth: any job whose last event was not final (a queued job dropped by
    // "cancel all", say) gets its final state here, so no row stays "queued" forever.
    int index = 0;
    for (const auto &item : report.items) {
        const auto it = m_lastEvents.constFind(item.assetId);
        if (it != m_lastEvents.constEnd() && services::isFinalJobState(it->state)) {
            ++index;
            continue;
        }
        services::GenerationJobEvent event = it != m_lastEvents.constEnd() ? *it : services::GenerationJobEvent{};
        if (it == m_lastEvents.constEnd()) {
            event.assetId = item.assetId;
            event.index = index;
            event.total = int(report.items.size());
            if (const editor::Asset *asset = campaign.asset(item.assetId); asset && asset->recipe) {
                event.requestId = asset->recipe->requestId;
                event.segmentId = asset->recipe->segmentId;
                event.provider = asset->recipe->provider;
                event.model = asset->recipe->model;
            }
        }
        event.state = stateOf(item.status);
        event.message = item.message;
        event.path = item.path;
        event.failure = item.failure;
        event.billedAttempts = std::max(event.billedAttempts, item.billedAttempts);
        event.seconds = item.seconds;
        deliver(event);
        ++index;
    }

    QStringList failures;
    for (const auto &item : report.items)
        if (item.status == S::Failed || item.status == S::Blocked)
            failures << item.assetId + QStringLiteral(": ") + item.message;
    QString message;
    if (report.cancelled)
        message = tr("Generation cancelled");
    else if (!failures.isEmpty())
        message = failures.join(QLatin1Char('\n'));
    else
        message = tr("Generated %1, reused %2, %3 up to date")
                      .arg(report.count(S::Generated))
                      .arg(report.count(S::Reused))
                      .arg(report.count(S::UpToDate));
    m_running = false;
    emit progressChanged(100, message);
    emit finished(campaign, report.campaignChanged, int(failures.size()), message);
}

}  // namespace ui
