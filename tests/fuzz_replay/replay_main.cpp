// SPDX-License-Identifier: GPL-3.0-or-later
// Replays fuzz inputs through a fuzz target's LLVMFuzzerTestOneInput without libFuzzer, so a
// normal (gcc, non-fuzz) build and CTest re-check every seed and every crash input that was
// fixed: a regression shows up as a crash, an abort or a sanitizer report in the ASan suite.
// Usage: replay_<target> FILE_OR_FOLDER... (folders are read one level deep, sorted, so the
// order and thus any failure is reproducible). Fails when an argument names nothing to read,
// so a moved corpus folder cannot turn the test into a silent no-op.
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include <cstdint>
#include <algorithm>
#include <cstdio>
#include <memory>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {
bool replayFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s\n", qPrintable(path));
        return false;
    }
    const QByteArray bytes = file.readAll();
    std::fprintf(stderr, "replay %s (%lld bytes)\n", qPrintable(path), static_cast<long long>(bytes.size()));
    // A copy in its own allocation of exactly the input's size, as libFuzzer passes it, so
    // ASan sees a read one byte past the end.
    std::unique_ptr<uint8_t[]> exact(new uint8_t[size_t(bytes.size())]);
    std::copy(bytes.cbegin(), bytes.cend(), exact.get());
    LLVMFuzzerTestOneInput(exact.get(), size_t(bytes.size()));
    return true;
}
}  // namespace

int main(int argc, char **argv)
{
    int replayed = 0;
    for (int i = 1; i < argc; ++i) {
        const QString arg = QFile::decodeName(argv[i]);
        const QFileInfo info(arg);
        if (info.isDir()) {
            const QStringList names = QDir(arg).entryList(QDir::Files | QDir::Hidden, QDir::Name);
            for (const QString &name : names) {
                if (name == QLatin1String("README.md") || name == QLatin1String(".gitkeep"))
                    continue;
                if (!replayFile(QDir(arg).filePath(name)))
                    return 1;
                ++replayed;
            }
        } else if (info.isFile()) {
            if (!replayFile(arg))
                return 1;
            ++replayed;
        } else {
            std::fprintf(stderr, "no such file or folder: %s\n", argv[i]);
            return 1;
        }
    }
    if (replayed == 0) {
        std::fprintf(stderr, "nothing to replay\n");
        return 1;
    }
    std::printf("replayed %d inputs without a crash\n", replayed);
    return 0;
}
