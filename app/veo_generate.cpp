// SPDX-License-Identifier: GPL-3.0-or-later
// VeoProvider::generate: submit (at most once) or resume, poll with growing waits until done or
// the deadline, then fetch the video(s) into hidden temporary files and check they play.
//
// The pending operation is the only record of a paid job, so it is cleared only when the job
// has really ended (video delivered, refused, failed, or cancelled by the user). A deadline or a
// temporary failure keeps it, and the next run resumes polling instead of paying again.

#include "veo_provider.h"

#include "gemini_media_util.h"
#include "veo_download.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include <algorithm>

namespace services {

namespace {

constexpr qint64 kMaxInputImageBytes = qint64(20) << 20;  // Veo image input limit

bool sleepUnlessCancelled(double seconds, const std::atomic<bool> *cancel)
{
    QElapsedTimer timer;
    timer.start();
    const qint64 total = qint64(seconds * 1000.0);
    while (timer.elapsed() < total) {
        if (cancel && cancel->load()) return false;
        QThread::msleep(ulong(std::clamp<qint64>(total - timer.elapsed(), 1, 50)));
    }
    return !(cancel && cancel->load());
}

bool mentionsPolicy(const QString &message)
{
    static const char *const words[] = {"safety", "policy", "policies", "guideline",
                                        "responsible ai", "prohibited", "sensitive"};
    const QString lower = message.toLower();
    for (const char *w : words)
        if (lower.contains(QLatin1String(w))) return true;
    return false;
}

}  // namespace

GenerationResult VeoProvider::generate(const editor::GenerationRecipe &recipe,
                                       const GenerationInputs &inputs, const QString &workDir,
                                       const GenerationContext &context)
{
    GenerationResult result;
    const QString model = recipe.model.isEmpty() ? defaultModel(m_backend.kind) : recipe.model;
    const QString backendName = backendKindName(m_backend.kind);
    const bool vertex = m_backend.kind == GoogleBackendKind::Vertex;
    const std::atomic<bool> *cancel = context.cancel;
    auto isCancelled = [cancel] { return cancel && cancel->load(); };
    auto fail = [&result](FailureKind kind, const QString &message) {
        result.failure = kind;
        result.error = message;
        return result;
    };
    auto notify = [&context](ProviderNotice::Kind kind, double seconds, const QString &text,
                             int attempt = 0, int maxAttempts = 0) {
        if (!context.notify) return;
        ProviderNotice n;
        n.kind = kind;
        n.seconds = seconds;
        n.text = text;
        n.attempt = attempt;
        n.maxAttempts = maxAttempts;
        context.notify(n);
    };
    const RetryNoticeFn onRetry = [&notify](const RetryNotice &n) {
        notify(ProviderNotice::Kind::Retrying, n.waitSeconds, n.reason, n.attempt, n.maxAttempts);
    };
    auto logBody = [&](const QString &what, const QByteArray &raw) {
        if (!context.log) return;
        context.log(QStringLiteral("veo: unexpected %1 answer (%2 bytes): %3")
                        .arg(what)
                        .arg(raw.size())
                        .arg(QString::fromUtf8(redactSecrets(raw.left(64 * 1024), m_backend.secrets()))));
    };
    auto clearPending = [&context] {
        if (context.clearPendingOperation) context.clearPendingOperation();
    };
    auto cancelled = [&] {
        result.cancelled = true;
        result.failure = FailureKind::Cancelled;
        result.error = QStringLiteral("Cancelled.");
        return result;
    };

    if (recipe.kind != editor::AssetKind::Video)
        return fail(FailureKind::BadRequest,
                    QStringLiteral("The Veo provider only makes video clips; choose another provider "
                                   "for this asset."));
    if (const QString problem = m_backend.problem(); !problem.isEmpty())
        return fail(FailureKind::Config, problem);
    if (!QDir().mkpath(workDir))
        return fail(FailureKind::Config,
                    QStringLiteral("Cannot create the work folder %1.").arg(QDir::toNativeSeparators(workDir)));
    if (isCancelled()) return cancelled();

    HttpClient client;  // one per call: generate() may run on two threads at once
    result.details.insert(QStringLiteral("backend"), backendName);
    result.details.insert(QStringLiteral("model"), model);
    result.details.insert(QStringLiteral("aspectRatio"), aspectRatioFor(recipe));
    result.details.insert(QStringLiteral("durationSeconds"), durationSecondsFor(recipe));

    // --- submit, or resume an operation a previous run already paid for -------------------
    QString opName;
    const QJsonObject saved = context.loadPendingOperation ? context.loadPendingOperation() : QJsonObject();
    if (!saved.value(QStringLiteral("name")).toString().isEmpty()
        && saved.value(QStringLiteral("backend")).toString() == backendName
        && saved.value(QStringLiteral("model")).toString() == model) {
        opName = saved.value(QStringLiteral("name")).toString();
        result.details.insert(QStringLiteral("resumed"), true);
    } else {
        QByteArray inputBytes;
        QString inputMime;
        if (!inputs.sourcePath.isEmpty()) {
            if (const QString why = readInputImage(inputs.sourcePath, kMaxInputImageBytes, &inputBytes,
                                                   &inputMime);
                !why.isEmpty())
                return fail(FailureKind::BadRequest, why);
        }
        HttpRequest submit;
        submit.method = "POST";
        submit.url = m_backend.modelUrl(model, QStringLiteral("predictLongRunning"));
        submit.headers = m_backend.jsonHeaders();
        submit.body = buildSubmitBody(recipe, m_backend.kind, inputBytes, inputMime);
        submit.totalTimeoutMs = 60000;
        submit.maxResponseBytes = qint64(1) << 20;  // an operation handle is a few hundred bytes
        const CallResult call = sendWithRetry(client, submit, RetryMode::SubmitOnce, m_policy,
                                              QStringLiteral("video submission"), onRetry, cancel);
        result.billedAttempts += call.billedAttempts;
        for (int a = 0; a < call.billedAttempts; ++a)
            notify(ProviderNotice::Kind::BilledAttempt, 0, model, a + 1, m_policy.maxAttempts);
        if (call.failure == FailureKind::Cancelled || isCancelled()) return cancelled();
        if (call.failure != FailureKind::None)
            return fail(call.failure, failureMessage(call.failure, call.apiError, call.response,
                                                     QStringLiteral("video submission"), model));
        const QJsonObject handle = QJsonDocument::fromJson(call.response.body).object();
        opName = handle.value(QStringLiteral("name")).toString();
        if (call.response.status < 200 || call.response.status >= 300 || opName.isEmpty()) {
            logBody(QStringLiteral("submission"), call.response.body);
            return fail(FailureKind::Unexpected, QStringLiteral("Unexpected response from the service."));
        }
        // Saved before the first wait: if the app dies from here on, the next run resumes.
        if (context.savePendingOperation) {
            context.savePendingOperation(QJsonObject{
                {QStringLiteral("name"), opName},
                {QStringLiteral("backend"), backendName},
                {QStringLiteral("model"), model},
                {QStringLiteral("submittedAt"),
                 QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
            });
        }
        notify(ProviderNotice::Kind::Submitted, 0, opName);
    }
    result.requestRecordId = opName;
    const QString keptNote =
        QStringLiteral(" The operation %1 is kept; polling resumes on the next run.").arg(opName);

    // --- poll -------------------------------------------------------------------------------
    HttpRequest poll;
    if (vertex) {
        // Vertex has no GET on operations of publisher models (generation-api.md 4.1).
        poll.method = "POST";
        poll.url = m_backend.modelUrl(model, QStringLiteral("fetchPredictOperation"));
        poll.headers = m_backend.jsonHeaders();
        poll.body = QJsonDocument(QJsonObject{{QStringLiteral("operationName"), opName}})
                        .toJson(QJsonDocument::Compact);
    } else {
        poll.method = "GET";
        poll.url = m_backend.resourceUrl(opName);
        poll.headers = m_backend.authHeaders();
    }
    poll.totalTimeoutMs = 600000;  // the final answer may carry the video inline (tens of MB)
    poll.lowSpeedSeconds = 30;
    poll.maxResponseBytes = m_timing.maxVideoBytes / 3 * 4 + (qint64(1) << 20);

    QElapsedTimer clock;
    clock.start();
    // A resumed operation was submitted during an earlier run: ask at once.
    const bool resumed = result.details.value(QStringLiteral("resumed")).toBool();
    double wait = resumed ? 0.0 : m_timing.firstPollSeconds;
    bool firstWait = true;
    ParsedOperation op;
    for (;;) {
        const double remaining = m_timing.deadlineSeconds - clock.elapsed() / 1000.0;
        if (remaining <= 0)
            return fail(FailureKind::Timeout,
                        QStringLiteral("The video was not ready after %1 s.").arg(m_timing.deadlineSeconds)
                            + keptNote);
        const double thisWait = qMin(wait, remaining);
        notify(ProviderNotice::Kind::Polling, thisWait, opName);
        if (!sleepUnlessCancelled(thisWait, cancel)) {
            clearPending();
            return cancelled();
        }
        const CallResult call = sendWithRetry(client, poll, RetryMode::Idempotent, m_policy,
                                              QStringLiteral("video status check"), onRetry, cancel);
        if (call.failure == FailureKind::Cancelled || isCancelled()) {
            clearPending();
            return cancelled();
        }
        if (call.failure == FailureKind::NotFound) {
            // Unknown operation (expired, or asked on the wrong back end): resuming it again
            // could never succeed, so the job ends here.
            clearPending();
            return fail(FailureKind::NotFound,
                        QStringLiteral("The service no longer knows the video operation %1; "
                                       "generate the clip again.").arg(opName));
        }
        if (call.failure != FailureKind::None)
            return fail(call.failure, failureMessage(call.failure, call.apiError, call.response,
                                                     QStringLiteral("video status check"), model)
                                          + keptNote);
        op = parseOperation(call.response.body, m_timing.maxVideoBytes);
        if (!op.parseError.isEmpty() && op.name.isEmpty()) {
            logBody(QStringLiteral("status"), call.response.body);
            return fail(FailureKind::Unexpected, op.parseError + keptNote);
        }
        if (op.done) break;
        wait = firstWait ? m_timing.pollSeconds : qMin(wait * m_timing.pollGrowth, m_timing.maxPollSeconds);
        firstWait = false;
    }

    // --- the job has ended on the service side ----------------------------------------------
    if (op.errorCode != 0 || (!op.errorMessage.isEmpty())) {
        clearPending();
        if (mentionsPolicy(op.errorMessage))
            return fail(FailureKind::Blocked,
                        QStringLiteral("The service refused the prompt: %1 Edit the prompt and try again.")
                            .arg(op.errorMessage));
        return fail(FailureKind::OperationFailed,
                    QStringLiteral("The service could not make the video (code %1): %2")
                        .arg(op.errorCode)
                        .arg(op.errorMessage));
    }
    if (!op.parseError.isEmpty()) {
        clearPending();
        const bool tooLarge = op.parseError.contains(QLatin1String("larger"));
        return fail(tooLarge ? FailureKind::TooLarge : FailureKind::Damaged, op.parseError);
    }
    if (op.videos.isEmpty()) {
        clearPending();
        if (op.raiFilteredCount > 0)
            return fail(FailureKind::Blocked,
                        QStringLiteral("The service's safety filter removed the video: %1 Edit the "
                                       "prompt and try again.")
                            .arg(op.raiFilteredReasons.join(QLatin1Char(' '))));
        return fail(FailureKind::Unexpected,
                    QStringLiteral("The video operation finished without a video."));
    }

    // --- fetch every video into a hidden temporary file -------------------------------------
    QStringList written;
    auto dropAll = [&written] {
        for (const QString &p : written) QFile::remove(p);
        written.clear();
    };
    for (const VideoRef &video : op.videos) {
        notify(ProviderNotice::Kind::Downloading, 0, opName);
        QString path, why;
        if (!video.inlineBytes.isEmpty()) {
            if (!writeHiddenTempFile(workDir, QStringLiteral(".veo-"), QStringLiteral("mp4"),
                                     video.inlineBytes, &path, &why)) {
                dropAll();
                return fail(FailureKind::Unexpected, why + keptNote);
            }
        } else {
            QString url, origin;
            if (!video.uri.isEmpty()) {
                url = video.uri;
                origin = veoOriginOf(m_backend.baseUrl);
            } else {
                url = veoGcsMediaUrl(m_backend.storageBaseUrl, video.gcsUri);
                origin = veoOriginOf(m_backend.storageBaseUrl);
            }
            if (url.isEmpty()) {
                dropAll();
                clearPending();
                return fail(FailureKind::Unexpected,
                            QStringLiteral("The service named the video at an unusable location."));
            }
            if (!reserveHiddenTempFile(workDir, QStringLiteral(".veo-"), QStringLiteral("mp4"), &path, &why)) {
                dropAll();
                return fail(FailureKind::Unexpected, why + keptNote);
            }
            const VeoFetchOutcome got = veoFetchToFile(client, url, origin, m_backend.authHeaders(), path,
                                                       m_timing.maxVideoBytes, m_policy, onRetry, cancel);
            if (got.cancelled || isCancelled()) {
                QFile::remove(path);
                dropAll();
                clearPending();
                return cancelled();
            }
            if (got.failure != FailureKind::None) {
                QFile::remove(path);
                dropAll();
                // A temporary failure: the finished operation is still there, so the next run
                // re-polls and downloads again without a new submission.
                if (isTemporaryFailure(got.failure)) return fail(got.failure, got.message + keptNote);
                clearPending();
                return fail(got.failure, got.message);
            }
        }
        written << path;
        if (!veoIsPlayableVideo(path, &why)) {
            dropAll();
            clearPending();
            if (context.log) context.log(QStringLiteral("veo: the delivered video does not play: ") + why);
            return fail(FailureKind::Damaged, QStringLiteral("The service returned a damaged video."));
        }
    }
    clearPending();
    result.filePath = written.takeFirst();
    result.suffix = QStringLiteral("mp4");
    result.extraFilePaths = written;
    for (int i = 0; i < written.size(); ++i) result.extraSuffixes << QStringLiteral("mp4");
    return result;
}

}  // namespace services
