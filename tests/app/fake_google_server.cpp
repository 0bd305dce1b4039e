// SPDX-License-Identifier: GPL-3.0-or-later
// A deliberately plain HTTP/1.1 server for the generation-client tests: one thread accepts,
// one thread per connection serves exactly one request and closes. Every blocking call is a
// poll() with a short timeout that re-checks the stop flag, and stop() additionally shuts the
// sockets down, so no test can hang on a silent or dripping connection.

#include "fake_google_server.h"

#include <QDebug>
#include <QFile>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <list>
#include <mutex>
#include <set>
#include <thread>

namespace testing_support {

namespace {

constexpr int kSliceMs = 50;                    // how often loops re-check the stop flag
constexpr qsizetype kMaxHead = 64 * 1024;       // a request head larger than this is garbage
constexpr qint64 kMaxBody = qint64(256) << 20;  // far above any test upload

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Status";
    }
}

}  // namespace

QByteArray FakeRequest::header(const QByteArray &lowerCaseName) const
{
    for (const auto &h : headers)
        if (h.first == lowerCaseName)
            return h.second;
    return {};
}

FakeReply FakeReply::json(int status, const QByteArray &body)
{
    FakeReply r;
    r.status = status;
    r.headers = {{"content-type", "application/json; charset=UTF-8"}};
    r.body = body;
    return r;
}

FakeReply FakeReply::redirect(const QByteArray &location, int status)
{
    FakeReply r;
    r.status = status;
    r.headers = {{"location", location}};
    return r;
}

struct FakeGoogleServer::Impl {
    int listenFd = -1;
    int port = 0;
    in_addr_t address = htonl(INADDR_LOOPBACK);
    QString host = QStringLiteral("127.0.0.1");
    std::atomic<bool> stopping{false};
    std::thread acceptThread;

    mutable std::mutex mutex;  // guards everything below
    Handler handler;
    QList<FakeRequest> requests;
    std::list<std::thread> connections;
    std::set<int> openFds;

    bool stopRequested() const { return stopping.load(); }

