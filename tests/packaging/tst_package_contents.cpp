// SPDX-License-Identifier: GPL-3.0-or-later
// The .deb as a user receives it: CPack packs this build tree into a temporary folder, then the
// package is inspected with the Debian tools (dpkg-deb) and its files are checked with the
// validators the desktop uses (desktop-file-validate, appstreamcli, update-mime-database +
// QMimeDatabase). Installing it for real needs root and is done by packaging/check-deb.sh.
// A missing tool fails the test with the Debian package to install: a skipped packaging test
// would let a broken package through CI.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QMimeDatabase>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

namespace {

const QString kPackage = QStringLiteral("campaign-studio");
const QString kMimeType = QStringLiteral("application/x-campaign-studio-project");
const QString kAppStreamId = QStringLiteral("io.github.campaignstudio.CampaignStudio");

struct Result {
    int exitCode = -1;
    QString out;
    QString err;
};

struct Entry {
    QString mode;   // "-rw-r--r--"
    QString owner;  // "root/root"
};

}  // namespace

class PackageContents : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void fileNameFollowsDebianConvention();
    void filesAtTheirInstalledPaths_data();
    void filesAtTheirInstalledPaths();
    void permissionsAndOwnership();
    void samplePackagedWithoutUserOutput();
    void controlFields();
    void desktopEntryValid();
    void metainfoValid();
    void mimeTypeRecognisesProjects();
    void packagedCliRuns();

private:
    // Absolute path of `tool`, or a test failure naming the Debian package that provides it.
    QString requireTool(const QString &tool, const QString &debianPackage);
    Result run(const QString &program, const QStringList &args, int timeoutMs = 60000,
               const QString &workDir = QString());

    QTemporaryDir m_work;
    QString m_deb;
    QString m_root;  // the package extracted with dpkg-deb -x: <m_root>/usr/...
    QHash<QString, Entry> m_entries;  // "usr/bin/campaign-cli" -> mode/owner from dpkg-deb -c
    QString m_dpkgDeb;
};

QString PackageContents::requireTool(const QString &tool, const QString &debianPackage)
{
    const QString path = QFileInfo(tool).isAbsolute() ? tool : QStandardPaths::findExecutable(tool);
    if (path.isEmpty() || !QFileInfo(path).isExecutable()) {
        QTest::qFail(qPrintable(QStringLiteral("%1 not found: install the Debian package %2 "
                                               "(apt-get install %2)")
                                    .arg(tool, debianPackage)),
                     __FILE__, __LINE__);
        return {};
    }
    return path;
}

