// SPDX-License-Identifier: GPL-3.0-or-later
// Provenance and AI disclosure (issue 7): real exports and stills carrying OutputMetadata,
// read back with independent readers from Debian — ffprobe (FFmpeg) for the MP4 container
// tags and exiftool (libimage-exiftool-perl) for the XMP in MP4, PNG and JPEG — so the test
// checks what other software actually sees, not what our own writer believes it wrote.
#include "fixtures.h"
#include "render/output_metadata.h"
#include "render/renderer.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <cmath>

using namespace render;
using namespace fixtures;

namespace {
const QString kTool = QStringLiteral("Campaign Studio 9.8.7-test");
const QString kComposite = QString::fromLatin1(kDigitalSourceComposite);
const QString kGenerated = QString::fromLatin1(kDigitalSourceGenerated);

OutputMetadata compositeMetadata()
{
    OutputMetadata m;
    m.creatorTool = kTool;
    m.digitalSourceType = kComposite;
    // Unsorted, duplicated and with markup characters: the writer normalises and escapes.
    m.generatorModels = {QStringLiteral("veo-3.0-fast"), QStringLiteral("gemini-2.5-flash-image"),
                         QStringLiteral("veo-3.0-fast"), QStringLiteral("offline-v1 <a&b>")};
    m.title = QStringLiteral("Stride Autumn Drop — us-parents / 9x16");
    return m;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
}  // namespace

class TestOutputMetadata : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void xmpPacketIsWellFormed();
    void emptyMetadataWritesNothing();
    void compositeMp4DisclosesToFfprobe();
    void compositeMp4DisclosesToExiftool();
    void mp4WithoutGeneratedMediaHasNoDisclosure();
    void identicalInputsGiveIdenticalFiles();
    void generatedPngStillDisclosesToExiftool();
    void jpegStillDisclosesToExiftool();
    void appendRefusesIncompleteMp4();
    void visibleLabelSitsInSafeZone();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    // Runs a tool, bounded in time; fails the test on a non-zero exit. Returns stdout.
    QByteArray run(const QString &program, const QStringList &args, bool *ok);
    QJsonObject ffprobeFormatTags(const QString &file, bool *ok);
    QJsonObject exiftoolXmp(const QString &file, bool numeric, bool *ok);
    Composition smallComposition() const;
    void exportWith(const OutputMetadata &m, const QString &out, bool *ok);

    QTemporaryDir m_dir;
    QString m_disc;
    QString m_ffprobe, m_exiftool;
};

void TestOutputMetadata::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Keep the outputs for running exiftool/ffprobe on them by hand.
    if (qEnvironmentVariableIsSet("CAMPAIGN_RENDER_DUMP")) {
        m_dir.setAutoRemove(false);
        qInfo("outputs kept in %s", qPrintable(m_dir.path()));
    }
    QString fontError;
    QVERIFY2(loadRenderFonts(&fontError), qPrintable(fontError));
    m_disc = writeDiscPng(m_dir.path(), QStringLiteral("disc.png"), {256, 256}, 40);
    QVERIFY(!m_disc.isEmpty());
    m_ffprobe = QStandardPaths::findExecutable(QStringLiteral("ffprobe"));
    m_exiftool = QStandardPaths::findExecutable(QStringLiteral("exiftool"));
    // Not skipped: the disclosure is only proven by an independent reader.
    QVERIFY2(!m_ffprobe.isEmpty(), "ffprobe not found: install the Debian package ffmpeg");
    QVERIFY2(!m_exiftool.isEmpty(),
             "exiftool not found: install the Debian package libimage-exiftool-perl");
}

QByteArray TestOutputMetadata::run(const QString &program, const QStringList &args, bool *ok)
{
    *ok = false;
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished(2000);
        qWarning() << program << "did not finish:" << p.errorString();
        return {};
    }
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning() << program << args << "failed:" << p.readAllStandardError();
        return {};
    }
    *ok = true;
    return p.readAllStandardOutput();
}

