// SPDX-License-Identifier: GPL-3.0-or-later
// Review and approval: the status state machine (pure, then on real renders), approvals in the
// project file, the review sheet (HTML self-contained; PDF rasterised with pdftoppm and its
// cell grid checked page by page) and, with the real campaign-cli, `review-sheet` and
// `render --approved-only`. The project is the tiny 1-second campaign with 2 segments x 4
// formats (8 cells), generated and rendered once in initTestCase; tests that damage files work
// on copies. Every process wait is bounded.
#include "cli_test_support.h"
#include "tiny_campaign.h"

#include "app/review_sheet.h"
#include "app/review_status.h"
#include "editor/project_io.h"

#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace clitest;
using services::ReviewStatus;

// Readable QCOMPARE failures for statuses.
namespace QTest {
template <>
char *toString(const ReviewStatus &s)
{
    return qstrdup(services::reviewStatusName(s).toUtf8().constData());
}
}  // namespace QTest

namespace {
const QStringList kFormats{QStringLiteral("9x16"), QStringLiteral("1x1"), QStringLiteral("4x5"),
                           QStringLiteral("16x9")};
constexpr int kCells = 8;
// Markup in the copy proves the HTML escapes what it shows.
const QString kNorthCta = QStringLiteral("Köp <b>nu</b> & spara");

QString hex(char c) { return QString(64, QLatin1Char(c)); }

editor::Campaign load(const QString &path)
{
    editor::LoadResult r = editor::loadCampaign(path);
    if (r.status != editor::LoadResult::Status::Ok) {
        QStringList lines{r.message};
        for (const auto &i : r.issues)
            lines << i.toString();
        qWarning("%s", qPrintable(lines.join(QLatin1Char('\n'))));
        return {};
    }
    return *r.campaign;
}

QMap<QString, ReviewStatus> statuses(const QList<services::CellReview> &cells)
{
    QMap<QString, ReviewStatus> map;
    for (const services::CellReview &c : cells)
        map.insert(c.jobId(), c.status);
    return map;
}

const services::CellReview *find(const QList<services::CellReview> &cells, const QString &job)
{
    for (const services::CellReview &c : cells)
        if (c.jobId() == job)
            return &c;
    return nullptr;
}

// pdftoppm -png: one PNG per page, in page order.
QList<QImage> rasterise(const QString &pdf, const QString &prefix, QByteArray *log)
{
    QProcess p;
    p.start(QStringLiteral("pdftoppm"), {QStringLiteral("-r"), QStringLiteral("50"),
                                         QStringLiteral("-png"), pdf, prefix});
    if (!p.waitForStarted(10000)) {
        *log = "pdftoppm did not start (install poppler-utils)";
        return {};
    }
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        p.kill();
        *log = p.readAllStandardError();
        return {};
    }
    const QFileInfo info(prefix);
    QStringList files = QDir(info.absolutePath()).entryList({info.fileName() + QStringLiteral("-*.png")},
                                                             QDir::Files, QDir::Name);
    QList<QImage> pages;
    for (const QString &f : files)
        pages << QImage(info.absolutePath() + QLatin1Char('/') + f);
    return pages;
}

// Share of pixels in `fraction` of the page (shrunk a little, so neighbours' frames never
// count) that are clearly not paper-white.
double inkShare(const QImage &page, const QRectF &fraction)
{
    const QRectF r(fraction.x() * page.width(), fraction.y() * page.height(),
                   fraction.width() * page.width(), fraction.height() * page.height());
    const QRect inner = r.adjusted(r.width() * 0.05, r.height() * 0.05, -r.width() * 0.05,
                                   -r.height() * 0.05).toRect();
    qint64 ink = 0, all = 0;
    for (int y = inner.top(); y <= inner.bottom(); ++y)
        for (int x = inner.left(); x <= inner.right(); ++x, ++all) {
            const QColor c = page.pixelColor(x, y);
            if (std::min({c.red(), c.green(), c.blue()}) < 200)
                ++ink;
        }
    return all ? double(ink) / double(all) : 0;
}
}  // namespace

class TestReview : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void stateMachine();
    void approvalsInProjectFile();
    void statusesOfRealRenders();
    void changedSinceApproval();
    void htmlSheet();
    void pdfSheet();
    void cliReviewSheet();
    void cliRenderApprovedOnly();