Result PackageContents::run(const QString &program, const QStringList &args, int timeoutMs,
                            const QString &workDir)
{
    QProcess p;
    // dpkg and the validators translate their messages; the assertions parse them in English.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    p.setProcessEnvironment(env);
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    p.start(program, args);
    Result r;
    if (!p.waitForStarted(10000)) {
        r.err = QStringLiteral("could not start %1: %2").arg(program, p.errorString());
        return r;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.err = QStringLiteral("%1 timed out after %2 s").arg(program).arg(timeoutMs / 1000);
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

void PackageContents::initTestCase()
{
    QVERIFY(m_work.isValid());
    // Every tool first, so a machine missing several gets one clear message per run.
    const QString cpack = requireTool(QStringLiteral(CAMPAIGN_CPACK_COMMAND), QStringLiteral("cmake"));
    m_dpkgDeb = requireTool(QStringLiteral("dpkg-deb"), QStringLiteral("dpkg"));
    requireTool(QStringLiteral("dpkg-shlibdeps"), QStringLiteral("dpkg-dev"));
    requireTool(QStringLiteral("strip"), QStringLiteral("binutils"));
    requireTool(QStringLiteral("desktop-file-validate"), QStringLiteral("desktop-file-utils"));
    requireTool(QStringLiteral("appstreamcli"), QStringLiteral("appstream"));
    requireTool(QStringLiteral("update-mime-database"), QStringLiteral("shared-mime-info"));
    if (QTest::currentTestFailed())
        return;

    const QString config = QStringLiteral(CAMPAIGN_BINARY_DIR "/CPackConfig.cmake");
    QVERIFY2(QFileInfo::exists(config), qPrintable(config + QStringLiteral(" missing: configure the project first")));
    for (const char *exe : {"app/cli/campaign-cli", "app/studio/campaign-studio"}) {
        const QString path = QStringLiteral(CAMPAIGN_BINARY_DIR "/") + QLatin1String(exe);
        QVERIFY2(QFileInfo::exists(path), qPrintable(path + QStringLiteral(" not built: run cmake --build first")));
    }

    // -B keeps CPack's staging tree and the .deb out of the build tree.
    const QString outDir = m_work.filePath(QStringLiteral("out"));
    const Result packed = run(cpack, {QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("-B"),
                                      outDir, QStringLiteral("--config"), config},
                              600000, m_work.path());
    QVERIFY2(packed.exitCode == 0, qPrintable(QStringLiteral("cpack failed (%1):\n%2\n%3")
                                                  .arg(packed.exitCode).arg(packed.out, packed.err)));
    const QStringList debs = QDir(outDir).entryList({QStringLiteral("*.deb")}, QDir::Files);
    QVERIFY2(debs.size() == 1, qPrintable(QStringLiteral("expected one .deb, got: ") + debs.join(u' ')));
    m_deb = QDir(outDir).filePath(debs.first());

    const Result listing = run(m_dpkgDeb, {QStringLiteral("--contents"), m_deb});
    QVERIFY2(listing.exitCode == 0, qPrintable(listing.err));
    // "-rwxr-xr-x root/root   123456 2026-11-24 00:00 ./usr/bin/campaign-cli"
    static const QRegularExpression line(QStringLiteral(R"(^(\S+)\s+(\S+)\s+\d+\s+\S+\s+\S+\s+\./(.*?)(?: -> .*)?$)"));
    for (const QString &l : listing.out.split(u'\n', Qt::SkipEmptyParts)) {
        const QRegularExpressionMatch m = line.match(l);
        QVERIFY2(m.hasMatch(), qPrintable(QStringLiteral("unparsed dpkg-deb line: ") + l));
        QString path = m.captured(3);
        if (path.endsWith(u'/'))
            path.chop(1);
        if (!path.isEmpty())
            m_entries.insert(path, Entry{m.captured(1), m.captured(2)});
    }

    m_root = m_work.filePath(QStringLiteral("root"));
    const Result extracted = run(m_dpkgDeb, {QStringLiteral("-x"), m_deb, m_root});
    QVERIFY2(extracted.exitCode == 0, qPrintable(extracted.err));
}

void PackageContents::fileNameFollowsDebianConvention()
{
    // CPACK_DEBIAN_FILE_NAME DEB-DEFAULT: <package>_<version>_<dpkg architecture>.deb
    const Result arch = run(QStringLiteral("dpkg"), {QStringLiteral("--print-architecture")});
    QCOMPARE(arch.exitCode, 0);
    QCOMPARE(QFileInfo(m_deb).fileName(), QStringLiteral("%1_%2_%3.deb")
                                              .arg(kPackage, QStringLiteral(CAMPAIGN_PROJECT_VERSION),
                                                   arch.out.trimmed()));
}

void PackageContents::filesAtTheirInstalledPaths_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("mode");
    const QString exe = QStringLiteral("-rwxr-xr-x");
    const QString data = QStringLiteral("-rw-r--r--");
    QTest::newRow("cli") << QStringLiteral("usr/bin/campaign-cli") << exe;
    QTest::newRow("studio") << QStringLiteral("usr/bin/campaign-studio") << exe;
    QTest::newRow("desktop") << QStringLiteral("usr/share/applications/campaign-studio.desktop") << data;
    QTest::newRow("mime") << QStringLiteral("usr/share/mime/packages/campaign-studio.xml") << data;
    QTest::newRow("icon") << QStringLiteral("usr/share/icons/hicolor/scalable/apps/campaign-studio.svg") << data;
    QTest::newRow("metainfo") << QStringLiteral("usr/share/metainfo/%1.metainfo.xml").arg(kAppStreamId) << data;
    QTest::newRow("sample") << QStringLiteral("usr/share/campaign-studio/samples/stride/stride.campaign") << data;
    QTest::newRow("sample logo") << QStringLiteral("usr/share/campaign-studio/samples/stride/logo.svg") << data;
    QTest::newRow("copyright") << QStringLiteral("usr/share/doc/campaign-studio/copyright") << data;
    QTest::newRow("changelog") << QStringLiteral("usr/share/doc/campaign-studio/changelog.gz") << data;
    QTest::newRow("man cli") << QStringLiteral("usr/share/man/man1/campaign-cli.1.gz") << data;
    QTest::newRow("man studio") << QStringLiteral("usr/share/man/man1/campaign-studio.1.gz") << data;
}

void PackageContents::filesAtTheirInstalledPaths()
{
    QFETCH(QString, path);
    QFETCH(QString, mode);
    QVERIFY2(m_entries.contains(path), qPrintable(path + QStringLiteral(" is not in the package")));
    QCOMPARE(m_entries.value(path).mode, mode);
}

void PackageContents::permissionsAndOwnership()
{
    QVERIFY(!m_entries.isEmpty());
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
        const QString &path = it.key();
        const Entry &e = it.value();
        // Everything under /usr (FHS for a distribution package), owned by root, never
        // writable by group or others (lintian: non-standard-*-perm).
        QVERIFY2(path == QLatin1String("usr") || path.startsWith(QLatin1String("usr/")), qPrintable(path));
        QVERIFY2(e.owner == QLatin1String("root/root"), qPrintable(path + u' ' + e.owner));
        QVERIFY2(e.mode.size() == 10 && e.mode[5] != u'w' && e.mode[8] != u'w', qPrintable(path + u' ' + e.mode));
        if (e.mode.startsWith(u'd'))
            QVERIFY2(e.mode == QLatin1String("drwxr-xr-x"), qPrintable(path + u' ' + e.mode));
        else if (!path.startsWith(QLatin1String("usr/bin/")))
            QVERIFY2(e.mode == QLatin1String("-rw-r--r--"), qPrintable(path + u' ' + e.mode));
    }
}

