// SPDX-License-Identifier: GPL-3.0-or-later
// Frame-sized buffers on huge pages (pixel_memory.h): sizes and strides, ownership through
// QImage's implicit sharing, stills decoded into them with the pixels Qt decodes, and video
// decoders' frames recycled across decoders (ffmpeg/frame_memory.h) with libavcodec's pixels.
#include "fixtures.h"
#include "render/ffmpeg/frame_memory.h"
#include "render/ffmpeg/input.h"
#include "render/image_source.h"
#include "render/pixel_memory.h"
#include "render/yuv_image.h"

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <vector>

using namespace render;

namespace {
constexpr uintptr_t kHugePage = uintptr_t(2) << 20;
// Under AddressSanitizer the buffers are ordinary heap memory (see pixel_memory.cpp).
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kMapped = false;
#else
constexpr bool kMapped = true;
#endif
bool hugeAligned(const void *p) { return reinterpret_cast<uintptr_t>(p) % kHugePage == 0; }

// Every frame of `path`'s video, hashed over its visible pixels, decoded through openDecoder
// (recycled frame memory) or through a decoder set up the same way with libavcodec's own
// allocator. Decoders are closed before returning.
std::vector<QByteArray> decodeAll(const QString &path, bool recycled)
{
    std::vector<QByteArray> hashes;
    render::ff::DecoderInput in;
    RenderError error;
    if (recycled) {
        if (!render::ff::openDecoder(path, AVMEDIA_TYPE_VIDEO, 1, &in, &error))
            return {};
    } else {
        if (!render::ff::openInput(path, &in.format, &error))
            return {};
        const AVCodec *codec = nullptr;
        in.streamIndex = av_find_best_stream(in.format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
        in.stream = in.format->streams[in.streamIndex];
        in.codec.reset(avcodec_alloc_context3(codec));
        avcodec_parameters_to_context(in.codec.get(), in.stream->codecpar);
        in.codec->thread_count = 1;
        if (avcodec_open2(in.codec.get(), codec, nullptr) < 0)
            return {};
    }
    auto packet = render::ff::allocPacket();
    auto frame = render::ff::allocFrame();
    const auto drain = [&] {
        while (avcodec_receive_frame(in.codec.get(), frame.get()) >= 0) {
            QCryptographicHash hash(QCryptographicHash::Sha256);
            for (int p = 0; p < 3; ++p) {
                const int w = p ? (frame->width + 1) / 2 : frame->width;
                const int h = p ? (frame->height + 1) / 2 : frame->height;
                for (int y = 0; y < h; ++y)
                    hash.addData(QByteArrayView(frame->data[p] + y * frame->linesize[p], w));
            }
            hashes.push_back(hash.result());
            av_frame_unref(frame.get());
        }
    };
    while (av_read_frame(in.format.get(), packet.get()) >= 0) {
        if (packet->stream_index == in.streamIndex)
            avcodec_send_packet(in.codec.get(), packet.get());
        av_packet_unref(packet.get());
        drain();
    }
    avcodec_send_packet(in.codec.get(), nullptr);
    drain();
    return hashes;
}
}  // namespace

class TestPixelMemory : public QObject {
    Q_OBJECT
private slots:
    void bufferIsWritableAndMoves();
    void largeImageLivesAsLongAsItsCopies();
    void smallImageIsOrdinary();
    void yuvPlanesAreInitialisedAndSeparate();
    void stillIsDecodedIntoHugePagesWithQtsPixels();
    void recycledFramesDecodeLikeLibavcodecs();
    void laterDecodersTakeReleasedFrames();
};

void TestPixelMemory::bufferIsWritableAndMoves()
{
    PixelBuffer empty;
    QVERIFY(empty.isNull());
    QVERIFY(PixelBuffer(0).isNull());
    const size_t bytes = (size_t(5) << 20) + 123;  // a tail that is not a whole page
    PixelBuffer a(bytes);
    QVERIFY(!a.isNull());
    QCOMPARE(a.size(), bytes);
    if (kMapped)
        QVERIFY(hugeAligned(a.data()));
    std::memset(a.data(), 0x5a, bytes);  // every byte, the last included, is writable
    uint8_t *const data = a.data();
    PixelBuffer b(std::move(a));
    QVERIFY(a.isNull());
    QCOMPARE(b.data(), data);
    QCOMPARE(b.data()[bytes - 1], uint8_t(0x5a));
    PixelBuffer c(4096);
    c = std::move(b);
    QCOMPARE(c.data(), data);
    QCOMPARE(c.size(), bytes);
}

void TestPixelMemory::largeImageLivesAsLongAsItsCopies()
{
    QImage copy;
    const uchar *bits = nullptr;
    {
        QImage image = hugePageImage(1081, 1920, QImage::Format_ARGB32_Premultiplied);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(1081, 1920));
        QCOMPARE(image.bytesPerLine(), qsizetype(1081 * 4));
        if (kMapped)
            QVERIFY(hugeAligned(image.constBits()));
        image.fill(qRgba(10, 20, 30, 255));
        copy = image;  // shared, not copied
        bits = image.constBits();
        QCOMPARE(copy.constBits(), bits);
    }
    // The image is gone; its copy still holds the buffer.
    QCOMPARE(copy.constBits(), bits);
    QCOMPARE(copy.pixel(1080, 1919), qRgba(10, 20, 30, 255));
    // Writing to a second copy detaches it (Qt's memory) and leaves this one alone.
    QImage other = copy;
    other.setPixel(0, 0, qRgba(0, 0, 0, 255));
    QVERIFY(other.constBits() != bits);
    QCOMPARE(copy.pixel(0, 0), qRgba(10, 20, 30, 255));
    QCOMPARE(other.pixel(0, 0), qRgba(0, 0, 0, 255));
}

