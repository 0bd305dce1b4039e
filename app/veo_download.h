// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Fetching a finished Veo video (internal to services). Redirects are followed by hand so the
// credential only goes to the host it belongs to (RELIABILITY G14) and a redirect can never
// downgrade to plain http (G15); the body streams into a file so memory stays bounded (G11),
// and the result is checked to be a real video before anyone sees it (G10).

#include "google_api.h"

#include <QString>

#include <atomic>

namespace services {

struct VeoFetchOutcome {
    FailureKind failure = FailureKind::None;
    QString message;      // user-facing when failure != None
    bool cancelled = false;
    int requests = 0;     // requests actually sent (redirect hops included)
};

// "scheme://host:port" with the scheme's default port filled in; empty when unparsable. Two URLs
// with the same origin may share a credential.
QString veoOriginOf(const QString &url);

// GET `url` into `path` (which exists and is truncated), following up to 5 redirects. The
// auth headers go only to `trustedOrigin`, and are dropped for good after the first hop that
// leaves it. On failure or cancel the file is removed.
VeoFetchOutcome veoFetchToFile(HttpClient &client, const QString &url, const QString &trustedOrigin,
                               const HttpHeaders &authHeaders, const QString &path, qint64 maxBytes,
                               const RetryPolicy &policy, const RetryNoticeFn &onRetry,
                               const std::atomic<bool> *cancel);

// gs://bucket/dir/object.mp4 -> <storageBaseUrl>b/bucket/o/dir%2Fobject.mp4?alt=media; empty
// when `gcsUri` is not a gs:// URI with a bucket and an object.
QString veoGcsMediaUrl(const QString &storageBaseUrl, const QString &gcsUri);

// True when `path` is a video the renderer can open (container + video stream); else `why`.
bool veoIsPlayableVideo(const QString &path, QString *why);

}  // namespace services
