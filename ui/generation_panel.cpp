// SPDX-License-Identifier: GPL-3.0-or-later
#include "generation_panel.h"

#include "generation_controller.h"
#include "generation_history_view.h"
#include "generation_queue_view.h"

#include "app/asset_store.h"
#include "app/gemini_image_provider.h"
#include "app/offline_generator.h"
#include "app/veo_provider.h"
#include "editor/generation_plan.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSet>
#include <QSpinBox>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace ui {

namespace {
// Seeds stay below 2^53 so they survive JSON (and a QDoubleSpinBox) exactly.
constexpr qint64 kMaxSeed = (qint64(1) << 53) - 1;
constexpr int kDefaultLongSide = 1024;

const QStringList &aspectChoices()
{
    static const QStringList choices{QStringLiteral("1:1"), QStringLiteral("16:9"), QStringLiteral("9:16"),
                                     QStringLiteral("4:5"), QStringLiteral("5:4"), QStringLiteral("4:3"),
                                     QStringLiteral("3:4"), QStringLiteral("3:2"), QStringLiteral("2:3"),
                                     QStringLiteral("21:9")};
    return choices;
}

bool parseAspect(const QString &text, int *a, int *b)
{
    const QStringList parts = text.split(QLatin1Char(':'));
    if (parts.size() != 2)
        return false;
    bool okA = false, okB = false;
    *a = parts[0].toInt(&okA);
    *b = parts[1].toInt(&okB);
    return okA && okB && *a > 0 && *b > 0;
}

QString kindLabel(editor::AssetKind kind)
{
    switch (kind) {
    case editor::AssetKind::Image: return QObject::tr("image");
    case editor::AssetKind::Video: return QObject::tr("video");
    case editor::AssetKind::Audio: return QObject::tr("audio");
    }
    return {};
}
}  // namespace