void TestPixelMemory::smallImageIsOrdinary()
{
    const QImage image = hugePageImage(100, 100, QImage::Format_RGB32);
    QCOMPARE(image.size(), QSize(100, 100));
    QCOMPARE(image.format(), QImage::Format_RGB32);
    QVERIFY(hugePageImage(0, 10, QImage::Format_RGB32).isNull());
}

void TestPixelMemory::yuvPlanesAreInitialisedAndSeparate()
{
    YuvImage yuv;
    QVERIFY(yuv.allocate(1920, 1080));
    if (kMapped)
        QVERIFY(hugeAligned(yuv.plane(0)));
    for (int p = 0; p < 3; ++p) {
        const QSize size = yuv.planeSize(p);
        const uint8_t expected = p == 0 ? 16 : 128;  // black
        const uint8_t *last = yuv.plane(p) + size_t(yuv.stride(p)) * (size.height() - 1);
        QCOMPARE(yuv.plane(p)[0], expected);
        QCOMPARE(last[size.width() - 1], expected);
    }
    // The planes do not overlap: writing one whole plane leaves the next one's first byte.
    std::memset(yuv.plane(0), 200, size_t(yuv.stride(0)) * 1080);
    std::memset(yuv.plane(1), 60, size_t(yuv.stride(1)) * 540);
    QCOMPARE(yuv.plane(1)[0], uint8_t(60));
    QCOMPARE(yuv.plane(2)[0], uint8_t(128));
    // Allocating another size replaces the memory; the copy is byte for byte.
    YuvImage other;
    QVERIFY(other.allocate(1920, 1080));
    other.copyFrom(yuv);
    QCOMPARE(other.plane(0)[1919], uint8_t(200));
    QCOMPARE(other.plane(2)[959], uint8_t(128));
    QVERIFY(yuv.allocate(640, 360));
    QCOMPARE(yuv.plane(0)[0], uint8_t(16));
}

void TestPixelMemory::stillIsDecodedIntoHugePagesWithQtsPixels()
{
    QTemporaryDir dir;
    // 1024x768 RGB32 is 3 MiB: over one huge page.
    const QString path = fixtures::writeDiscPng(dir.path(), "still.png", {1024, 768}, 200);
    RenderError error;
    const QImage decoded = loadImage(path, {}, &error);
    QVERIFY2(!decoded.isNull(), qPrintable(error.message));
    if (kMapped)
        QVERIFY(hugeAligned(decoded.constBits()));
    const QImage qt = QImage(path).convertToFormat(QImage::Format_RGB32);
    QCOMPARE(decoded.format(), QImage::Format_RGB32);
    QCOMPARE(decoded, qt);
}

void TestPixelMemory::recycledFramesDecodeLikeLibavcodecs()
{
    QTemporaryDir dir;
    // A size libavcodec pads (not a multiple of 16 either way) and an ordinary one.
    for (const QSize size : {QSize(322, 182), QSize(320, 240)}) {
        QString error;
        const QString path = fixtures::writeMovingSquareMovie(
            dir.path(), QStringLiteral("m%1.mp4").arg(size.width()), size, 24, &error);
        QVERIFY2(!path.isEmpty(), qPrintable(error));
        const std::vector<QByteArray> ours = decodeAll(path, true);
        const std::vector<QByteArray> theirs = decodeAll(path, false);
        QCOMPARE(ours.size(), size_t(24));
        QVERIFY(ours == theirs);
    }
}

void TestPixelMemory::laterDecodersTakeReleasedFrames()
{
    QTemporaryDir dir;
    QString error;
    const QString path = fixtures::writeMovingSquareMovie(dir.path(), "r.mp4", {640, 360}, 30,
                                                          &error);
    QVERIFY2(!path.isEmpty(), qPrintable(error));
    const std::vector<QByteArray> first = decodeAll(path, true);
    const render::ff::FrameMemoryCounters after1 = render::ff::frameMemoryCounters();
    QVERIFY(after1.idleBytes > 0);  // the closed decoder's frames wait for the next one
    QVERIFY(after1.idleBytes <= render::ff::kIdleFrameBytes);
    const std::vector<QByteArray> second = decodeAll(path, true);
    const render::ff::FrameMemoryCounters after2 = render::ff::frameMemoryCounters();
    // The second decoder made no buffer: it took the first one's (zeroed) and its own again.
    QCOMPARE(after2.allocated, after1.allocated);
    QVERIFY(after2.reused >= after1.reused + 30);
    QVERIFY(first == second);
}

QTEST_MAIN(TestPixelMemory)
#include "tst_pixel_memory.moc"
