// SPDX-License-Identifier: GPL-3.0-or-later
// Back-end addressing, Google's error envelope, failure classification and the retry loop
// shared by the Gemini image and Veo clients (generation-api.md §1, RELIABILITY G1–G16).

#include "google_api.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QUrl>

#include <chrono>
#include <cmath>
#include <thread>

namespace services {

namespace {

QString withSlash(QString url)
{
    url = url.trimmed();
    if (!url.isEmpty() && !url.endsWith(QLatin1Char('/')))
        url += QLatin1Char('/');
    return url;
}

// Path segments come from settings and the CLI; encoding them keeps a stray '/' or '?' from
// changing which resource (or host) a request reaches.
QString segment(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

// "27s", "34.4s" (proto3 JSON Duration) or {"seconds": 27, "nanos": ...}; -1 when unreadable.
double parseDuration(const QJsonValue &value)
{
    if (value.isString()) {
        QString s = value.toString().trimmed();
        if (!s.endsWith(QLatin1Char('s')))
            return -1;
        s.chop(1);
        bool ok = false;
        const double v = s.toDouble(&ok);
        return ok && v >= 0 ? v : -1;
    }
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        if (!o.contains(QLatin1String("seconds")) && !o.contains(QLatin1String("nanos")))
            return -1;
        const double v = o.value(QLatin1String("seconds")).toVariant().toDouble()
                         + o.value(QLatin1String("nanos")).toDouble() / 1e9;
        return v >= 0 ? v : -1;
    }
    return -1;
}

// The start of a non-JSON body (a proxy's HTML page, a load balancer's text) as one line.
QString plainTextExcerpt(const QByteArray &body)
{
    QString text = QString::fromUtf8(body.left(16 * 1024));
    static const QRegularExpression hidden(QStringLiteral("<(script|style)[^>]*>.*?</\\1>"),
                                           QRegularExpression::CaseInsensitiveOption
                                               | QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression tags(QStringLiteral("<[^>]*>"));
    static const QRegularExpression spaces(QStringLiteral("\\s+"));
    text.remove(hidden);
    text.replace(tags, QStringLiteral(" "));
    text.replace(spaces, QStringLiteral(" "));
    text = text.trimmed();
    if (text.isEmpty())
        return QStringLiteral("non-JSON response (%1 bytes)").arg(body.size());
    if (text.size() > 300)
        text = text.left(300) + QStringLiteral("…");
    return text;
}

QString statusPart(const HttpResponse &response, const GoogleApiError &error)
{
    if (response.status <= 0)
        return {};
    QString s = QStringLiteral("HTTP %1").arg(response.status);
    if (!error.status.isEmpty())
        s += QLatin1Char(' ') + error.status;
    return s;
}

// How one attempt ended, and whether another attempt may help.
struct Verdict {
    FailureKind kind = FailureKind::None;
    bool retry = false;
    QString reason;  // for RetryNotice
};

Verdict classify(const HttpResponse &response, const GoogleApiError &apiError, RetryMode mode)
{
    using E = HttpResponse::Error;
    Verdict v;
    switch (response.error) {
    case E::None:
        break;
    case E::Cancelled:
        return {FailureKind::Cancelled, false, describeHttpError(response.error)};
    case E::InsecureUrl:
    case E::Tls:
        return {FailureKind::Insecure, false, describeHttpError(response.error)};
    case E::TooLarge:
        return {FailureKind::TooLarge, false, describeHttpError(response.error)};
    case E::FileError:
        return {FailureKind::Unexpected, false, describeHttpError(response.error)};
    case E::CouldNotConnect:
    case E::CouldNotResolve:
    case E::Timeout:
    case E::Truncated:
    case E::Other:
        // A submission that may already have been accepted must not be sent twice: Veo has
        // no idempotency key, so a second POST can mean a second bill (generation-api §1.3).
        v.kind = FailureKind::Network;
        v.retry = mode == RetryMode::Idempotent || !response.requestSent;
        v.reason = describeHttpError(response.error);
        return v;
    }

    const int s = response.status;
    v.reason = statusPart(response, apiError);
    if (s >= 200 && s < 400)
        return {FailureKind::None, false, {}};
    switch (s) {
    case 408:
        return {FailureKind::Network, true, v.reason};
    case 429:
        // A depleted prepaid balance also arrives as 429; waiting does not refill it.
        if (apiError.message.contains(QLatin1String("prepayment"), Qt::CaseInsensitive))
            return {FailureKind::Quota, false, v.reason};
        return {FailureKind::Quota, true, v.reason};
    case 500:
    case 502:
    case 503:
    case 504:
        return {FailureKind::ServerError, true, v.reason};
    case 402:
        return {FailureKind::Quota, false, v.reason};
    case 401:
    case 403:
        return {FailureKind::Auth, false, v.reason};
    case 404:
        return {FailureKind::NotFound, false, v.reason};
    default:
        break;
    }
    if (s == 400 && apiError.reason == QLatin1String("API_KEY_INVALID"))
        return {FailureKind::Auth, false, v.reason};  // the fix is a new key, not a new request
    if (s >= 400 && s < 500)
        return {FailureKind::BadRequest, false, v.reason};
    if (s >= 500)
        return {FailureKind::ServerError, false, v.reason};
    return {FailureKind::Unexpected, false, v.reason};  // 1xx or nothing: not HTTP as we know it
}

bool isCancelled(const std::atomic<bool> *cancel) { return cancel && cancel->load(); }

// The service's own explanation, quoted after ours: it often says exactly what is wrong with
// the request ("aspect_ratio 7:5 is not supported"), which our classification cannot.
QString serviceSaid(FailureKind kind, const GoogleApiError &error)
{
    if (error.message.isEmpty() || kind == FailureKind::Insecure || kind == FailureKind::Cancelled
        || kind == FailureKind::Config || kind == FailureKind::None)
        return {};
    QString said = error.message.simplified();
    if (said.size() > 300)
        said = said.left(300) + QStringLiteral("…");
    return QStringLiteral(" The service said: \"%1\"").arg(said);
}

}  // namespace

bool parseBackendKind(const QString &text, GoogleBackendKind *out)
{
    const QString t = text.trimmed().toLower();
    GoogleBackendKind kind;
    if (t == QLatin1String("gemini"))
        kind = GoogleBackendKind::GeminiApi;
    else if (t == QLatin1String("vertex"))
        kind = GoogleBackendKind::Vertex;
    else
        return false;
    if (out)
        *out = kind;
    return true;
}

QString backendKindName(GoogleBackendKind kind)
{
    return kind == GoogleBackendKind::Vertex ? QStringLiteral("vertex") : QStringLiteral("gemini");
}

QString GoogleBackend::defaultBaseUrl(GoogleBackendKind kind, const QString &location)
{
    if (kind == GoogleBackendKind::GeminiApi)
        return QStringLiteral("https://generativelanguage.googleapis.com/v1beta/");
    const QString loc = location.trimmed().toLower();
    if (loc.isEmpty() || loc == QLatin1String("global"))
        return QStringLiteral("https://aiplatform.googleapis.com/v1/");
    if (loc == QLatin1String("us") || loc == QLatin1String("eu"))
        return QStringLiteral("https://aiplatform.%1.rep.googleapis.com/v1/").arg(loc);
    return QStringLiteral("https://%1-aiplatform.googleapis.com/v1/").arg(segment(loc));
}

GoogleBackend GoogleBackend::fromEnvironment(GoogleBackendKind kind, const QProcessEnvironment &env)
{
    GoogleBackend b;
    b.kind = kind;
    if (kind == GoogleBackendKind::GeminiApi) {
        b.apiKey = env.value(QStringLiteral("GEMINI_API_KEY")).trimmed();
        const QString override = env.value(QStringLiteral("CAMPAIGN_GEMINI_BASE_URL")).trimmed();
        b.baseUrl = override.isEmpty() ? defaultBaseUrl(kind, {}) : withSlash(override);
    } else {
        b.accessToken = env.value(QStringLiteral("GOOGLE_CLOUD_ACCESS_TOKEN")).trimmed();
        b.project = env.value(QStringLiteral("GOOGLE_CLOUD_PROJECT")).trimmed();
        b.location = env.value(QStringLiteral("GOOGLE_CLOUD_LOCATION")).trimmed();
        if (b.location.isEmpty())
            b.location = QStringLiteral("us-central1");
        const QString override = env.value(QStringLiteral("CAMPAIGN_VERTEX_BASE_URL")).trimmed();
        b.baseUrl = override.isEmpty() ? defaultBaseUrl(kind, b.location) : withSlash(override);
    }
    return b;
}

QString GoogleBackend::problem() const
{
    if (kind == GoogleBackendKind::GeminiApi) {
        if (apiKey.isEmpty())
            return QStringLiteral("No Gemini API key: set GEMINI_API_KEY (or store one in Settings).");
    } else {
        if (accessToken.isEmpty())
            return QStringLiteral("No Vertex AI access token: set GOOGLE_CLOUD_ACCESS_TOKEN (for "
                                  "example from `gcloud auth print-access-token`) or store one in Settings.");
        if (project.isEmpty())
            return QStringLiteral("No Google Cloud project: set GOOGLE_CLOUD_PROJECT (or choose one in Settings).");
        if (location.isEmpty())
            return QStringLiteral("No Vertex AI location: set GOOGLE_CLOUD_LOCATION (for example us-central1).");
    }
    if (baseUrl.isEmpty())
        return QStringLiteral("No base URL for the %1 back end.").arg(backendKindName(kind));
    // The credential would travel to this URL: refuse plain http to anything but loopback.
    const QString insecure = insecureUrlReason(baseUrl);
    if (!insecure.isEmpty())
        return insecure;
    if (kind == GoogleBackendKind::Vertex) {
        const QString storage = insecureUrlReason(storageBaseUrl);
        if (!storage.isEmpty())
            return storage;
    }
    return {};
}

QString GoogleBackend::modelUrl(const QString &model, const QString &method) const
{
    QString id = model.trimmed();
    // "models/x" is how the list-models call names a model; accept it as well as a bare id.
    if (id.startsWith(QLatin1String("models/")))
        id = id.mid(7);
    const QString base = withSlash(baseUrl);
    if (kind == GoogleBackendKind::GeminiApi)
        return base + QStringLiteral("models/%1:%2").arg(segment(id), method);
    return base + QStringLiteral("projects/%1/locations/%2/publishers/google/models/%3:%4")
                      .arg(segment(project), segment(location), segment(id), method);
}

QString GoogleBackend::resourceUrl(const QString &name) const
{
    QString n = name.trimmed();
    while (n.startsWith(QLatin1Char('/')))
        n.remove(0, 1);
    return withSlash(baseUrl) + n;
}

HttpHeaders GoogleBackend::authHeaders() const
{
    if (kind == GoogleBackendKind::GeminiApi)
        return {{"x-goog-api-key", apiKey.toUtf8()}};
    return {{"authorization", "Bearer " + accessToken.toUtf8()}};
}

HttpHeaders GoogleBackend::jsonHeaders() const
{
    HttpHeaders h = authHeaders();
    h.append(qMakePair(QByteArray("content-type"), QByteArray("application/json")));
    return h;
}

QString GoogleBackend::authority() const
{
    const QUrl u(baseUrl);
    QString a = u.host().toLower();
    if (u.port() != -1)
        a += QLatin1Char(':') + QString::number(u.port());
    return a;
}

QStringList GoogleBackend::secrets() const
{
    QStringList s;
    if (!apiKey.isEmpty())
        s << apiKey;
    if (!accessToken.isEmpty())
        s << accessToken;
    return s;
}

GoogleApiError parseGoogleError(int httpStatus, const QByteArray &body)
{
    GoogleApiError e;
    e.httpStatus = httpStatus;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    QJsonObject root;
    if (parseError.error == QJsonParseError::NoError) {
        if (doc.isObject())
            root = doc.object();
        else if (doc.isArray() && !doc.array().isEmpty() && doc.array().first().isObject())
            root = doc.array().first().toObject();  // streaming endpoints wrap it in a list
    }
    const QJsonValue errorValue = root.value(QLatin1String("error"));
    if (errorValue.isObject()) {
        const QJsonObject err = errorValue.toObject();
        if (httpStatus <= 0)
            e.httpStatus = err.value(QLatin1String("code")).toInt();
        e.status = err.value(QLatin1String("status")).toString();
        e.message = err.value(QLatin1String("message")).toString().trimmed();
        // details[] is polymorphic and optional: pick out what we use, ignore the rest.
        const QJsonArray details = err.value(QLatin1String("details")).toArray();
        for (const QJsonValue &dv : details) {
            const QJsonObject detail = dv.toObject();
            const QString type = detail.value(QLatin1String("@type")).toString();
            if (type.endsWith(QLatin1String("google.rpc.ErrorInfo")) && e.reason.isEmpty())
                e.reason = detail.value(QLatin1String("reason")).toString();
            else if (type.endsWith(QLatin1String("google.rpc.RetryInfo")))
                e.retryDelaySeconds = parseDuration(detail.value(QLatin1String("retryDelay")));
        }
    } else if (errorValue.isString()) {
        // OAuth-style answers from a token endpoint or proxy: {"error": "invalid_token", ...}.
        e.status = errorValue.toString();
        e.message = root.value(QLatin1String("error_description")).toString();
    } else if (parseError.error != QJsonParseError::NoError && !body.isEmpty()) {
        e.message = plainTextExcerpt(body);
    }
    return e;
}

QString failureKindName(FailureKind kind)
{
    switch (kind) {
    case FailureKind::None: return QStringLiteral("none");
    case FailureKind::Network: return QStringLiteral("network");
    case FailureKind::Quota: return QStringLiteral("quota");
    case FailureKind::ServerError: return QStringLiteral("server_error");
    case FailureKind::Auth: return QStringLiteral("auth");
    case FailureKind::NotFound: return QStringLiteral("not_found");
    case FailureKind::BadRequest: return QStringLiteral("bad_request");
    case FailureKind::Blocked: return QStringLiteral("blocked");
    case FailureKind::Unexpected: return QStringLiteral("unexpected");
    case FailureKind::Damaged: return QStringLiteral("damaged");
    case FailureKind::TooLarge: return QStringLiteral("too_large");
    case FailureKind::Insecure: return QStringLiteral("insecure");
    case FailureKind::Timeout: return QStringLiteral("timeout");
    case FailureKind::OperationFailed: return QStringLiteral("operation_failed");
    case FailureKind::Cancelled: return QStringLiteral("cancelled");
    case FailureKind::Config: return QStringLiteral("config");
    }
    return QStringLiteral("unexpected");
}

bool isTemporaryFailure(FailureKind kind)
{
    return kind == FailureKind::Network || kind == FailureKind::Quota
           || kind == FailureKind::ServerError || kind == FailureKind::Timeout;
}

double backoffDelaySeconds(const RetryPolicy &policy, int attempt, double random01)
{
    const int n = qMax(1, attempt);
    const double cap = qMax(0.0, policy.maxDelaySeconds);
    // Compute in the log domain's safe range: a large attempt number must not overflow to inf.
    double delay = policy.initialDelaySeconds * std::pow(qMax(1.0, policy.multiplier), qMin(n - 1, 64));
    if (!std::isfinite(delay) || delay > cap)
        delay = cap;
    const double r = qBound(0.0, random01, 1.0);
    const double j = qBound(0.0, policy.jitterFraction, 1.0);
    delay *= 1.0 + j * (2.0 * r - 1.0);  // spreads clients that failed together
    delay = qBound(0.0, delay, cap);      // the cap is a promise to the user, jitter included
    return delay * qMax(0.0, policy.timeScale);
}

double serverRetryDelaySeconds(const HttpResponse &response, const GoogleApiError &error,
                               const RetryPolicy &policy)
{
    double seconds = -1;
    const QString retryAfter = QString::fromLatin1(response.header("retry-after")).trimmed();
    if (!retryAfter.isEmpty()) {
        bool ok = false;
        const double v = retryAfter.toDouble(&ok);
        if (ok && v >= 0) {
            seconds = v;
        } else {
            const QDateTime when = QDateTime::fromString(retryAfter, Qt::RFC2822Date);
            if (when.isValid())
                seconds = qMax<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(when)) / 1000.0;
        }
    }
    if (seconds < 0 && error.retryDelaySeconds >= 0)
        seconds = error.retryDelaySeconds;
    if (seconds < 0)
        return -1;
    return qMin(seconds, qMax(0.0, policy.maxDelaySeconds)) * qMax(0.0, policy.timeScale);
}

CallResult sendWithRetry(HttpClient &client, const HttpRequest &request, RetryMode mode,
                         const RetryPolicy &policy, const QString &what,
                         const RetryNoticeFn &onRetry, const std::atomic<bool> *cancel)
{
    CallResult result;
    const int maxAttempts = qMax(1, policy.maxAttempts);
    auto finishCancelled = [&] {
        result.failure = FailureKind::Cancelled;
        result.message = failureMessage(FailureKind::Cancelled, result.apiError, result.response, what, {});
        return result;
    };

    for (int attempt = 1; attempt <= maxAttempts; ++attempt) {
        if (isCancelled(cancel))
            return finishCancelled();
        result.response = client.send(request, cancel);
        result.attempts = attempt;
        if (result.response.requestSent)
            ++result.billedAttempts;
        const bool httpError = result.response.error == HttpResponse::Error::None
                               && (result.response.status < 200 || result.response.status >= 400);
        result.apiError = httpError ? parseGoogleError(result.response.status, result.response.body)
                                    : GoogleApiError{};
        const Verdict v = classify(result.response, result.apiError, mode);
        if (v.kind == FailureKind::None) {
            result.failure = FailureKind::None;
            result.message.clear();
            return result;
        }
        if (v.kind == FailureKind::Cancelled)
            return finishCancelled();
        if (!v.retry || attempt == maxAttempts) {
            result.failure = v.kind;
            // The attempt count goes before the service's own words, so the sentence that
            // names the fix stays in one piece.
            GoogleApiError quiet = result.apiError;
            quiet.message.clear();
            result.message = failureMessage(v.kind, quiet, result.response, what, {});
            if (v.retry && attempt > 1)
                result.message += QStringLiteral(" Gave up after %1 attempts.").arg(attempt);
            result.message += serviceSaid(v.kind, result.apiError);
            return result;
        }

        double wait = httpError ? serverRetryDelaySeconds(result.response, result.apiError, policy) : -1;
        if (wait < 0)
            wait = backoffDelaySeconds(policy, attempt, QRandomGenerator::global()->generateDouble());
        if (onRetry)
            onRetry(RetryNotice{attempt, maxAttempts, wait, v.reason});
        // Sleep in short slices so a cancel (the user, or the app closing) is seen promptly.
        const auto end = std::chrono::steady_clock::now()
                         + std::chrono::microseconds(qint64(wait * 1e6));
        while (std::chrono::steady_clock::now() < end) {
            if (isCancelled(cancel))
                return finishCancelled();
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                end - std::chrono::steady_clock::now());
            std::this_thread::sleep_for(qBound(std::chrono::milliseconds(1), left,
                                               std::chrono::milliseconds(50)));
        }
    }
    return result;  // not reached: the last attempt always returns above
}

