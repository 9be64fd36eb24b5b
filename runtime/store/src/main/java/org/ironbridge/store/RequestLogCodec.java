package org.ironbridge.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The stored form of a block of request log entries ({@code request_log_blocks.data}): a version
 * byte, the entry count, then each entry's fields in a fixed order, numbers as unsigned LEB128
 * varints (signed ones zigzag-coded), strings as a varint of their UTF-8 length plus one (0 = null)
 * and their bytes; all of it compressed with {@link Deflater} at {@link Deflater#BEST_SPEED} (zlib
 * format, so a damaged block fails its checksum instead of decoding to garbage).
 *
 * <p>An entry starts with the fields listings show and filter on and ends with its headers, bodies
 * and source calls, which listings skip without building strings.
 */
final class RequestLogCodec {
    static final int VERSION = 1;

    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    private final Out out = new Out();
    private byte[] chunk = new byte[64 * 1024];

    /** Encodes and compresses entries (not thread-safe: one codec per writer). */
    byte[] encode(List<RequestLogRepository.Entry> entries) {
        out.reset();
        out.varint(VERSION);
        out.varint(entries.size());
        for (RequestLogRepository.Entry e : entries) {
            out.string(e.connectionId());
            out.string(e.requestId());
            out.zigzag(Micros.of(e.startedAt()));
            out.zigzag(e.durationMicros());
            out.string(e.method());
            out.string(e.path());
            out.string(e.query());
            out.zigzag(e.status());
            out.string(e.errorCode());
            out.nullableLong(e.requestBodySize());
            out.nullableLong(e.responseBodySize());
            out.varint(
                    (e.requestBodyTruncated() ? 1 : 0)
                            | (e.responseBodyTruncated() ? 2 : 0)
                            | (e.bodiesDropped() ? 4 : 0));
            out.varint(e.sourceCalls().size());
            // the rest is skipped by listings
            out.string(e.requestHeaders());
            out.string(e.responseHeaders());
            out.bytes(e.requestBody());
            out.bytes(e.responseBody());
            for (RequestLogRepository.SourceCall c : e.sourceCalls()) {
                out.zigzag(Micros.of(c.startedAt()));
                out.zigzag(c.durationMicros());
                out.string(c.method());
                out.string(c.url());
                out.nullableLong(c.status() == null ? null : c.status().longValue());
                out.string(c.error());
            }
        }
        deflater.reset();
        deflater.setInput(out.buf, 0, out.size);
        deflater.finish();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(out.size / 4 + 64);
        while (!deflater.finished()) {
            int n = deflater.deflate(chunk);
            compressed.write(chunk, 0, n);
        }
        return compressed.toByteArray();
    }

    /** Releases the compressor's native memory. */
    void close() {
        deflater.end();
    }

