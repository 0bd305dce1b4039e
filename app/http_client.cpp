// SPDX-License-Identifier: GPL-3.0-or-later
// libcurl behind the small blocking interface of http_client.h. Everything that makes a
// generation service an untrusted peer is enforced here, per request: timeouts and a stall
// guard, a byte cap counted in the write callback (a declared length can lie and a chunked
// body declares none), no redirects, https only (plain http to loopback for tests), and a
// cancel flag polled from the progress callback.

#include "http_client.h"

#include <QFile>
#include <QUrl>

#include <curl/curl.h>

#include <mutex>

namespace services {

namespace {

// Error bodies (4xx/5xx) are only read for their message; a proxy's HTML page or a hostile
// endless body must not grow memory, so only this much of them is kept.
constexpr qint64 kErrorBodyKeep = qint64(64) << 10;

void globalInitOnce()
{
    // curl_global_init is not thread-safe and must run before any handle exists; the
    // providers create clients on worker threads, so guard it once per process.
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool isTwoHundred(int status) { return status >= 200 && status < 300; }

// State shared with the libcurl callbacks for one transfer.
struct Transfer {
    const HttpRequest *request = nullptr;
    HttpResponse *response = nullptr;
    const std::atomic<bool> *cancel = nullptr;
    int status = 0;              // of the latest status line seen
    HttpHeaders headers;         // of the latest response head
    qint64 received = 0;         // body bytes of the final response, kept or not
    bool capHit = false;
    bool fileError = false;
    QFile file;
    bool fileOpened = false;
};

size_t onHeader(char *data, size_t size, size_t count, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    const size_t n = size * count;
    QByteArray line(data, qsizetype(n));
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    if (line.startsWith("HTTP/")) {
        // A new head begins (after a 100 Continue or an interim 1xx): only the final one counts.
        t->headers.clear();
        const QList<QByteArray> parts = line.split(' ');
        t->status = parts.size() > 1 ? parts.at(1).toInt() : 0;
        return n;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon > 0)
        t->headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    return n;
}

size_t onBody(char *data, size_t size, size_t count, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    const size_t n = size * count;
    const qint64 cap = t->request->maxResponseBytes;
    const bool toFile = !t->request->bodyFile.isEmpty() && isTwoHundred(t->status);

    if (t->received + qint64(n) > cap) {
        // Returning a short count makes libcurl stop with CURLE_WRITE_ERROR; the flag tells
        // send() that this write error means "too large" rather than a full disk.
        t->capHit = true;
        return 0;
    }
    t->received += qint64(n);

    if (toFile) {
        if (!t->fileOpened) {
            // Opened only now, once the status is known to be 2xx: an error answer must not
            // replace the file with an error page.
            t->file.setFileName(t->request->bodyFile);
            if (!t->file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
                t->fileError = true;
                return 0;
            }
            t->fileOpened = true;
        }
        if (t->file.write(data, qint64(n)) != qint64(n)) {
            t->fileError = true;
            return 0;
        }
        return n;
    }

    // In memory. With a bodyFile set this is an error body: keep the start, count the rest.
    qint64 keep = qint64(n);
    if (!t->request->bodyFile.isEmpty())
        keep = qBound<qint64>(0, kErrorBodyKeep - t->response->body.size(), qint64(n));
    t->response->body.append(data, qsizetype(keep));
    return n;
}

int onProgress(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    auto *t = static_cast<Transfer *>(user);
    return (t->cancel && t->cancel->load()) ? 1 : 0;
}

bool isTlsError(CURLcode code)
{
    switch (code) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
        return true;
    default:
        return false;
    }
}

// libcurl's messages name the host and port at most, but a URL could carry a query (an API
// key in ?key=, if someone configured it that way); scrub it whatever the message says.
QString scrubUrl(QString text, const QString &url)
{
    const QUrl u(url);
    const QString query = u.query(QUrl::FullyEncoded);
    if (!url.isEmpty())
        text.replace(url, u.adjusted(QUrl::RemoveQuery | QUrl::RemoveUserInfo).toString());
    if (!query.isEmpty())
        text.replace(query, QStringLiteral("[query]"));
    return text;
}

}  // namespace

QByteArray HttpResponse::header(const QByteArray &lowerCaseName) const
{
    for (const auto &h : headers)
        if (h.first == lowerCaseName)
            return h.second;
    return {};
}

bool isLoopbackHost(const QString &hostIn)
{
    QString host = hostIn.trimmed().toLower();
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    if (host == QLatin1String("localhost") || host == QLatin1String("localhost."))
        return true;
    if (host == QLatin1String("::1") || host == QLatin1String("0:0:0:0:0:0:0:1"))
        return true;
    // 127.0.0.0/8 written as a dotted quad; anything looser (decimal or hex forms) is not
    // accepted, so an odd spelling cannot sneak a remote address past the check.
    const QStringList parts = host.split(QLatin1Char('.'));
    if (parts.size() != 4 || parts.first() != QLatin1String("127"))
        return false;
    for (const QString &p : parts) {
        bool ok = false;
        const int v = p.toInt(&ok);
        if (!ok || p.isEmpty() || p.size() > 3 || v < 0 || v > 255)
            return false;
        for (QChar c : p)
            if (!c.isDigit())
                return false;
    }
    return true;
}

QString insecureUrlReason(const QString &url)
{
    const QUrl u(url, QUrl::StrictMode);
    if (url.trimmed().isEmpty() || !u.isValid() || u.host().isEmpty())
        return QStringLiteral("Not a valid URL: \"%1\".")
            .arg(u.adjusted(QUrl::RemoveQuery | QUrl::RemoveUserInfo).toString());
    const QString scheme = u.scheme().toLower();
    if (scheme == QLatin1String("https"))
        return {};
    if (scheme == QLatin1String("http")) {
        if (isLoopbackHost(u.host()))
            return {};
        return QStringLiteral("Plain http is only accepted for loopback addresses; use https://%1/ "
                              "instead (check CAMPAIGN_GEMINI_BASE_URL / CAMPAIGN_VERTEX_BASE_URL).")
            .arg(u.host());
    }
    return QStringLiteral("Only https URLs are supported (got \"%1:\").").arg(scheme);
}

QString describeHttpError(HttpResponse::Error e)
{
    using E = HttpResponse::Error;
    switch (e) {
    case E::None: return QStringLiteral("no error");
    case E::InsecureUrl: return QStringLiteral("insecure URL refused");
    case E::CouldNotResolve: return QStringLiteral("host name not found");
    case E::CouldNotConnect: return QStringLiteral("connection refused");
    case E::Timeout: return QStringLiteral("no answer in time");
    case E::Truncated: return QStringLiteral("connection dropped mid-response");
    case E::TooLarge: return QStringLiteral("response too large");
    case E::Tls: return QStringLiteral("secure connection failed");
    case E::Cancelled: return QStringLiteral("cancelled");
    case E::FileError: return QStringLiteral("could not write the download file");
    case E::Other: return QStringLiteral("transfer failed");
    }
    return QStringLiteral("transfer failed");
}

struct HttpClient::Impl {
    CURL *curl = nullptr;
};

HttpClient::HttpClient() : d(std::make_unique<Impl>())
{
    globalInitOnce();
    d->curl = curl_easy_init();
}

HttpClient::~HttpClient()
{
    if (d->curl)
        curl_easy_cleanup(d->curl);
}

HttpResponse HttpClient::send(const HttpRequest &request, const std::atomic<bool> *cancel)
{
    using E = HttpResponse::Error;
    HttpResponse response;

    const QString reason = insecureUrlReason(request.url);
    if (!reason.isEmpty()) {
        response.error = E::InsecureUrl;
        response.errorText = reason;
        return response;
    }
    if (!d->curl) {
        response.error = E::Other;
        response.errorText = QStringLiteral("libcurl could not be initialised");
        return response;
    }
    if (cancel && cancel->load()) {
        response.error = E::Cancelled;
        response.errorText = describeHttpError(E::Cancelled);
        return response;
    }

    CURL *c = d->curl;
    // Reset clears every option of the previous request but keeps the connection cache, so
    // a keep-alive connection to the same host is reused.
    curl_easy_reset(c);

    Transfer t;
    t.request = &request;
    t.response = &response;
    t.cancel = cancel;

    const QByteArray url = request.url.toUtf8();
    const QUrl parsed(request.url);
    char errorBuffer[CURL_ERROR_SIZE] = {};

    curl_easy_setopt(c, CURLOPT_URL, url.constData());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // worker threads: no SIGALRM for DNS timeouts
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // G14: redirects are the caller's
    // A corporate proxy must still carry traffic to Google, but never loopback traffic.
    if (isLoopbackHost(parsed.host()))
        curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, long(qMax(1, request.connectTimeoutMs)));
    if (request.totalTimeoutMs > 0)
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, long(request.totalTimeoutMs));
    if (request.lowSpeedSeconds > 0) {
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, long(qMax(1, request.lowSpeedBytesPerSec)));
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, long(request.lowSpeedSeconds));
    }
    // The declared length is checked up front (G11, CURLE_FILESIZE_EXCEEDED); the write
    // callback enforces the same cap on what actually arrives.
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.maxResponseBytes));
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");

    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &onHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &onBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &onProgress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);

    curl_slist *headerList = nullptr;
    for (const auto &h : request.headers) {
        const QByteArray line = h.first + ": " + h.second;
        headerList = curl_slist_append(headerList, line.constData());
    }
    // Without this libcurl sends "Expect: 100-continue" for bodies over 1 MiB (image edits)
    // and waits up to a second for a go-ahead Google never needs.
    headerList = curl_slist_append(headerList, "Expect:");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headerList);

    const QByteArray method = request.method.toUpper();
    if (method == "POST") {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.constData());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.size()));
    } else if (method == "GET") {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.constData());
        if (!request.body.isEmpty()) {
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.constData());
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.size()));
        }
    }

    const CURLcode code = curl_easy_perform(c);
    curl_slist_free_all(headerList);

    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    long requestSize = 0;
    curl_easy_getinfo(c, CURLINFO_REQUEST_SIZE, &requestSize);
    // CURLINFO_RESPONSE_CODE stays 0 when the transfer died mid-head; the header callback may
    // still have seen the status line.
    response.status = status > 0 ? int(status) : t.status;
    response.headers = t.headers;
    response.bodyBytes = t.received;
    // A refused connection sends nothing; once request bytes went out (or anything came
    // back) the service may have started, and billed, the work.
    response.requestSent = requestSize > 0 || response.status > 0;

    switch (code) {
    case CURLE_OK:
        response.error = t.fileError ? E::FileError : E::None;
        break;
    case CURLE_WRITE_ERROR:
        response.error = t.capHit ? E::TooLarge : (t.fileError ? E::FileError : E::Other);
        break;
    case CURLE_FILESIZE_EXCEEDED:
        response.error = E::TooLarge;
        break;
    case CURLE_ABORTED_BY_CALLBACK:
        response.error = E::Cancelled;
        break;
    case CURLE_OPERATION_TIMEDOUT:
        response.error = E::Timeout;
        break;
    case CURLE_COULDNT_CONNECT:
        response.error = E::CouldNotConnect;
        break;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        response.error = E::CouldNotResolve;
        break;
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        // The peer hung up mid-exchange: whatever arrived is incomplete.
        response.error = E::Truncated;
        if (code == CURLE_SEND_ERROR)
            response.requestSent = true;  // part of it may have gone out; assume billed
        break;
    default:
        response.error = isTlsError(code) ? E::Tls : E::Other;
        break;
    }

    if (response.error == E::TooLarge) {
        response.errorText = QStringLiteral("response larger than %1 bytes").arg(request.maxResponseBytes);
    } else if (response.error == E::Cancelled) {
        response.errorText = describeHttpError(E::Cancelled);
    } else if (response.error == E::FileError) {
        response.errorText = QStringLiteral("could not write %1: %2")
                                 .arg(request.bodyFile, t.file.errorString());
    } else if (response.error != E::None) {
        const QString detail = errorBuffer[0] ? QString::fromUtf8(errorBuffer).trimmed()
                                              : QString::fromUtf8(curl_easy_strerror(code));
        response.errorText = scrubUrl(detail, request.url);
    }

    if (t.fileOpened) {
        t.file.close();
        if (response.error != E::None)
            QFile::remove(request.bodyFile);  // never leave a partial download behind
    } else if (response.error == E::None && !request.bodyFile.isEmpty()
               && isTwoHundred(response.status)) {
        // A 2xx without a body still produces the (empty) file the caller asked for.
        QFile empty(request.bodyFile);
        if (!empty.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            response.error = E::FileError;
            response.errorText = QStringLiteral("could not write %1: %2")
                                     .arg(request.bodyFile, empty.errorString());
        }
    }
    if (response.error != E::None && !request.bodyFile.isEmpty())
        response.bodyBytes = response.body.size();
    return response;
}

}  // namespace services
