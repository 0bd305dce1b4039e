// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Where the network generators (Gemini image, Veo) send their requests: the back end (Gemini
// Developer API with an API key, or Vertex AI with a project, a location and an access token)
// and optional base URL overrides (a proxy, a test server). Non-secret values live in
// QSettings under "generation/"; the key and the token only go through the CredentialStore.

#include "app/google_api.h"

#include <QDialog>
#include <QString>

class QComboBox;
class QLabel;
class QLineEdit;
class QSettings;

namespace ui {

class CredentialStore;

struct GenerationSettings {
    services::GoogleBackendKind kind = services::GoogleBackendKind::GeminiApi;
    QString vertexProject;
    QString vertexLocation;   // empty = the environment's, else us-central1
    QString geminiBaseUrl;    // empty = the default (or CAMPAIGN_GEMINI_BASE_URL)
    QString vertexBaseUrl;    // empty = the default for the location (or CAMPAIGN_VERTEX_BASE_URL)

    static GenerationSettings load(QSettings &settings);
    static GenerationSettings load();  // the application's QSettings
    void save(QSettings &settings) const;
    void save() const;

    // The back end the providers use: the environment as the CLI reads it, then these settings
    // on top, then the stored key/token (CredentialStore, itself falling back to the
    // environment). Check problem() before use.
    services::GoogleBackend backend(const CredentialStore &credentials,
                                    const QProcessEnvironment &env =
                                        QProcessEnvironment::systemEnvironment()) const;
};

class GenerationSettingsDialog : public QDialog {
    Q_OBJECT
public:
    GenerationSettingsDialog(CredentialStore *credentials, QWidget *parent = nullptr);

    GenerationSettings settings() const;
    // What accept() would use, with the secrets typed in the dialog (for the status line).
    services::GoogleBackend previewBackend() const;

public slots:
    // Saves the settings, hands the secrets to the credential store, closes.
    void accept() override;

private:
    void updateFields();
    void updateStatus();
    QString pendingDescription(const QString &typed, const QString &initial, const QString &current) const;

    CredentialStore *m_credentials;
    QComboBox *m_backendCombo = nullptr;
    QLineEdit *m_projectEdit = nullptr;
    QLineEdit *m_locationEdit = nullptr;
    QLineEdit *m_geminiUrlEdit = nullptr;
    QLineEdit *m_vertexUrlEdit = nullptr;
    QLineEdit *m_apiKeyEdit = nullptr;
    QLineEdit *m_tokenEdit = nullptr;
    QLabel *m_keySource = nullptr;
    QLabel *m_tokenSource = nullptr;
    QLabel *m_status = nullptr;
    QString m_initialKey;
    QString m_initialToken;
};

}  // namespace ui
