// SPDX-License-Identifier: GPL-3.0-or-later
#include "cell_hash.h"

#include "file_hash.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace services {

QString FileHashCache::sha256(const QString &path, QString *error)
{
    const QFileInfo info(path);
    const Key key{info.absoluteFilePath(), info.size(),
                  info.lastModified().toMSecsSinceEpoch()};
    // Hashing under the lock keeps "each source once" true when two workers need the same
    // file at the same moment; sources are small next to a render.
    std::lock_guard<std::mutex> lock(m_mutex);
    if (const auto it = m_hashes.constFind(key); it != m_hashes.cend())
        return it.value();
    const QString sha = sha256OfFile(path, error);
    if (!sha.isEmpty())
        m_hashes.insert(key, sha);
    return sha;
}

namespace {
// Numbers become strings: the text must not depend on how a JSON writer prints doubles, and
// 17 significant digits give back the exact IEEE value. int64 keeps all its digits too.
QJsonValue num(double v) { return QString::number(v, 'g', 17); }
QJsonValue num(int64_t v) { return QString::number(qlonglong(v)); }

QJsonValue color(const QColor &c)
{
    if (!c.isValid())
        return QStringLiteral("invalid");
    const QRgba64 v = c.rgba64();
    return QString::asprintf("%04x%04x%04x%04x", v.red(), v.green(), v.blue(), v.alpha());
}

QJsonObject animated(const render::AnimatedValue &a)
{
    QJsonArray keys;
    for (const render::Keyframe &k : a.keys)
        keys.append(QJsonArray{num(k.frame), num(k.value)});
    return QJsonObject{{QStringLiteral("constant"), num(a.constant)}, {QStringLiteral("keys"), keys}};
}

QJsonObject textStyle(const render::TextStyle &s)
{
    return QJsonObject{
        {QStringLiteral("fontFamily"), s.fontFamily},
        {QStringLiteral("pixelSize"), num(s.pixelSize)},
        {QStringLiteral("bold"), s.bold},
        {QStringLiteral("color"), color(s.color)},
        {QStringLiteral("boxColor"), color(s.boxColor)},
        {QStringLiteral("boxOpacity"), num(s.boxOpacity)},
        {QStringLiteral("padding"), num(s.padding)},
        {QStringLiteral("align"), int(s.align)},
        {QStringLiteral("minScale"), num(s.minScale)},
        {QStringLiteral("minPixelSize"), num(s.minPixelSize)},
        {QStringLiteral("fallbackFamilies"), QJsonArray::fromStringList(s.fallbackFamilies)},
    };
}

QJsonObject kenBurns(const render::KenBurns &k)
{
    return QJsonObject{
        {QStringLiteral("enabled"), k.enabled},
        {QStringLiteral("startScale"), num(k.startScale)},
        {QStringLiteral("endScale"), num(k.endScale)},
        {QStringLiteral("startFocusX"), num(k.startFocusX)},
        {QStringLiteral("startFocusY"), num(k.startFocusY)},
        {QStringLiteral("endFocusX"), num(k.endFocusX)},
        {QStringLiteral("endFocusY"), num(k.endFocusY)},
    };
}

// A source is named by its bytes; no path means no source (text and solid layers).
bool source(const QString &path, FileHashCache &files, QJsonValue *out, QString *error)
{
    if (path.isEmpty()) {
        *out = QJsonValue::Null;
        return true;
    }
    const QString sha = files.sha256(path, error);
    *out = sha;
    return !sha.isEmpty();
}
}  // namespace

