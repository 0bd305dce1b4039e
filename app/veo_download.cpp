// SPDX-License-Identifier: GPL-3.0-or-later
#include "veo_download.h"

#include "render/renderer.h"

#include <QFile>
#include <QUrl>

namespace services {

QString veoOriginOf(const QString &url)
{
    const QUrl u(url, QUrl::StrictMode);
    if (!u.isValid() || u.host().isEmpty()) return {};
    const QString scheme = u.scheme().toLower();
    const int port = u.port(scheme == QLatin1String("https") ? 443 : scheme == QLatin1String("http") ? 80 : -1);
    return scheme + QStringLiteral("://") + u.host().toLower() + QLatin1Char(':') + QString::number(port);
}

static bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// Host only: a redirect URL can carry signed query parameters that must not reach a log.
static QString hostOf(const QString &url)
{
    const QString host = QUrl(url).host();
    return host.isEmpty() ? QStringLiteral("(invalid URL)") : host;
}

VeoFetchOutcome veoFetchToFile(HttpClient &client, const QString &url, const QString &trustedOrigin,
                               const HttpHeaders &authHeaders, const QString &path, qint64 maxBytes,
                               const RetryPolicy &policy, const RetryNoticeFn &onRetry,
                               const std::atomic<bool> *cancel)
{
    VeoFetchOutcome out;
    auto fail = [&](FailureKind kind, const QString &message) {
        QFile::remove(path);
        out.failure = kind;
        out.message = message;
        return out;
    };
    constexpr int kMaxRedirects = 5;
    QString current = url;
    bool withAuth = true;
    for (int hop = 0; hop <= kMaxRedirects; ++hop) {
        if (const QString why = insecureUrlReason(current); !why.isEmpty())
            return fail(FailureKind::Insecure,
                        QStringLiteral("Refused to download the video from %1: %2")
                            .arg(hostOf(current), why));
        // Once the chain has left the trusted origin the credential never comes back, even if
        // a later hop returns to it: the intermediate host chose that URL.
        withAuth = withAuth && !trustedOrigin.isEmpty() && veoOriginOf(current) == trustedOrigin;

        HttpRequest request;
        request.method = "GET";
        request.url = current;
        if (withAuth) request.headers = authHeaders;
        request.bodyFile = path;
        request.maxResponseBytes = maxBytes;
        request.totalTimeoutMs = 0;           // big files on slow links: the stall guard decides
        request.lowSpeedBytesPerSec = 1024;
        request.lowSpeedSeconds = 60;
        const CallResult call = sendWithRetry(client, request, RetryMode::Idempotent, policy,
                                              QStringLiteral("video download"), onRetry, cancel);
        out.requests += call.attempts;
        if (call.failure == FailureKind::Cancelled || (cancel && cancel->load())) {
            QFile::remove(path);
            out.cancelled = true;
            return out;
        }
        if (call.failure != FailureKind::None)
            return fail(call.failure, failureMessage(call.failure, call.apiError, call.response,
                                                     QStringLiteral("video download"), QString()));
        const int status = call.response.status;
        if (isRedirect(status)) {
            const QByteArray location = call.response.header("location");
            if (location.isEmpty())
                return fail(FailureKind::Unexpected,
                            QStringLiteral("The video download was redirected without a target (HTTP %1).")
                                .arg(status));
            current = QUrl(current).resolved(QUrl(QString::fromUtf8(location))).toString();
            continue;
        }
        if (status < 200 || status >= 300)
            return fail(FailureKind::Unexpected,
                        QStringLiteral("Unexpected answer to the video download (HTTP %1).").arg(status));
        return out;  // the body is in `path`
    }
    return fail(FailureKind::Unexpected,
                QStringLiteral("The video download was redirected more than %1 times.").arg(kMaxRedirects));
}

QString veoGcsMediaUrl(const QString &storageBaseUrl, const QString &gcsUri)
{
    if (!gcsUri.startsWith(QLatin1String("gs://"))) return {};
    const QString rest = gcsUri.mid(5);
    const int slash = rest.indexOf(QLatin1Char('/'));
    if (slash <= 0 || slash == rest.size() - 1) return {};
    const QString bucket = rest.left(slash);
    const QString object = rest.mid(slash + 1);
    // The object name is one path segment in the JSON API: its slashes must be encoded.
    return storageBaseUrl + QStringLiteral("b/") + QString::fromLatin1(QUrl::toPercentEncoding(bucket))
           + QStringLiteral("/o/") + QString::fromLatin1(QUrl::toPercentEncoding(object))
           + QStringLiteral("?alt=media");
}

bool veoIsPlayableVideo(const QString &path, QString *why)
{
    const render::MediaInfo info = render::probeMedia(path);
    if (info.error) {
        *why = info.error.message;
        return false;
    }
    // libavformat happily "opens" a PNG or a GIF as a one-frame video, so the container has to
    // be one a video service delivers, too.
    const bool videoContainer = info.container.contains(QLatin1String("mp4"))
                                || info.container.contains(QLatin1String("webm"))
                                || info.container.contains(QLatin1String("matroska"));
    if (!videoContainer || info.videoCodec.isEmpty() || info.width <= 0 || info.height <= 0) {
        *why = QStringLiteral("container \"%1\", video codec \"%2\"").arg(info.container, info.videoCodec);
        return false;
    }
    return true;
}

}  // namespace services
