// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The generation back ends' secrets (Gemini API key, Vertex access token) in the system
// keychain through QtKeychain (Secret Service / KWallet). Jobs are asynchronous, so a keychain
// that asks to be unlocked never freezes the window. When no keychain answers (no D-Bus
// session, no Secret Service: QtKeychain reports NoBackendAvailable or OtherError) the store
// says so once in plain words and keeps what the user typed in memory for this session only.
// Secrets are never written anywhere else: not QSettings, not the project, not logs.
//
// Lookup order for a secret: what the keychain (or this session) holds, else the environment
// (GEMINI_API_KEY / GOOGLE_CLOUD_ACCESS_TOKEN), which is what the CLI uses too.

#include <QMap>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>

namespace ui {

class CredentialStore : public QObject {
    Q_OBJECT
public:
    enum class Secret { GeminiApiKey, VertexAccessToken };
    Q_ENUM(Secret)

    enum class Backend {
        // The system keychain, unless CAMPAIGN_NO_KEYCHAIN=1 is set (tests, kiosk setups).
        Automatic,
        Keychain,
        // Memory only: nothing is read from or written to any keychain.
        SessionOnly,
    };

    struct Options {
        Backend backend = Backend::Automatic;
        // Keychain service name; tests use their own so they never touch the user's entries.
        QString service = QStringLiteral("Campaign Studio");
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    };

    static QString unavailableMessage();

    explicit CredentialStore(QObject *parent = nullptr);
    CredentialStore(const Options &options, QObject *parent = nullptr);

    // Starts reading both secrets from the keychain; loaded() follows (also when it fails).
    void load();
    bool isLoaded() const { return m_pendingReads == 0 && m_loadStarted; }

    // The secret to use: stored or session value, else the environment variable; may be empty.
    QString secret(Secret which) const;
    // Where secret() comes from, for the settings dialog ("system keychain", "environment
    // variable GEMINI_API_KEY", "this session only", or empty when there is none).
    QString sourceDescription(Secret which) const;
    static QString environmentVariable(Secret which);

    // Saves (or, for an empty value, deletes) the secret. The value is usable at once; stored()
    // reports whether it reached the keychain.
    void store(Secret which, const QString &value);

    bool usesKeychain() const { return m_keychainEnabled; }
    // False once a keychain job failed for lack of a backend; then values stay in memory.
    bool keychainAvailable() const { return m_keychainEnabled && !m_keychainBroken; }
    // The last keychain problem as a sentence for the user; empty when none.
    QString problem() const { return m_problem; }

signals:
    void loaded();
    void secretChanged(ui::CredentialStore::Secret which);
    // `persisted` is false when the value is only kept for this session.
    void stored(ui::CredentialStore::Secret which, bool persisted, const QString &message);
    // Emitted once, the first time the keychain turns out to be missing.
    void keychainUnavailable(const QString &message);

private:
    static QString keyName(Secret which);
    void noteKeychainFailure(int error, const QString &detail);
    void finishRead();

    Options m_options;
    bool m_keychainEnabled = false;
    bool m_keychainBroken = false;
    bool m_loadStarted = false;
    int m_pendingReads = 0;
    QString m_problem;
    QMap<Secret, QString> m_values;      // keychain or session values
    QMap<Secret, bool> m_sessionOnly;    // value not persisted
};

}  // namespace ui
