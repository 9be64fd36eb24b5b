package org.ironbridge.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The request log (table {@code request_log_blocks}): each batch the engine's log writer writes
 * becomes one row per organization, a block holding its entries in start-time order, encoded and
 * compressed ({@link RequestLogCodec}). Listings walk an organization's blocks newest first, decode
 * them and filter in memory; an entry is read whole by request id; retention deletes whole blocks.
 *
 * <p>Block ids are numbers from the sequence {@code request_log_ids}, taken in runs of {@link
 * #ID_BLOCK}: unique across nodes, but in time order only per node. Blocks are listed by their
 * latest entry's start ({@code last_at}), then id, newest first; entries within a block by start
 * time. Entries of blocks written at the same time by several nodes may interleave out of start
 * order in a listing, but paging never skips or repeats one.
 */
public final class RequestLogRepository {
    /** Longest text kept for columns that are not bodies. */
    static final int MAX_PATH = 2000;

    static final int MAX_QUERY = 4000;
    static final int MAX_URL = 4000;
    static final int MAX_ERROR = 1000;
    static final int MAX_REQUEST_ID = 128;

    /** How many ids one {@code NEXT VALUE FOR request_log_ids} reserves (the sequence's step). */
    static final int ID_BLOCK = 1000;

    /**
     * The most entries one block holds (larger batches make several blocks). An entry's id is its
     * block's id times this plus its position in the block.
     */
    public static final int MAX_BLOCK_ENTRIES = 4096;

    /**
     * How many entries one listing call decodes at most before it returns what it found with a
     * cursor to go on (a page may then hold fewer entries than asked for, or none).
     */
    public static final int MAX_LIST_SCAN = 50_000;

    /**
     * How many of an organization's newest entries a lookup by a request id that does not carry its
     * time (one sent by a client) decodes at most.
     */
    public static final int MAX_FIND_SCAN = 200_000;

    /**
     * How far after its request id's time an entry's block may end: a block ends with the latest
     * start among its entries, and it is written when its slowest request has finished, so this
     * bounds the duration of requests found by a time-carrying id.
     */
    static final Duration FIND_WINDOW = Duration.ofMinutes(15);

    /** Slack between the time in a request id and the entry's start (clocks, rounding). */
    static final Duration FIND_SLACK = Duration.ofSeconds(2);

    /** How many block rows one metadata query reads. */
    private static final int BLOCK_PAGE = 64;

    /**
     * One logged request.
     *
     * @param id the entry's id: its block's id times {@link #MAX_BLOCK_ENTRIES} plus its position
     *     in the block (ignored by {@link #insert})
     * @param requestHeaders the request headers as a JSON object, redacted; null in listings
     * @param requestBody the request body as UTF-8 text, cut and redacted; null without one and in
     *     listings (bytes rather than a string: the log writer keeps the bytes the request path
     *     captured when there is nothing to redact, and the stored form is UTF-8 too)
     * @param requestBodySize the whole request body's size in bytes; null without a body
     * @param bodiesDropped whether the bodies were dropped because the log queue was under pressure
     * @param sourceCalls the outbound calls to the source, in order; empty in listings
     */
    public record Entry(
            long id,
            String organizationId,
            String connectionId,
            String requestId,
            Instant startedAt,
            long durationMicros,
            String method,
            String path,
            String query,
            int status,
            String errorCode,
            String requestHeaders,
            byte[] requestBody,
            Long requestBodySize,
            boolean requestBodyTruncated,
            String responseHeaders,
            byte[] responseBody,
            Long responseBodySize,
            boolean responseBodyTruncated,
            boolean bodiesDropped,
            int sourceCallCount,
            List<SourceCall> sourceCalls) {

        /** The request body as a string; null without one. */
        public String requestBodyText() {
            return text(requestBody);
        }

        /** The response body as a string; null without one. */
        public String responseBodyText() {
            return text(responseBody);
        }

        private static String text(byte[] utf8) {
            return utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8);
        }
    }

    /**
     * One outbound call to the source.
     *
     * @param url without user info, secret-looking query parameters redacted
     * @param status the source's HTTP status; null when no response came
     * @param error why no response came (timeout, refused ...); null otherwise
     */
    public record SourceCall(
            Instant startedAt,
            long durationMicros,
            String method,
            String url,
            Integer status,
            String error) {}

    /**
     * Where a listing goes on: the entries before position {@code index} of the block {@code
     * blockId} (whose {@code last_at} is {@code lastAtMicros}), then the blocks listed after it.
     */
    public record Position(long lastAtMicros, long blockId, int index) {}

    /**
     * Filters of a listing; null fields do not filter. Results are newest first.
     *
     * @param statusFrom with {@code statusTo}: the status range [from, to) (one status or a class
     *     like 500..600)
     * @param text a substring of the path, query, request id or error code
     * @param after the cursor: where the previous page stopped; null for the first page
     * @param limit how many entries the page holds at most
     */
    public record Query(
            String organizationId,
            String connectionId,
            Integer statusFrom,
            Integer statusTo,
            String errorCode,
            Instant since,
            Instant until,
            String text,
            Position after,
            int limit) {}

    /**
     * A page of a listing.
     *
     * @param next where the next page starts; null when no entry follows
     */
    public record Listing(List<Entry> entries, Position next) {}

    /** One row of {@code request_log_blocks} without its data. */
    private record Block(long id, long lastAt, int count) {}

    private final DataSource ds;
    private final RequestLogCodec codec = new RequestLogCodec();

    /** The next free id of the reserved block, and the end of the block (exclusive). */
    private long nextId;

    private long idLimit;

    /** How many entries a listing call, and a lookup by request id without time, decode at most. */
    private final int maxListScan;

    private final int maxFindScan;

    public RequestLogRepository(DataSource ds) {
        this(ds, MAX_LIST_SCAN, MAX_FIND_SCAN);
    }

    RequestLogRepository(DataSource ds, int maxListScan, int maxFindScan) {
        this.ds = ds;
        this.maxListScan = maxListScan;
        this.maxFindScan = maxFindScan;
    }

    /**
     * Writes a batch of entries: one block per organization (several if it has more than {@link
     * #MAX_BLOCK_ENTRIES} entries), in one transaction. Meant for one writer thread (ids are
     * reserved per repository, the codec's buffers reused).
     */
    public synchronized void insert(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Map<String, List<Entry>> byOrganization = new LinkedHashMap<>();
        for (Entry e : entries) {
            byOrganization.computeIfAbsent(e.organizationId(), k -> new ArrayList<>()).add(cut(e));
        }
        List<Object[]> rows = new ArrayList<>();
        for (Map.Entry<String, List<Entry>> org : byOrganization.entrySet()) {
            List<Entry> all = org.getValue();
            all.sort(Comparator.comparing(Entry::startedAt));
            for (int from = 0; from < all.size(); from += MAX_BLOCK_ENTRIES) {
                List<Entry> block =
                        all.subList(from, Math.min(all.size(), from + MAX_BLOCK_ENTRIES));
                rows.add(
                        new Object[] {
                            org.getKey(),
                            Micros.of(block.get(0).startedAt()),
                            Micros.of(block.get(block.size() - 1).startedAt()),
                            block.size(),
                            codec.encode(block)
                        });
            }
        }
        Jdbc.inTransaction(
                ds,
                "write request log entries",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "INSERT INTO request_log_blocks (id, organization_id,"
                                            + " first_at, last_at, entry_count, data) VALUES (?, ?,"
                                            + " ?, ?, ?, ?)")) {
                        for (Object[] row : rows) {
                            if (nextId >= idLimit) {
                                nextId = reserveIds(c);
                                idLimit = nextId + ID_BLOCK;
                            }
                            ps.setLong(1, nextId++);
                            ps.setString(2, (String) row[0]);
                            ps.setLong(3, (Long) row[1]);
                            ps.setLong(4, (Long) row[2]);
                            ps.setInt(5, (Integer) row[3]);
                            ps.setBytes(6, (byte[]) row[4]);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    return null;
                });
    }

    private static long reserveIds(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT NEXT VALUE FOR request_log_ids");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The entry with its texts cut to the sizes the log keeps. */
    private static Entry cut(Entry e) {
        String requestId = Jdbc.cut(e.requestId(), MAX_REQUEST_ID);
        String path = Jdbc.cut(e.path(), MAX_PATH);
        String query = Jdbc.cut(e.query(), MAX_QUERY);
        String code = Jdbc.cut(e.errorCode(), 40);
        boolean callsFit = true;
        for (SourceCall call : e.sourceCalls()) {
            callsFit &=
                    (call.url() == null || call.url().length() <= MAX_URL)
                            && (call.error() == null || call.error().length() <= MAX_ERROR)
                            && (call.method() == null || call.method().length() <= 16);
        }
        if (requestId == e.requestId()
                && path == e.path()
                && query == e.query()
                && code == e.errorCode()
                && callsFit) {
            return e;
        }
        List<SourceCall> calls = new ArrayList<>(e.sourceCalls().size());
        for (SourceCall call : e.sourceCalls()) {
            calls.add(
                    new SourceCall(
                            call.startedAt(),
                            call.durationMicros(),
                            Jdbc.cut(call.method(), 16),
                            Jdbc.cut(call.url(), MAX_URL),
                            call.status(),
                            Jdbc.cut(call.error(), MAX_ERROR)));
        }
        return new Entry(
                e.id(),
                e.organizationId(),
                e.connectionId(),
                requestId,
                e.startedAt(),
                e.durationMicros(),
                e.method(),
                path,
                query,
                e.status(),
                code,
                e.requestHeaders(),
                e.requestBody(),
                e.requestBodySize(),
                e.requestBodyTruncated(),
                e.responseHeaders(),
                e.responseBody(),
                e.responseBodySize(),
                e.responseBodyTruncated(),
                e.bodiesDropped(),
                e.sourceCallCount(),
                calls);
    }

    /**
     * Entries of an organization matching the query, newest first, without headers, bodies and
     * source calls (their count is there): at most {@code limit}, from at most about {@link
     * #MAX_LIST_SCAN} entries decoded. The listing's {@code next} says where to go on; it is null
     * only when no entry follows, so a page may be short (even empty) and still have a next.
     */
    public Listing list(Query q) {
        return Jdbc.withConnection(
                ds,
                "list request log entries",
                c -> {
                    List<Entry> out = new ArrayList<>();
                    Position page = null;
                    Position cursor = q.after();
                    int scanned = 0;
                    while (true) {
                        List<Block> blocks = blocks(c, q, cursor);
                        for (Block b : blocks) {
                            if (scanned >= maxListScan) {
                                // out of budget: the next call goes on from here (every block up
                                // to the cursor was read whole)
                                return new Listing(out, out.size() == q.limit() ? page : cursor);
                            }
                            byte[] data = data(c, b.id());
                            if (data == null) {
                                continue;
                            }
                            List<Entry> entries =
                                    RequestLogCodec.decode(data, q.organizationId(), b.id(), false);
                            scanned += entries.size();
                            int from =
                                    cursor != null && cursor.blockId() == b.id()
                                            ? Math.min(cursor.index(), entries.size())
                                            : entries.size();
                            for (int i = from - 1; i >= 0; i--) {
                                Entry e = entries.get(i);
                                if (!matches(q, e)) {
                                    continue;
                                }
                                if (out.size() == q.limit()) {
                                    // one more matches: the page is full and another follows
                                    return new Listing(out, page);
                                }
                                out.add(e);
                                page = new Position(b.lastAt(), b.id(), i);
                            }
                            cursor = new Position(b.lastAt(), b.id(), 0);
                        }
                        if (blocks.size() < BLOCK_PAGE) {
                            return new Listing(out, null);
                        }
                    }
                });
    }

    /** The next blocks of a listing, newest first, from the cursor's block on (included). */
    private static List<Block> blocks(Connection c, Query q, Position cursor) throws SQLException {
        StringBuilder sql =
                new StringBuilder(
                        "SELECT id, last_at, entry_count FROM request_log_blocks WHERE"
                                + " organization_id = ?");
        List<Object> args = new ArrayList<>();
        args.add(q.organizationId());
        if (q.since() != null) {
            sql.append(" AND last_at >= ?");
            args.add(Micros.of(q.since()));
        }
        if (q.until() != null) {
            sql.append(" AND first_at < ?");
            args.add(Micros.of(q.until()));
        }
        if (cursor != null) {
            // the cursor's own block still has entries before its index
            sql.append(" AND (last_at < ? OR (last_at = ? AND id ")
                    .append(cursor.index() > 0 ? "<=" : "<")
                    .append(" ?))");
            args.add(cursor.lastAtMicros());
            args.add(cursor.lastAtMicros());
            args.add(cursor.blockId());
        }
        sql.append(" ORDER BY last_at DESC, id DESC LIMIT ").append(BLOCK_PAGE);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                Object a = args.get(i);
                if (a instanceof Long n) {
                    ps.setLong(i + 1, n);
                } else {
                    ps.setString(i + 1, (String) a);
                }
            }
            List<Block> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Block(rs.getLong(1), rs.getLong(2), rs.getInt(3)));
                }
            }
            return out;
        }
    }

    private static byte[] data(Connection c, long blockId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT data FROM request_log_blocks WHERE id = ?")) {
            ps.setLong(1, blockId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    // deleted by retention meanwhile
                    return null;
                }
                return rs.getBytes(1);
            }
        }
    }

    private static boolean matches(Query q, Entry e) {
        if (q.connectionId() != null && !q.connectionId().equals(e.connectionId())) {
            return false;
        }
        if (q.statusFrom() != null && (e.status() < q.statusFrom() || e.status() >= q.statusTo())) {
            return false;
        }
        if (q.errorCode() != null && !q.errorCode().equals(e.errorCode())) {
            return false;
        }
        if (q.since() != null && e.startedAt().isBefore(q.since())) {
            return false;
        }
        if (q.until() != null && !e.startedAt().isBefore(q.until())) {
            return false;
        }
        String t = q.text();
        if (t != null && !t.isEmpty()) {
            return contains(e.path(), t)
                    || contains(e.query(), t)
                    || contains(e.requestId(), t)
                    || contains(e.errorCode(), t);
        }
        return true;
    }

    private static boolean contains(String s, String text) {
        return s != null && s.contains(text);
    }

    /**
     * The newest entry of an organization with this request id, whole: headers, bodies and source
     * calls.
     *
     * @param around when the request started, as its id tells (ids Ironbridge generates carry it):
     *     then the blocks around that time are read; if the entry is not there, or without a time,
     *     the organization's newest blocks are, up to {@link #MAX_FIND_SCAN} entries
     */
    public Optional<Entry> find(String organizationId, String requestId, Instant around) {
        return Jdbc.withConnection(
                ds,
                "read a request log entry",
                c -> {
                    if (around != null) {
                        List<Long> ids = new ArrayList<>();
                        try (PreparedStatement ps =
                                c.prepareStatement(
                                        "SELECT id FROM request_log_blocks WHERE organization_id = ?"
                                                + " AND last_at >= ? AND last_at <= ? AND first_at <= ?"
                                                + " ORDER BY last_at, id LIMIT 200")) {
                            ps.setString(1, organizationId);
                            ps.setLong(2, Micros.of(around.minus(FIND_SLACK)));
                            ps.setLong(3, Micros.of(around.plus(FIND_WINDOW)));
                            ps.setLong(4, Micros.of(around.plus(FIND_SLACK)));
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    ids.add(rs.getLong(1));
                                }
                            }
                        }
                        for (long id : ids) {
                            Optional<Entry> e = findIn(c, organizationId, id, requestId);
                            if (e.isPresent()) {
                                return e;
                            }
                        }
                    }
                    Position cursor = null;
                    int scanned = 0;
                    while (scanned < maxFindScan) {
                        List<Block> blocks =
                                blocks(
                                        c,
                                        new Query(
                                                organizationId,
                                                null,
                                                null,
                                                null,
                                                null,
                                                null,
                                                null,
                                                null,
                                                cursor,
                                                1),
                                        cursor);
                        for (Block b : blocks) {
                            Optional<Entry> e = findIn(c, organizationId, b.id(), requestId);
                            if (e.isPresent()) {
                                return e;
                            }
                            scanned += b.count();
                            cursor = new Position(b.lastAt(), b.id(), 0);
                            if (scanned >= maxFindScan) {
                                break;
                            }
                        }
                        if (blocks.size() < BLOCK_PAGE) {
                            break;
                        }
                    }
                    return Optional.empty();
                });
    }

    /** The last entry of a block with this request id. */
    private static Optional<Entry> findIn(
            Connection c, String organizationId, long blockId, String requestId)
            throws SQLException {
        byte[] data = data(c, blockId);
        if (data == null) {
            return Optional.empty();
        }
        List<Entry> entries = RequestLogCodec.decode(data, organizationId, blockId, true);
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (requestId.equals(entries.get(i).requestId())) {
                return Optional.of(entries.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * Deletes the blocks whose entries all started before {@code cutoff}, {@code batch} blocks per
     * transaction.
     *
     * @return how many entries were deleted
     */
    public int deleteBefore(Instant cutoff, int batch) {
        int total = 0;
        while (true) {
            int[] n = deleteBatch(Micros.of(cutoff), batch);
            total += n[1];
            if (n[0] < batch) {
                return total;
            }
        }
    }

    /** Deletes up to {@code batch} old blocks: how many, and how many entries they held. */
    private int[] deleteBatch(long cutoffMicros, int batch) {
        return Jdbc.inTransaction(
                ds,
                "delete old request log entries",
                c -> {
                    List<Long> ids = new ArrayList<>();
                    int entries = 0;
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT id, entry_count FROM request_log_blocks WHERE last_at < ?"
                                            + " ORDER BY last_at LIMIT ?")) {
                        ps.setLong(1, cutoffMicros);
                        ps.setInt(2, batch);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                ids.add(rs.getLong(1));
                                entries += rs.getInt(2);
                            }
                        }
                    }
                    if (ids.isEmpty()) {
                        return new int[] {0, 0};
                    }
                    String in = "?" + ",?".repeat(ids.size() - 1);
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "DELETE FROM request_log_blocks WHERE id IN (" + in + ")")) {
                        for (int i = 0; i < ids.size(); i++) {
                            ps.setLong(i + 1, ids.get(i));
                        }
                        ps.executeUpdate();
                    }
                    return new int[] {ids.size(), entries};
                });
    }
}