QJsonObject TestOutputMetadata::ffprobeFormatTags(const QString &file, bool *ok)
{
    const QByteArray out = run(m_ffprobe, {QStringLiteral("-v"), QStringLiteral("error"),
                                           QStringLiteral("-show_format"), QStringLiteral("-of"),
                                           QStringLiteral("json"), file}, ok);
    return QJsonDocument::fromJson(out).object().value(QStringLiteral("format")).toObject()
        .value(QStringLiteral("tags")).toObject();
}

// exiftool -j -XMP:all, with -n for raw values (the URI rather than exiftool's wording).
// -G1 names the namespace group of each tag ("XMP-iptcExt:DigitalSourceType").
QJsonObject TestOutputMetadata::exiftoolXmp(const QString &file, bool numeric, bool *ok)
{
    QStringList args{QStringLiteral("-j"), QStringLiteral("-G1"), QStringLiteral("-XMP:all"),
                     QStringLiteral("-Warning")};
    if (numeric)
        args << QStringLiteral("-n");
    args << file;
    const QByteArray out = run(m_exiftool, args, ok);
    const QJsonArray array = QJsonDocument::fromJson(out).array();
    if (array.size() != 1)
        *ok = false;
    return array.first().toObject();
}

Composition TestOutputMetadata::smallComposition() const
{
    Composition c = baseComposition(96, 64, 30);  // one second at 30 fps
    c.layers.push_back(image(m_disc, QRectF(0, 0, 96, 64), Fit::Cover, 0, 30));
    c.layers.push_back(solid(QRectF(0, 0, 32, 16), kRed, 10, 20));
    return c;
}

void TestOutputMetadata::exportWith(const OutputMetadata &m, const QString &out, bool *ok)
{
    *ok = false;
    Composition c = smallComposition();
    c.encode.metadata = m;
    EXPORT_OK(c, out);
    QVERIFY(partialFiles(QFileInfo(out).absolutePath()).isEmpty());
    *ok = true;
}