private:
    QString copyProject(const QString &name);
    QTemporaryDir m_tmp;
    QString m_project;
    QString m_out;
};

void TestReview::initTestCase()
{
    QVERIFY2(QFileInfo(kCli).isExecutable(), qPrintable(kCli));
    QVERIFY(m_tmp.isValid());
    QJsonObject project = testing_support::tinyCampaignInFormats(kFormats);
    QJsonArray segments = project.value(QStringLiteral("segments")).toArray();
    QJsonObject north = segments.at(0).toObject();
    QJsonObject vars = north.value(QStringLiteral("variables")).toObject();
    vars.insert(QStringLiteral("cta"), kNorthCta);
    north.insert(QStringLiteral("variables"), vars);
    segments.replace(0, north);
    project.insert(QStringLiteral("segments"), segments);
    QVERIFY(QDir().mkpath(m_tmp.filePath(QStringLiteral("project"))));
    m_project = m_tmp.filePath(QStringLiteral("project/tiny.campaign"));
    m_out = m_tmp.filePath(QStringLiteral("out"));
    QVERIFY(writeAll(m_project, QJsonDocument(project).toJson()));
    const CliRun gen = runCli({QStringLiteral("generate"), m_project}, 120000);
    QVERIFY2(gen.finished && gen.code == 0, describe(gen));
    const CliRun render = runCli({QStringLiteral("render"), m_project, QStringLiteral("--out"), m_out,
                                  QStringLiteral("--jobs"), QStringLiteral("2")}, 300000);
    QVERIFY2(render.finished && render.code == 0, describe(render));
}

// A copy of the project folder (with its media) and of the export folder, so a test may edit
// or damage either.
QString TestReview::copyProject(const QString &name)
{
    const QString dir = m_tmp.filePath(name);
    if (!copyTree(m_tmp.filePath(QStringLiteral("project")), dir + QStringLiteral("/project"))
        || !copyTree(m_out, dir + QStringLiteral("/out")))
        return {};
    return dir;
}

void TestReview::stateMachine()
{
    services::ManifestCell entry;
    entry.segmentId = QStringLiteral("s");
    entry.formatId = QStringLiteral("f");
    entry.sha256 = hex('a');
    entry.contentHash = hex('c');
    editor::Approval approval;
    approval.segmentId = entry.segmentId;
    approval.formatId = entry.formatId;
    approval.fileSha256 = hex('a');
    approval.contentHash = hex('c');

    // No file: not rendered, whatever else is known (a deleted render cannot stay approved).
    QCOMPARE(services::reviewStatus(nullptr, nullptr, false, {}), ReviewStatus::NotRendered);
    QCOMPARE(services::reviewStatus(&approval, &entry, false, {}), ReviewStatus::NotRendered);
    // A file nobody decided on.
    QCOMPARE(services::reviewStatus(nullptr, &entry, true, hex('a')), ReviewStatus::Rendered);
    QCOMPARE(services::reviewStatus(nullptr, nullptr, true, hex('a')), ReviewStatus::Rendered);
    QCOMPARE(services::reviewStatus(nullptr, &entry, true, hex('b')), ReviewStatus::Rendered);
    // Everything agrees: the decision holds.
    QCOMPARE(services::reviewStatus(&approval, &entry, true, hex('a')), ReviewStatus::Approved);
    approval.decision = editor::Approval::Decision::Rejected;
    QCOMPARE(services::reviewStatus(&approval, &entry, true, hex('a')), ReviewStatus::Rejected);
    approval.decision = editor::Approval::Decision::Approved;
    // The file was modified after the export (disk differs from manifest and decision).
    QCOMPARE(services::reviewStatus(&approval, &entry, true, hex('b')), ReviewStatus::Changed);
    // Re-exported with other inputs: new content hash and new bytes in the manifest and on disk.
    services::ManifestCell reexported = entry;
    reexported.sha256 = hex('d');
    reexported.contentHash = hex('e');
    QCOMPARE(services::reviewStatus(&approval, &reexported, true, hex('d')), ReviewStatus::Changed);
    // Same bytes but another content hash (the inputs changed, the encoder happened to agree).
    reexported.sha256 = hex('a');
    QCOMPARE(services::reviewStatus(&approval, &reexported, true, hex('a')), ReviewStatus::Changed);
    // No manifest entry, or an unreadable file: the decision cannot be shown to hold.
    QCOMPARE(services::reviewStatus(&approval, nullptr, true, hex('a')), ReviewStatus::Changed);
    QCOMPARE(services::reviewStatus(&approval, &entry, true, QString()), ReviewStatus::Changed);

    for (ReviewStatus s : {ReviewStatus::NotRendered, ReviewStatus::Rendered, ReviewStatus::Approved,
                           ReviewStatus::Rejected, ReviewStatus::Changed})
        QVERIFY(services::reviewStatusFromName(services::reviewStatusName(s)) == s);
    QVERIFY(!services::reviewStatusFromName(u"ok"));

    // setApproval replaces the cell's decision instead of piling up.
    editor::Campaign c;
    services::setApproval(c, approval);
    approval.decision = editor::Approval::Decision::Rejected;
    approval.comment = QStringLiteral("logo too small");
    services::setApproval(c, approval);
    QCOMPARE(c.approvals.size(), size_t(1));
    QCOMPARE(c.approvals.front().comment, QStringLiteral("logo too small"));
    QVERIFY(services::findApproval(c, QStringLiteral("s"), QStringLiteral("f")));
    QVERIFY(!services::findApproval(c, QStringLiteral("s"), QStringLiteral("g")));
}

