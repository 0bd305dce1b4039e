// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace services {

// Lower-case hex SHA-256 of a file, read in chunks (outputs can be hundreds of MB).
// Empty with `error` set when the file cannot be read.
QString sha256OfFile(const QString &path, QString *error = nullptr);

}  // namespace services