QByteArray canonicalComposition(const render::Composition &c, FileHashCache &files, QString *error)
{
    QJsonArray layers;
    for (const render::Layer &l : c.layers) {
        QJsonValue src;
        if (!source(l.sourcePath, files, &src, error))
            return {};
        QJsonObject layer{
            {QStringLiteral("kind"), int(l.kind)},
            {QStringLiteral("id"), l.id},
            {QStringLiteral("startFrame"), num(l.startFrame)},
            {QStringLiteral("endFrame"), num(l.endFrame)},
            {QStringLiteral("source"), src},
            {QStringLiteral("sourceIn"), QJsonArray{num(l.sourceInNum), num(l.sourceInDen)}},
            {QStringLiteral("rect"), QJsonArray{num(l.rect.x()), num(l.rect.y()),
                                               num(l.rect.width()), num(l.rect.height())}},
            {QStringLiteral("fit"), int(l.fit)},
            {QStringLiteral("focus"), QJsonArray{num(l.focusX), num(l.focusY)}},
            {QStringLiteral("kenBurns"), kenBurns(l.kenBurns)},
            {QStringLiteral("opacity"), animated(l.opacity)},
            {QStringLiteral("scale"), animated(l.scale)},
            {QStringLiteral("offsetX"), animated(l.offsetX)},
            {QStringLiteral("offsetY"), animated(l.offsetY)},
            {QStringLiteral("fadeInFrames"), num(l.fadeInFrames)},
            {QStringLiteral("fadeOutFrames"), num(l.fadeOutFrames)},
            {QStringLiteral("text"), l.text},
            {QStringLiteral("textStyle"), textStyle(l.textStyle)},
            {QStringLiteral("solidColor"), color(l.solidColor)},
        };
        // Only when present, so the hashes of cells without smart reframe stay what they were
        // and their exports are still recognised as up to date.
        if (!l.sourceCrop.empty()) {
            QJsonArray crop;
            for (const render::CropKeyframe &k : l.sourceCrop)
                crop.append(QJsonArray{num(k.frame), num(k.window.x()), num(k.window.y()),
                                       num(k.window.width()), num(k.window.height())});
            layer.insert(QStringLiteral("sourceCrop"), crop);
        }
        layers.append(layer);
    }
    QJsonArray audio;
    for (const render::AudioClip &a : c.audio) {
        QJsonValue src;
        if (!source(a.sourcePath, files, &src, error))
            return {};
        audio.append(QJsonObject{
            {QStringLiteral("id"), a.id},
            {QStringLiteral("source"), src},
            {QStringLiteral("startFrame"), num(a.startFrame)},
            {QStringLiteral("endFrame"), num(a.endFrame)},
            {QStringLiteral("sourceIn"), QJsonArray{num(a.sourceInNum), num(a.sourceInDen)}},
            {QStringLiteral("gain"), num(a.gain)},
            {QStringLiteral("fadeInFrames"), num(a.fadeInFrames)},
            {QStringLiteral("fadeOutFrames"), num(a.fadeOutFrames)},
        });
    }
    const render::EncodeSettings &e = c.encode;
    const QJsonObject encode{
        {QStringLiteral("x264Preset"), e.x264Preset},
        {QStringLiteral("crf"), e.crf},
        {QStringLiteral("audioBitrate"), e.audioBitrate},
        {QStringLiteral("audioSampleRate"), e.audioSampleRate},
        // The thread count changes x264's bytes, so it is part of what is hashed.
        {QStringLiteral("threads"), e.threads},
    };
    // The AI disclosure is written into the files, so an output made before a model was added
    // (or before disclosure existed) is out of date. The creator tool's version is left out on
    // purpose: a new release alone must not re-render every campaign.
    QStringList models = e.metadata.generatorModels;
    models.sort();
    models.removeDuplicates();
    const QJsonObject provenance{
        {QStringLiteral("digitalSourceType"), e.metadata.digitalSourceType},
        {QStringLiteral("models"), QJsonArray::fromStringList(models)},
        {QStringLiteral("title"), e.metadata.title},
        {QStringLiteral("description"), e.metadata.description},
    };
    const QJsonObject root{
        {QStringLiteral("width"), c.width},
        {QStringLiteral("height"), c.height},
        {QStringLiteral("fps"), QJsonArray{c.fps.num, c.fps.den}},
        {QStringLiteral("frameCount"), num(c.frameCount)},
        {QStringLiteral("background"), color(c.background)},
        {QStringLiteral("layers"), layers},
        {QStringLiteral("audio"), audio},
        {QStringLiteral("encode"), encode},
        {QStringLiteral("provenance"), provenance},
    };
    // QJsonObject keeps its keys sorted, so the compact text is canonical.
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

QString cellContentHash(const render::Composition &c, FileHashCache &files, QString *error)
{
    const QByteArray text = canonicalComposition(c, files, error);
    if (text.isEmpty())
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(QByteArrayView(kRendererVersion));
    hash.addData(QByteArrayView("\n"));
    hash.addData(text);
    return QString::fromLatin1(hash.result().toHex());
}

}  // namespace services
