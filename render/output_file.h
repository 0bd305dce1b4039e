// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The "never leave a half-written file under the real name" protocol of every export: write
// to a uniquely named "<name>.partial-XXXXXX" in the destination folder (same filesystem, so
// the final rename is atomic), fsync it, rename(2) it over the final name, fsync the folder.
// Until the rename an earlier file under the final name is untouched.

#include "renderer.h"

#include <QString>

namespace render {

// Creates the destination folder if needed and a new empty partial file beside `finalPath`.
// CannotCreate (naming the folder) when the folder or the file cannot be created.
bool createPartialFile(const QString &finalPath, QString *partialPath, RenderError *error);

// fsync, rename over `finalPath`, fsync the folder. IoError on failure (partial left for the
// caller to remove).
bool commitPartialFile(const QString &partialPath, const QString &finalPath, RenderError *error);

// Best-effort unlink; safe on an empty path.
void removePartialFile(const QString &partialPath);

// An IoError for a failed write to `path` with the system error text, plus the free space of
// its disk when the error was "no space left".
RenderError writeFailure(const QString &path, int errnoValue, const QString &detail);

}  // namespace render
