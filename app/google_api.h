// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the Gemini image and Veo clients share: where a back end lives and how it is
// authenticated (Gemini Developer API with an API key, Vertex AI with a bearer token), Google's
// error envelope, how a failure is classified for the user, and the retry loop (408/429/5xx and
// transport errors with exponential backoff, jitter and Retry-After; never 400/401/403/404).
// See docs/generation.md and ../shared/docs/generation-api.md sections 1 and 7.

#include "http_client.h"

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace services {

enum class GoogleBackendKind { GeminiApi, Vertex };

// Parses "gemini" / "vertex" (CLI --backend); returns false for anything else.
bool parseBackendKind(const QString &text, GoogleBackendKind *out);
QString backendKindName(GoogleBackendKind kind);  // "gemini" / "vertex"

struct GoogleBackend {
    GoogleBackendKind kind = GoogleBackendKind::GeminiApi;
    // Ends with '/'. Gemini: https://generativelanguage.googleapis.com/v1beta/
    // Vertex: https://{location}-aiplatform.googleapis.com/v1/ (global: aiplatform.googleapis.com)
    QString baseUrl;
    QString apiKey;       // Gemini API: sent as x-goog-api-key, never in a URL
    QString accessToken;  // Vertex: Authorization: Bearer
    QString project;      // Vertex
    QString location;     // Vertex, e.g. us-central1 or global
    // Vertex gcsUri results are fetched through the Cloud Storage JSON API here
    // (b/{bucket}/o/{object}?alt=media), with the same bearer token. Ends with '/'.
    QString storageBaseUrl = QStringLiteral("https://storage.googleapis.com/storage/v1/");

    // The default base URL of a back end (Vertex depends on the location).
    static QString defaultBaseUrl(GoogleBackendKind kind, const QString &location);

    // Reads GEMINI_API_KEY / CAMPAIGN_GEMINI_BASE_URL, or GOOGLE_CLOUD_ACCESS_TOKEN,
    // GOOGLE_CLOUD_PROJECT, GOOGLE_CLOUD_LOCATION (default us-central1) /
    // CAMPAIGN_VERTEX_BASE_URL. Does not validate; see problem().
    static GoogleBackend fromEnvironment(GoogleBackendKind kind,
                                         const QProcessEnvironment &env =
                                             QProcessEnvironment::systemEnvironment());

    // What is missing or unsafe (no key, no project, http to a non-loopback host ...) as a
    // sentence naming the environment variable or setting to fix; empty when usable.
    QString problem() const;

    // <base>models/{model}:{method} (Gemini) or
    // <base>projects/{p}/locations/{l}/publishers/google/models/{model}:{method} (Vertex).
    QString modelUrl(const QString &model, const QString &method) const;
    // Absolute URL of a resource name relative to the base (Gemini operation polling).
    QString resourceUrl(const QString &name) const;
    // The auth header(s) plus content-type JSON.
    HttpHeaders jsonHeaders() const;
    HttpHeaders authHeaders() const;
    // Host (and port) of baseUrl, to decide whether a redirect stays on the same host.
    QString authority() const;
    // Every credential this back end holds, for redaction of logs and messages.
    QStringList secrets() const;
};

// Google's google.rpc.Status envelope ({"error": {...}}, or a list holding one, or not JSON).
struct GoogleApiError {
    int httpStatus = 0;
    QString status;          // "INVALID_ARGUMENT", "RESOURCE_EXHAUSTED", ...
    QString message;         // the service's message (or the start of a non-JSON body)
    QString reason;          // details[ErrorInfo].reason, e.g. API_KEY_INVALID
    double retryDelaySeconds = -1;  // details[RetryInfo].retryDelay ("27s"), -1 when absent
};
GoogleApiError parseGoogleError(int httpStatus, const QByteArray &body);

// What went wrong, at the level the user and the job queue care about.
enum class FailureKind {
    None,
    Network,      // G1/G2/G3/G4/G9 after retries: can't reach / no answer / cut off
    Quota,        // 429 after retries (and 402 prepayment depleted)
    ServerError,  // 5xx after retries
    Auth,         // 401/403: key or token rejected
    NotFound,     // 404: model retired or unavailable, operation unknown
    BadRequest,   // 400 and other 4xx: fix the request
    Blocked,      // safety block (promptFeedback.blockReason, SAFETY finish, RAI filter)
    Unexpected,   // 2xx with a body we cannot understand (G8), or no media in it
    Damaged,      // media that does not decode (G10)
    TooLarge,     // G11
    Insecure,     // G15: TLS failure or a plain-http non-loopback URL
    Timeout,      // G13: overall deadline passed (Veo operation never finished)
    OperationFailed,  // Veo done:true with error
    Cancelled,    // G16
    Config,       // no key, no project ... (nothing was sent)
};
QString failureKindName(FailureKind kind);  // "network", "quota", ... (JSON output)
// Worth running again later without changing anything (exit 75 in the CLI when such
// failures remain): Network, Quota, ServerError, Timeout.
bool isTemporaryFailure(FailureKind kind);

struct RetryPolicy {
    int maxAttempts = 5;             // in total, the first one included
    double initialDelaySeconds = 2.0;
    double multiplier = 2.0;
    double maxDelaySeconds = 60.0;   // cap of the backoff and of Retry-After / retryDelay
    double jitterFraction = 0.5;     // delay * (1 + U(-j, +j))
    // Tests shrink the clock: every computed delay is multiplied by this.
    double timeScale = 1.0;
};

// Delay before attempt `attempt + 1` (attempt is 1-based) with jitter from `random01` in [0,1).
double backoffDelaySeconds(const RetryPolicy &policy, int attempt, double random01);
// Retry-After (seconds or HTTP date) or the RetryInfo delay, capped; -1 when absent.
double serverRetryDelaySeconds(const HttpResponse &response, const GoogleApiError &error,
                               const RetryPolicy &policy);

// What one call (with its retries) ended in.
struct CallResult {
    HttpResponse response;   // the last attempt's
    FailureKind failure = FailureKind::None;
    GoogleApiError apiError; // when the service answered with an error status
    QString message;         // user-facing, names the fix; empty on success
    int attempts = 0;
    int billedAttempts = 0;  // attempts whose request reached the service
};

// Progress of the retry loop, for "retrying in 7 s" in the queue.
struct RetryNotice {
    int attempt = 0;         // the attempt that just failed (1-based)
    int maxAttempts = 0;
    double waitSeconds = 0;  // before the next one
    QString reason;          // "HTTP 429 RESOURCE_EXHAUSTED", "connection refused", ...
};
using RetryNoticeFn = std::function<void(const RetryNotice &)>;

enum class RetryMode {
    // Safe to repeat: generateContent (a failed call is not billed), polls, downloads.
    Idempotent,
    // Veo submission: a request that may have been accepted (timeout after sending, dropped
    // connection) is NOT re-sent, because it may already be billed; only clean 408/429/5xx
    // answers and failures before the request left (refused connection) are retried.
    SubmitOnce,
};

// Sends `request`, retrying per policy; waits in small slices so `cancel` is honoured within
// ~50 ms. A 2xx ends the loop with failure None (the caller still validates the body); a 3xx
// ends it too (redirects are the caller's). `what` names the operation in messages
// ("image generation", "video download").
CallResult sendWithRetry(HttpClient &client, const HttpRequest &request, RetryMode mode,
                         const RetryPolicy &policy, const QString &what,
                         const RetryNoticeFn &onRetry, const std::atomic<bool> *cancel);

// The user-facing sentence for a failure, naming the fix: 401/403 "API key rejected — update
// it in Settings or GEMINI_API_KEY" (no key text), 404 "model "x" is retired or not available
// on this back end; choose another model", 429 "quota exhausted; try later", G1 "can't reach
// the generation service" ... `model` may be empty.
QString failureMessage(FailureKind kind, const GoogleApiError &error, const HttpResponse &response,
                       const QString &what, const QString &model);

// Replaces every occurrence of each non-empty secret with "[redacted]".
QString redactSecrets(QString text, const QStringList &secrets);
QByteArray redactSecrets(QByteArray text, const QStringList &secrets);

}  // namespace services
