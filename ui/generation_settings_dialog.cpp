// SPDX-License-Identifier: GPL-3.0-or-later
#include "generation_settings_dialog.h"

#include "credential_store.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QVBoxLayout>

namespace ui {

namespace {
const QString kGroup = QStringLiteral("generation");

QString withSlash(QString url)
{
    url = url.trimmed();
    if (!url.isEmpty() && !url.endsWith(QLatin1Char('/')))
        url += QLatin1Char('/');
    return url;
}
}  // namespace

GenerationSettings GenerationSettings::load(QSettings &s)
{
    GenerationSettings out;
    s.beginGroup(kGroup);
    services::GoogleBackendKind kind;
    if (services::parseBackendKind(s.value(QStringLiteral("backend")).toString(), &kind))
        out.kind = kind;
    out.vertexProject = s.value(QStringLiteral("vertexProject")).toString();
    out.vertexLocation = s.value(QStringLiteral("vertexLocation")).toString();
    out.geminiBaseUrl = s.value(QStringLiteral("geminiBaseUrl")).toString();
    out.vertexBaseUrl = s.value(QStringLiteral("vertexBaseUrl")).toString();
    s.endGroup();
    return out;
}

GenerationSettings GenerationSettings::load()
{
    QSettings s;
    return load(s);
}

void GenerationSettings::save(QSettings &s) const
{
    // Only what is safe to keep in a plain file: never the key or the token.
    s.beginGroup(kGroup);
    s.setValue(QStringLiteral("backend"), services::backendKindName(kind));
    s.setValue(QStringLiteral("vertexProject"), vertexProject);
    s.setValue(QStringLiteral("vertexLocation"), vertexLocation);
    s.setValue(QStringLiteral("geminiBaseUrl"), geminiBaseUrl);
    s.setValue(QStringLiteral("vertexBaseUrl"), vertexBaseUrl);
    s.endGroup();
    s.sync();
}

void GenerationSettings::save() const
{
    QSettings s;
    save(s);
}

services::GoogleBackend GenerationSettings::backend(const CredentialStore &credentials,
                                                    const QProcessEnvironment &env) const
{
    // Start from what the CLI would use so GEMINI_API_KEY & co. work in the GUI as well.
    services::GoogleBackend b = services::GoogleBackend::fromEnvironment(kind, env);
    if (kind == services::GoogleBackendKind::Vertex) {
        if (!vertexProject.trimmed().isEmpty())
            b.project = vertexProject.trimmed();
        if (!vertexLocation.trimmed().isEmpty())
            b.location = vertexLocation.trimmed();
        if (!vertexBaseUrl.trimmed().isEmpty())
            b.baseUrl = withSlash(vertexBaseUrl);
        else if (env.value(QStringLiteral("CAMPAIGN_VERTEX_BASE_URL")).isEmpty())
            b.baseUrl = services::GoogleBackend::defaultBaseUrl(kind, b.location);
        b.accessToken = credentials.secret(CredentialStore::Secret::VertexAccessToken);
    } else {
        if (!geminiBaseUrl.trimmed().isEmpty())
            b.baseUrl = withSlash(geminiBaseUrl);
        b.apiKey = credentials.secret(CredentialStore::Secret::GeminiApiKey);
    }
    return b;
}

GenerationSettingsDialog::GenerationSettingsDialog(CredentialStore *credentials, QWidget *parent)
    : QDialog(parent)
    , m_credentials(credentials)
{
    setObjectName(QStringLiteral("generationSettingsDialog"));
    setWindowTitle(tr("Generation settings"));
    const GenerationSettings current = GenerationSettings::load();

    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_backendCombo = new QComboBox(this);
    m_backendCombo->setObjectName(QStringLiteral("backendCombo"));
    m_backendCombo->addItem(tr("Gemini Developer API (API key)"),
                            int(services::GoogleBackendKind::GeminiApi));
    m_backendCombo->addItem(tr("Vertex AI (Google Cloud project)"),
                            int(services::GoogleBackendKind::Vertex));
    m_backendCombo->setCurrentIndex(current.kind == services::GoogleBackendKind::Vertex ? 1 : 0);
    form->addRow(tr("Back end:"), m_backendCombo);

    m_apiKeyEdit = new QLineEdit(this);
    m_apiKeyEdit->setObjectName(QStringLiteral("apiKeyEdit"));
    m_apiKeyEdit->setEchoMode(QLineEdit::Password);
    m_apiKeyEdit->setPlaceholderText(tr("Gemini API key from Google AI Studio"));
    m_initialKey = credentials->secret(CredentialStore::Secret::GeminiApiKey);
    m_apiKeyEdit->setText(m_initialKey);
    m_keySource = new QLabel(this);
    m_keySource->setObjectName(QStringLiteral("apiKeySource"));
    form->addRow(tr("API key:"), m_apiKeyEdit);
    form->addRow(QString(), m_keySource);

    m_projectEdit = new QLineEdit(current.vertexProject, this);
    m_projectEdit->setObjectName(QStringLiteral("vertexProjectEdit"));
    m_projectEdit->setPlaceholderText(tr("Google Cloud project id (or GOOGLE_CLOUD_PROJECT)"));
    form->addRow(tr("Vertex project:"), m_projectEdit);
    m_locationEdit = new QLineEdit(current.vertexLocation, this);
    m_locationEdit->setObjectName(QStringLiteral("vertexLocationEdit"));
    m_locationEdit->setPlaceholderText(QStringLiteral("us-central1"));
    form->addRow(tr("Vertex location:"), m_locationEdit);
    m_tokenEdit = new QLineEdit(this);
    m_tokenEdit->setObjectName(QStringLiteral("accessTokenEdit"));
    m_tokenEdit->setEchoMode(QLineEdit::Password);
    m_tokenEdit->setPlaceholderText(tr("output of: gcloud auth print-access-token"));
    m_initialToken = credentials->secret(CredentialStore::Secret::VertexAccessToken);
    m_tokenEdit->setText(m_initialToken);
    m_tokenSource = new QLabel(this);
    m_tokenSource->setObjectName(QStringLiteral("accessTokenSource"));
    form->addRow(tr("Access token:"), m_tokenEdit);
    form->addRow(QString(), m_tokenSource);
    layout->addLayout(form);

    auto *advanced = new QGroupBox(tr("Advanced: base URL overrides (proxies, test servers)"), this);
    auto *advancedForm = new QFormLayout(advanced);
    m_geminiUrlEdit = new QLineEdit(current.geminiBaseUrl, advanced);
    m_geminiUrlEdit->setObjectName(QStringLiteral("geminiBaseUrlEdit"));
    m_geminiUrlEdit->setPlaceholderText(
        services::GoogleBackend::defaultBaseUrl(services::GoogleBackendKind::GeminiApi, {}));
    advancedForm->addRow(tr("Gemini API:"), m_geminiUrlEdit);
    m_vertexUrlEdit = new QLineEdit(current.vertexBaseUrl, advanced);
    m_vertexUrlEdit->setObjectName(QStringLiteral("vertexBaseUrlEdit"));
    m_vertexUrlEdit->setPlaceholderText(tr("derived from the location"));
    advancedForm->addRow(tr("Vertex AI:"), m_vertexUrlEdit);
    layout->addWidget(advanced);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("backendStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    buttons->setObjectName(QStringLiteral("settingsButtons"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &GenerationSettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    connect(m_backendCombo, &QComboBox::currentIndexChanged, this, [this]() {
        updateFields();
        updateStatus();
    });
    for (QLineEdit *edit : {m_projectEdit, m_locationEdit, m_geminiUrlEdit, m_vertexUrlEdit,
                            m_apiKeyEdit, m_tokenEdit})
        connect(edit, &QLineEdit::textChanged, this, &GenerationSettingsDialog::updateStatus);
    updateFields();
    updateStatus();
    resize(560, sizeHint().height());
}