void TestReview::approvalsInProjectFile()
{
    editor::Campaign c = load(m_project);
    QVERIFY(!c.id.isEmpty());
    const QByteArray without = editor::serializeCampaign(c, QFileInfo(m_project).absolutePath());
    QVERIFY2(!without.contains("approvals"), "a project never reviewed keeps its bytes");
    editor::Approval a;
    a.segmentId = QStringLiteral("north");
    a.formatId = QStringLiteral("1x1");
    a.decision = editor::Approval::Decision::Rejected;
    a.comment = QStringLiteral("Rubrik “för liten”");
    a.reviewer = QStringLiteral("Ana");
    a.time = QStringLiteral("2026-11-24T00:30:00Z");
    a.fileSha256 = hex('1');
    a.contentHash = hex('2');
    c.approvals.push_back(a);
    const QString dir = QFileInfo(m_project).absolutePath();
    const QByteArray bytes = editor::serializeCampaign(c, dir);
    editor::LoadResult back = editor::parseCampaign(bytes, dir);
    QCOMPARE(back.status, editor::LoadResult::Status::Ok);
    QCOMPARE(back.campaign->approvals.size(), size_t(1));
    QVERIFY(back.campaign->approvals.front() == a);
    QCOMPARE(editor::serializeCampaign(*back.campaign, dir), bytes);

    // Broken entries are reported with their paths; the file is not opened.
    QJsonObject root = QJsonDocument::fromJson(bytes).object();
    QJsonObject entry = root.value(QStringLiteral("approvals")).toArray().at(0).toObject();
    auto issuesFor = [&](const QJsonArray &approvals) {
        QJsonObject r = root;
        r.insert(QStringLiteral("approvals"), approvals);
        const editor::LoadResult res = editor::parseCampaign(QJsonDocument(r).toJson(), dir);
        QStringList out;
        for (const auto &i : res.issues)
            out << i.toString();
        return out.join(QLatin1Char('\n'));
    };
    QJsonObject bad = entry;
    bad.insert(QStringLiteral("decision"), QStringLiteral("maybe"));
    QVERIFY(issuesFor({bad}).contains(QStringLiteral("$.approvals[0].decision")));
    bad = entry;
    bad.remove(QStringLiteral("fileSha256"));
    QVERIFY(issuesFor({bad}).contains(QStringLiteral("$.approvals[0].fileSha256")));
    bad = entry;
    bad.insert(QStringLiteral("contentHash"), QStringLiteral("ABC"));
    QVERIFY(issuesFor({bad}).contains(QStringLiteral("$.approvals[0].contentHash")));
    bad = entry;
    bad.insert(QStringLiteral("approvedBy"), QStringLiteral("x"));
    QVERIFY(issuesFor({bad}).contains(QStringLiteral("approvedBy")));
    QVERIFY(issuesFor({entry, entry}).contains(QStringLiteral("$.approvals[1]")));
    QVERIFY(issuesFor({entry}).isEmpty());
}