void PackageContents::samplePackagedWithoutUserOutput()
{
    // Generated media and renders are per-user output of campaign-cli; shipping them would
    // make the package depend on whoever built it last.
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
        const QString &path = it.key();
        if (!path.startsWith(QLatin1String("usr/share/campaign-studio/")))
            continue;
        QVERIFY2(!path.contains(QLatin1String("/generated")) && !path.contains(QLatin1String("/renders"))
                     && !path.contains(QLatin1String("/.")),
                 qPrintable(path));
    }
    // The packaged project is the one in the source tree, byte for byte.
    QFile packaged(m_root + QStringLiteral("/usr/share/campaign-studio/samples/stride/stride.campaign"));
    QFile source(QStringLiteral(CAMPAIGN_SOURCE_DIR "/resources/samples/stride/stride.campaign"));
    QVERIFY(packaged.open(QIODevice::ReadOnly));
    QVERIFY(source.open(QIODevice::ReadOnly));
    QVERIFY(packaged.readAll() == source.readAll());
}

void PackageContents::controlFields()
{
    const auto field = [this](const char *name) {
        const Result r = run(m_dpkgDeb, {QStringLiteral("--field"), m_deb, QLatin1String(name)});
        return r.exitCode == 0 ? r.out.trimmed() : QString();
    };
    QCOMPARE(field("Package"), kPackage);
    QCOMPARE(field("Version"), QStringLiteral(CAMPAIGN_PROJECT_VERSION));
    QCOMPARE(field("Section"), QStringLiteral("graphics"));
    QCOMPARE(field("Priority"), QStringLiteral("optional"));
    QVERIFY2(field("Maintainer").contains(QRegularExpression(QStringLiteral(R"(^.+ <[^@\s]+@[^@\s]+>$)"))),
             qPrintable(field("Maintainer")));
    QVERIFY(!field("Homepage").isEmpty());
    QVERIFY(field("Description").contains(u'\n'));  // synopsis plus an extended description

    // Depends entries without version constraints: "libc6 (>= 2.34)" -> "libc6".
    QStringList depends;
    for (const QString &d : field("Depends").split(u',', Qt::SkipEmptyParts))
        depends << d.trimmed().section(u' ', 0, 0);
    // Only loaded at run time, so listed by hand (packaging/CMakeLists.txt).
    for (const char *runtime : {"fonts-noto-core", "fonts-dejavu-core", "libqt6svg6", "qt6-image-formats-plugins",
                                "ca-certificates"})
        QVERIFY2(depends.contains(QLatin1String(runtime)),
                 qPrintable(QStringLiteral("Depends lacks %1: %2").arg(QLatin1String(runtime), depends.join(u','))));
    // Found by dpkg-shlibdeps from the binaries' NEEDED entries: proves shlibdeps ran.
    for (const char *linked : {"libc6", "libqt6widgets6", "libcurl4"})
        QVERIFY2(depends.contains(QLatin1String(linked)),
                 qPrintable(QStringLiteral("shlibdeps did not add %1: %2").arg(QLatin1String(linked), depends.join(u','))));
    QVERIFY2(depends.filter(QRegularExpression(QStringLiteral("^libavcodec\\d+$"))).size() == 1,
             qPrintable(depends.join(u',')));
    // The review player's GStreamer plugins, also invisible to shlibdeps.
    const QString recommends = field("Recommends");
    for (const char *plugin : {"gstreamer1.0-plugins-base", "gstreamer1.0-plugins-good", "gstreamer1.0-libav"})
        QVERIFY2(recommends.contains(QLatin1String(plugin)), qPrintable(recommends));

    // The control archive carries checksums (dpkg --verify and debsums use them).
    const Result info = run(m_dpkgDeb, {QStringLiteral("--info"), m_deb});
    QCOMPARE(info.exitCode, 0);
    QVERIFY2(info.out.contains(QRegularExpression(QStringLiteral(R"(\bmd5sums\b)"))), qPrintable(info.out));
}

