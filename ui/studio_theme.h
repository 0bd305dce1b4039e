// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The studio's look, in one place for the application and the GUI tests' screenshots.

namespace ui {

// Editors are used in dim rooms next to video: dark Fusion by default, as in every NLE.
// Call after the QApplication exists.
void applyStudioTheme();

}  // namespace ui