void TestReview::statusesOfRealRenders()
{
    editor::Campaign c = load(m_project);
    services::FileHashCache hashes;
    QList<services::CellReview> cells = services::reviewCells(c, m_out, hashes);
    QCOMPARE(int(cells.size()), kCells);
    for (const services::CellReview &cell : cells) {
        QCOMPARE(cell.status, ReviewStatus::Rendered);
        QVERIFY(QFileInfo(cell.posterPath).isFile());
        QCOMPARE(cell.fileSha256, cell.manifest->sha256);
    }
    // Not rendered: an export folder with nothing in it.
    for (const services::CellReview &cell : services::reviewCells(c, m_tmp.filePath(QStringLiteral("empty")), hashes))
        QCOMPARE(cell.status, ReviewStatus::NotRendered);
    QString why;
    QVERIFY(!services::makeApproval(services::reviewCells(c, m_tmp.filePath(QStringLiteral("empty")), hashes).first(),
                                    editor::Approval::Decision::Approved, {}, {}, QDateTime::currentDateTimeUtc(), &why));
    QVERIFY(!why.isEmpty());

    const QDateTime when = QDateTime::fromString(QStringLiteral("2026-11-24T01:00:00Z"), Qt::ISODate);
    const auto yes = services::makeApproval(*find(cells, QStringLiteral("north/1x1")),
                                            editor::Approval::Decision::Approved,
                                            QStringLiteral("  ship it "), QStringLiteral("Ana"), when);
    const auto no = services::makeApproval(*find(cells, QStringLiteral("south/9x16")),
                                           editor::Approval::Decision::Rejected,
                                           QStringLiteral("CTA cut off"), {}, when);
    QVERIFY(yes && no);
    QCOMPARE(yes->comment, QStringLiteral("ship it"));
    QCOMPARE(yes->time, QStringLiteral("2026-11-24T01:00:00Z"));
    QCOMPARE(yes->fileSha256, find(cells, QStringLiteral("north/1x1"))->fileSha256);
    QCOMPARE(yes->contentHash, find(cells, QStringLiteral("north/1x1"))->manifest->contentHash);
    services::setApproval(c, *yes);
    services::setApproval(c, *no);
    QString error;
    QVERIFY2(editor::saveCampaign(c, m_project, &error), qPrintable(error));

    const QMap<QString, ReviewStatus> s = statuses(services::reviewCells(load(m_project), m_out, hashes));
    QCOMPARE(s.value(QStringLiteral("north/1x1")), ReviewStatus::Approved);
    QCOMPARE(s.value(QStringLiteral("south/9x16")), ReviewStatus::Rejected);
    QCOMPARE(s.value(QStringLiteral("north/9x16")), ReviewStatus::Rendered);
    QCOMPARE(int(s.values().count(ReviewStatus::Rendered)), kCells - 2);
}

