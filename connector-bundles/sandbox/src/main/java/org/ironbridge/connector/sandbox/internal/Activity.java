package org.ironbridge.connector.sandbox.internal;

import static org.ironbridge.model.EntityType.ASSETS;
import static org.ironbridge.model.EntityType.ITEMS;
import static org.ironbridge.model.EntityType.LOCATIONS;
import static org.ironbridge.model.EntityType.PURCHASE_ORDERS;
import static org.ironbridge.model.EntityType.SERVICE_REQUESTS;
import static org.ironbridge.model.EntityType.STOCK_LEVELS;
import static org.ironbridge.model.EntityType.VENDORS;
import static org.ironbridge.model.EntityType.WORK_ORDERS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.ironbridge.connector.sandbox.internal.Generator.Rec;
import org.ironbridge.model.EntityType;

/**
 * The simulated users of the sandbox: {@code activity_per_minute} changes in every minute after the
 * system's creation, mostly purchase orders and work orders moving through their lifecycle, some
 * new records and a few deletions.
 *
 * <p>Minute m's schedule (the times and kinds of its changes) is a function of (seed, m). Changes
 * are applied lazily: whenever a call arrives, every scheduled change whose time has come is
 * applied, in order, with its scheduled time as the record's {@code updated_at}. What a change does
 * depends on the record's state at that moment, so the history is deterministic for a given
 * sequence of client writes. Callers hold the system's lock.
 */
final class Activity {
    /** After a longer silence, older minutes are skipped (the sandbox was "idle"). */
    static final long MAX_CATCH_UP_MINUTES = 24 * 60;

    private static final int LOG_CAPACITY = 10_000;
    private static final long SALT_ACTIVITY = 0xAC71_7147L;

    /** What a scheduled change does. */
    enum Kind {
        PURCHASE_ORDER_PROGRESS,
        WORK_ORDER_PROGRESS,
        SERVICE_REQUEST_PROGRESS,
        NEW_SERVICE_REQUEST,
        NEW_PURCHASE_ORDER,
        NEW_WORK_ORDER,
        STOCK_MOVEMENT,
        DELETION
    }

    private static final int[] WEIGHTS = {40, 28, 10, 7, 5, 4, 4, 2};

    /** A change scheduled at a time. */
    record Planned(Instant at, Kind kind, long seed) {}

    /** A change that was applied: which record it touched and how. */
    record Event(
            Instant at,
            Kind kind,
            EntityType entity,
            String remoteId,
            boolean deleted,
            String summary) {}

    private final SandboxSystem sys;
    private final Generator gen;
    private final long seed;
    private final Instant epoch;
    private final ArrayDeque<Event> log = new ArrayDeque<>();
    private int perMinute;
    private long minute;
    private List<Planned> schedule;
    private int position;

    Activity(SandboxSystem sys, Generator gen, long seed, Instant epoch, int perMinute) {
        this.sys = sys;
        this.gen = gen;
        this.seed = seed;
        this.epoch = epoch;
        this.perMinute = perMinute;
    }

    void setPerMinute(int perMinute, Instant now) {
        if (this.perMinute == 0 && perMinute > 0) {
            // start with the next whole minute rather than replaying the quiet time
            minute = Math.max(minute, minuteOf(now) + 1);
            schedule = null;
        }
        this.perMinute = perMinute;
    }

    List<Event> log() {
        return List.copyOf(log);
    }

    private long minuteOf(Instant now) {
        return Math.floorDiv(Duration.between(epoch, now).toMillis(), 60_000L);
    }

    /** Applies every scheduled change whose time is not after {@code now}. */
    void catchUp(Instant now) {
        if (perMinute <= 0 || now.isBefore(epoch)) {
            return;
        }
        long current = minuteOf(now);
        if (current - minute > MAX_CATCH_UP_MINUTES) {
            minute = current - MAX_CATCH_UP_MINUTES;
            schedule = null;
        }
        while (minute <= current) {
            if (schedule == null) {
                schedule = plan(minute);
                position = 0;
            }
            while (position < schedule.size() && !schedule.get(position).at().isAfter(now)) {
                apply(schedule.get(position++));
            }
            if (position < schedule.size()) {
                return;
            }
            schedule = null;
            minute++;
        }
    }

