// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Reframe section of the clip inspector: the crop track of a "smart" clip for the cell the
// studio shows (the asset the clip binds to in the current segment, the current format).
//
// Shows the source frame at the playhead with the crop window over it (CropView: drag to
// move, wheel to zoom, aspect kept to the format's), the keys of the track (source time, x, y,
// width), numeric fields for the window at the playhead, "Add key at playhead" (the
// interpolated window), "Delete key" and "Back to automatic".
//
// Which key an edit changes, as for the inspector's other keyframes: the key at the playhead
// when there is one; the only key when the track has one (a still or a static crop: moving
// the picture should not start an animation); otherwise a new key at the playhead.
//
// Every edit makes the track Manual, so the subject analysis never replaces it again
// (services::fillAutoReframe keeps Manual tracks); "Back to automatic" runs the analysis (from
// the on-disk cache when the source was analysed before) off the GUI thread and puts its Auto
// keys back. Each change is one Document::edit(); a drag, a zoom or typing into one field is
// merged into one undo step.
//
// A clip that is not smart shows only "Use smart reframe" (sets its fit to smart, undoable).
// "Analyse all" fills the automatic crops of every smart clip in every cell at once (one undo
// step, Manual crops kept): until then the preview shows the centred crop where export, which
// analyses before rendering, would show the subject.

#include "editor/campaign.h"

#include <QFutureWatcher>
#include <QImage>
#include <QPointer>
#include <QSizeF>
#include <QWidget>

#include <optional>

class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QTreeWidget;

namespace editor {
class Document;
}

namespace ui {

class CropView;

class ReframeEditor : public QWidget {
    Q_OBJECT
public:
    explicit ReframeEditor(editor::Document *document, QWidget *parent = nullptr);
    ~ReframeEditor() override;

    QString clip() const { return m_clipId; }
    // The cell whose crop is shown; empty ids = the campaign's first segment / format.
    QString segmentId() const;
    QString formatId() const;
    // The asset the clip shows in that segment (empty when it cannot be bound).
    QString assetId() const;

    // The controls, for tests and keyboard-driven tools.
    CropView *cropView() const { return m_view; }
    QTreeWidget *keyList() const { return m_keys; }
    QPushButton *addKeyButton() const { return m_addKey; }
    QPushButton *deleteKeyButton() const { return m_deleteKey; }
    QPushButton *automaticButton() const { return m_automatic; }
    // Fills the automatic crop of every smart clip in every cell (Manual crops kept), so the
    // preview shows what export will.
    QPushButton *analyseAllButton() const { return m_analyseAll; }
    QPushButton *useSmartButton() const { return m_useSmart; }
    QDoubleSpinBox *xEditor() const { return m_x; }
    QDoubleSpinBox *yEditor() const { return m_y; }
    QDoubleSpinBox *widthEditor() const { return m_width; }
    QLabel *statusLabel() const { return m_status; }
    bool isAnalysing() const { return m_analysis.isRunning(); }
    // The source's pixel size once its frame has been loaded (empty before).
    QSizeF sourceSize() const { return m_sourceSize; }

public slots:
    void setClip(const QString &clipId);
    void setPlayhead(qint64 frame);  // timeline frames, as TimelineView::playheadMoved
    void setCell(const QString &segmentId, const QString &formatId);

protected:
    void showEvent(QShowEvent *event) override;

private:
    struct Context;
    struct Thumbnail {
        QString path;
        qint64 timeMs = 0;
        QImage image;
        QSizeF sourceSize;
        QString error;
    };
    struct AutoResult {
        QString campaignId, clipId, assetId, formatId;
        std::optional<editor::ReframeSpec> spec;
        QString error;
        // "Analyse all": every smart clip's tracks after the analysis, by clip id.
        bool all = false;
        std::vector<std::pair<QString, std::vector<editor::ReframeSpec>>> clips;
    };

    std::optional<Context> context() const;
    void refresh();
    void requestThumbnail(const QString &path, editor::AssetKind kind, qint64 timeMs);
    void thumbnailDone();
    // The track as the preview uses it: the spec's keys, or the centred cover window.
    std::vector<editor::CropKey> effectiveKeys(const Context &ctx) const;
    double heightPerWidth(const Context &ctx) const;
    // Applies `window` to the key an edit at the playhead changes (see the header comment).
    void editWindow(const QRectF &window, const QString &mergeField);
    void addKeyAtPlayhead();
    void deleteSelectedKey();
    void backToAutomatic();
    void analyseAll();
    void automaticDone();
    void applyAll(const AutoResult &result);
    QString analysisCacheDir() const;
    void useSmartReframe();
    void endGesture();

    QPointer<editor::Document> m_doc;
    QString m_clipId;
    qint64 m_playhead = 0;
    QString m_segmentId, m_formatId;

    QLabel *m_title = nullptr;
    QWidget *m_smartBody = nullptr;
    CropView *m_view = nullptr;
    QTreeWidget *m_keys = nullptr;
    QDoubleSpinBox *m_x = nullptr;
    QDoubleSpinBox *m_y = nullptr;
    QDoubleSpinBox *m_width = nullptr;
    QPushButton *m_addKey = nullptr;
    QPushButton *m_deleteKey = nullptr;
    QPushButton *m_automatic = nullptr;
    QPushButton *m_analyseAll = nullptr;
    QPushButton *m_useSmart = nullptr;
    QLabel *m_status = nullptr;
    bool m_refreshing = false;

    // Source frames load off the GUI thread; one at a time, the newest request wins.
    QFutureWatcher<Thumbnail> m_thumbnail;
    std::optional<std::pair<QString, qint64>> m_shown;    // path, ms of the frame on screen
    std::optional<std::pair<QString, qint64>> m_pending;  // asked for while one was loading
    editor::AssetKind m_pendingKind = editor::AssetKind::Image;
    QString m_sizePath;  // the source m_sourceSize belongs to
    QSizeF m_sourceSize;

    QFutureWatcher<AutoResult> m_analysis;
};

}  // namespace ui