GenerationPanel::GenerationPanel(GenerationController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
{
    setObjectName(QStringLiteral("generationPanel"));
    buildUi();
    connect(m_controller, &GenerationController::runStarted, this, [this]() {
        m_queue->clear();
        m_queue->setRunning(true);
        m_pendingBanner->hide();  // the run resumes them; finished() looks again
        updateButtons();
    });
    connect(m_controller, &GenerationController::jobChanged, this,
            [this](const services::GenerationJobEvent &event) {
                m_queue->applyEvent(event);
                // A new result of the slot on show appears in its history at once.
                if ((event.state == services::JobState::Done || event.state == services::JobState::Reused)
                    && event.requestId == currentRequestId())
                    refreshHistory();
            });
    connect(m_controller, &GenerationController::finished, this, [this]() {
        m_queue->setRunning(false);
        updateButtons();
        refreshHistory();
        refreshPendingOperations();
    });
    connect(m_queue, &GenerationQueueView::cancelRequested, m_controller, &GenerationController::cancelAsset);
    connect(m_queue, &GenerationQueueView::cancelAllRequested, m_controller, &GenerationController::cancel);
    updateButtons();
}

void GenerationPanel::buildUi()
{
    auto *root = new QVBoxLayout(this);
    root->setContentsMargins(4, 4, 4, 4);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("generationSplitter"));
    splitter->setChildrenCollapsible(false);
    root->addWidget(splitter);

    // --- requests and the editor of the selected one
    auto *top = new QWidget(splitter);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    auto *header = new QHBoxLayout;
    header->addWidget(new QLabel(tr("Generation requests"), top), 1);
    auto *settings = new QToolButton(top);
    settings->setObjectName(QStringLiteral("generationSettingsButton"));
    settings->setText(tr("Settings…"));
    settings->setToolTip(tr("Back end, project and API key for Gemini and Veo"));
    connect(settings, &QToolButton::clicked, this, &GenerationPanel::settingsRequested);
    header->addWidget(settings);
    topLayout->addLayout(header);

    // A submitted Veo operation may already be billed: after a restart the user is offered to
    // resume polling it, which never submits again.
    m_pendingBanner = new QWidget(top);
    m_pendingBanner->setObjectName(QStringLiteral("pendingOperationsBanner"));
    auto *pendingRow = new QHBoxLayout(m_pendingBanner);
    pendingRow->setContentsMargins(0, 0, 0, 0);
    m_pendingLabel = new QLabel(m_pendingBanner);
    m_pendingLabel->setObjectName(QStringLiteral("pendingOperationsLabel"));
    m_pendingLabel->setWordWrap(true);
    m_pendingLabel->setStyleSheet(QStringLiteral("color: #f0b060;"));
    auto *resume = new QPushButton(tr("Resume"), m_pendingBanner);
    resume->setObjectName(QStringLiteral("resumePendingButton"));
    resume->setToolTip(tr("Poll the pending operations and fetch their clips; nothing is submitted again"));
    connect(resume, &QPushButton::clicked, this, &GenerationPanel::generateMissing);
    pendingRow->addWidget(m_pendingLabel, 1);
    pendingRow->addWidget(resume);
    m_pendingBanner->hide();
    topLayout->addWidget(m_pendingBanner);

    m_requestList = new QListWidget(top);
    m_requestList->setObjectName(QStringLiteral("requestList"));
    m_requestList->setMaximumHeight(m_requestList->fontMetrics().lineSpacing() * 4 + 8);
    topLayout->addWidget(m_requestList);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto *promptRow = new QVBoxLayout;
    m_promptEdit = new QPlainTextEdit(top);
    m_promptEdit->setObjectName(QStringLiteral("promptTemplateEdit"));
    m_promptEdit->setPlaceholderText(tr("Describe the picture; {{segment.tone}} and {{headline}} are filled in per segment"));
    m_promptEdit->setTabChangesFocus(true);
    m_promptEdit->setMaximumHeight(m_promptEdit->fontMetrics().lineSpacing() * 4 + 8);
    promptRow->addWidget(m_promptEdit);
    m_insertVariable = new QToolButton(top);
    m_insertVariable->setObjectName(QStringLiteral("insertVariableButton"));
    m_insertVariable->setText(tr("Insert variable"));
    m_insertVariable->setPopupMode(QToolButton::InstantPopup);
    m_insertVariable->setMenu(new QMenu(m_insertVariable));
    m_insertVariable->menu()->setObjectName(QStringLiteral("insertVariableMenu"));
    promptRow->addWidget(m_insertVariable, 0, Qt::AlignLeft);
    form->addRow(tr("Prompt:"), promptRow);

    m_negativeEdit = new QLineEdit(top);
    m_negativeEdit->setObjectName(QStringLiteral("negativePromptEdit"));
    m_negativeEdit->setPlaceholderText(tr("what to avoid (optional)"));
    form->addRow(tr("Avoid:"), m_negativeEdit);

    auto *providerRow = new QHBoxLayout;
    m_providerCombo = new QComboBox(top);
    m_providerCombo->setObjectName(QStringLiteral("providerCombo"));
    m_providerCombo->addItem(tr("Offline (free, no network)"), services::OfflineGenerator::providerId());
    m_providerCombo->addItem(tr("Gemini image"), services::GeminiImageProvider::providerId());
    m_providerCombo->addItem(tr("Veo video"), services::VeoProvider::providerId());
    m_modelEdit = new QLineEdit(top);
    m_modelEdit->setObjectName(QStringLiteral("modelEdit"));
    m_modelEdit->setToolTip(tr("Model id; empty uses the provider's default shown in grey"));
    providerRow->addWidget(m_providerCombo);
    providerRow->addWidget(m_modelEdit, 1);
    form->addRow(tr("Provider:"), providerRow);
    m_providerWarning = new QLabel(top);
    m_providerWarning->setObjectName(QStringLiteral("providerWarning"));
    m_providerWarning->setWordWrap(true);
    m_providerWarning->setStyleSheet(QStringLiteral("color: #f0b060;"));
    m_providerWarning->hide();
    form->addRow(QString(), m_providerWarning);

    auto *shapeRow = new QHBoxLayout;
    m_aspectCombo = new QComboBox(top);
    m_aspectCombo->setObjectName(QStringLiteral("aspectCombo"));
    for (const QString &aspect : aspectChoices())
        m_aspectCombo->addItem(aspect, aspect);
    m_sizeLabel = new QLabel(top);
    m_sizeLabel->setObjectName(QStringLiteral("sizeLabel"));
    m_durationSpin = new QSpinBox(top);
    m_durationSpin->setObjectName(QStringLiteral("durationSpin"));
    m_durationSpin->setRange(1, 60);
    m_durationSpin->setSuffix(tr(" s"));
    m_durationSpin->setToolTip(tr("Clip length (video and audio). Veo makes 4, 6 or 8 s."));
    shapeRow->addWidget(m_aspectCombo);
    shapeRow->addWidget(m_sizeLabel, 1);
    shapeRow->addWidget(new QLabel(tr("Length:"), top));
    shapeRow->addWidget(m_durationSpin);
    form->addRow(tr("Aspect:"), shapeRow);

    m_seedSpin = new QDoubleSpinBox(top);
    m_seedSpin->setObjectName(QStringLiteral("seedSpin"));
    m_seedSpin->setDecimals(0);
    m_seedSpin->setRange(0, double(kMaxSeed));
    m_seedSpin->setToolTip(tr("Base seed; each segment derives its own from it unless a "
                              "variation set one"));
    form->addRow(tr("Seed:"), m_seedSpin);
    topLayout->addLayout(form);

    auto *generateRow = new QHBoxLayout;
    m_generateAll = new QPushButton(tr("Generate for all segments"), top);
    m_generateAll->setObjectName(QStringLiteral("generateAllSegmentsButton"));
    m_generateAll->setToolTip(tr("Make this request's asset for every segment (stored results "
                                 "with the same recipe are reused)"));
    m_generateMissing = new QPushButton(tr("Generate missing"), top);
    m_generateMissing->setObjectName(QStringLiteral("generateMissingButton"));
    m_generateMissing->setToolTip(tr("Every asset of the campaign that has no file yet"));
    generateRow->addWidget(m_generateAll);
    generateRow->addWidget(m_generateMissing);
    topLayout->addLayout(generateRow);

    // --- the queue of the current run
    m_queue = new GenerationQueueView(splitter);

    // --- one slot's history
    auto *bottom = new QWidget(splitter);
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    auto *slotRow = new QHBoxLayout;
    slotRow->addWidget(new QLabel(tr("History for"), bottom));
    m_segmentCombo = new QComboBox(bottom);
    m_segmentCombo->setObjectName(QStringLiteral("historySegmentCombo"));
    slotRow->addWidget(m_segmentCombo, 1);
    bottomLayout->addLayout(slotRow);
    m_slotLabel = new QLabel(bottom);
    m_slotLabel->setObjectName(QStringLiteral("slotLabel"));
    m_slotLabel->setWordWrap(true);
    bottomLayout->addWidget(m_slotLabel);
    m_history = new GenerationHistoryView(bottom);
    bottomLayout->addWidget(m_history, 1);
    auto *historyButtons = new QHBoxLayout;
    m_regenerate = new QPushButton(tr("Regenerate"), bottom);
    m_regenerate->setObjectName(QStringLiteral("regenerateButton"));
    m_regenerate->setToolTip(tr("Ask again with the same recipe and seed; earlier results stay in the history"));
    m_variation = new QPushButton(tr("Variation"), bottom);
    m_variation->setObjectName(QStringLiteral("variationButton"));
    m_variation->setToolTip(tr("A new random seed for this segment, then generate"));
    m_compare = new QPushButton(tr("Compare"), bottom);
    m_compare->setObjectName(QStringLiteral("compareButton"));
    m_compare->setToolTip(tr("Two selected results side by side with their recipes"));
    m_useThis = new QPushButton(tr("Use this"), bottom);
    m_useThis->setObjectName(QStringLiteral("useThisButton"));
    m_useThis->setToolTip(tr("Bind the selected result to this segment's slot and keep it "
                             "when the request is planned again"));
    for (QPushButton *b : {m_regenerate, m_variation, m_compare, m_useThis})
        historyButtons->addWidget(b);
    bottomLayout->addLayout(historyButtons);

    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 2);
    // The editor at its natural height; the queue gets room for a handful of rows, the
    // history (thumbnails) the rest.
    splitter->setSizes({top->sizeHint().height(), 170, 360});
    setMinimumWidth(460);

    connect(m_requestList, &QListWidget::currentRowChanged, this, [this]() {
        loadEditor();
        populateSegments();
        refreshHistory();
    });
    connect(m_segmentCombo, &QComboBox::currentIndexChanged, this, &GenerationPanel::refreshHistory);
    connect(m_promptEdit, &QPlainTextEdit::textChanged, this, &GenerationPanel::applyEditor);
    connect(m_negativeEdit, &QLineEdit::textChanged, this, &GenerationPanel::applyEditor);
    connect(m_modelEdit, &QLineEdit::textChanged, this, &GenerationPanel::applyEditor);
    connect(m_providerCombo, &QComboBox::currentIndexChanged, this, &GenerationPanel::applyEditor);
    connect(m_aspectCombo, &QComboBox::currentIndexChanged, this, &GenerationPanel::applyEditor);
    connect(m_durationSpin, &QSpinBox::valueChanged, this, &GenerationPanel::applyEditor);
    connect(m_seedSpin, &QDoubleSpinBox::valueChanged, this, &GenerationPanel::applyEditor);
    connect(m_generateAll, &QPushButton::clicked, this, &GenerationPanel::generateForAllSegments);
    connect(m_generateMissing, &QPushButton::clicked, this, &GenerationPanel::generateMissing);
    connect(m_regenerate, &QPushButton::clicked, this, &GenerationPanel::regenerate);
    connect(m_variation, &QPushButton::clicked, this, &GenerationPanel::variation);
    connect(m_compare, &QPushButton::clicked, this, &GenerationPanel::compareSelected);
    connect(m_useThis, &QPushButton::clicked, this, &GenerationPanel::useSelected);
    connect(m_history, &GenerationHistoryView::selectionChanged, this, &GenerationPanel::updateButtons);
}

