// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The generation panel (docked in the main window): the campaign's generation requests, an
// editor for the selected one (prompt template with an "Insert variable" menu, provider,
// model, aspect, duration, seed, negative prompt), "Generate for all segments" / "Generate
// missing", the job queue, and the history of one slot (request × segment) with Regenerate,
// Variation, Compare and "Use this".
//
// The panel never owns the document: it shows a copy and asks the main window for every
// change through signals (requestEdited, generateRequested, useResultRequested); the window
// applies them, marks the project modified and hands the new campaign back with setCampaign().

#include "app/generate_assets.h"
#include "editor/campaign.h"

#include <QString>
#include <QWidget>

#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace ui {

class GenerationController;
class GenerationHistoryView;
class GenerationQueueView;

class GenerationPanel : public QWidget {
    Q_OBJECT
public:
    explicit GenerationPanel(GenerationController *controller, QWidget *parent = nullptr);

    // Shows `campaign` (a copy); keeps the selected request and segment when they still exist.
    void setCampaign(const editor::Campaign &campaign, const QString &projectDir);
    void clearCampaign();

    QString currentRequestId() const;
    // The selected segment's id, or "" for a request that is not per segment.
    QString currentSegmentKey() const;
    // The asset of the selected slot ("hero-us-parents", "product").
    QString currentAssetId() const;
    void selectRequest(const QString &requestId);
    // Why the network providers cannot run (GoogleBackend::problem()); empty when they can.
    // Shown beside the provider when the request uses one, before anything is queued.
    void setBackendProblem(const QString &problem);
    void selectSegment(const QString &segmentId);

    GenerationQueueView *queueView() const { return m_queue; }
    GenerationHistoryView *historyView() const { return m_history; }

    // The asset a request produces for a segment key.
    static QString assetIdFor(const editor::GenerationRequest &request, const QString &segmentKey);

public slots:
    void refreshHistory();
    // Shows the "still pending at Google" banner when the project's asset store remembers
    // submitted Veo operations (a restart, a crash, a deadline); hidden otherwise.
    void refreshPendingOperations();
    void generateForAllSegments();
    void generateMissing();
    void regenerate();
    void variation();
    void compareSelected();
    void useSelected();

signals:
    void requestEdited(const editor::GenerationRequest &request);
    // Start a run; `unpin` lists assets whose "use this" choice the run replaces.
    void generateRequested(const services::GenerationOptions &options, const QStringList &unpin);
    void useResultRequested(const QString &assetId, const QString &path,
                            const editor::GenerationRecipe &recipe);
    void settingsRequested();

private:
    void buildUi();
    const editor::GenerationRequest *currentRequest() const;
    void populateRequests();
    void populateSegments();
    void loadEditor();
    void applyEditor();
    void rebuildVariableMenu();
    void updateAspectLabel();
    void updateButtons();
    void emitGenerate(const QStringList &assetIds, bool forceNew, const QStringList &unpin);

    GenerationController *m_controller;
    std::optional<editor::Campaign> m_campaign;
    QString m_projectDir;
    bool m_loading = false;  // fields are being filled from the model: not an edit

    QListWidget *m_requestList = nullptr;
    QPlainTextEdit *m_promptEdit = nullptr;
    QToolButton *m_insertVariable = nullptr;
    QComboBox *m_providerCombo = nullptr;
    QLineEdit *m_modelEdit = nullptr;
    QComboBox *m_aspectCombo = nullptr;
    QLabel *m_sizeLabel = nullptr;
    QLabel *m_providerWarning = nullptr;
    QWidget *m_pendingBanner = nullptr;   // Veo operations submitted before a restart
    QLabel *m_pendingLabel = nullptr;
    QString m_backendProblem;
    QSpinBox *m_durationSpin = nullptr;
    QDoubleSpinBox *m_seedSpin = nullptr;
    QLineEdit *m_negativeEdit = nullptr;
    QPushButton *m_generateAll = nullptr;
    QPushButton *m_generateMissing = nullptr;
    QComboBox *m_segmentCombo = nullptr;
    QLabel *m_slotLabel = nullptr;
    GenerationQueueView *m_queue = nullptr;
    GenerationHistoryView *m_history = nullptr;
    QPushButton *m_regenerate = nullptr;
    QPushButton *m_variation = nullptr;
    QPushButton *m_compare = nullptr;
    QPushButton *m_useThis = nullptr;
};

}  // namespace ui
