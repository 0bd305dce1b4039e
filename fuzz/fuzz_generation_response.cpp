// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the parsers of what Google's generation services send back. The bodies
// come over the network (or from a proxy, a captive portal, a misbehaving mirror), so they are
// untrusted. Every input goes through all three parsers: the shapes overlap (an error envelope
// can arrive where an image or an operation was expected), and a seed for one is a useful
// mutation start for the others.
#include "app/gemini_image_provider.h"
#include "app/google_api.h"
#include "app/veo_provider.h"

#include <QByteArray>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));

    // Small media caps, so the "too large" branches are reachable with fuzzer-sized inputs
    // (the production caps are tens of megabytes).
    constexpr qint64 kMaxMediaBytes = 4096;
    (void)services::GeminiImageProvider::parseResponse(body, kMaxMediaBytes);
    (void)services::GeminiImageProvider::parseResponse(body);
    (void)services::VeoProvider::parseOperation(body, kMaxMediaBytes);

    // Each status class takes its own path through the classification; derive it from the
    // size so the body itself stays the unmodified input.
    static constexpr int kStatuses[] = {200, 400, 401, 403, 404, 408, 429, 500, 503, 0};
    const int status = kStatuses[size % (sizeof kStatuses / sizeof kStatuses[0])];
    (void)services::parseGoogleError(status, body);
    return 0;
}