void TestReview::changedSinceApproval()
{
    // Both ways a decision goes void, on copies: the approved MP4 edited in place, and a
    // re-export with changed inputs (another headline) of the rejected cell.
    const QString dir = copyProject(QStringLiteral("changed"));
    QVERIFY(!dir.isEmpty());
    const QString project = dir + QStringLiteral("/project/tiny.campaign");
    const QString out = dir + QStringLiteral("/out");
    editor::Campaign c = load(project);
    QCOMPARE(c.approvals.size(), size_t(2));
    services::FileHashCache hashes;
    QList<services::CellReview> cells = services::reviewCells(c, out, hashes);
    QCOMPARE(statuses(cells).value(QStringLiteral("north/1x1")), ReviewStatus::Approved);

    const QString approvedFile = find(cells, QStringLiteral("north/1x1"))->filePath;
    QFile f(approvedFile);
    QVERIFY(f.open(QIODevice::Append));
    QVERIFY(f.write("tampered", 8) == 8);
    f.close();
    cells = services::reviewCells(c, out, hashes);
    QCOMPARE(statuses(cells).value(QStringLiteral("north/1x1")), ReviewStatus::Changed);
    QVERIFY(find(cells, QStringLiteral("north/1x1"))->approval);  // kept, as history
    QString why;
    QVERIFY(!services::makeApproval(*find(cells, QStringLiteral("north/1x1")),
                                    editor::Approval::Decision::Approved, {}, {},
                                    QDateTime::currentDateTimeUtc(), &why));
    QVERIFY2(why.contains(QStringLiteral("export it again")), qPrintable(why));

    for (editor::Segment &s : c.segments)
        if (s.id == QStringLiteral("south"))
            s.variables.insert(QStringLiteral("headline"), QStringLiteral("Neu"));
    QString error;
    QVERIFY2(editor::saveCampaign(c, project, &error), qPrintable(error));
    const CliRun r = runCli({QStringLiteral("render"), project, QStringLiteral("--out"), out,
                             QStringLiteral("--segment"), QStringLiteral("south"),
                             QStringLiteral("--format"), QStringLiteral("9x16")}, 300000);
    QVERIFY2(r.finished && r.code == 0, describe(r));
    cells = services::reviewCells(load(project), out, hashes);
    QCOMPARE(statuses(cells).value(QStringLiteral("south/9x16")), ReviewStatus::Changed);
    // A fresh decision on the new render holds again.
    const auto again = services::makeApproval(*find(cells, QStringLiteral("south/9x16")),
                                              editor::Approval::Decision::Approved, {}, {},
                                              QDateTime::currentDateTimeUtc());
    QVERIFY(again);
    editor::Campaign reviewed = load(project);
    services::setApproval(reviewed, *again);
    QCOMPARE(reviewed.approvals.size(), size_t(2));
    QCOMPARE(statuses(services::reviewCells(reviewed, out, hashes)).value(QStringLiteral("south/9x16")),
             ReviewStatus::Approved);
}

void TestReview::htmlSheet()
{
    const editor::Campaign c = load(m_project);
    services::FileHashCache hashes;
    const QList<services::CellReview> cells = services::reviewCells(c, m_out, hashes);
    const QString path = m_tmp.filePath(QStringLiteral("sheet.html"));
    QString error;
    QVERIFY2(services::writeReviewSheetHtml(c, cells, QDateTime::currentDateTimeUtc(), path, &error),
             qPrintable(error));
    const QString html = QString::fromUtf8(readAll(path));
    QCOMPARE(int(html.count(QStringLiteral("<article class=\"cell\""))), kCells);
    for (const services::CellReview &cell : cells)
        QVERIFY2(html.contains(QStringLiteral("data-cell=\"%1\" data-status=\"%2\"")
                                   .arg(cell.jobId(), services::reviewStatusName(cell.status))),
                 qPrintable(cell.jobId()));
    // Self-contained: one embedded PNG per poster, no other source of anything.
    QCOMPARE(int(html.count(QStringLiteral("src=\"data:image/png;base64,"))), kCells);
    QCOMPARE(int(html.count(QStringLiteral("src="))), kCells);
    QVERIFY(!html.contains(QStringLiteral("http://")) && !html.contains(QStringLiteral("https://")));
    QVERIFY(!html.contains(QStringLiteral("<script")));
    // The embedded data really is the poster.
    const int at = html.indexOf(QStringLiteral("base64,")) + 7;
    const QByteArray b64 = html.mid(at, html.indexOf(QLatin1Char('"'), at) - at).toLatin1();
    QVERIFY(!QImage::fromData(QByteArray::fromBase64(b64), "PNG").isNull());
    // Copy is shown escaped, with the statuses and comments.
    QVERIFY(html.contains(kNorthCta.toHtmlEscaped()));
    QVERIFY(!html.contains(kNorthCta));
    QVERIFY(html.contains(QStringLiteral("Hallo")));
    QVERIFY(html.contains(QStringLiteral("CTA cut off")));
    QVERIFY(html.contains(QStringLiteral("sv_SE")));
    QCOMPARE(int(html.count(QStringLiteral("data-status=\"approved\""))), 1);
    QCOMPARE(int(html.count(QStringLiteral("data-status=\"rejected\""))), 1);
}