    // Waits for `events` on fd in short slices; false when stopping or on error/hang-up.
    bool waitFor(int fd, short events, int timeoutMs = -1)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        while (!stopRequested()) {
            pollfd p{fd, events, 0};
            const int r = ::poll(&p, 1, kSliceMs);
            if (r < 0 && errno != EINTR)
                return false;
            if (r > 0) {
                if (p.revents & events)
                    return true;
                if (p.revents & (POLLERR | POLLHUP | POLLNVAL))
                    return false;
            }
            if (timeoutMs >= 0 && std::chrono::steady_clock::now() >= deadline)
                return false;
        }
        return false;
    }

    bool sendAll(int fd, const char *data, qsizetype size)
    {
        while (size > 0) {
            if (!waitFor(fd, POLLOUT))
                return false;
            const ssize_t n = ::send(fd, data, size_t(size), MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EINTR || errno == EAGAIN)
                    continue;
                return false;  // the client went away (EPIPE / ECONNRESET): that ends the reply
            }
            data += n;
            size -= n;
        }
        return true;
    }
    bool sendAll(int fd, const QByteArray &bytes) { return sendAll(fd, bytes.constData(), bytes.size()); }

    // True when the peer has closed its side (or errored); used by the endless modes to stop.
    static bool peerGone(int fd)
    {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0)
            return false;
        if (p.revents & (POLLERR | POLLHUP | POLLNVAL))
            return true;
        char buf[4096];
        const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR);
    }

    // Sleeps up to ms, waking early when the server stops or the peer closes.
    bool pause(int fd, int ms)
    {
        const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        while (std::chrono::steady_clock::now() < end) {
            if (stopRequested() || peerGone(fd))
                return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(qMin(ms, 20)));
        }
        return !stopRequested();
    }

    bool readRequest(int fd, FakeRequest *out, bool *garbage)
    {
        QByteArray buf;
        qsizetype headEnd = -1;
        while (headEnd < 0) {
            if (!waitFor(fd, POLLIN))
                return false;
            char chunk[8192];
            const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n <= 0)
                return false;
            buf.append(chunk, qsizetype(n));
            // A TLS ClientHello (https against this plain server) or other junk: answer it
            // like a real server would instead of waiting for a head that never comes.
            if (!(buf.at(0) >= 'A' && buf.at(0) <= 'Z') || buf.size() > kMaxHead) {
                *garbage = true;
                return false;
            }
            headEnd = buf.indexOf("\r\n\r\n");
        }
        const QList<QByteArray> lines = buf.left(headEnd).split('\n');
        const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
        if (requestLine.size() < 3) {
            *garbage = true;
            return false;
        }
        out->method = requestLine.at(0);
        out->path = requestLine.at(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                out->headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
        }
        QByteArray body = buf.mid(headEnd + 4);
        const qint64 length = out->header("content-length").toLongLong();
        if (length < 0 || length > kMaxBody) {
            *garbage = true;
            return false;
        }
        while (body.size() < length) {
            if (!waitFor(fd, POLLIN))
                return false;
            char chunk[65536];
            const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n <= 0)
                return false;
            body.append(chunk, qsizetype(n));
        }
        out->body = body.left(length);
        return true;
    }

    static QByteArray head(const FakeReply &reply, const QByteArray &framing)
    {
        QByteArray h = "HTTP/1.1 " + QByteArray::number(reply.status) + ' '
                       + reasonPhrase(reply.status) + "\r\n";
        for (const auto &kv : reply.headers) {
            const QByteArray name = kv.first.toLower();
            // Framing is the server's business: a scripted duplicate would confuse the client.
            if (name == "content-length" || name == "transfer-encoding" || name == "connection")
                continue;
            h += kv.first + ": " + kv.second + "\r\n";
        }
        h += framing;
        h += "Connection: close\r\n\r\n";
        return h;
    }

    void writeReply(int fd, const FakeReply &reply)
    {
        using M = FakeReply::Mode;
        switch (reply.mode) {
        case M::Normal:
            sendAll(fd, head(reply, "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n")
                            + reply.body);
            break;
        case M::Silent:
            // Hold the connection open, answering nothing, until stop() or the client gives up.
            while (pause(fd, 200)) {
            }
            break;
        case M::Drip:
            if (!sendAll(fd, head(reply, "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n")))
                break;
            for (qsizetype i = 0; i < reply.body.size(); ++i) {
                if (!pause(fd, reply.dripIntervalMs) || !sendAll(fd, reply.body.constData() + i, 1))
                    break;
            }
            break;
        case M::ShortBody:
            sendAll(fd, head(reply, "Content-Length: " + QByteArray::number(reply.body.size() + 1000) + "\r\n")
                            + reply.body);
            break;
        case M::Chunked: {
            if (!sendAll(fd, head(reply, "Transfer-Encoding: chunked\r\n")))
                break;
            const QByteArray chunk = QByteArray::number(reply.body.size(), 16) + "\r\n" + reply.body + "\r\n";
            for (int i = 0; reply.chunkCount == 0 || i < reply.chunkCount; ++i) {
                if (reply.body.isEmpty() || stopRequested() || !sendAll(fd, chunk))
                    break;
            }
            if (reply.chunkCount > 0 || reply.body.isEmpty())
                sendAll(fd, "0\r\n\r\n");
            break;
        }
        case M::DeclareHuge: {
            if (!sendAll(fd, head(reply, "Content-Length: 10000000000\r\n") + reply.body))
                break;
            const QByteArray zeros(64 * 1024, '\0');
            while (!stopRequested() && sendAll(fd, zeros)) {
            }
            break;
        }
        case M::CloseAtOnce:
            break;
        }
    }

    void serve(int fd)
    {
        FakeRequest request;
        bool garbage = false;
        if (readRequest(fd, &request, &garbage)) {
            Handler h;
            {
                std::lock_guard<std::mutex> lock(mutex);
                requests.append(request);
                h = handler;
            }
            FakeReply reply = h ? h(request)
                                : FakeReply::json(404, R"({"error":{"code":404,"message":"no handler","status":"NOT_FOUND"}})");
            writeReply(fd, reply);
        } else if (garbage) {
            sendAll(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
        // Half-close and let the client read to the end before the socket goes: closing with
        // unread input would reset the connection and could destroy the reply in flight.
        ::shutdown(fd, SHUT_WR);
        const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
        while (!stopRequested() && std::chrono::steady_clock::now() < end && !peerGone(fd))
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        {
            std::lock_guard<std::mutex> lock(mutex);
            openFds.erase(fd);
            ::close(fd);
        }
    }

    void acceptLoop()
    {
        while (!stopRequested()) {
            pollfd p{listenFd, POLLIN, 0};
            const int r = ::poll(&p, 1, kSliceMs);
            if (r <= 0 || stopRequested())
                continue;
            const int fd = ::accept(listenFd, nullptr, nullptr);
            if (fd < 0)
                continue;
            std::lock_guard<std::mutex> lock(mutex);
            if (stopRequested()) {
                ::close(fd);
                break;
            }
            openFds.insert(fd);
            connections.emplace_back([this, fd] { serve(fd); });
        }
    }
};

FakeGoogleServer::FakeGoogleServer() : d(std::make_unique<Impl>()) {}

FakeGoogleServer::~FakeGoogleServer() { stop(); }

bool FakeGoogleServer::start(QString *error)
{
    auto fail = [&](const char *what) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(QLatin1String(what), QString::fromLocal8Bit(std::strerror(errno)));
        if (d->listenFd >= 0)
            ::close(d->listenFd);
        d->listenFd = -1;
        return false;
    };
    if (d->listenFd >= 0)
        return true;
    d->stopping = false;
    d->listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (d->listenFd < 0)
        return fail("socket");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = d->address;
    addr.sin_port = 0;
    if (::bind(d->listenFd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) < 0)
        return fail("bind");
    if (::listen(d->listenFd, 64) < 0)
        return fail("listen");
    socklen_t len = sizeof addr;
    if (::getsockname(d->listenFd, reinterpret_cast<sockaddr *>(&addr), &len) < 0)
        return fail("getsockname");
    d->port = ntohs(addr.sin_port);
    d->acceptThread = std::thread([this] { d->acceptLoop(); });
    return true;
}