void TestOutputMetadata::xmpPacketIsWellFormed()
{
    const QByteArray xmp = buildXmpPacket(compositeMetadata());
    QVERIFY(xmp.startsWith("<?xpacket begin=\"\xEF\xBB\xBF\""));
    QVERIFY(xmp.endsWith("<?xpacket end=\"w\"?>"));
    QXmlStreamReader xml(xmp);
    QStringList models;
    QString sourceType, tool, aiSystem;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto ns = xml.namespaceUri();
        const auto name = xml.name();
        if (ns == QLatin1String("http://iptc.org/std/Iptc4xmpExt/2008-02-29/")
            && name == QLatin1String("DigitalSourceType"))
            sourceType = xml.readElementText();
        else if (ns == QLatin1String("http://iptc.org/std/Iptc4xmpExt/2008-02-29/")
                 && name == QLatin1String("AISystemUsed"))
            aiSystem = xml.readElementText();
        else if (ns == QLatin1String("http://ns.adobe.com/xap/1.0/") && name == QLatin1String("CreatorTool"))
            tool = xml.readElementText();
        else if (ns == QLatin1String(kProvenanceNamespace) && name == QLatin1String("GeneratorModels")) {
            while (!(xml.isEndElement() && xml.name() == QLatin1String("GeneratorModels"))
                   && !xml.atEnd()) {
                xml.readNext();
                if (xml.isStartElement() && xml.name() == QLatin1String("li"))
                    models << xml.readElementText();
            }
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(sourceType, kComposite);
    QCOMPARE(tool, kTool);
    // Sorted, de-duplicated, escaped markup read back as the original characters.
    const QStringList expected{QStringLiteral("gemini-2.5-flash-image"),
                               QStringLiteral("offline-v1 <a&b>"), QStringLiteral("veo-3.0-fast")};
    QCOMPARE(models, expected);
    QCOMPARE(aiSystem, expected.join(QStringLiteral(", ")));
    // Nothing time-dependent may enter the packet (byte-identical exports).
    QVERIFY(!xmp.contains("Date"));
    QCOMPARE(buildXmpPacket(compositeMetadata()), xmp);
    // A control character cannot break the XML.
    OutputMetadata odd;
    odd.creatorTool = QStringLiteral("tool\x01\x1b");
    QXmlStreamReader oddXml(buildXmpPacket(odd));
    while (!oddXml.atEnd())
        oddXml.readNext();
    QVERIFY2(!oddXml.hasError(), qPrintable(oddXml.errorString()));
}

void TestOutputMetadata::emptyMetadataWritesNothing()
{
    QVERIFY(buildXmpPacket(OutputMetadata{}).isEmpty());
    QVERIFY(disclosureText(OutputMetadata{}).isEmpty());
    // With no metadata an export has no XMP box at all, exactly as before this feature.
    const QString out = path(QStringLiteral("plain.mp4"));
    bool ok = false;
    exportWith(OutputMetadata{}, out, &ok);
    QVERIFY(ok);
    const QByteArray bytes = readAll(out);
    QVERIFY(!bytes.contains(QByteArray("\xBE\x7A\xCF\xCB\x97\xA9\x42\xE8", 8)));
    QVERIFY(!bytes.contains("x:xmpmeta"));
    const QJsonObject xmp = exiftoolXmp(out, true, &ok);
    QVERIFY(ok);
    QVERIFY2(!xmp.contains(QStringLiteral("XMP-iptcExt:DigitalSourceType")),
             QJsonDocument(xmp).toJson().constData());
}

void TestOutputMetadata::compositeMp4DisclosesToFfprobe()
{
    const QString out = path(QStringLiteral("composite.mp4"));
    bool ok = false;
    exportWith(compositeMetadata(), out, &ok);
    QVERIFY(ok);
    const QJsonObject tags = ffprobeFormatTags(out, &ok);
    QVERIFY(ok);
    const QByteArray dump = QJsonDocument(tags).toJson();
    QCOMPARE(tags.value(QStringLiteral("comment")).toString(),
             QStringLiteral("Contains AI-generated media (IPTC: compositeWithTrainedAlgorithmicMedia); "
                            "models: gemini-2.5-flash-image, offline-v1 <a&b>, veo-3.0-fast"));
    QVERIFY2(tags.value(QStringLiteral("encoder")).toString() == kTool, dump.constData());
    QCOMPARE(tags.value(QStringLiteral("title")).toString(), compositeMetadata().title);
    // FFmpeg's own MP4 demuxer finds the XMP uuid box too when asked to export it.
    const QByteArray withXmp = run(m_ffprobe, {QStringLiteral("-v"), QStringLiteral("error"),
                                               QStringLiteral("-export_xmp"), QStringLiteral("1"),
                                               QStringLiteral("-show_format"), QStringLiteral("-of"),
                                               QStringLiteral("json"), out}, &ok);
    QVERIFY(ok);
    const QString xmpTag = QJsonDocument::fromJson(withXmp).object()
                               .value(QStringLiteral("format")).toObject()
                               .value(QStringLiteral("tags")).toObject()
                               .value(QStringLiteral("xmp")).toString();
    QVERIFY2(xmpTag.contains(QLatin1String("<Iptc4xmpExt:DigitalSourceType>") + kComposite),
             withXmp.constData());

    // The file is still a normal, complete, faststart MP4 of the right length.
    const MediaInfo info = probeMedia(out);
    QVERIFY2(!info.error, qPrintable(info.error.message));
    QCOMPARE(info.videoCodec, QStringLiteral("h264"));
    QCOMPARE(info.audioCodec, QStringLiteral("aac"));
    QCOMPARE(info.videoFrames, 30);
    QVERIFY2(std::abs(info.durationSec - 1.0) <= 1.0 / 30, qPrintable(QString::number(info.durationSec)));
    QVERIFY(info.faststart);
    const QByteArray streams = run(m_ffprobe, {QStringLiteral("-v"), QStringLiteral("error"),
                                               QStringLiteral("-count_frames"),
                                               QStringLiteral("-show_streams"),
                                               QStringLiteral("-of"), QStringLiteral("json"), out},
                                   &ok);
    QVERIFY(ok);
    const QJsonArray list = QJsonDocument::fromJson(streams).object()
                                .value(QStringLiteral("streams")).toArray();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.at(0).toObject().value(QStringLiteral("nb_read_frames")).toString(),
             QStringLiteral("30"));
    // A decoded frame shows the composition (the red solid is visible on frame 15).
    const QImage frame = frameOf(out, 15);
    QVERIFY(!frame.isNull());
    QVERIFY(colorDistance(meanColor(frame, QRect(4, 2, 24, 12)), kRed) <= kCodecTolerance);
}