    /**
     * Decodes a block.
     *
     * @param blockId the block's id: entry {@code i} gets the id {@code blockId * MAX_ENTRIES + i}
     * @param whole whether to decode headers, bodies and source calls (else they are null / empty)
     */
    static List<RequestLogRepository.Entry> decode(
            byte[] data, String organizationId, long blockId, boolean whole) {
        In in = new In(inflate(data));
        int version = (int) in.varint();
        if (version != VERSION) {
            throw new IllegalStateException("Unknown request log block format " + version);
        }
        int count = (int) in.varint();
        List<RequestLogRepository.Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String connectionId = in.string();
            String requestId = in.string();
            long startedAt = in.zigzag();
            long duration = in.zigzag();
            String method = in.string();
            String path = in.string();
            String query = in.string();
            int status = (int) in.zigzag();
            String errorCode = in.string();
            Long requestBodySize = in.nullableLong();
            Long responseBodySize = in.nullableLong();
            int flags = (int) in.varint();
            int callCount = (int) in.varint();
            String requestHeaders = null;
            String responseHeaders = null;
            byte[] requestBody = null;
            byte[] responseBody = null;
            List<RequestLogRepository.SourceCall> calls = List.of();
            if (whole) {
                requestHeaders = in.string();
                responseHeaders = in.string();
                requestBody = in.bytes();
                responseBody = in.bytes();
                calls = new ArrayList<>(callCount);
                for (int c = 0; c < callCount; c++) {
                    long at = in.zigzag();
                    long d = in.zigzag();
                    String m = in.string();
                    String url = in.string();
                    Long s = in.nullableLong();
                    calls.add(
                            new RequestLogRepository.SourceCall(
                                    Micros.toInstant(at),
                                    d,
                                    m,
                                    url,
                                    s == null ? null : s.intValue(),
                                    in.string()));
                }
                calls = List.copyOf(calls);
            } else {
                for (int s = 0; s < 4; s++) {
                    in.skipString();
                }
                for (int c = 0; c < callCount; c++) {
                    in.zigzag();
                    in.zigzag();
                    in.skipString();
                    in.skipString();
                    in.nullableLong();
                    in.skipString();
                }
            }
            entries.add(
                    new RequestLogRepository.Entry(
                            blockId * RequestLogRepository.MAX_BLOCK_ENTRIES + i,
                            organizationId,
                            connectionId,
                            requestId,
                            Micros.toInstant(startedAt),
                            duration,
                            method,
                            path,
                            query,
                            status,
                            errorCode,
                            requestHeaders,
                            requestBody,
                            requestBodySize,
                            (flags & 1) != 0,
                            responseHeaders,
                            responseBody,
                            responseBodySize,
                            (flags & 2) != 0,
                            (flags & 4) != 0,
                            callCount,
                            calls));
        }
        return entries;
    }

    private static byte[] inflate(byte[] data) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            byte[] buf = new byte[Math.max(1024, data.length * 4)];
            int size = 0;
            while (!inflater.finished()) {
                if (size == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                int n = inflater.inflate(buf, size, buf.length - size);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalStateException("Truncated request log block");
                }
                size += n;
            }
            return size == buf.length ? buf : Arrays.copyOf(buf, size);
        } catch (DataFormatException e) {
            throw new IllegalStateException("Damaged request log block", e);
        } finally {
            inflater.end();
        }
    }

    /** A growable byte buffer with the encoding's primitives. */
    private static final class Out {
        byte[] buf = new byte[64 * 1024];
        int size;

        void reset() {
            size = 0;
        }

        private void ensure(int n) {
            if (size + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
            }
        }

        void varint(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[size++] = (byte) v;
        }

        void zigzag(long v) {
            varint((v << 1) ^ (v >> 63));
        }

        void nullableLong(Long v) {
            if (v == null) {
                varint(0);
            } else {
                varint(1);
                zigzag(v);
            }
        }

        /** UTF-8 text given as bytes: the same form as {@link #string}. */
        void bytes(byte[] b) {
            if (b == null) {
                varint(0);
                return;
            }
            varint(b.length + 1L);
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        void string(String s) {
            if (s == null) {
                varint(0);
                return;
            }
            int n = s.length();
            // ASCII, the usual case, is copied without an intermediate array
            ensure(10 + n);
            int start = size;
            varint(n + 1L);
            int at = size;
            boolean ascii = true;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    ascii = false;
                    break;
                }
                buf[at + i] = (byte) c;
            }
            if (ascii) {
                size = at + n;
                return;
            }
            size = start;
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            varint(bytes.length + 1L);
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, size, bytes.length);
            size += bytes.length;
        }
    }

    /** Reads what {@link Out} wrote. */
    private static final class In {
        private final byte[] buf;
        private int pos;

        In(byte[] buf) {
            this.buf = buf;
        }

        long varint() {
            long v = 0;
            int shift = 0;
            while (true) {
                byte b = buf[pos++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
                shift += 7;
            }
        }

        long zigzag() {
            long v = varint();
            return (v >>> 1) ^ -(v & 1);
        }

        Long nullableLong() {
            return varint() == 0 ? null : zigzag();
        }

        String string() {
            int n = (int) varint();
            if (n == 0) {
                return null;
            }
            String s = new String(buf, pos, n - 1, StandardCharsets.UTF_8);
            pos += n - 1;
            return s;
        }

        /** What {@link Out#bytes} wrote (or {@link Out#string}). */
        byte[] bytes() {
            int n = (int) varint();
            if (n == 0) {
                return null;
            }
            byte[] b = Arrays.copyOfRange(buf, pos, pos + n - 1);
            pos += n - 1;
            return b;
        }

        void skipString() {
            int n = (int) varint();
            if (n > 0) {
                pos += n - 1;
            }
        }
    }
}
