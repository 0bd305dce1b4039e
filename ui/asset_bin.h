// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Asset bin: the campaign's media as a list with thumbnails and probe data, import by
// dialog or by dropping files and folders, relink of offline media, remove, and a details pane
// (the inspector) that shows a generated asset's provenance.
//
// Only regular files are imported (RELIABILITY.md M12): symbolic links, FIFOs, sockets and
// devices are refused by name, as are empty files (M1) and unsupported extensions — nothing
// dropped is ignored silently. Folders are walked recursively without following links; hidden
// entries inside them are skipped. An import is one Document::edit however many files it
// adds, so one undo takes back one drop.
//
// The bin itself never decodes media: probing and thumbnails come from services::MediaLibrary
// in the background and fill the rows in as they arrive. Whether a file is offline is also
// checked here with a stat on every document change, so a deleted file shows at once.

#include "editor/campaign.h"

#include <QHash>
#include <QPixmap>
#include <QStringList>
#include <QWidget>

#include <optional>

class QAction;
class QLabel;
class QTreeWidget;
class QTreeWidgetItem;

namespace editor {
class Document;
}
namespace services {
class MediaLibrary;
struct MediaFacts;
}  // namespace services

namespace ui {

struct AssetImportReport {
    QStringList importedIds;  // new asset ids, in import order
    QStringList refused;      // "notes.txt: unsupported file type (.txt)"
    QStringList skipped;      // already in the bin: "logo.svg: already in the bin as 'logo'"
    QString summary() const;  // one paragraph for the message line
};

class AssetBin : public QWidget {
    Q_OBJECT
public:
    AssetBin(editor::Document *document, services::MediaLibrary *library,
             QWidget *parent = nullptr);

    QTreeWidget *view() const { return m_view; }

    // For the main window's menus (also on the bin's own toolbar).
    QAction *importAction() const { return m_import; }
    QAction *relinkAction() const { return m_relink; }
    QAction *removeAction() const { return m_remove; }
    QList<QAction *> actions() const { return {m_import, m_relink, m_remove}; }

    // The operations behind the actions and drops, without dialogs; each change is one
    // undoable edit, refusals are shown in the message line (lastMessage()).
    AssetImportReport importPaths(const QStringList &paths);
    // The new file must be a regular, non-empty file of the asset's kind.
    bool relinkAsset(const QString &assetId, const QString &newPath);
    // Refused while anything uses the asset (clips, segment variables, brand logo,
    // generation requests, other assets' recipes); the message names the users.
    bool removeAsset(const QString &assetId);

    // Looks at the files again (a file deleted or restored behind the studio's back); the
    // main window calls it when the application becomes active. Document changes do it too.
    void refresh() { rebuild(); }

    QString currentAssetId() const;
    void setCurrentAsset(const QString &assetId);
    QString lastMessage() const { return m_lastMessage; }
    // The text of the details pane, one "Label: value" per line (tests, copy to clipboard).
    QString detailsText() const;

    // The media kinds the bin imports, by file extension (case-insensitive).
    static std::optional<editor::AssetKind> kindForFile(const QString &path);
    static QStringList supportedSuffixes();

signals:
    void currentAssetChanged(const QString &assetId);
    void message(const QString &text);  // for a status bar, too

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void rebuild();
    void fillRow(QTreeWidgetItem *item, const editor::Asset &asset);
    void factsArrived(const QString &path, const services::MediaFacts &facts);
    void showDetails();
    void updateActions();
    void showMessage(const QString &text, bool problem);
    void promptImport();
    void promptRelink();
    QPixmap thumbnail(const editor::Asset &asset);
    QStringList usersOf(const QString &assetId) const;

    editor::Document *m_doc;
    services::MediaLibrary *m_library;
    QTreeWidget *m_view;
    QLabel *m_messageLabel;
    QString m_lastMessage;
    // The details pane
    QLabel *m_detailTitle;
    QLabel *m_detailBody;
    QLabel *m_provenanceTitle;
    QLabel *m_provenanceBody;
    QAction *m_import, *m_relink, *m_remove;
    QHash<QString, QPixmap> m_thumbnails;  // by thumbnail file path
    QHash<int, QPixmap> m_placeholders;    // by AssetKind
    QList<QPair<QString, QString>> m_details;  // what the details pane shows
};

}  // namespace ui
