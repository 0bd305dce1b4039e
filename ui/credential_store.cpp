// SPDX-License-Identifier: GPL-3.0-or-later
#include "credential_store.h"

#include <qt6keychain/keychain.h>

#include <QPointer>

namespace ui {

namespace {
bool isMissingBackend(int error)
{
    // Headless sessions report OtherError ("Unknown error") rather than NoBackendAvailable
    // (see ECOSYSTEM.md finding 10); a refused or locked keychain is just as unusable.
    return error == QKeychain::NoBackendAvailable || error == QKeychain::OtherError
        || error == QKeychain::NotImplemented || error == QKeychain::AccessDenied
        || error == QKeychain::AccessDeniedByUser;
}
}  // namespace

QString CredentialStore::unavailableMessage()
{
    return tr("No system keychain is available (install and unlock GNOME Keyring or KWallet); "
              "the key is kept for this session only and not saved.");
}

CredentialStore::CredentialStore(QObject *parent)
    : CredentialStore(Options{}, parent)
{
}

CredentialStore::CredentialStore(const Options &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    switch (m_options.backend) {
    case Backend::Automatic:
        m_keychainEnabled = m_options.environment.value(QStringLiteral("CAMPAIGN_NO_KEYCHAIN")) != QLatin1String("1");
        break;
    case Backend::Keychain:
        m_keychainEnabled = true;
        break;
    case Backend::SessionOnly:
        m_keychainEnabled = false;
        break;
    }
    if (!m_keychainEnabled)
        m_problem = tr("The system keychain is turned off; keys are kept for this session only "
                       "and not saved.");
}

QString CredentialStore::keyName(Secret which)
{
    return which == Secret::GeminiApiKey ? QStringLiteral("gemini-api-key")
                                         : QStringLiteral("vertex-access-token");
}

QString CredentialStore::environmentVariable(Secret which)
{
    return which == Secret::GeminiApiKey ? QStringLiteral("GEMINI_API_KEY")
                                         : QStringLiteral("GOOGLE_CLOUD_ACCESS_TOKEN");
}

void CredentialStore::load()
{
    if (m_loadStarted && m_pendingReads > 0)
        return;
    m_loadStarted = true;
    if (!m_keychainEnabled || m_keychainBroken) {
        // Queued so callers can connect after load() and still see it, as with a real read.
        QMetaObject::invokeMethod(this, &CredentialStore::loaded, Qt::QueuedConnection);
        return;
    }
    for (Secret which : {Secret::GeminiApiKey, Secret::VertexAccessToken}) {
        auto *job = new QKeychain::ReadPasswordJob(m_options.service, this);
        job->setAutoDelete(true);
        job->setInsecureFallback(false);  // never a plain-text file instead of the keychain
        job->setKey(keyName(which));
        ++m_pendingReads;
        connect(job, &QKeychain::Job::finished, this, [this, job, which]() {
            const int error = job->error();
            if (error == QKeychain::NoError) {
                // A value typed during this session wins over an older stored one.
                if (!m_sessionOnly.value(which) || m_values.value(which).isEmpty()) {
                    m_values.insert(which, job->textData());
                    m_sessionOnly.insert(which, false);
                    emit secretChanged(which);
                }
            } else if (error != QKeychain::EntryNotFound) {
                noteKeychainFailure(error, job->errorString());
            }
            finishRead();
        });
        job->start();
    }
}

void CredentialStore::finishRead()
{
    if (m_pendingReads > 0 && --m_pendingReads == 0)
        emit loaded();
}

void CredentialStore::noteKeychainFailure(int error, const QString &detail)
{
    if (!isMissingBackend(error)) {
        // e.g. CouldNotDeleteEntry: worth telling, but the keychain itself works.
        m_problem = tr("The system keychain reported: %1").arg(detail);
        return;
    }
    const bool first = !m_keychainBroken;
    m_keychainBroken = true;
    m_problem = unavailableMessage();
    if (first)
        emit keychainUnavailable(m_problem);
}

QString CredentialStore::secret(Secret which) const
{
    const QString value = m_values.value(which);
    if (!value.isEmpty())
        return value;
    return m_options.environment.value(environmentVariable(which));
}

QString CredentialStore::sourceDescription(Secret which) const
{
    if (!m_values.value(which).isEmpty())
        return m_sessionOnly.value(which) ? tr("kept for this session only")
                                          : tr("stored in the system keychain");
    if (!m_options.environment.value(environmentVariable(which)).isEmpty())
        return tr("from the environment variable %1").arg(environmentVariable(which));
    return {};
}

void CredentialStore::store(Secret which, const QString &value)
{
    const QString trimmed = value.trimmed();
    if (trimmed == m_values.value(which))
        return;
    // Usable at once, whatever the keychain says later.
    m_values.insert(which, trimmed);
    m_sessionOnly.insert(which, true);
    emit secretChanged(which);

    if (!m_keychainEnabled || m_keychainBroken) {
        emit stored(which, false, m_problem);
        return;
    }
    QKeychain::Job *job = nullptr;
    if (trimmed.isEmpty()) {
        auto *del = new QKeychain::DeletePasswordJob(m_options.service, this);
        del->setKey(keyName(which));
        job = del;
    } else {
        auto *write = new QKeychain::WritePasswordJob(m_options.service, this);
        write->setKey(keyName(which));
        write->setTextData(trimmed);
        job = write;
    }
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this, [this, job, which, trimmed]() {
        const int error = job->error();
        // Deleting an entry that never existed is success too.
        const bool ok = error == QKeychain::NoError || (trimmed.isEmpty() && error == QKeychain::EntryNotFound);
        if (ok) {
            if (m_values.value(which) == trimmed)
                m_sessionOnly.insert(which, false);
            emit stored(which, true, QString());
            return;
        }
        noteKeychainFailure(error, job->errorString());
        emit stored(which, false, m_problem);
    });
    job->start();
}

}  // namespace ui