QString failureMessage(FailureKind kind, const GoogleApiError &error, const HttpResponse &response,
                       const QString &what, const QString &model)
{
    using E = HttpResponse::Error;
    const QString http = statusPart(response, error);
    const QString task = what.isEmpty() ? QStringLiteral("request") : what;
    QString text;
    switch (kind) {
    case FailureKind::None:
        return {};
    case FailureKind::Network:
        if (response.error == E::Timeout || response.status == 408)
            text = QStringLiteral("The service did not respond in time (%1) — check your network or "
                                  "try again later.").arg(task);
        else if (response.error == E::Truncated)
            text = QStringLiteral("The connection to the generation service dropped before the answer "
                                  "was complete (%1) — try again later.").arg(task);
        else if (response.error == E::CouldNotResolve)
            text = QStringLiteral("Can't reach the generation service (host name not found) — check "
                                  "your network or use the offline generator.");
        else
            text = QStringLiteral("Can't reach the generation service (%1) — check your network or use "
                                  "the offline generator.").arg(describeHttpError(response.error));
        break;
    case FailureKind::Quota:
        text = QStringLiteral("Quota exhausted (%1); try again later, or check the plan and billing of "
                              "the project.").arg(http.isEmpty() ? QStringLiteral("HTTP 429") : http);
        break;
    case FailureKind::ServerError:
        text = QStringLiteral("The generation service failed (%1) during %2; try again later.")
                   .arg(http.isEmpty() ? QStringLiteral("server error") : http, task);
        break;
    case FailureKind::Auth:
        text = QStringLiteral("The API key or access token was rejected (%1). Update it in Settings or in "
                              "GEMINI_API_KEY / GOOGLE_CLOUD_ACCESS_TOKEN.").arg(http);
        break;
    case FailureKind::NotFound:
        if (!model.isEmpty())
            text = QStringLiteral("The model \"%1\" is retired or not available on this back end "
                                  "(HTTP 404). Choose another model in the generation panel or with "
                                  "--model.").arg(model);
        else
            text = QStringLiteral("The service does not know what was asked for (%1) during %2.")
                       .arg(http.isEmpty() ? QStringLiteral("HTTP 404") : http, task);
        break;
    case FailureKind::BadRequest:
        text = QStringLiteral("The service rejected the %1 (%2); change the request or its settings.")
                   .arg(task, http);
        break;
    case FailureKind::Blocked:
        text = QStringLiteral("The service blocked the %1 for safety reasons; edit the prompt or the "
                              "input image.").arg(task);
        break;
    case FailureKind::Unexpected:
        text = response.error == E::FileError
                   ? QStringLiteral("Could not save the %1: %2").arg(task, response.errorText)
                   : QStringLiteral("Unexpected response from the service (%1).").arg(task);
        break;
    case FailureKind::Damaged:
        text = QStringLiteral("The service returned a damaged file (%1).").arg(task);
        break;
    case FailureKind::TooLarge:
        text = QStringLiteral("Response too large: the service sent more than allowed for the %1.").arg(task);
        break;
    case FailureKind::Insecure:
        if (response.error == E::InsecureUrl)
            text = response.errorText;
        else
            text = QStringLiteral("Secure connection failed (%1); the certificate or the host is not "
                                  "trusted, and this is never ignored.").arg(response.errorText);
        break;
    case FailureKind::Timeout:
        text = QStringLiteral("The %1 did not finish in time.").arg(task);
        break;
    case FailureKind::OperationFailed:
        text = QStringLiteral("The %1 failed on the service.").arg(task);
        break;
    case FailureKind::Cancelled:
        return QStringLiteral("Cancelled.");
    case FailureKind::Config:
        text = error.message.isEmpty() ? QStringLiteral("The generation back end is not configured.")
                                       : error.message;
        return text;
    }
    return text + serviceSaid(kind, error);
}

QString redactSecrets(QString text, const QStringList &secrets)
{
    for (const QString &s : secrets)
        if (s.size() >= 4)  // shorter "secrets" would shred ordinary words
            text.replace(s, QStringLiteral("[redacted]"));
    return text;
}

QByteArray redactSecrets(QByteArray text, const QStringList &secrets)
{
    for (const QString &s : secrets)
        if (s.size() >= 4)
            text.replace(s.toUtf8(), QByteArrayLiteral("[redacted]"));
    return text;
}

}  // namespace services