void PackageContents::desktopEntryValid()
{
    const QString file = m_root + QStringLiteral("/usr/share/applications/campaign-studio.desktop");
    const Result r = run(QStringLiteral("desktop-file-validate"), {file});
    // Errors set the exit code; warnings and hints only print, and are not accepted either.
    QVERIFY2(r.exitCode == 0 && r.out.trimmed().isEmpty() && r.err.trimmed().isEmpty(),
             qPrintable(r.out + r.err));

    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly | QIODevice::Text));
    QHash<QString, QString> keys;
    for (const QString &l : QString::fromUtf8(f.readAll()).split(u'\n')) {
        const qsizetype eq = l.indexOf(u'=');
        if (eq > 0 && !l.startsWith(u'#'))
            keys.insert(l.left(eq), l.mid(eq + 1));
    }
    // What the entry points at must be in the same package.
    const QString exec = keys.value(QStringLiteral("Exec")).section(u' ', 0, 0);
    QVERIFY2(QFileInfo::exists(m_root + QStringLiteral("/usr/bin/") + exec), qPrintable(exec));
    QVERIFY(keys.value(QStringLiteral("Exec")).contains(QLatin1String("%f"))
            || keys.value(QStringLiteral("Exec")).contains(QLatin1String("%F")));
    const QString icon = keys.value(QStringLiteral("Icon"));
    QFile svg(m_root + QStringLiteral("/usr/share/icons/hicolor/scalable/apps/%1.svg").arg(icon));
    QVERIFY2(svg.open(QIODevice::ReadOnly), qPrintable(icon));
    // Well-formed SVG with a square viewBox: icon themes scale it into square slots.
    QXmlStreamReader xml(&svg);
    QVERIFY(xml.readNextStartElement());
    QCOMPARE(xml.name().toString(), QStringLiteral("svg"));
    const QStringList box = xml.attributes().value(QLatin1String("viewBox")).toString().split(u' ');
    QVERIFY2(box.size() == 4 && box[2] == box[3], qPrintable(box.join(u' ')));
    while (!xml.atEnd())
        xml.readNext();
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY2(keys.value(QStringLiteral("MimeType")).split(u';', Qt::SkipEmptyParts).contains(kMimeType),
             qPrintable(keys.value(QStringLiteral("MimeType"))));
}

void PackageContents::metainfoValid()
{
    const QString file = m_root + QStringLiteral("/usr/share/metainfo/%1.metainfo.xml").arg(kAppStreamId);
    // --no-net: CI has no network, and URL reachability is not the package's concern.
    // --strict: warnings fail too, not only errors.
    const Result r = run(QStringLiteral("appstreamcli"),
                         {QStringLiteral("validate"), QStringLiteral("--no-net"), QStringLiteral("--strict"), file});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));

    // Cross-checks appstreamcli cannot make: the references resolve inside the package.
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&f);
    QString id, launchable, releaseVersion;
    QStringList binaries, mediaTypes;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        const auto name = xml.name();
        if (name == QLatin1String("id"))
            id = xml.readElementText();
        else if (name == QLatin1String("launchable"))
            launchable = xml.readElementText();
        else if (name == QLatin1String("binary"))
            binaries << xml.readElementText();
        else if (name == QLatin1String("mediatype"))
            mediaTypes << xml.readElementText();
        else if (name == QLatin1String("release") && releaseVersion.isEmpty())
            releaseVersion = xml.attributes().value(QLatin1String("version")).toString();
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(id, kAppStreamId);
    QVERIFY2(QFileInfo::exists(m_root + QStringLiteral("/usr/share/applications/") + launchable), qPrintable(launchable));
    QCOMPARE(binaries, (QStringList{QStringLiteral("campaign-studio"), QStringLiteral("campaign-cli")}));
    for (const QString &b : binaries)
        QVERIFY2(QFileInfo::exists(m_root + QStringLiteral("/usr/bin/") + b), qPrintable(b));
    QCOMPARE(mediaTypes, QStringList{kMimeType});
    // The newest release entry is the version being packaged.
    QCOMPARE(releaseVersion, QStringLiteral(CAMPAIGN_PROJECT_VERSION));
}