    /** The changes of minute m: their number is the rate, their times and kinds from the seed. */
    private List<Planned> plan(long m) {
        Rng r = Rng.of(seed, SALT_ACTIVITY, m);
        long[] offsets = new long[perMinute];
        for (int k = 0; k < offsets.length; k++) {
            offsets[k] = r.nextLong(60_000);
        }
        Arrays.sort(offsets);
        Instant base = epoch.plus(Duration.ofMinutes(m));
        List<Planned> out = new ArrayList<>(offsets.length);
        for (long off : offsets) {
            out.add(
                    new Planned(
                            base.plusMillis(off),
                            Kind.values()[r.weighted(WEIGHTS)],
                            r.nextLong()));
        }
        return out;
    }

    private void apply(Planned p) {
        Rng r = new Rng(p.seed());
        Instant at = sys.changeTime(p.at());
        Event e =
                switch (p.kind()) {
                    case PURCHASE_ORDER_PROGRESS -> progressPurchaseOrder(r, at);
                    case WORK_ORDER_PROGRESS -> progressWorkOrder(r, at);
                    case SERVICE_REQUEST_PROGRESS -> progressServiceRequest(r, at);
                    case NEW_SERVICE_REQUEST -> newServiceRequest(r, at);
                    case NEW_PURCHASE_ORDER -> newPurchaseOrder(r, at);
                    case NEW_WORK_ORDER -> newWorkOrder(r, at);
                    case STOCK_MOVEMENT -> stockMovement(r, at);
                    case DELETION -> deletion(r, at);
                };
        log.addLast(e);
        if (log.size() > LOG_CAPACITY) {
            log.removeFirst();
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A live record, biased towards recent ones, that passes the filter; null after 12 misses. */
    private Rec pickRecent(EntityType e, Rng r, Predicate<ObjectNode> ok) {
        long n = sys.idCount(e);
        if (n == 0) {
            return null;
        }
        for (int tries = 0; tries < 12; tries++) {
            double u = r.nextDouble();
            long idx = Math.max(0, n - 1 - (long) (n * u * u * u));
            Rec rec = sys.current(e, RemoteIds.format(e, idx));
            if (rec != null && ok.test(rec.fields())) {
                return rec;
            }
        }
        return null;
    }

    /** Any live record of the entity; null after 12 misses. */
    private Rec pickAny(EntityType e, Rng r) {
        long n = sys.idCount(e);
        for (int tries = 0; n > 0 && tries < 12; tries++) {
            Rec rec = sys.current(e, RemoteIds.format(e, r.nextLong(n)));
            if (rec != null) {
                return rec;
            }
        }
        return null;
    }

    private static String status(ObjectNode f) {
        return Json.text(f, "status");
    }

    private static boolean isOneOf(ObjectNode f, String... statuses) {
        return Arrays.asList(statuses).contains(status(f));
    }

    private Event changed(Kind kind, EntityType e, Rec r, Instant at, String summary) {
        return new Event(at, kind, e, r.remoteId(), false, summary);
    }

    // ---------------------------------------------------------------- purchase orders

    private Event progressPurchaseOrder(Rng r, Instant at) {
        Rec po = pickRecent(PURCHASE_ORDERS, r, f -> !isOneOf(f, "closed", "cancelled"));
        if (po == null) {
            return newServiceRequest(r, at);
        }
        ObjectNode f = po.fields();
        String from = status(f);
        String to =
                switch (from) {
                    case "draft" -> "pending_approval";
                    case "pending_approval" -> r.chance(0.9) ? "approved" : "cancelled";
                    case "approved" -> r.chance(0.5) ? "partially_received" : "received";
                    case "partially_received" -> "received";
                    default -> "closed";
                };
        ArrayNode lines = Json.arr(f, "lines");
        if (to.equals("partially_received")) {
            boolean partial = false;
            for (int k = 0; k < lines.size(); k++) {
                ObjectNode line = (ObjectNode) lines.get(k);
                BigDecimal qty = Json.dec(line.get("quantity"));
                String unit = Json.text(line, "unit");
                BigDecimal got =
                        k == 0 && lines.size() > 1
                                ? qty
                                : Generator.half(qty, unit == null ? "pcs" : unit);
                partial |= got.compareTo(qty) < 0;
                line.put("received_quantity", Json.qty(got));
            }
            if (!partial) {
                to = "received";
            }
        }
        if (to.equals("received")) {
            for (JsonNode line : lines) {
                ((ObjectNode) line).set("received_quantity", line.get("quantity"));
            }
        }
        if (to.equals("closed")) {
            f.put("notes", "Invoice " + r.digits(8) + " matched");
        }
        f.put("status", to);
        sys.save(PURCHASE_ORDERS, po, f, at);
        return changed(
                Kind.PURCHASE_ORDER_PROGRESS,
                PURCHASE_ORDERS,
                po,
                at,
                "status " + from + " -> " + to);
    }

    private Event newPurchaseOrder(Rng r, Instant at) {
        Rec vendor = pickAny(VENDORS, r);
        if (vendor == null) {
            return newServiceRequest(r, at);
        }
        ObjectNode f = Json.object();
        f.put("vendor_id", vendor.remoteId());
        f.put("status", "draft");
        f.put("order_date", Json.date(at));
        f.put("expected_date", Json.date(at.plus(Duration.ofDays(r.between(7, 28)))));
        String warehouse =
                RemoteIds.format(
                        LOCATIONS,
                        gen.warehouseLocation(r.nextLong(gen.dimensions().warehouses())));
        ArrayNode lines = f.putArray("lines");
        int n = r.between(1, 3);
        for (int k = 0; k < n; k++) {
            Rec item = pickAny(ITEMS, r);
            if (item == null) {
                continue;
            }
            String unit = Json.text(item.fields(), "unit");
            BigDecimal cost = Json.dec(item.fields().get("unit_cost"));
            ObjectNode line = lines.addObject();
            line.put("item_id", item.remoteId());
            line.put(
                    "quantity",
                    Json.qty(Generator.orderQuantity(unit == null ? "pcs" : unit, cost, r)));
            line.put(
                    "unit_price",
                    Json.money(
                            (cost == null ? BigDecimal.TEN : cost)
                                    .multiply(r.decimal(0.9, 1.1, 3))
                                    .max(new BigDecimal("0.01"))));
            line.put("location_id", warehouse);
        }
        if (lines.isEmpty()) {
            return newServiceRequest(r, at);
        }
        f.putObject("custom_fields").put("buyer", Words.person(r));
        String id = sys.insert(PURCHASE_ORDERS, f, at);
        return new Event(at, Kind.NEW_PURCHASE_ORDER, PURCHASE_ORDERS, id, false, "created");
    }

    // ---------------------------------------------------------------- work orders

    private Event progressWorkOrder(Rng r, Instant at) {
        Rec wo = pickRecent(WORK_ORDERS, r, f -> !isOneOf(f, "closed", "cancelled"));
        if (wo == null) {
            return newServiceRequest(r, at);
        }
        ObjectNode f = wo.fields();
        String from = status(f);
        String to =
                switch (from) {
                    case "requested" -> r.chance(0.9) ? "approved" : "cancelled";
                    case "approved" -> "scheduled";
                    case "scheduled", "on_hold" -> "in_progress";
                    case "in_progress" -> r.chance(0.15) ? "on_hold" : "completed";
                    default -> "closed";
                };
        Instant now = at.truncatedTo(ChronoUnit.SECONDS);
        ArrayNode tasks = Json.arr(f, "tasks");
        switch (to) {
            case "scheduled" -> {
                Instant start = now.plus(Duration.ofHours(r.between(2, 72)));
                f.put("scheduled_start", Json.ts(start));
                f.put("scheduled_end", Json.ts(start.plus(Duration.ofHours(r.between(1, 8)))));
                if (Json.text(f, "assigned_to") == null) {
                    f.put("assigned_to", Words.person(r));
                }
            }
            case "in_progress" -> {
                if (Json.text(f, "started_at") == null) {
                    f.put("started_at", Json.ts(now));
                }
                for (JsonNode t : tasks) {
                    if ("open".equals(Json.text(t, "status"))) {
                        finish((ObjectNode) t, r);
                        break;
                    }
                }
            }
            case "completed" -> {
                for (JsonNode t : tasks) {
                    if ("open".equals(Json.text(t, "status"))) {
                        finish((ObjectNode) t, r);
                    }
                }
                f.put("completed_at", Json.ts(now));
                Words.Craft craft = r.pick(Words.CRAFTS);
                BigDecimal hours =
                        BigDecimal.valueOf(r.between(1, 12)).divide(BigDecimal.valueOf(2));
                ObjectNode labor = Json.arr(f, "labor").addObject();
                String worker = Json.text(f, "assigned_to");
                labor.put("worker_name", worker == null ? Words.person(r) : worker);
                labor.put("craft", craft.name());
                labor.put("date", Json.date(now));
                labor.put("hours", Json.qty(hours));
                labor.put("rate", craft.rate());
            }
            default -> {}
        }
        f.put("status", to);
        sys.save(WORK_ORDERS, wo, f, at);
        return changed(
                Kind.WORK_ORDER_PROGRESS, WORK_ORDERS, wo, at, "status " + from + " -> " + to);
    }

    private static void finish(ObjectNode task, Rng r) {
        task.put("status", "done");
        BigDecimal est = Json.dec(task.get("estimated_hours"));
        BigDecimal actual =
                (est == null ? BigDecimal.ONE : est)
                        .multiply(r.decimal(0.7, 1.4, 2))
                        .setScale(1, RoundingMode.HALF_UP)
                        .max(new BigDecimal("0.1"));
        task.put("actual_hours", Json.qty(actual));
    }

    private Event newWorkOrder(Rng r, Instant at) {
        Rec asset = pickAny(ASSETS, r);
        if (asset == null) {
            return newServiceRequest(r, at);
        }
        String type =
                new String[] {"corrective", "inspection", "preventive"}[r.weighted(60, 25, 15)];
        Words.Problem p = r.pick(Words.PROBLEMS);
        String name = Json.text(asset.fields(), "name");
        ObjectNode f = Json.object();
        f.put("title", Generator.woTitle(type, p, name, r));
        f.put(
                "description",
                type.equals("corrective")
                        ? String.format(Locale.ROOT, p.symptom(), name) + ". " + p.detail()
                        : "Raised from the maintenance plan.");
        f.put("status", "requested");
        f.put("priority", Generator.PRIORITIES[r.weighted(25, 45, 22, 8)]);
        f.put("type", type);
        f.put("asset_id", asset.remoteId());
        f.put("requested_by", Words.person(r));
        f.put("due_date", Json.date(at.plus(Duration.ofDays(r.between(2, 21)))));
        ArrayNode tasks = f.putArray("tasks");
        String[] pool =
                type.equals("corrective")
                        ? new String[] {"Diagnose fault", p.action(), "Test run and release"}
                        : type.equals("inspection") ? Words.INSPECTION_TASKS : Words.PM_TASKS;
        for (int k = 0; k < Math.min(3, pool.length); k++) {
            ObjectNode t = tasks.addObject();
            t.put("description", pool[k]);
            t.put(
                    "estimated_hours",
                    Json.qty(BigDecimal.valueOf(r.between(1, 8)).divide(BigDecimal.valueOf(2))));
        }
        String id = sys.insert(WORK_ORDERS, f, at);
        return new Event(at, Kind.NEW_WORK_ORDER, WORK_ORDERS, id, false, "created");
    }

    // ---------------------------------------------------------------- service requests

    private Event progressServiceRequest(Rng r, Instant at) {
        Rec sr =
                pickRecent(SERVICE_REQUESTS, r, f -> isOneOf(f, "open", "in_progress", "resolved"));
        if (sr == null) {
            return newServiceRequest(r, at);
        }
        ObjectNode f = sr.fields();
        String from = status(f);
        String to =
                switch (from) {
                    case "open" -> "in_progress";
                    case "in_progress" -> "resolved";
                    default -> "closed";
                };
        f.put("status", to);
        sys.save(SERVICE_REQUESTS, sr, f, at);
        return changed(
                Kind.SERVICE_REQUEST_PROGRESS,
                SERVICE_REQUESTS,
                sr,
                at,
                "status " + from + " -> " + to);
    }

    /** Always succeeds: the fallback of every other kind of change. */
    private Event newServiceRequest(Rng r, Instant at) {
        ObjectNode f = Json.object();
        Rec asset = pickAny(ASSETS, r);
        if (asset != null) {
            Words.Problem p = r.pick(Words.PROBLEMS);
            f.put(
                    "title",
                    String.format(Locale.ROOT, p.symptom(), Json.text(asset.fields(), "name")));
            f.put("description", p.detail());
            f.put("asset_id", asset.remoteId());
        } else {
            long area = gen.dimensions().firstArea() + r.nextLong(gen.dimensions().areas());
            f.put(
                    "title",
                    String.format(
                            Locale.ROOT,
                            r.pick(Words.FACILITY_PROBLEMS),
                            gen.locationCore(area).name()));
            f.put("location_id", RemoteIds.format(LOCATIONS, area));
        }
        f.put("status", "open");
        f.put("priority", Generator.PRIORITIES[r.weighted(20, 50, 22, 8)]);
        f.put("requested_by", Words.person(r));
        f.putObject("custom_fields").put("channel", "portal");
        String id = sys.insert(SERVICE_REQUESTS, f, at);
        return new Event(at, Kind.NEW_SERVICE_REQUEST, SERVICE_REQUESTS, id, false, "created");
    }

    // ---------------------------------------------------------------- stock and deletions

    private Event stockMovement(Rng r, Instant at) {
        Rec stock = pickAny(STOCK_LEVELS, r);
        if (stock == null) {
            return newServiceRequest(r, at);
        }
        ObjectNode f = stock.fields();
        BigDecimal onHand = Json.dec(f.get("quantity_on_hand"));
        if (onHand == null) {
            onHand = BigDecimal.ZERO;
        }
        BigDecimal reorder = Json.dec(f.get("reorder_point"));
        BigDecimal onOrder = Json.dec(f.get("quantity_on_order"));
        String summary;
        if (onHand.signum() > 0 && r.chance(0.7)) {
            BigDecimal issued = BigDecimal.valueOf(r.between(1, 10)).min(onHand);
            onHand = onHand.subtract(issued);
            summary = "issued " + Json.qty(issued);
        } else {
            BigDecimal received =
                    (reorder == null || reorder.signum() == 0 ? BigDecimal.TEN : reorder)
                            .multiply(BigDecimal.valueOf(2));
            onHand = onHand.add(received);
            if (onOrder != null) {
                f.put(
                        "quantity_on_order",
                        Json.qty(onOrder.subtract(received).max(BigDecimal.ZERO)));
            }
            summary = "received " + Json.qty(received);
        }
        f.put("quantity_on_hand", Json.qty(onHand));
        BigDecimal reserved = Json.dec(f.get("quantity_reserved"));
        if (reserved != null && reserved.compareTo(onHand) > 0) {
            f.put("quantity_reserved", Json.qty(onHand));
        }
        sys.save(STOCK_LEVELS, stock, f, at);
        return changed(Kind.STOCK_MOVEMENT, STOCK_LEVELS, stock, at, summary);
    }

    private Event deletion(Rng r, Instant at) {
        Rec po = pickRecent(PURCHASE_ORDERS, r, f -> isOneOf(f, "draft"));
        if (po != null) {
            sys.remove(PURCHASE_ORDERS, po, at);
            return new Event(
                    at, Kind.DELETION, PURCHASE_ORDERS, po.remoteId(), true, "draft deleted");
        }
        Rec sr =
                pickRecent(
                        SERVICE_REQUESTS,
                        r,
                        f ->
                                isOneOf(f, "open", "cancelled")
                                        && Json.text(f, "work_order_id") == null);
        if (sr != null) {
            sys.remove(SERVICE_REQUESTS, sr, at);
            return new Event(
                    at, Kind.DELETION, SERVICE_REQUESTS, sr.remoteId(), true, "duplicate deleted");
        }
        return newServiceRequest(r, at);
    }
}