QString GenerationPanel::assetIdFor(const editor::GenerationRequest &request, const QString &segmentKey)
{
    return request.perSegment ? request.id + QLatin1Char('-') + segmentKey : request.id;
}

void GenerationPanel::setCampaign(const editor::Campaign &campaign, const QString &projectDir)
{
    const QString request = currentRequestId();
    const QString segment = currentSegmentKey();
    const bool sameProject = m_campaign && m_campaign->id == campaign.id && m_projectDir == projectDir;
    m_campaign = campaign;
    m_projectDir = projectDir;
    populateRequests();
    if (sameProject) {
        selectRequest(request);
        selectSegment(segment);
    }
    loadEditor();
    rebuildVariableMenu();
    refreshHistory();
    // setCampaign follows every edit; the pending folder only changes with a run (finished()
    // looks again), so it is read when a project is opened, not after each keystroke.
    if (!sameProject)
        refreshPendingOperations();
}

void GenerationPanel::refreshPendingOperations()
{
    const QList<QJsonObject> pending = m_campaign && !m_projectDir.isEmpty()
        ? services::AssetStore(m_projectDir).pendingOperations()
        : QList<QJsonObject>();
    if (pending.isEmpty() || m_controller->isRunning()) {
        m_pendingBanner->hide();
        return;
    }
    QStringList names;
    for (const QJsonObject &op : pending)
        names << op.value(QStringLiteral("name")).toString().section(QLatin1Char('/'), -1);
    // Both sentences spelt out: with no translation loaded, tr()'s %n plural gives "(s)".
    const QString text = pending.size() == 1
        ? tr("1 video generation submitted earlier is still pending at Google (%1). Resume polls "
             "it and fetches the clip; nothing is submitted or billed again.")
        : tr("%1 video generations submitted earlier are still pending at Google (%2). Resume "
             "polls them and fetches the clips; nothing is submitted or billed again.")
              .arg(pending.size());
    m_pendingLabel->setText(text.arg(names.join(QStringLiteral(", "))));
    m_pendingBanner->show();
}