void TestReview::pdfSheet()
{
    const editor::Campaign c = load(m_project);
    services::FileHashCache hashes;
    const QList<services::CellReview> cells = services::reviewCells(c, m_out, hashes);
    const QString pdf = m_tmp.filePath(QStringLiteral("sheet.pdf"));
    QString error;
    QVERIFY2(services::writeReviewSheetPdf(c, cells, QDateTime::currentDateTimeUtc(), pdf, &error),
             qPrintable(error));
    QVERIFY(readAll(pdf).startsWith("%PDF-"));
    QByteArray log;
    const QList<QImage> pages = rasterise(pdf, m_tmp.filePath(QStringLiteral("page")), &log);
    const int expectedPages = int(std::ceil(double(kCells) / services::kSheetCellsPerPage));
    QCOMPARE(services::reviewSheetPageCount(kCells), expectedPages);
    QVERIFY2(pages.size() == expectedPages, log.constData());
    int drawn = 0;
    for (int page = 0; page < pages.size(); ++page) {
        QVERIFY(!pages.at(page).isNull());
        // A4 portrait.
        QVERIFY(std::abs(double(pages.at(page).height()) / pages.at(page).width() - 297.0 / 210.0) < 0.01);
        for (int slot = 0; slot < services::kSheetCellsPerPage; ++slot) {
            const double ink = inkShare(pages.at(page), services::reviewSheetCellRect(slot));
            const bool filled = page * services::kSheetCellsPerPage + slot < kCells;
            const QByteArray where = QByteArray("page ") + QByteArray::number(page + 1) + " slot "
                + QByteArray::number(slot) + " ink " + QByteArray::number(ink);
            if (filled) {
                ++drawn;
                QVERIFY2(ink > 0.05, where.constData());  // poster + text + badge
            } else {
                QVERIFY2(ink < 0.001, where.constData());
            }
        }
    }
    QCOMPARE(drawn, kCells);
}

void TestReview::cliReviewSheet()
{
    const QString pdf = m_tmp.filePath(QStringLiteral("cli/sheet.pdf"));
    const CliRun r = runCli({QStringLiteral("review-sheet"), m_project, QStringLiteral("--out"), pdf,
                             QStringLiteral("--renders"), m_out}, 120000);
    QVERIFY2(r.finished && r.code == 0, describe(r));
    QCOMPARE(QString::fromUtf8(r.out.trimmed()), pdf);
    QVERIFY2(r.err.contains("1 approved") && r.err.contains("1 rejected"), describe(r).constData());
    QByteArray log;
    QCOMPARE(int(rasterise(pdf, m_tmp.filePath(QStringLiteral("cli/page")), &log).size()),
             services::reviewSheetPageCount(kCells));

    const QString html = m_tmp.filePath(QStringLiteral("cli/sheet.html"));
    const CliRun h = runCli({QStringLiteral("review-sheet"), m_project, QStringLiteral("--out"), html,
                             QStringLiteral("--renders"), m_out}, 120000);
    QVERIFY2(h.finished && h.code == 0, describe(h));
    QCOMPARE(int(QString::fromUtf8(readAll(html)).count(QStringLiteral("data:image/png;base64,"))), kCells);
    // Without --renders: <project folder>/renders, where nothing was exported.
    const CliRun d = runCli({QStringLiteral("review-sheet"), m_project, QStringLiteral("--out"), html}, 120000);
    QVERIFY2(d.finished && d.code == 0, describe(d));
    QCOMPARE(int(QString::fromUtf8(readAll(html)).count(QStringLiteral("data-status=\"not-rendered\""))), kCells);

    for (const QStringList &bad : {QStringList{QStringLiteral("--out"), m_tmp.filePath(QStringLiteral("x.txt"))},
                                   QStringList{}}) {
        const CliRun u = runCli(QStringList{QStringLiteral("review-sheet"), m_project} + bad, 60000);
        QVERIFY2(u.finished && u.code == 2, describe(u));
    }
    const CliRun missing = runCli({QStringLiteral("review-sheet"), m_tmp.filePath(QStringLiteral("nope.campaign")),
                                   QStringLiteral("--out"), html}, 60000);
    QVERIFY2(missing.finished && missing.code == 66, describe(missing));
}

