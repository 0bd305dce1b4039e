// SPDX-License-Identifier: GPL-3.0-or-later
#include "progress_output.h"

#include "cli_common.h"

#include <QDir>

#include <cmath>

namespace cli {

namespace {
// A tiny ordered JSON object writer: QJsonObject sorts its keys, the protocol lists "event"
// first so a reader can dispatch on the line's start.
class JsonObjectWriter {
public:
    JsonObjectWriter &str(const char *key, const QString &value)
    {
        return raw(key, quote(value));
    }
    JsonObjectWriter &num(const char *key, int64_t value)
    {
        return raw(key, QByteArray::number(qlonglong(value)));
    }
    JsonObjectWriter &dec(const char *key, double value)
    {
        // One decimal; null when unknown (an ETA before the first frame).
        if (!std::isfinite(value) || value < 0)
            return raw(key, "null");
        return raw(key, QByteArray::number(std::round(value * 10) / 10, 'f', 1));
    }
    JsonObjectWriter &raw(const char *key, const QByteArray &json)
    {
        m_out += m_out.isEmpty() ? "{" : ",";
        m_out += quote(QString::fromLatin1(key)) + ':' + json;
        return *this;
    }
    QByteArray done() const { return m_out + '}'; }

    static QByteArray quote(const QString &s)
    {
        QByteArray out = "\"";
        for (char c : s.toUtf8()) {
            const auto u = static_cast<unsigned char>(c);
            if (c == '"' || c == '\\') {
                out += '\\';
                out += c;
            } else if (u < 0x20) {
                out += c == '\n' ? QByteArray("\\n")
                     : c == '\t' ? QByteArray("\\t")
                     : c == '\r' ? QByteArray("\\r")
                                 : QByteArray("\\u00") + QByteArray::number(u, 16).rightJustified(2, '0');
            } else {
                out += c;
            }
        }
        return out + '"';
    }

private:
    QByteArray m_out;
};

QString statusName(services::ExportEvent::Status s)
{
    switch (s) {
    case services::ExportEvent::Status::Ok: return QStringLiteral("ok");
    case services::ExportEvent::Status::Failed: return QStringLiteral("failed");
    case services::ExportEvent::Status::Cancelled: return QStringLiteral("cancelled");
    case services::ExportEvent::Status::Skipped: return QStringLiteral("skipped");
    }
    return {};
}

double percent(int64_t frame, int64_t frames)
{
    return frames > 0 ? 100.0 * double(frame) / double(frames) : 0.0;
}
}  // namespace

QByteArray ProgressOutput::jsonLine(const services::ExportEvent &e)
{
    using Type = services::ExportEvent::Type;
    JsonObjectWriter w;
    switch (e.type) {
    case Type::Start:
        w.str("event", QStringLiteral("start")).str("job", e.cell.jobId())
            .str("output", e.cell.outputPath).num("frames", e.frames);
        break;
    case Type::Progress:
        w.str("event", QStringLiteral("progress")).str("job", e.cell.jobId())
            .num("frame", e.frame).num("frames", e.frames).dec("pct", percent(e.frame, e.frames))
            .dec("eta_s", e.etaSeconds);
        break;
    case Type::Done:
        w.str("event", QStringLiteral("done")).str("job", e.cell.jobId())
            .str("status", statusName(e.status)).str("output", e.cell.outputPath);
        if (e.status == services::ExportEvent::Status::Ok
            || e.status == services::ExportEvent::Status::Skipped)
            w.str("sha256", e.sha256).str("poster", e.posterPath);
        if (e.status == services::ExportEvent::Status::Failed)
            w.raw("error", JsonObjectWriter().str("code", e.errorCode)
                               .str("message", e.errorMessage).done());
        break;
    }
    return w.done();
}

QByteArray ProgressOutput::summaryLine(const services::ExportSummary &s, const QString &outDir)
{
    return JsonObjectWriter().str("event", QStringLiteral("summary")).num("ok", s.ok)
        .num("failed", s.failed).num("cancelled", s.cancelled).num("skipped", s.skipped)
        .str("out", outDir).done();
}

void ProgressOutput::onEvent(const services::ExportEvent &e)
{
    if (m_jsonl)
        printOutRaw(jsonLine(e));
    else
        human(e);
}

void ProgressOutput::human(const services::ExportEvent &e)
{
    const QString job = e.cell.jobId();
    switch (e.type) {
    case services::ExportEvent::Type::Start:
        ++m_started;
        printErr(tr("[%1/%2] %3: rendering %4 frames to %5")
                     .arg(m_started).arg(m_cellCount).arg(job).arg(e.frames)
                     .arg(QDir::toNativeSeparators(e.cell.outputPath)));
        break;
    case services::ExportEvent::Type::Progress: {
        const int quarter = e.frames > 0 ? int(4 * e.frame / e.frames) : 0;
        if (quarter <= m_lastQuarter.value(job, 0) || quarter >= 4)
            break;
        m_lastQuarter.insert(job, quarter);
        printErr(tr("      %1: %2 %, about %3 s left")
                     .arg(job).arg(quarter * 25).arg(std::lround(std::max(0.0, e.etaSeconds))));
        break;
    }
    case services::ExportEvent::Type::Done:
        if (e.status == services::ExportEvent::Status::Ok)
            printErr(tr("      %1: done (sha256 %2)").arg(job, e.sha256.left(16)));
        else if (e.status == services::ExportEvent::Status::Skipped)
            printErr(tr("      %1: up to date, kept (sha256 %2)").arg(job, e.sha256.left(16)));
        else if (e.status == services::ExportEvent::Status::Cancelled)
            printErr(tr("      %1: cancelled").arg(job));
        else
            printErr(tr("      %1: FAILED [%2] %3").arg(job, e.errorCode, e.errorMessage));
        break;
    }
}

void ProgressOutput::summary(const services::ExportSummary &s, const QString &outDir)
{
    if (m_jsonl) {
        printOutRaw(summaryLine(s, outDir));
    } else if (s.skipped > 0) {
        printOut(tr("Rendered %1 variants (%2 up to date, kept) into %3")
                     .arg(s.ok).arg(s.skipped).arg(QDir::toNativeSeparators(outDir)));
    } else if (s.ok > 0) {
        printOut(tr("Rendered %1 variants into %2").arg(s.ok).arg(QDir::toNativeSeparators(outDir)));
    }
    if (s.failed > 0 || s.cancelled > 0)
        printErr(tr("%1 ok, %2 skipped, %3 failed, %4 cancelled.")
                     .arg(s.ok).arg(s.skipped).arg(s.failed).arg(s.cancelled));
}

}  // namespace cli