void TestOutputMetadata::compositeMp4DisclosesToExiftool()
{
    const QString out = path(QStringLiteral("composite-exif.mp4"));
    bool ok = false;
    exportWith(compositeMetadata(), out, &ok);
    QVERIFY(ok);
    const QJsonObject raw = exiftoolXmp(out, true, &ok);
    QVERIFY(ok);
    const QByteArray dump = QJsonDocument(raw).toJson();
    QVERIFY2(!raw.contains(QStringLiteral("ExifTool:Warning")), dump.constData());
    QVERIFY2(raw.value(QStringLiteral("XMP-iptcExt:DigitalSourceType")).toString() == kComposite,
             dump.constData());
    QVERIFY2(raw.value(QStringLiteral("XMP-xmp:CreatorTool")).toString() == kTool, dump.constData());
    QVERIFY2(raw.value(QStringLiteral("XMP-dc:Title")).toString() == compositeMetadata().title,
             dump.constData());
    const QJsonArray models =
        raw.value(QStringLiteral("XMP-campaignstudio:GeneratorModels")).toArray();
    QVERIFY2(models.size() == 3, dump.constData());
    QCOMPARE(models.at(0).toString(), QStringLiteral("gemini-2.5-flash-image"));
    QCOMPARE(models.at(2).toString(), QStringLiteral("veo-3.0-fast"));
    // What a person running plain `exiftool file.mp4` sees (no -n): the code is named. Newer
    // exiftool versions print a wording instead of the URI, so only the code is compared.
    const QJsonObject printed = exiftoolXmp(out, false, &ok);
    QVERIFY(ok);
    QString shown = printed.value(QStringLiteral("XMP-iptcExt:DigitalSourceType")).toString();
    QVERIFY2(shown.remove(QLatin1Char(' ')).contains(QLatin1String("compositeWithTrainedAlgorithmicMedia"),
                                                    Qt::CaseInsensitive),
             QJsonDocument(printed).toJson().constData());
}

void TestOutputMetadata::mp4WithoutGeneratedMediaHasNoDisclosure()
{
    // The decision: no generated media = no DigitalSourceType and no "AI-generated" comment
    // (claiming "digitalCapture" would assert something we do not know); the creating tool is
    // still recorded.
    OutputMetadata m;
    m.creatorTool = kTool;
    const QString out = path(QStringLiteral("human.mp4"));
    bool ok = false;
    exportWith(m, out, &ok);
    QVERIFY(ok);
    const QJsonObject tags = ffprobeFormatTags(out, &ok);
    QVERIFY(ok);
    QVERIFY2(!tags.contains(QStringLiteral("comment")), QJsonDocument(tags).toJson().constData());
    QCOMPARE(tags.value(QStringLiteral("encoder")).toString(), kTool);
    const QJsonObject xmp = exiftoolXmp(out, true, &ok);
    QVERIFY(ok);
    const QByteArray dump = QJsonDocument(xmp).toJson();
    QVERIFY2(xmp.value(QStringLiteral("XMP-xmp:CreatorTool")).toString() == kTool, dump.constData());
    QVERIFY2(!xmp.contains(QStringLiteral("XMP-iptcExt:DigitalSourceType")), dump.constData());
    QVERIFY2(!dump.contains("AlgorithmicMedia"), dump.constData());
}

void TestOutputMetadata::identicalInputsGiveIdenticalFiles()
{
    bool ok = false;
    const QString a = path(QStringLiteral("same-a.mp4"));
    const QString b = path(QStringLiteral("same-b.mp4"));
    exportWith(compositeMetadata(), a, &ok);
    QVERIFY(ok);
    exportWith(compositeMetadata(), b, &ok);
    QVERIFY(ok);
    const QByteArray bytesA = readAll(a);
    QVERIFY(!bytesA.isEmpty());
    QVERIFY2(bytesA == readAll(b), "two exports of the same composition differ");
    // The metadata is part of those bytes: another model list gives another file.
    OutputMetadata other = compositeMetadata();
    other.generatorModels = {QStringLiteral("veo-2")};
    const QString c = path(QStringLiteral("same-c.mp4"));
    exportWith(other, c, &ok);
    QVERIFY(ok);
    QVERIFY(readAll(c) != bytesA);

    const QImage still = FrameRenderer(smallComposition()).renderFrame(12);
    QVERIFY(!still.isNull());
    QCOMPARE(encodeStillWithMetadata(still, "PNG", compositeMetadata()),
             encodeStillWithMetadata(still, "PNG", compositeMetadata()));
}