void TestReview::cliRenderApprovedOnly()
{
    // north/1x1 approved, south/9x16 rejected (statusesOfRealRenders): only the first ships.
    const CliRun r = runCli({QStringLiteral("render"), m_project, QStringLiteral("--out"), m_out,
                             QStringLiteral("--approved-only"), QStringLiteral("--progress"),
                             QStringLiteral("jsonl")}, 300000);
    QVERIFY2(r.finished && r.code == 0, describe(r));
    const QMap<QString, QString> done = doneStatuses(r.out);
    QCOMPARE(done.keys(), QStringList{QStringLiteral("north/1x1")});
    QCOMPARE(done.value(QStringLiteral("north/1x1")), QStringLiteral("skipped"));  // up to date

    // An approval made void by a changed file ships nothing: exit 0 with a message.
    const QString dir = copyProject(QStringLiteral("approved-only"));
    QVERIFY(!dir.isEmpty());
    const QString mp4 = dir + QStringLiteral("/out/tiny-generation-test/north/1x1.mp4");
    QVERIFY(QFileInfo(mp4).isFile());
    QFile f(mp4);
    QVERIFY(f.open(QIODevice::Append) && f.write("x", 1) == 1);
    f.close();
    const QByteArray before = readAll(mp4);
    const CliRun none = runCli({QStringLiteral("render"), dir + QStringLiteral("/project/tiny.campaign"),
                                QStringLiteral("--out"), dir + QStringLiteral("/out"),
                                QStringLiteral("--approved-only"), QStringLiteral("--progress"),
                                QStringLiteral("jsonl")}, 120000);
    QVERIFY2(none.finished && none.code == 0, describe(none));
    QVERIFY(doneStatuses(none.out).isEmpty());
    QVERIFY2(none.err.contains("approved"), describe(none).constData());
    QCOMPARE(readAll(mp4), before);  // nothing was rendered over it

    // Inputs edited after the approval (north's headline), nothing re-exported: the approved file is
    // still what the manifest says, but shipping a new render of it would ship something no
    // approver saw. The cell is refused by name and the approved file stays as it was.
    const QString edited = copyProject(QStringLiteral("approved-then-edited"));
    QVERIFY(!edited.isEmpty());
    const QString editedProject = edited + QStringLiteral("/project/tiny.campaign");
    const QString approvedMp4 = edited + QStringLiteral("/out/tiny-generation-test/north/1x1.mp4");
    const QByteArray approvedBytes = readAll(approvedMp4);
    QVERIFY(!approvedBytes.isEmpty());
    QJsonObject root = QJsonDocument::fromJson(readAll(editedProject)).object();
    QJsonArray segments = root.value(QStringLiteral("segments")).toArray();
    QJsonObject north = segments.at(0).toObject();
    QJsonObject vars = north.value(QStringLiteral("variables")).toObject();
    QCOMPARE(vars.value(QStringLiteral("headline")).toString(), QStringLiteral("Hej"));
    vars.insert(QStringLiteral("headline"), QStringLiteral("Hej igen"));
    north.insert(QStringLiteral("variables"), vars);
    segments.replace(0, north);
    root.insert(QStringLiteral("segments"), segments);
    QVERIFY(writeAll(editedProject, QJsonDocument(root).toJson()));
    const CliRun refused = runCli({QStringLiteral("render"), editedProject, QStringLiteral("--out"),
                                   edited + QStringLiteral("/out"), QStringLiteral("--approved-only"),
                                   QStringLiteral("--progress"), QStringLiteral("jsonl")}, 120000);
    QVERIFY2(refused.finished && refused.code == 1, describe(refused));
    const QMap<QString, QString> refusedDone = doneStatuses(refused.out);
    QCOMPARE(refusedDone.keys(), QStringList{QStringLiteral("north/1x1")});
    QCOMPARE(refusedDone.value(QStringLiteral("north/1x1")), QStringLiteral("failed"));
    QVERIFY2(refused.out.contains("changed_since_approval"), describe(refused).constData());
    QVERIFY2(!refused.out.contains("\"event\":\"start\""), describe(refused).constData());
    QCOMPARE(readAll(approvedMp4), approvedBytes);
}

QTEST_MAIN(TestReview)
#include "tst_review.moc"
