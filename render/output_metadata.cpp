// SPDX-License-Identifier: GPL-3.0-or-later
#include "output_metadata.h"

#include "output_file.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QFont>
#include <QFontMetricsF>
#include <QImageWriter>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <unistd.h>

namespace render {

namespace {
QString tr(const char *text) { return QCoreApplication::translate("render", text); }

// The UUID ISO-BMFF readers associate with an XMP packet (BE7ACFCB-97A9-42E8-9C71-999491E3AFAC).
constexpr std::array<unsigned char, 16> kXmpUuid = {0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8,
                                                     0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC};

// Text content for XML: markup characters escaped, and the control characters XML 1.0 cannot
// carry at all dropped (a model id or title pasted with a stray control code must not make
// the whole packet unparseable).
QByteArray xmlText(const QString &s)
{
    QString clean;
    clean.reserve(s.size());
    for (QChar ch : s) {
        const char16_t u = ch.unicode();
        if (u < 0x20 && u != u'\t' && u != u'\n' && u != u'\r')
            continue;
        if (u == 0xFFFE || u == 0xFFFF)
            continue;
        clean += ch;
    }
    return clean.toHtmlEscaped().toUtf8();
}

QString shortSourceType(const QString &uri)
{
    const qsizetype slash = uri.lastIndexOf(QLatin1Char('/'));
    return slash >= 0 ? uri.mid(slash + 1) : uri;
}

void appendBigEndian32(QByteArray *out, quint32 v)
{
    out->append(char(v >> 24)).append(char(v >> 16)).append(char(v >> 8)).append(char(v));
}

quint32 readBigEndian32(const char *p)
{
    const auto *u = reinterpret_cast<const unsigned char *>(p);
    return (quint32(u[0]) << 24) | (quint32(u[1]) << 16) | (quint32(u[2]) << 8) | quint32(u[3]);
}

// CRC-32 as PNG defines it (ISO 3309 / ITU-T V.42: reflected polynomial 0xEDB88320, all ones
// in and out). Small enough to keep here rather than reaching for zlib from the render core.
quint32 pngCrc(const QByteArray &bytes)
{
    static const std::array<quint32, 256> table = [] {
        std::array<quint32, 256> t{};
        for (quint32 n = 0; n < 256; ++n) {
            quint32 c = n;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    quint32 c = 0xFFFFFFFFu;
    for (char b : bytes)
        c = table[(c ^ quint8(b)) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

bool setError(RenderError *error, ErrorKind kind, const QString &message)
{
    if (error) {
        error->kind = kind;
        error->message = message;
    }
    return false;
}
}  // namespace

QStringList normalisedModels(const OutputMetadata &m)
{
    QStringList models;
    for (const QString &model : m.generatorModels)
        if (!model.trimmed().isEmpty())
            models << model.trimmed();
    models.sort();
    models.removeDuplicates();
    return models;
}

QString disclosureText(const OutputMetadata &m)
{
    if (m.digitalSourceType.isEmpty())
        return {};
    QString text = QStringLiteral("Contains AI-generated media (IPTC: %1)")
                       .arg(shortSourceType(m.digitalSourceType));
    const QStringList models = normalisedModels(m);
    if (!models.isEmpty())
        text += QStringLiteral("; models: ") + models.join(QStringLiteral(", "));
    return text;
}

QByteArray buildXmpPacket(const OutputMetadata &m)
{
    if (m.isEmpty())
        return {};
    const QStringList models = normalisedModels(m);
    // Properties as elements (not attributes) so lists and language alternatives read the
    // same way everywhere. The packet wrapper's id is the fixed value the XMP spec prescribes;
    // "w" marks it writable so other tools may edit it in place.
    QByteArray x;
    x += "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n";
    x += "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n";
    x += " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n";
    x += "  <rdf:Description rdf:about=\"\"\n";
    x += "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n";
    x += "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n";
    x += "    xmlns:Iptc4xmpExt=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\"\n";
    x += QByteArray("    xmlns:") + kProvenancePrefix + "=\"" + kProvenanceNamespace + "\">\n";
    if (!m.creatorTool.isEmpty())
        x += "   <xmp:CreatorTool>" + xmlText(m.creatorTool) + "</xmp:CreatorTool>\n";
    if (!m.title.isEmpty())
        x += "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xmlText(m.title)
            + "</rdf:li></rdf:Alt></dc:title>\n";
    if (!m.description.isEmpty())
        x += "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">"
            + xmlText(m.description) + "</rdf:li></rdf:Alt></dc:description>\n";
    if (!m.digitalSourceType.isEmpty())
        x += "   <Iptc4xmpExt:DigitalSourceType>" + xmlText(m.digitalSourceType)
            + "</Iptc4xmpExt:DigitalSourceType>\n";
    if (!models.isEmpty()) {
        // IPTC's "AI System Used" (Photo Metadata 2025.1) is a single text; the full list is
        // also kept as a proper bag in our own namespace for machine readers.
        x += "   <Iptc4xmpExt:AISystemUsed>" + xmlText(models.join(QStringLiteral(", ")))
            + "</Iptc4xmpExt:AISystemUsed>\n";
        x += QByteArray("   <") + kProvenancePrefix + ":GeneratorModels>\n    <rdf:Bag>\n";
        for (const QString &model : models)
            x += "     <rdf:li>" + xmlText(model) + "</rdf:li>\n";
        x += QByteArray("    </rdf:Bag>\n   </") + kProvenancePrefix + ":GeneratorModels>\n";
    }
    x += "  </rdf:Description>\n";
    x += " </rdf:RDF>\n";
    x += "</x:xmpmeta>\n";
    x += "<?xpacket end=\"w\"?>";
    return x;
}

bool appendMp4XmpBox(const QString &path, const QByteArray &xmp, RenderError *error)
{
    QFile file(path);
    errno = 0;
    if (!file.open(QIODevice::ReadWrite)) {
        // A folder turned read-only since the encode began is writeFailure's CannotCreate.
        const int openErrno = errno;
        if (openErrno == EROFS || openErrno == EACCES || openErrno == EPERM) {
            if (error)
                *error = writeFailure(path, openErrno, {});
            return false;
        }
        return setError(error, ErrorKind::IoError,
                        tr("Cannot open \"%1\" to add its metadata (%2).").arg(path, file.errorString()));
    }
    const qint64 size = file.size();
    const auto notMp4 = [&] {
        return setError(error, ErrorKind::Internal,
                        tr("\"%1\" is not a complete MP4 file; its metadata cannot be added.")
                            .arg(path));
    };
    // Walk the top-level boxes: the file must end exactly where the last box ends.
    qint64 pos = 0;
    while (pos < size) {
        if (size - pos < 8 || !file.seek(pos))
            return notMp4();
        char header[16];
        if (file.read(header, 8) != 8)
            return notMp4();
        quint64 boxSize = readBigEndian32(header);
        if (boxSize == 1) {  // 64-bit "largesize" follows the type
            if (file.read(header + 8, 8) != 8)
                return notMp4();
            boxSize = (quint64(readBigEndian32(header + 8)) << 32) | readBigEndian32(header + 12);
        }
        // 0 = "runs to the end of the file": anything appended would become part of it.
        if (boxSize < 8 || boxSize > quint64(size - pos))
            return notMp4();
        pos += qint64(boxSize);
    }
    if (pos != size || size == 0)
        return notMp4();

    QByteArray box;
    const qint64 boxSize = 8 + qint64(kXmpUuid.size()) + xmp.size();
    if (boxSize > 0xFFFFFFFFll)
        return setError(error, ErrorKind::Internal, tr("The XMP metadata is too large."));
    box.reserve(int(boxSize));
    appendBigEndian32(&box, quint32(boxSize));
    box += "uuid";
    box.append(reinterpret_cast<const char *>(kXmpUuid.data()), int(kXmpUuid.size()));
    box += xmp;
    if (!file.seek(size) || file.write(box) != box.size() || !file.flush()) {
        const int errnoValue = errno;
        const QString detail = file.errorString();
        file.close();
        // Leave no half box behind: the caller may keep the file if it chooses.
        ::truncate(QFile::encodeName(path).constData(), size);
        if (error)
            *error = writeFailure(path, errnoValue, detail);
        return false;
    }
    return true;
}

QByteArray insertPngXmp(const QByteArray &png, const QByteArray &xmp)
{
    static const char kSignature[] = "\x89PNG\r\n\x1a\n";
    // Signature (8) + IHDR chunk (4 length + 4 type + 13 data + 4 CRC).
    if (png.size() < 33 || !png.startsWith(QByteArray(kSignature, 8))
        || png.mid(12, 4) != "IHDR" || readBigEndian32(png.constData() + 8) != 13)
        return {};
    // iTXt: keyword, NUL, compression flag 0 and method 0 (XMP must stay uncompressed so it
    // can be found by scanning), empty language tag and translated keyword, then the UTF-8.
    QByteArray typeAndData = "iTXt";
    typeAndData += QByteArray("XML:com.adobe.xmp", 17);
    typeAndData += QByteArray("\0\0\0\0\0", 5);
    typeAndData += xmp;
    QByteArray chunk;
    appendBigEndian32(&chunk, quint32(typeAndData.size() - 4));
    chunk += typeAndData;
    appendBigEndian32(&chunk, pngCrc(typeAndData));
    QByteArray out = png;
    out.insert(33, chunk);
    return out;
}

QByteArray insertJpegXmp(const QByteArray &jpeg, const QByteArray &xmp)
{
    static const char kSignature[] = "http://ns.adobe.com/xap/1.0/";  // + NUL = 29 bytes
    const qsizetype length = 2 + 29 + xmp.size();
    if (jpeg.size() < 4 || quint8(jpeg[0]) != 0xFF || quint8(jpeg[1]) != 0xD8 || length > 0xFFFF)
        return {};
    // After SOI and a JFIF APP0 if present: JFIF requires its APP0 to come first.
    qsizetype at = 2;
    if (jpeg.size() >= 6 && quint8(jpeg[2]) == 0xFF && quint8(jpeg[3]) == 0xE0) {
        const int app0 = (quint8(jpeg[4]) << 8) | quint8(jpeg[5]);
        if (app0 < 2 || 4 + app0 > jpeg.size())
            return {};
        at = 4 + app0;
    }
    QByteArray segment("\xFF\xE1", 2);
    segment.append(char(length >> 8)).append(char(length & 0xFF));
    segment.append(kSignature, 29);  // includes the terminating NUL
    segment += xmp;
    QByteArray out = jpeg;
    out.insert(at, segment);
    return out;
}

QByteArray encodeStillWithMetadata(const QImage &image, const QByteArray &format,
                                   const OutputMetadata &m, RenderError *error)
{
    const QByteArray fmt = format.toUpper();
    const bool jpeg = fmt == "JPEG" || fmt == "JPG";
    if (!jpeg && fmt != "PNG") {
        setError(error, ErrorKind::Internal, tr("Unsupported still format \"%1\".")
                                                 .arg(QString::fromLatin1(format)));
        return {};
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, jpeg ? "JPEG" : "PNG");
    if (jpeg)
        writer.setQuality(92);
    else
        // zlib's middle level: a full-HD poster in ~0.17 s instead of ~0.35 s at Qt's
        // default, for ~6 % more bytes (measured on the reference's 9:16 poster). A batch
        // writes one per variant, between the units that keep the encoders busy.
        writer.setCompression(50);
    // JPEG has no alpha: flatten over black like the video frames are.
    const QImage source = jpeg && image.hasAlphaChannel()
        ? image.convertToFormat(QImage::Format_RGB32) : image;
    if (image.isNull() || !writer.write(source)) {
        setError(error, ErrorKind::Internal,
                 tr("Cannot encode the still image (%1).").arg(writer.errorString()));
        return {};
    }
    const QByteArray xmp = buildXmpPacket(m);
    if (xmp.isEmpty())
        return bytes;
    const QByteArray out = jpeg ? insertJpegXmp(bytes, xmp) : insertPngXmp(bytes, xmp);
    if (out.isEmpty())
        setError(error, ErrorKind::Internal, tr("Cannot add the XMP metadata to the still image."));
    return out;
}

bool writeStillWithMetadata(const QImage &image, const QString &path, const OutputMetadata &m,
                            RenderError *error)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QByteArray format = suffix == QLatin1String("jpg") || suffix == QLatin1String("jpeg")
        ? QByteArray("JPEG") : QByteArray("PNG");
    const QByteArray bytes = encodeStillWithMetadata(image, format, m, error);
    if (bytes.isEmpty())
        return false;
    const QString finalPath = QFileInfo(path).absoluteFilePath();
    QString partial;
    if (!createPartialFile(finalPath, &partial, error))
        return false;
    QFile file(partial);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.flush()) {
        const int errnoValue = errno;
        const QString detail = file.errorString();
        file.close();
        removePartialFile(partial);
        if (error)
            *error = writeFailure(finalPath, errnoValue, detail);
        return false;
    }
    file.close();
    if (!commitPartialFile(partial, finalPath, error)) {
        removePartialFile(partial);
        return false;
    }
    return true;
}

Layer aiDisclosureLabel(int width, int height, const QRectF &safeRect, int64_t frameCount,
                        const QString &text)
{
    Layer l;
    l.kind = LayerKind::Text;
    l.id = QStringLiteral("ai-disclosure-label");
    l.startFrame = 0;
    l.endFrame = frameCount;
    l.text = text;
    TextStyle &style = l.textStyle;
    // About 2.2 % of the short side: readable on a phone (24 px on 1080-wide), small enough
    // not to compete with the creative.
    style.pixelSize = std::max(10.0, std::round(0.022 * std::min(width, height)));
    style.bold = true;
    style.color = Qt::white;
    style.boxColor = QColor(0, 0, 0);
    style.boxOpacity = 0.6;
    style.padding = std::round(style.pixelSize * 0.35);
    style.align = TextAlign::Center;  // any slack in the measured width splits evenly
    // The text layer fills its whole rect with the box, so the rect is sized to the text,
    // measured with the font the text layer will use; a little slack keeps the layer's
    // shrink-to-fit from ever kicking in on rounding differences.
    QFont font;
    font.setFamilies({style.fontFamily, QStringLiteral("DejaVu Sans")});
    font.setPixelSize(int(style.pixelSize));
    font.setWeight(QFont::Bold);
    font.setHintingPreference(QFont::PreferNoHinting);
    const QFontMetricsF metrics(font);
    const double w = std::ceil(metrics.horizontalAdvance(text) * 1.03 + 2 * style.padding + 2);
    const double h = std::ceil(metrics.height() + 2 * style.padding);
    const QRectF safe = safeRect.isValid() ? safeRect : QRectF(0, 0, width, height);
    const bool rtl = text.isRightToLeft();
    // Whole pixels, rounded inwards so the label never pokes out of the safe zone.
    const double x = rtl ? std::floor(safe.right() - w) : std::ceil(safe.left());
    l.rect = QRectF(x, std::floor(safe.bottom() - h), w, h);
    return l;
}

}  // namespace render