void TestOutputMetadata::generatedPngStillDisclosesToExiftool()
{
    OutputMetadata m;
    m.creatorTool = kTool;
    m.digitalSourceType = kGenerated;
    m.generatorModels = {QStringLiteral("gemini-2.5-flash-image")};
    const QImage still = FrameRenderer(smallComposition()).renderFrame(15);
    QVERIFY(!still.isNull());
    const QString out = path(QStringLiteral("poster.png"));
    RenderError error;
    QVERIFY2(writeStillWithMetadata(still, out, m, &error), qPrintable(error.message));
    QVERIFY(partialFiles(m_dir.path()).isEmpty());
    bool ok = false;
    const QJsonObject xmp = exiftoolXmp(out, true, &ok);
    QVERIFY(ok);
    const QByteArray dump = QJsonDocument(xmp).toJson();
    QVERIFY2(!xmp.contains(QStringLiteral("ExifTool:Warning")), dump.constData());
    QVERIFY2(xmp.value(QStringLiteral("XMP-iptcExt:DigitalSourceType")).toString() == kGenerated,
             dump.constData());
    QVERIFY2(xmp.value(QStringLiteral("XMP-xmp:CreatorTool")).toString() == kTool, dump.constData());
    QVERIFY2(xmp.value(QStringLiteral("XMP-iptcExt:AISystemUsed")).toString()
                 == QStringLiteral("gemini-2.5-flash-image"), dump.constData());
    // The chunk is a real iTXt one (not a zTXt/tEXt that some readers ignore for XMP), and
    // the image itself is untouched: it decodes to the same pixels as the frame rendered.
    const QByteArray bytes = readAll(out);
    QVERIFY(bytes.contains(QByteArray("iTXtXML:com.adobe.xmp\0\0\0\0\0", 26)));
    const QImage back(out);
    QVERIFY(!back.isNull());
    QCOMPARE(back.convertToFormat(QImage::Format_RGB32), still.convertToFormat(QImage::Format_RGB32));
    // pngcheck-like strictness from exiftool: -validate reports CRC or structure errors.
    const QByteArray validate = run(m_exiftool, {QStringLiteral("-validate"), QStringLiteral("-warning"),
                                                 QStringLiteral("-a"), QStringLiteral("-s"), out}, &ok);
    QVERIFY(ok);
    QVERIFY2(QRegularExpression(QStringLiteral("Validate\\s*:\\s*OK")).match(QString::fromUtf8(validate)).hasMatch()
                 && !validate.contains("CRC") && !validate.contains("Error"),
             validate.constData());
}

void TestOutputMetadata::jpegStillDisclosesToExiftool()
{
    OutputMetadata m;
    m.creatorTool = kTool;
    m.digitalSourceType = kComposite;
    m.generatorModels = {QStringLiteral("veo-3.0")};
    const QImage still = FrameRenderer(smallComposition()).renderFrame(15);
    const QString out = path(QStringLiteral("poster.jpg"));
    RenderError error;
    QVERIFY2(writeStillWithMetadata(still, out, m, &error), qPrintable(error.message));
    bool ok = false;
    const QJsonObject xmp = exiftoolXmp(out, true, &ok);
    QVERIFY(ok);
    const QByteArray dump = QJsonDocument(xmp).toJson();
    QVERIFY2(xmp.value(QStringLiteral("XMP-iptcExt:DigitalSourceType")).toString() == kComposite,
             dump.constData());
    QVERIFY2(xmp.value(QStringLiteral("XMP-xmp:CreatorTool")).toString() == kTool, dump.constData());
    const QImage back(out);
    QCOMPARE(back.size(), still.size());
}