void GenerationPanel::clearCampaign()
{
    m_campaign.reset();
    m_pendingBanner->hide();
    m_projectDir.clear();
    populateRequests();
    loadEditor();
    refreshHistory();
}

void GenerationPanel::populateRequests()
{
    const QSignalBlocker block(m_requestList);
    const QString keep = currentRequestId();
    m_requestList->clear();
    if (!m_campaign)
        return;
    for (const auto &request : m_campaign->generationRequests) {
        const QString text = tr("%1  ·  %2, %3").arg(request.id, kindLabel(request.kind),
                                                      request.perSegment ? tr("per segment") : tr("shared"));
        auto *item = new QListWidgetItem(text, m_requestList);
        item->setData(Qt::UserRole, request.id);
        item->setToolTip(request.promptTemplate);
    }
    m_requestList->setCurrentRow(m_requestList->count() ? 0 : -1);
    for (int row = 0; row < m_requestList->count(); ++row)
        if (m_requestList->item(row)->data(Qt::UserRole).toString() == keep)
            m_requestList->setCurrentRow(row);
    populateSegments();
}

void GenerationPanel::populateSegments()
{
    const QSignalBlocker block(m_segmentCombo);
    const QString keep = currentSegmentKey();
    m_segmentCombo->clear();
    const editor::GenerationRequest *request = currentRequest();
    if (!request || !m_campaign)
        return;
    if (!request->perSegment) {
        m_segmentCombo->addItem(tr("all segments (one shared asset)"), QString());
    } else {
        for (const auto &segment : m_campaign->segments)
            m_segmentCombo->addItem(segment.name, segment.id);
    }
    const int index = m_segmentCombo->findData(keep);
    m_segmentCombo->setCurrentIndex(index >= 0 ? index : 0);
}