GenerationSettings GenerationSettingsDialog::settings() const
{
    GenerationSettings s;
    s.kind = services::GoogleBackendKind(m_backendCombo->currentData().toInt());
    s.vertexProject = m_projectEdit->text().trimmed();
    s.vertexLocation = m_locationEdit->text().trimmed();
    s.geminiBaseUrl = m_geminiUrlEdit->text().trimmed();
    s.vertexBaseUrl = m_vertexUrlEdit->text().trimmed();
    return s;
}

services::GoogleBackend GenerationSettingsDialog::previewBackend() const
{
    services::GoogleBackend b = settings().backend(*m_credentials);
    // What the user typed counts before it is stored (or when it is being cleared).
    if (b.kind == services::GoogleBackendKind::Vertex)
        b.accessToken = m_tokenEdit->text().trimmed();
    else
        b.apiKey = m_apiKeyEdit->text().trimmed();
    return b;
}

void GenerationSettingsDialog::updateFields()
{
    const bool vertex = m_backendCombo->currentData().toInt() == int(services::GoogleBackendKind::Vertex);
    m_apiKeyEdit->setEnabled(!vertex);
    m_projectEdit->setEnabled(vertex);
    m_locationEdit->setEnabled(vertex);
    m_tokenEdit->setEnabled(vertex);
    const auto describe = [this](CredentialStore::Secret which) {
        const QString source = m_credentials->sourceDescription(which);
        return source.isEmpty() ? tr("Not set. The offline generator needs no key.")
                                : tr("Current value: %1.").arg(source);
    };
    m_keySource->setText(describe(CredentialStore::Secret::GeminiApiKey));
    m_tokenSource->setText(describe(CredentialStore::Secret::VertexAccessToken));
}

QString GenerationSettingsDialog::pendingDescription(const QString &typed, const QString &initial,
                                                     const QString &current) const
{
    if (typed.trimmed() == initial)
        return current;
    if (typed.trimmed().isEmpty())
        return tr("Will be removed on Save.");
    return m_credentials->keychainAvailable() ? tr("Will be saved in the system keychain on Save.")
                                              : tr("Will be kept for this session only (no system keychain).");
}

void GenerationSettingsDialog::updateStatus()
{
    updateFields();
    m_keySource->setText(pendingDescription(m_apiKeyEdit->text(), m_initialKey, m_keySource->text()));
    m_tokenSource->setText(pendingDescription(m_tokenEdit->text(), m_initialToken, m_tokenSource->text()));
    QStringList lines;
    const QString problem = previewBackend().problem();
    lines << (problem.isEmpty() ? tr("Ready: Gemini image and Veo requests will use this back end.")
                                : tr("Not usable yet: %1").arg(problem));
    if (!m_credentials->problem().isEmpty())
        lines << m_credentials->problem();
    m_status->setText(lines.join(QLatin1Char('\n')));
}

void GenerationSettingsDialog::accept()
{
    settings().save();
    // Only changed secrets go to the keychain: re-storing an environment value would copy it
    // into the keychain behind the user's back.
    if (m_apiKeyEdit->text().trimmed() != m_initialKey)
        m_credentials->store(CredentialStore::Secret::GeminiApiKey, m_apiKeyEdit->text());
    if (m_tokenEdit->text().trimmed() != m_initialToken)
        m_credentials->store(CredentialStore::Secret::VertexAccessToken, m_tokenEdit->text());
    QDialog::accept();
}

}  // namespace ui
