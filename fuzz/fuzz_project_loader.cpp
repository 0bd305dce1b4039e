// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the .campaign loader (editor::parseCampaign) on arbitrary bytes.
// A project file comes from the user's disk, a download or a colleague's mail, so every byte
// of it is untrusted input. Beyond "does not crash", a file the loader accepts must survive a
// save and load again: otherwise saving a project that opened fine could produce one that does
// not open, which is data loss. That round trip is checked here and aborts when it fails, so
// libFuzzer keeps the input.
#include "editor/project_io.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // A folder that does not exist: relative media paths are anchored there and never found,
    // so the loader's path handling runs without the fuzzer touching real files.
    const QString projectDir = QStringLiteral("/nonexistent-campaign-fuzz/project");
    const QByteArray json = QByteArray::fromRawData(reinterpret_cast<const char *>(data),
                                                    qsizetype(size));
    const editor::LoadResult first = editor::parseCampaign(json, projectDir);
    if (first.status != editor::LoadResult::Status::Ok || !first.campaign)
        return 0;

    const QByteArray saved = editor::serializeCampaign(*first.campaign, projectDir);
    const editor::LoadResult second = editor::parseCampaign(saved, projectDir);
    if (second.status != editor::LoadResult::Status::Ok) {
        std::fprintf(stderr, "round trip failed: the saved project does not load again: %s\n",
                     qPrintable(second.message));
        for (const editor::LoadIssue &issue : second.issues)
            std::fprintf(stderr, "  %s\n", qPrintable(issue.toString()));
        std::fprintf(stderr, "saved text:\n%s\n", saved.constData());
        std::abort();
    }
    return 0;
}
