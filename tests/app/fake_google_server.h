// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A real HTTP/1.1 server on 127.0.0.1 (an ephemeral port) for the generation-client tests:
// it speaks the Gemini API / Vertex AI wire format the test scripts into it, and misbehaves on
// request (silence, slow drip, short bodies, endless chunked bodies, giant declared lengths) to
// reproduce the G rows of RELIABILITY.md. Plain POSIX sockets on its own threads, so the
// client under test (libcurl) meets a real peer; nothing is mocked.
//
// Every connection gets "Connection: close". stop() (and the destructor) ends every
// connection, silent ones included, within about a second: tests never hang on the server.

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <memory>

namespace testing_support {

struct FakeRequest {
    QByteArray method;
    QByteArray path;     // with the query, e.g. "/v1beta/models/x:generateContent?alt=sse"
    QList<QPair<QByteArray, QByteArray>> headers;  // names lower-cased
    QByteArray body;
    QByteArray header(const QByteArray &lowerCaseName) const;
};

struct FakeReply {
    enum class Mode {
        Normal,        // status + headers + body with a correct Content-Length
        Silent,        // read the request, never answer (until stop)
        Drip,          // send the head, then the body one byte per `dripIntervalMs`
        ShortBody,     // declare Content-Length = body.size() + 1000, send body, close
        Chunked,       // Transfer-Encoding: chunked; `chunkCount` chunks of `body` (0 = endless)
        DeclareHuge,   // Content-Length: 10 GB, send body, then keep sending zeros until closed
        CloseAtOnce,   // close the connection without answering
    };
    Mode mode = Mode::Normal;
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;  // e.g. {"content-type","application/json"}
    QByteArray body;
    int dripIntervalMs = 1000;
    int chunkCount = 0;

    static FakeReply json(int status, const QByteArray &body);
    static FakeReply redirect(const QByteArray &location, int status = 302);
};

class FakeGoogleServer {
public:
    using Handler = std::function<FakeReply(const FakeRequest &)>;

    FakeGoogleServer();
    ~FakeGoogleServer();
    FakeGoogleServer(const FakeGoogleServer &) = delete;
    FakeGoogleServer &operator=(const FakeGoogleServer &) = delete;

    // Another loopback address (e.g. "127.0.0.2") to listen on, so a test has a second host
    // and not just a second port; before start(). Only 127.0.0.0/8 is accepted.
    bool setLoopbackAddress(const QString &dottedQuad);
    // Binds <address>:0 (127.0.0.1 unless set) and starts accepting. False (with the reason)
    // when it cannot.
    bool start(QString *error = nullptr);
    void stop();
    int port() const;
    QString baseUrl() const;  // "http://<address>:<port>/"

    // Called on a server thread for every request; the default answers 404 JSON.
    void setHandler(Handler handler);

    QList<FakeRequest> requests() const;  // everything received so far, in order
    int requestCount() const;
    void clearRequests();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// Loads a fixture from tests/app/fixtures/google/<relativePath> (compiled-in source path).
QByteArray googleFixture(const QString &relativePath);

}  // namespace testing_support