QString GenerationPanel::currentRequestId() const
{
    const QListWidgetItem *item = m_requestList->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

QString GenerationPanel::currentSegmentKey() const
{
    return m_segmentCombo->currentData().toString();
}

QString GenerationPanel::currentAssetId() const
{
    const editor::GenerationRequest *request = currentRequest();
    return request && m_segmentCombo->currentIndex() >= 0 ? assetIdFor(*request, currentSegmentKey())
                                                          : QString();
}

const editor::GenerationRequest *GenerationPanel::currentRequest() const
{
    if (!m_campaign)
        return nullptr;
    const QString id = currentRequestId();
    for (const auto &request : m_campaign->generationRequests)
        if (request.id == id)
            return &request;
    return nullptr;
}

void GenerationPanel::selectRequest(const QString &requestId)
{
    for (int row = 0; row < m_requestList->count(); ++row)
        if (m_requestList->item(row)->data(Qt::UserRole).toString() == requestId)
            m_requestList->setCurrentRow(row);
}

void GenerationPanel::selectSegment(const QString &segmentId)
{
    const int index = m_segmentCombo->findData(segmentId);
    if (index >= 0)
        m_segmentCombo->setCurrentIndex(index);
}

void GenerationPanel::loadEditor()
{
    m_loading = true;
    const editor::GenerationRequest *request = currentRequest();
    for (QWidget *w : std::initializer_list<QWidget *>{m_promptEdit, m_negativeEdit, m_providerCombo, m_modelEdit,
                                                       m_aspectCombo, m_seedSpin, m_insertVariable})
        w->setEnabled(request != nullptr);
    if (!request) {
        m_promptEdit->clear();
        m_negativeEdit->clear();
        m_modelEdit->clear();
        m_durationSpin->setEnabled(false);
        m_providerWarning->hide();
        m_loading = false;
        updateButtons();
        return;
    }
    // Typing must not lose the cursor: only touch fields whose value differs.
    if (m_promptEdit->toPlainText() != request->promptTemplate)
        m_promptEdit->setPlainText(request->promptTemplate);
    if (m_negativeEdit->text() != request->negativePrompt)
        m_negativeEdit->setText(request->negativePrompt);
    int provider = m_providerCombo->findData(request->provider);
    if (provider < 0) {
        m_providerCombo->addItem(request->provider, request->provider);  // unknown: keep it visible
        provider = m_providerCombo->count() - 1;
    }
    m_providerCombo->setCurrentIndex(provider);
    if (m_modelEdit->text() != request->model)
        m_modelEdit->setText(request->model);
    const QString providerId = request->provider;
    const auto kind = m_controller->backend() ? m_controller->backend()->kind : services::GoogleBackendKind::GeminiApi;
    m_modelEdit->setPlaceholderText(providerId == services::GeminiImageProvider::providerId()
                                        ? services::GeminiImageProvider::defaultModel()
                                    : providerId == services::VeoProvider::providerId()
                                        ? services::VeoProvider::defaultModel(kind)
                                        : QStringLiteral("offline-v1"));
    // The aspect nearest to width:height; a size that matches none shows as "custom".
    int best = -1;
    if (request->width > 0 && request->height > 0) {
        const double ratio = double(request->width) / request->height;
        for (int i = 0; i < m_aspectCombo->count(); ++i) {
            int a = 0, b = 0;
            if (parseAspect(m_aspectCombo->itemData(i).toString(), &a, &b) && std::abs(double(a) / b - ratio) < 0.01)
                best = i;
        }
    }
    m_aspectCombo->setCurrentIndex(best >= 0 ? best : 0);
    updateAspectLabel();
    const bool timed = request->kind != editor::AssetKind::Image;
    m_durationSpin->setEnabled(timed);
    m_aspectCombo->setEnabled(request->kind != editor::AssetKind::Audio);
    m_durationSpin->setValue(std::clamp(int(std::lround(request->duration.toDouble())), 1, 60));
    const bool network = providerId != services::OfflineGenerator::providerId();
    m_providerWarning->setVisible(network && !m_backendProblem.isEmpty());
    m_providerWarning->setText(tr("Not set up yet: %1 Use Settings… above.").arg(m_backendProblem));
    m_seedSpin->setValue(double(std::clamp<qint64>(request->seed, 0, kMaxSeed)));
    m_loading = false;
    updateButtons();
}

void GenerationPanel::setBackendProblem(const QString &problem)
{
    m_backendProblem = problem;
    loadEditor();
}

void GenerationPanel::updateAspectLabel()
{
    const editor::GenerationRequest *request = currentRequest();
    m_sizeLabel->setText(request && request->width > 0
                             ? tr("%1 × %2 px").arg(request->width).arg(request->height)
                             : QString());
}

void GenerationPanel::applyEditor()
{
    if (m_loading || !currentRequest())
        return;
    editor::GenerationRequest request = *currentRequest();
    request.promptTemplate = m_promptEdit->toPlainText();
    request.negativePrompt = m_negativeEdit->text();
    request.provider = m_providerCombo->currentData().toString();
    request.model = m_modelEdit->text().trimmed();
    if (request.kind != editor::AssetKind::Audio) {
        // Keep the long side, change the shape; even sizes suit every video encoder.
        int a = 0, b = 0;
        if (parseAspect(m_aspectCombo->currentData().toString(), &a, &b)) {
            const int longSide = std::max({request.width, request.height, 0}) > 0
                ? std::max(request.width, request.height) : kDefaultLongSide;
            const bool landscape = a >= b;
            const int shortSide = int(std::lround(double(longSide) * std::min(a, b) / std::max(a, b))) & ~1;
            const int width = landscape ? longSide : shortSide;
            const int height = landscape ? shortSide : longSide;
            const double current = request.height > 0 ? double(request.width) / request.height : 0;
            // Only a real change of aspect resizes; an unchanged one keeps odd legacy sizes.
            if (std::abs(current - double(a) / b) >= 0.01) {
                request.width = width;
                request.height = height;
            }
        }
    }
    if (request.kind != editor::AssetKind::Image)
        request.duration = editor::Rational(m_durationSpin->value(), 1);
    request.seed = qint64(m_seedSpin->value());
    if (request == *currentRequest())
        return;
    for (auto &r : m_campaign->generationRequests)
        if (r.id == request.id)
            r = request;
    updateAspectLabel();
    loadEditor();  // placeholders and enabled states follow the provider
    emit requestEdited(request);
}

void GenerationPanel::rebuildVariableMenu()
{
    QMenu *menu = m_insertVariable->menu();
    menu->clear();
    if (!m_campaign)
        return;
    const auto insert = [this](const QString &slot) {
        m_promptEdit->textCursor().insertText(slot);
        m_promptEdit->setFocus();
    };
    menu->addSection(tr("Segment attributes"));
    for (const char *attribute : {"name", "locale", "region", "ageBand", "interests", "tone"}) {
        const QString slot = QStringLiteral("{{segment.%1}}").arg(QLatin1String(attribute));
        menu->addAction(slot, this, [insert, slot]() { insert(slot); });
    }
    QStringList variables;
    for (const auto &segment : m_campaign->segments)
        for (auto it = segment.variables.cbegin(); it != segment.variables.cend(); ++it)
            if (!variables.contains(it.key()))
                variables << it.key();
    variables.sort();
    if (!variables.isEmpty())
        menu->addSection(tr("Segment variables"));
    for (const QString &name : std::as_const(variables)) {
        const QString slot = QStringLiteral("{{%1}}").arg(name);
        QAction *action = menu->addAction(slot, this, [insert, slot]() { insert(slot); });
        // Show an example value so "palette" vs "headline" is obvious at a glance.
        if (!m_campaign->segments.empty())
            action->setToolTip(m_campaign->segments.front().variables.value(name));
    }
}

void GenerationPanel::refreshHistory()
{
    const editor::GenerationRequest *request = currentRequest();
    if (!request || m_projectDir.isEmpty() || m_segmentCombo->currentIndex() < 0) {
        m_history->setEntries({}, QString());
        m_slotLabel->clear();
        updateButtons();
        return;
    }
    const QString segment = currentSegmentKey();
    const QString assetId = assetIdFor(*request, segment);
    const editor::Asset *asset = m_campaign->asset(assetId);
    const qint64 seed = request->segmentSeeds.contains(segment) ? request->segmentSeeds.value(segment)
                        : request->perSegment ? editor::segmentSeed(request->seed, segment)
                                              : request->seed;
    QString slot = tr("Asset %1 · seed %2").arg(assetId).arg(seed);
    if (request->segmentSeeds.contains(segment))
        slot += tr(" (variation)");
    if (asset && asset->pinned)
        slot += tr(" · chosen result pinned");
    m_slotLabel->setText(slot);
    m_history->setEntries(services::storedGenerations(m_projectDir, request->id, segment),
                          asset ? asset->path : QString());
    updateButtons();
}

void GenerationPanel::updateButtons()
{
    const bool running = m_controller->isRunning();
    const bool haveSlot = currentRequest() && m_segmentCombo->currentIndex() >= 0;
    const int selected = int(m_history->selectedEntries().size());
    m_generateAll->setEnabled(!running && currentRequest());
    m_generateMissing->setEnabled(!running && m_campaign.has_value());
    m_regenerate->setEnabled(!running && haveSlot);
    m_variation->setEnabled(!running && haveSlot);
    m_compare->setEnabled(selected == 2);
    m_useThis->setEnabled(haveSlot && selected == 1);
}

void GenerationPanel::emitGenerate(const QStringList &assetIds, bool forceNew, const QStringList &unpin)
{
    services::GenerationOptions options;
    options.assetIds = assetIds;
    options.forceNew = forceNew;
    emit generateRequested(options, unpin);
}

void GenerationPanel::generateForAllSegments()
{
    const editor::GenerationRequest *request = currentRequest();
    if (!request || m_controller->isRunning())
        return;
    QStringList assets;
    if (request->perSegment) {
        for (const auto &segment : m_campaign->segments)
            assets << assetIdFor(*request, segment.id);
    } else {
        assets << request->id;
    }
    emitGenerate(assets, false, {});
}

void GenerationPanel::generateMissing()
{
    if (!m_campaign || m_controller->isRunning())
        return;
    emitGenerate({}, false, {});
}

void GenerationPanel::regenerate()
{
    // The slot's recipe as the request defines it now, asked again (a network model gives a
    // new picture for the same seed; the offline one the same bytes). The result replaces a
    // "use this" choice: asking for a new one says the old choice is no longer wanted.
    const QString assetId = currentAssetId();
    if (assetId.isEmpty() || m_controller->isRunning())
        return;
    emitGenerate({assetId}, true, {assetId});
}

void GenerationPanel::variation()
{
    const editor::GenerationRequest *current = currentRequest();
    const QString assetId = currentAssetId();
    if (!current || assetId.isEmpty() || m_controller->isRunning())
        return;
    editor::GenerationRequest request = *current;
    const QString segment = currentSegmentKey();
    qint64 seed = 0;
    do {
        seed = qint64(QRandomGenerator::global()->bounded(quint64(kMaxSeed)));
    } while (request.segmentSeeds.value(segment, -1) == seed);
    request.segmentSeeds.insert(segment, seed);
    for (auto &r : m_campaign->generationRequests)
        if (r.id == request.id)
            r = request;
    emit requestEdited(request);
    refreshHistory();
    emitGenerate({assetId}, false, {assetId});
}

void GenerationPanel::compareSelected()
{
    const auto selected = m_history->selectedEntries();
    if (selected.size() != 2)
        return;
    auto *dialog = new CompareDialog(selected[0], selected[1], this);
    dialog->show();
}

void GenerationPanel::useSelected()
{
    const auto selected = m_history->selectedEntries();
    const QString assetId = currentAssetId();
    if (selected.size() != 1 || assetId.isEmpty())
        return;
    emit useResultRequested(assetId, selected.first().path, selected.first().recipe);
}

}  // namespace ui