void TestOutputMetadata::appendRefusesIncompleteMp4()
{
    // A file whose last box claims more bytes than exist (a truncated MP4): appending would
    // bury the XMP inside that box, so the appender refuses and leaves the file as it was.
    const QString broken = path(QStringLiteral("truncated.mp4"));
    QByteArray bytes = readAll(path(QStringLiteral("plain.mp4")));
    QVERIFY(bytes.size() > 100);
    bytes.chop(10);
    {
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }
    RenderError error;
    QVERIFY(!appendMp4XmpBox(broken, buildXmpPacket(compositeMetadata()), &error));
    QVERIFY(!error.message.isEmpty());
    QCOMPARE(readAll(broken), bytes);
    // The same bytes untruncated are accepted, and exiftool finds the packet.
    const QString whole = path(QStringLiteral("appended.mp4"));
    QVERIFY(QFile::copy(path(QStringLiteral("plain.mp4")), whole));
    QVERIFY2(appendMp4XmpBox(whole, buildXmpPacket(compositeMetadata()), &error),
             qPrintable(error.message));
    bool ok = false;
    const QJsonObject xmp = exiftoolXmp(whole, true, &ok);
    QVERIFY(ok);
    QCOMPARE(xmp.value(QStringLiteral("XMP-iptcExt:DigitalSourceType")).toString(), kComposite);
}

void TestOutputMetadata::visibleLabelSitsInSafeZone()
{
    // A 9:16 frame with the 9x16 preset's safe zone (top 14 %, bottom 20 %, left 6 %, right
    // 12 %) on a mid-grey background: the label must be inside the zone's bottom-left corner,
    // show light text on a darker box, and leave every pixel outside its rect alone.
    const int w = 540, h = 960;
    const QRectF safe(0.06 * w, 0.14 * h, w * (1 - 0.06 - 0.12), h * (1 - 0.14 - 0.20));
    Composition plain = baseComposition(w, h, 30);
    plain.background = kGrey;
    Composition labelled = plain;
    const Layer label = aiDisclosureLabel(w, h, safe, plain.frameCount);
    labelled.layers.push_back(label);
    QCOMPARE(label.kind, LayerKind::Text);
    QCOMPARE(label.text, QStringLiteral("AI-generated"));
    QCOMPARE(label.startFrame, 0);
    QCOMPARE(label.endFrame, 30);
    QVERIFY2(safe.contains(label.rect), qPrintable(QStringLiteral("%1,%2 %3x%4")
                                                       .arg(label.rect.x()).arg(label.rect.y())
                                                       .arg(label.rect.width()).arg(label.rect.height())));
    QVERIFY(std::abs(label.rect.left() - safe.left()) <= 1.0);
    QVERIFY(std::abs(label.rect.bottom() - safe.bottom()) <= 1.0);
    QVERIFY(label.rect.width() < safe.width() / 2);  // small, not a banner

    const QImage a = FrameRenderer(plain).renderFrame(29);
    const QImage b = FrameRenderer(labelled).renderFrame(29);
    QVERIFY(!a.isNull() && !b.isNull());
    dump(b, QStringLiteral("ai-label.png"));
    const QRect box = label.rect.toAlignedRect();
    int changedOutside = 0, bright = 0, dark = 0;
    int textLeft = w, textRight = -1;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const QRgb pa = a.pixel(x, y), pb = b.pixel(x, y);
            if (!box.contains(x, y)) {
                changedOutside += pa != pb;
                continue;
            }
            const int l = luma(pb);
            if (l > 200) {
                ++bright;
                textLeft = std::min(textLeft, x);
                textRight = std::max(textRight, x);
            } else if (l < 70) {
                ++dark;
            }
        }
    QCOMPARE(changedOutside, 0);
    QVERIFY2(dark > box.width() * box.height() / 3, qPrintable(QString::number(dark)));
    QVERIFY2(bright > 50, qPrintable(QString::number(bright)));
    // The whole word is drawn at full size (not shrunk or wrapped away): the text spans most
    // of the box.
    QVERIFY2(textRight - textLeft > box.width() * 0.6,
             qPrintable(QStringLiteral("%1..%2 in %3").arg(textLeft).arg(textRight).arg(box.width())));
}

QTEST_MAIN(TestOutputMetadata)
#include "tst_output_metadata.moc"