void FakeGoogleServer::stop()
{
    if (!d->acceptThread.joinable() && d->listenFd < 0)
        return;
    d->stopping = true;
    {
        // Wake every connection thread blocked in poll()/send() at once.
        std::lock_guard<std::mutex> lock(d->mutex);
        for (int fd : d->openFds)
            ::shutdown(fd, SHUT_RDWR);
    }
    if (d->acceptThread.joinable())
        d->acceptThread.join();
    std::list<std::thread> threads;
    {
        std::lock_guard<std::mutex> lock(d->mutex);
        threads.swap(d->connections);
    }
    for (auto &t : threads)
        t.join();
    if (d->listenFd >= 0)
        ::close(d->listenFd);
    d->listenFd = -1;
    // The port stays readable after stop(): tests use it as a known-refused address.
}

int FakeGoogleServer::port() const { return d->port; }

bool FakeGoogleServer::setLoopbackAddress(const QString &dottedQuad)
{
    in_addr parsed{};
    if (d->listenFd >= 0 || ::inet_pton(AF_INET, dottedQuad.toLatin1().constData(), &parsed) != 1
        || (ntohl(parsed.s_addr) >> 24) != 127)
        return false;
    d->address = parsed.s_addr;
    d->host = dottedQuad;
    return true;
}

QString FakeGoogleServer::baseUrl() const
{
    return QStringLiteral("http://%1:%2/").arg(d->host).arg(d->port);
}

void FakeGoogleServer::setHandler(Handler handler)
{
    std::lock_guard<std::mutex> lock(d->mutex);
    d->handler = std::move(handler);
}

QList<FakeRequest> FakeGoogleServer::requests() const
{
    std::lock_guard<std::mutex> lock(d->mutex);
    return d->requests;
}

int FakeGoogleServer::requestCount() const
{
    std::lock_guard<std::mutex> lock(d->mutex);
    return int(d->requests.size());
}

void FakeGoogleServer::clearRequests()
{
    std::lock_guard<std::mutex> lock(d->mutex);
    d->requests.clear();
}

QByteArray googleFixture(const QString &relativePath)
{
    QFile file(QStringLiteral(CAMPAIGN_GOOGLE_FIXTURES "/") + relativePath);
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("googleFixture: cannot read %s: %s", qPrintable(file.fileName()),
                 qPrintable(file.errorString()));
        return {};
    }
    return file.readAll();
}

}  // namespace testing_support
