// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the generation-client tests share: back ends pointed at a FakeGoogleServer with sentinel
// credentials (so a test can prove they never leak), a fast retry policy, and small encoded
// images to serve as model output.

#include "fake_google_server.h"

#include "app/google_api.h"

#include <QBuffer>
#include <QColor>
#include <QImage>

namespace testing_support {

inline const QByteArray kSentinelKey = "SENTINEL-KEY-1234";
inline const QByteArray kSentinelToken = "SENTINEL-TOKEN-5678";

// Three attempts, every wait scaled down a hundredfold (2 s backoff -> 20 ms).
inline services::RetryPolicy fastRetryPolicy()
{
    services::RetryPolicy p;
    p.maxAttempts = 3;
    p.timeScale = 0.01;
    return p;
}

inline services::GoogleBackend geminiBackendFor(const FakeGoogleServer &server,
                                                const QByteArray &key = kSentinelKey)
{
    services::GoogleBackend b;
    b.kind = services::GoogleBackendKind::GeminiApi;
    b.baseUrl = server.baseUrl() + QStringLiteral("v1beta/");
    b.apiKey = QString::fromLatin1(key);
    return b;
}

// Project "P", location "L"; Cloud Storage answers on the same server under storage/v1/.
inline services::GoogleBackend vertexBackendFor(const FakeGoogleServer &server,
                                                const QByteArray &token = kSentinelToken)
{
    services::GoogleBackend b;
    b.kind = services::GoogleBackendKind::Vertex;
    b.baseUrl = server.baseUrl() + QStringLiteral("v1/");
    b.accessToken = QString::fromLatin1(token);
    b.project = QStringLiteral("P");
    b.location = QStringLiteral("L");
    b.storageBaseUrl = server.baseUrl() + QStringLiteral("storage/v1/");
    return b;
}

inline QByteArray encodedImage(int width, int height, const QColor &color, const char *format = "PNG")
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(color);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, format);
    return bytes;
}

}  // namespace testing_support
