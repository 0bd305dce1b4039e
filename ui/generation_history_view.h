// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Every stored result of one slot (request × segment), newest first, with thumbnails loaded
// off the GUI thread and each recipe in a tooltip and an inspector line. The buttons below it
// (Regenerate, Variation, Compare, Use this) are the panel's; this view says what is selected.
// Also the side-by-side compare dialog.

#include "app/generate_assets.h"

#include <QDialog>
#include <QHash>
#include <QIcon>
#include <QList>
#include <QWidget>

#include <atomic>
#include <memory>

class QLabel;
class QListWidget;

namespace ui {

// "gemini-image · gemini-3.1-flash-image\nseed 1207 · 2026-11-23 23:50\nsha256 1a2b3c4d5e6f"
QString recipeSummary(const editor::GenerationRecipe &recipe, bool withPrompt = true);
// A small picture of a stored result: the image scaled, a video's first frame, or an icon.
// Blocking (decodes the file); call it off the GUI thread for lists.
QImage mediaThumbnail(const QString &path, editor::AssetKind kind, const QSize &box);

class GenerationHistoryView : public QWidget {
    Q_OBJECT
public:
    explicit GenerationHistoryView(QWidget *parent = nullptr);
    ~GenerationHistoryView() override;

    // `currentPath` marks the result the slot uses now.
    void setEntries(const QList<services::StoredGeneration> &entries, const QString &currentPath);
    const QList<services::StoredGeneration> &entries() const { return m_entries; }
    QList<services::StoredGeneration> selectedEntries() const;
    void selectPath(const QString &path);

signals:
    void selectionChanged();

private:
    void loadThumbnails();
    void updateInspector();

    QListWidget *m_list = nullptr;
    QLabel *m_inspector = nullptr;
    QList<services::StoredGeneration> m_entries;
    QHash<QString, QIcon> m_thumbnails;  // by path: stored files never change (content-addressed)
    quint64 m_serial = 0;
    std::shared_ptr<std::atomic<bool>> m_stopLoading;
};

class CompareDialog : public QDialog {
    Q_OBJECT
public:
    CompareDialog(const services::StoredGeneration &left, const services::StoredGeneration &right,
                  QWidget *parent = nullptr);
    // The recipe fields in which the two differ ("seed", "prompt", ...).
    static QStringList differences(const editor::GenerationRecipe &a, const editor::GenerationRecipe &b);
};

}  // namespace ui
