// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The one place that talks HTTP (libcurl). Deliberately small: one request in, one response
// out, no retries and no redirects. Retrying belongs to the caller (google_api.h knows which
// failures are worth another billed attempt), and redirects are followed by hand so a key or
// token never reaches a host it was not meant for (RELIABILITY G14).
//
// Limits every request carries, because a generation service is an untrusted peer:
// - connect timeout, optional total timeout, and a low-speed guard (G3 silence, G4 drip);
// - a response-size cap enforced in the write callback, so a lying Content-Length or an
//   endless chunked body stops at the cap and memory stays bounded (G11);
// - https only, except plain http to a loopback address (tests, local proxies); a redirect
//   target is checked the same way by the caller before it is requested (G15 downgrade);
// - a cancel flag polled from the progress callback (G16).

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <atomic>
#include <memory>

namespace services {

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

struct HttpRequest {
    QByteArray method = "GET";   // GET or POST
    QString url;
    HttpHeaders headers;         // e.g. {"content-type", "application/json"}, auth headers
    QByteArray body;             // POST body
    int connectTimeoutMs = 10000;
    int totalTimeoutMs = 0;      // 0 = no overall limit (the low-speed guard still applies)
    int lowSpeedBytesPerSec = 1; // abort when slower than this ...
    int lowSpeedSeconds = 30;    // ... for this long
    qint64 maxResponseBytes = qint64(64) << 20;
    // When set, a 2xx body streams into this file (created/truncated) instead of memory; it is
    // removed again when the transfer fails or is cancelled. Error bodies stay in memory.
    QString bodyFile;
};

struct HttpResponse {
    enum class Error {
        None,
        InsecureUrl,      // not https and not loopback; nothing was sent
        CouldNotResolve,  // G2
        CouldNotConnect,  // G1
        Timeout,          // G3 / G4: no answer, too slow, or total timeout
        Truncated,        // G9: body shorter than Content-Length, connection dropped
        TooLarge,         // G11: over maxResponseBytes (declared or received)
        Tls,              // G15: handshake or certificate failure
        Cancelled,        // G16
        FileError,        // bodyFile could not be written
        Other,
    };
    Error error = Error::None;
    int status = 0;               // HTTP status when a response head arrived, else 0
    HttpHeaders headers;          // of the final response; names lower-cased
    QByteArray body;              // empty when streamed to bodyFile
    qint64 bodyBytes = 0;         // bytes received (memory or file)
    QString errorText;            // libcurl's description; never contains credentials
    // True once the request may have reached the service (connection made and request sent).
    // A generation POST counts as a billed attempt from then on, even without an answer.
    bool requestSent = false;

    bool ok() const { return error == Error::None && status >= 200 && status < 300; }
    QByteArray header(const QByteArray &lowerCaseName) const;  // first match, or empty
};

// Why `url` may not be used (not https and not a loopback host; unparsable), or empty when it
// may. Loopback = localhost, 127.0.0.0/8, ::1.
QString insecureUrlReason(const QString &url);
bool isLoopbackHost(const QString &host);

// Short English name of an error for messages and logs ("connection refused", ...).
QString describeHttpError(HttpResponse::Error e);

class HttpClient {
public:
    HttpClient();
    ~HttpClient();
    HttpClient(const HttpClient &) = delete;
    HttpClient &operator=(const HttpClient &) = delete;

    // Blocking. One client per thread: the curl handle is reused for keep-alive. Never follows
    // redirects: a 3xx comes back as a response with its `location` header.
    HttpResponse send(const HttpRequest &request, const std::atomic<bool> *cancel = nullptr);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

}  // namespace services