void PackageContents::mimeTypeRecognisesProjects()
{
    // Build the binary MIME cache exactly as the shared-mime-info dpkg trigger does after
    // installation, then resolve types through it with Qt (which the studio and file dialogs
    // use), with the package's share/ first on XDG_DATA_DIRS.
    // Set first: update-mime-database warns about a folder outside the search path, and the
    // children started by run() inherit this process's environment.
    const QString share = m_root + QStringLiteral("/usr/share");
    qputenv("XDG_DATA_HOME", m_work.filePath(QStringLiteral("empty-home")).toUtf8());
    qputenv("XDG_DATA_DIRS", (share + QStringLiteral(":/usr/local/share:/usr/share")).toUtf8());
    const Result r = run(QStringLiteral("update-mime-database"), {share + QStringLiteral("/mime")});
    QVERIFY2(r.exitCode == 0 && r.err.trimmed().isEmpty(), qPrintable(r.out + r.err));
    QVERIFY(QFileInfo::exists(share + QStringLiteral("/mime/mime.cache")));

    QMimeDatabase db;
    const QMimeType type = db.mimeTypeForName(kMimeType);
    QVERIFY2(type.isValid(), "the packaged MIME XML does not define the project type");
    QVERIFY(type.inherits(QStringLiteral("application/json")));
    QCOMPARE(type.iconName(), QStringLiteral("campaign-studio"));
    QCOMPARE(type.suffixes(), QStringList{QStringLiteral("campaign")});

    // By name: the glob.
    QCOMPARE(db.mimeTypeForFile(QStringLiteral("/nonexistent/Autumn.campaign"), QMimeDatabase::MatchExtension).name(),
             kMimeType);

    // By content: the sample (as the writer lays it out) under a name without extension.
    QFile sample(m_root + QStringLiteral("/usr/share/campaign-studio/samples/stride/stride.campaign"));
    QVERIFY(sample.open(QIODevice::ReadOnly));
    const QByteArray project = sample.readAll();
    QCOMPARE(db.mimeTypeForData(project).name(), kMimeType);
    const QString noExtension = m_work.filePath(QStringLiteral("attachment"));
    QFile out(noExtension);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(project);
    out.close();
    QCOMPARE(db.mimeTypeForFile(noExtension, QMimeDatabase::MatchContent).name(), kMimeType);

    // Other JSON is not claimed: "schemaVersion" as a later key, or a .json name.
    QVERIFY(db.mimeTypeForData(QByteArrayLiteral("{\n  \"name\": \"Something else\",\n  \"schemaVersion\": 1\n}")).name()
            != kMimeType);
    // A hand-edited project with tab indentation and CRLF line ends still is one.
    QCOMPARE(db.mimeTypeForData(QByteArrayLiteral("{\r\n\t\"schemaVersion\": 1,\r\n\t\"id\": \"x\"\r\n}")).name(),
             kMimeType);
    const QString json = m_work.filePath(QStringLiteral("manifest.json"));
    QFile::copy(noExtension, json);
    QCOMPARE(db.mimeTypeForFile(json).name(), QStringLiteral("application/json"));
}

void PackageContents::packagedCliRuns()
{
    // The stripped binary out of the package (not the build tree's) starts and reads the
    // packaged sample. Libraries come from the system, as after installation.
    const QString cli = m_root + QStringLiteral("/usr/bin/campaign-cli");
    const Result version = run(cli, {QStringLiteral("--version")});
    QVERIFY2(version.exitCode == 0, qPrintable(version.err));
    QCOMPARE(version.out.trimmed(), QStringLiteral("campaign-cli " CAMPAIGN_PROJECT_VERSION));

    // --dry-run reads and validates the project and lists the assets to generate, writing
    // nothing, so it works on the read-only packaged copy.
    const Result dry = run(cli, {QStringLiteral("generate"), QStringLiteral("--dry-run"),
                                 m_root + QStringLiteral("/usr/share/campaign-studio/samples/stride/stride.campaign")},
                           120000);
    QVERIFY2(dry.exitCode == 0, qPrintable(dry.out + dry.err));
}

QTEST_GUILESS_MAIN(PackageContents)
#include "tst_package_contents.moc"
