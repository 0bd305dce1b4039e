// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace services {

// Lower-case hex SHA-256 of a file, read in chunks (outputs can be hundreds of MB).
// Empty with `error` set when the file cannot be read.
QString sha256OfFile(const QString &path, QString *error = nullptr);

// Writes `bytes` to `path` through QSaveFile: readers see the old file or the complete new one,
// never a torn one. flush() is checked before commit() because Qt 6.4's commit() can report
// success after a short final write. False with `error` set on failure.
bool writeFileAtomically(const QString &path, const QByteArray &bytes, QString *error = nullptr);

}  // namespace services
