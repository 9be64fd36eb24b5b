package org.ironbridge.connector.sandbox.internal;

import static org.ironbridge.model.EntityType.ASSETS;
import static org.ironbridge.model.EntityType.ITEMS;
import static org.ironbridge.model.EntityType.LOCATIONS;
import static org.ironbridge.model.EntityType.PURCHASE_ORDERS;
import static org.ironbridge.model.EntityType.SERVICE_REQUESTS;
import static org.ironbridge.model.EntityType.STOCK_LEVELS;
import static org.ironbridge.model.EntityType.VENDORS;
import static org.ironbridge.model.EntityType.WORK_ORDERS;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.ironbridge.model.EntityType;

/**
 * Generates the sandbox's base data on demand: record {@code i} of an entity is computed from a
 * generator seeded by (seed, entity, i), so nothing is held in memory and any record of a
 * million-record dataset costs the same.
 *
 * <p>Base records' {@code updated_at} values are spread over the {@link #HISTORY} before the
 * system's creation time and never decrease with the index, so the order of indexes is the order of
 * (updated_at, remote_id) and a lower time bound is found by binary search.
 *
 * <p>Cross-record facts (an asset's location, a work order's status, an item's unit and price) are
 * derived from small "core" functions with their own seeds, so records that reference each other
 * agree without generating each other in full.
 */
final class Generator {
    /** How far back base records' modification times go. */
    static final Duration HISTORY = Duration.ofDays(730);

    private static final long SALT_TIME = 1;
    private static final long SALT_CORE = 2;
    private static final long SALT_DETAIL = 3;
    private static final long SALT_KIND = 4;
    private static final long SALT_PLACE = 5;
    private static final long SALT_STOCK = 6;

    static final String[] WO_TYPES = {
        "corrective", "preventive", "inspection", "emergency", "project"
    };
    static final String[] PRIORITIES = {"low", "medium", "high", "urgent"};
    private static final BigDecimal[] TASK_HOURS = {
        new BigDecimal("0.5"),
        new BigDecimal("1"),
        new BigDecimal("1.5"),
        new BigDecimal("2"),
        new BigDecimal("3"),
        new BigDecimal("4")
    };

    /** A record in canonical form with its timestamps. */
    record Rec(String remoteId, Instant createdAt, Instant updatedAt, ObjectNode fields) {}

    /** What other records need to know about a vendor. */
    record VendorCore(
            String name, Words.Country country, Words.City city, String slug, int trade) {}

    /** What other records need to know about an item. */
    record ItemCore(
            String name,
            String code,
            Words.ItemTemplate template,
            BigDecimal unitCost,
            long vendor) {
        String unit() {
            return template.unit();
        }
    }

    /** The kind of a location, with its canonical type. */
    enum LocKind {
        SITE("site"),
        AREA("area"),
        WAREHOUSE("warehouse"),
        STOREROOM("storeroom");

        final String type;

        LocKind(String type) {
            this.type = type;
        }
    }

    /** What other records need to know about a location. */
    record LocCore(LocKind kind, long site, String name, String code, long parent) {}

    /** What other records need to know about an asset. */
    record AssetCore(Words.AssetKind kind, String tag, String name, long location, long parent) {}

    /** What other records need to know about a work order. */
    record WoCore(
            long asset,
            int problem,
            String type,
            String status,
            Instant createdAt,
            Instant updatedAt,
            long serviceRequest) {}

    private final long seed;
    private final Dimensions dim;
    private final Instant epoch;
    private final Instant start;

    Generator(long seed, Dimensions dim, Instant epoch) {
        this.seed = seed;
        this.dim = dim;
        this.epoch = epoch;
        this.start = epoch.minus(HISTORY);
    }

    Dimensions dimensions() {
        return dim;
    }

    /** The system's creation time: every base record was last modified before it. */
    Instant epoch() {
        return epoch;
    }

    long seed() {
        return seed;
    }

    long count(EntityType e) {
        return dim.count(e);
    }

    // ---------------------------------------------------------------- time layout

    /** The modification time of base record i: never decreases with i, always before epoch. */
    Instant updatedAt(EntityType e, long i) {
        long n = count(e);
        double u = Rng.unit(Rng.mix(seed, e.ordinal(), i, SALT_TIME)) * 0.9;
        long offset = (long) (HISTORY.getSeconds() * ((i + u) / n));
        return start.plusSeconds(offset);
    }

    ChangeKey key(EntityType e, long i) {
        return new ChangeKey(updatedAt(e, i), RemoteIds.format(e, i));
    }

    /** The first base index whose key is after the bound (the count when none is). */
    long firstIndexAfter(EntityType e, ChangeKey bound) {
        long lo = 0;
        long hi = count(e);
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (key(e, mid).compareTo(bound) > 0) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    // ---------------------------------------------------------------- records

    /** Base record i of the entity; i must be below {@link #count}. */
    Rec record(EntityType e, long i) {
        Rec r =
                switch (e) {
                    case VENDORS -> vendor(i);
                    case ITEMS -> item(i);
                    case STOCK_LEVELS -> stockLevel(i);
                    case LOCATIONS -> location(i);
                    case ASSETS -> asset(i);
                    case WORK_ORDERS -> workOrder(i);
                    case SERVICE_REQUESTS -> serviceRequest(i);
                    case PURCHASE_ORDERS -> purchaseOrder(i);
                };
        return new Rec(r.remoteId(), r.createdAt(), r.updatedAt(), Schema.shape(e, r.fields()));
    }

    private Rng rng(EntityType e, long i, long salt) {
        return Rng.of(seed, e.ordinal(), i, salt);
    }

    /** A whole-second instant uniformly between a and b. */
    private static Instant between(Instant a, Instant b, Rng r) {
        long s = Math.max(0, Duration.between(a, b).getSeconds());
        return a.plusSeconds((long) (s * r.nextDouble()));
    }

    private static String pad(long n, int width) {
        return String.format(Locale.ROOT, "%0" + width + "d", n);
    }

    static String slug(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    // ---------------------------------------------------------------- vendors

    VendorCore vendorCore(long i) {
        Rng r = rng(VENDORS, i, SALT_CORE);
        int np = Words.VENDOR_PREFIXES.length;
        int nt = Words.VENDOR_TRADES.length;
        int p = (int) (i % np);
        int t = (int) ((p + (np + 1) * (i / np)) % nt);
        Words.Country c = Words.country(r);
        Words.City city = r.pick(c.cities());
        String legal = r.pick(c.legalForms());
        long generation = i / ((long) np * nt);
        String base = Words.VENDOR_PREFIXES[p] + " " + Words.VENDOR_TRADES[t];
        String slug = slug(base) + (generation > 0 ? "-" + (generation + 1) : "");
        if (generation > 0) {
            base += " " + city.name();
        }
        return new VendorCore(base + " " + legal, c, city, slug, t);
    }

    private Rec vendor(long i) {
        VendorCore vc = vendorCore(i);
        Rng r = rng(VENDORS, i, SALT_DETAIL);
        Instant updated = updatedAt(VENDORS, i);
        Instant created = between(start, updated, r);
        ObjectNode f = Json.object();
        f.put("name", vc.name());
        f.put("code", "V" + (10000 + i + 1));
        f.put("status", r.chance(0.92) ? "active" : "inactive");
        f.put("tax_id", Words.taxId(vc.country().code(), r));
        f.put("currency", vc.country().currency());
        f.put("email", (r.chance(0.5) ? "orders@" : "sales@") + vc.slug() + ".example");
        f.put("phone", vc.city().phone() + " " + r.digits(3) + " " + r.digits(4));
        f.put("website", "https://www." + vc.slug() + ".example");
        f.put("payment_terms", r.pick(Words.PAYMENT_TERMS));
        ObjectNode a = f.putObject("address");
        a.put(
                "street",
                String.format(Locale.ROOT, r.pick(vc.country().streets()), r.between(1, 180)));
        a.put("city", vc.city().name());
        a.put("postal_code", vc.city().postalCode());
        a.put("state", vc.city().state());
        a.put("country", vc.country().code());
        f.put(
                "notes",
                r.chance(0.25)
                        ? String.format(Locale.ROOT, r.pick(Words.VENDOR_NOTES), r.between(1, 400))
                        : null);
        f.putObject("custom_fields").put("supplier_group", Words.VENDOR_GROUPS[vc.trade()]);
        return new Rec(RemoteIds.format(VENDORS, i), created, updated, f);
    }

    // ---------------------------------------------------------------- items

    ItemCore itemCore(long j) {
        Rng r = rng(ITEMS, j, SALT_CORE);
        Words.ItemTemplate t = r.pick(Words.ITEMS);
        Object[] args = new Object[t.variants().length];
        for (int k = 0; k < args.length; k++) {
            args[k] = r.pick(t.variants()[k]);
        }
        String name = String.format(Locale.ROOT, t.pattern(), args);
        BigDecimal cost = r.decimal(t.costLow(), t.costHigh(), 2);
        return new ItemCore(name, t.codePrefix() + "-" + pad(j + 1, 5), t, cost, j % dim.vendors());
    }

    private Rec item(long j) {
        ItemCore ic = itemCore(j);
        Rng r = rng(ITEMS, j, SALT_DETAIL);
        Instant updated = updatedAt(ITEMS, j);
        Instant created = between(start, updated, r);
        ObjectNode f = Json.object();
        f.put("name", ic.name());
        f.put("code", ic.code());
        f.put("description", ic.template().description());
        f.put("type", ic.template().type());
        f.put("unit", ic.unit());
        f.put("unit_cost", Json.money(ic.unitCost()));
        f.put("currency", "EUR");
        f.put("status", r.chance(0.95) ? "active" : "inactive");
        f.put("category", ic.template().category());
        f.put("vendor_id", RemoteIds.format(VENDORS, ic.vendor()));
        String abc =
                ic.unitCost().compareTo(BigDecimal.valueOf(200)) >= 0
                        ? "A"
                        : ic.unitCost().compareTo(BigDecimal.valueOf(20)) >= 0 ? "B" : "C";
        f.putObject("custom_fields").put("abc_class", abc);
        return new Rec(RemoteIds.format(ITEMS, j), created, updated, f);
    }

    /** The vendor's own items are those whose index is congruent to it; picks one. */
    private long itemOfVendor(long vendor, Rng r) {
        long nv = dim.vendors();
        long m = (dim.items() - 1 - vendor) / nv + 1;
        return vendor + nv * r.nextLong(m);
    }

    // ---------------------------------------------------------------- locations

    private String siteLabel(long site) {
        Words.Site s = Words.SITES[(int) (site % Words.SITES.length)];
        long generation = site / Words.SITES.length;
        return s.city() + (generation > 0 ? " " + (generation + 1) : "");
    }

    private static String siteCode(long site) {
        return "S" + pad(site + 1, 2);
    }

    LocCore locationCore(long l) {
        if (l < dim.firstArea()) {
            return new LocCore(LocKind.SITE, l, siteLabel(l) + " Plant", siteCode(l), -1);
        }
        if (l < dim.firstWarehouse()) {
            long a = l - dim.firstArea();
            long site = a % dim.sites();
            long ord = a / dim.sites();
            int names = Words.AREAS.length;
            String name =
                    Words.AREAS[(int) (ord % names)]
                            + (ord >= names ? " " + (ord / names + 1) : "");
            return new LocCore(
                    LocKind.AREA, site, name, siteCode(site) + "-A" + pad(ord + 1, 2), site);
        }
        if (l < dim.firstStoreroom()) {
            long w = l - dim.firstWarehouse();
            long site = w % dim.sites();
            long ord = w / dim.sites();
            String name =
                    siteLabel(site) + (ord == 0 ? " Central Warehouse" : " Warehouse " + (ord + 1));
            return new LocCore(
                    LocKind.WAREHOUSE, site, name, siteCode(site) + "-WH" + (ord + 1), site);
        }
        long s = l - dim.firstStoreroom();
        long w = s % dim.warehouses();
        long ord = s / dim.warehouses();
        LocCore wh = locationCore(dim.firstWarehouse() + w);
        String letter = ord < 26 ? String.valueOf((char) ('A' + ord)) : Long.toString(ord + 1);
        return new LocCore(
                LocKind.STOREROOM,
                wh.site(),
                "Storeroom " + letter + " – " + wh.name(),
                wh.code() + "-SR" + (ord + 1),
                dim.firstWarehouse() + w);
    }

    private Rec location(long l) {
        LocCore lc = locationCore(l);
        Rng r = rng(LOCATIONS, l, SALT_DETAIL);
        Instant updated = updatedAt(LOCATIONS, l);
        Instant created = between(start, updated, r);
        Words.Site site = Words.SITES[(int) (lc.site() % Words.SITES.length)];
        ObjectNode f = Json.object();
        f.put("name", lc.name());
        f.put("code", lc.code());
        f.put("type", lc.kind().type);
        f.put("parent_id", lc.parent() < 0 ? null : RemoteIds.format(LOCATIONS, lc.parent()));
        f.put("status", lc.kind() == LocKind.STOREROOM && r.chance(0.05) ? "inactive" : "active");
        ObjectNode a = f.putObject("address");
        a.put("street", site.street());
        a.put("city", site.city());
        a.put("postal_code", site.postalCode());
        a.put("state", site.state());
        a.put("country", site.country());
        f.putObject("custom_fields").put("plant_code", siteCode(lc.site()));
        return new Rec(RemoteIds.format(LOCATIONS, l), created, updated, f);
    }

    /** The location index of a site's main storeroom (storeroom s of warehouse s of site s). */
    long siteStoreroom(long site) {
        return dim.firstStoreroom() + site;
    }

    /** A warehouse location index. */
    long warehouseLocation(long w) {
        return dim.firstWarehouse() + w;
    }

    // ---------------------------------------------------------------- assets

    private int mainKindIndex(long a) {
        return (int)
                Math.floorMod(
                        Rng.mix(seed, ASSETS.ordinal(), a, SALT_KIND),
                        (long) Words.MAIN_ASSETS.length);
    }

    /** Every fifth asset is a component of the one before it, if that kind has components. */
    private boolean isComponent(long a) {
        return a % 5 == 4 && Words.MAIN_ASSETS[mainKindIndex(a - 1)].childKind() >= 0;
    }

    AssetCore assetCore(long a) {
        if (isComponent(a)) {
            Words.AssetKind parentKind = Words.MAIN_ASSETS[mainKindIndex(a - 1)];
            AssetCore parent = assetCore(a - 1);
            Words.AssetKind k = Words.CHILD_ASSETS[parentKind.childKind()];
            String tag = k.tagPrefix() + "-" + (100 + a - 1);
            return new AssetCore(k, tag, k.name() + " " + tag, parent.location(), a - 1);
        }
        Words.AssetKind k = Words.MAIN_ASSETS[mainKindIndex(a)];
        String tag = k.tagPrefix() + "-" + (100 + a);
        long area = Math.floorMod(Rng.mix(seed, ASSETS.ordinal(), a, SALT_PLACE), dim.areas());
        return new AssetCore(k, tag, k.name() + " " + tag, dim.firstArea() + area, -1);
    }

    private Rec asset(long a) {
        AssetCore ac = assetCore(a);
        LocCore lc = locationCore(ac.location());
        Rng r = rng(ASSETS, a, SALT_DETAIL);
        Instant updated = updatedAt(ASSETS, a);
        Instant created = between(start, updated, r);
        Words.AssetKind k = ac.kind();
        String status = new String[] {"active", "inactive", "decommissioned"}[r.weighted(90, 6, 4)];
        ObjectNode f = Json.object();
        f.put("name", ac.name());
        f.put("code", ac.tag());
        String model = k.modelPrefix() + " " + r.pick(k.models());
        f.put(
                "description",
                k.name() + " " + model + " in " + lc.name() + ", " + siteLabel(lc.site()));
        f.put("status", status);
        f.put("remote_status", Statuses.raw(ASSETS, status));
        f.put("category", k.category());
        f.put("manufacturer", r.pick(k.manufacturers()));
        f.put("model", model);
        f.put("serial_number", "SN" + r.digits(8));
        f.put("criticality", new String[] {"low", "medium", "high"}[r.weighted(30, 45, 25)]);
        f.put("location_id", RemoteIds.format(LOCATIONS, ac.location()));
        f.put("parent_id", ac.parent() < 0 ? null : RemoteIds.format(ASSETS, ac.parent()));
        f.put("install_date", Json.date(updated.minus(Duration.ofDays(r.between(30, 15 * 365)))));
        f.put("purchase_cost", Json.money(r.decimal(k.costLow(), k.costHigh(), 2)));
        f.put("currency", "EUR");
        f.putObject("custom_fields").put("inventory_number", "INV-" + r.digits(7));
        return new Rec(RemoteIds.format(ASSETS, a), created, updated, f);
    }

    // ---------------------------------------------------------------- work orders

    /** The service request a base work order was raised from, or -1. */
    long serviceRequestOfWorkOrder(long w) {
        return w % 4 == 0 && w / 2 < dim.serviceRequests() ? w / 2 : -1;
    }

    /** The work order a base service request led to, or -1. */
    long workOrderOfServiceRequest(long s) {
        return s % 2 == 0 && 2 * s < dim.workOrders() ? 2 * s : -1;
    }

    WoCore woCore(long w) {
        Rng r = rng(WORK_ORDERS, w, SALT_CORE);
        long sr = serviceRequestOfWorkOrder(w);
        long asset = r.nextLong(dim.assets());
        int problem = r.nextInt(Words.PROBLEMS.length);
        String type =
                sr >= 0
                        ? (r.chance(0.2) ? "emergency" : "corrective")
                        : WO_TYPES[r.weighted(35, 35, 18, 4, 8)];
        Instant updated = updatedAt(WORK_ORDERS, w);
        double recent = 1.0 - (w + 0.5) / dim.workOrders();
        String status =
                recent > 0.1
                        ? new String[] {"closed", "completed", "cancelled"}[r.weighted(70, 20, 10)]
                        : new String[] {
                                    "requested",
                                    "approved",
                                    "scheduled",
                                    "in_progress",
                                    "on_hold",
                                    "completed"
                                }
                                [r.weighted(15, 15, 20, 25, 10, 15)];
        int hours =
                switch (status) {
                    case "closed" -> r.between(48, 960);
                    case "completed" -> r.between(24, 480);
                    case "cancelled" -> r.between(1, 240);
                    case "requested" -> r.between(1, 72);
                    case "approved" -> r.between(12, 120);
                    case "scheduled" -> r.between(24, 240);
                    case "in_progress" -> r.between(24, 336);
                    default -> r.between(48, 480);
                };
        Instant created = updated.minus(Duration.ofHours(hours)).minusSeconds(r.nextInt(3600));
        return new WoCore(asset, problem, type, status, created, updated, sr);
    }

    private static boolean started(String woStatus) {
        return switch (woStatus) {
            case "in_progress", "on_hold", "completed", "closed" -> true;
            default -> false;
        };
    }

    private Rec workOrder(long w) {
        WoCore wc = woCore(w);
        AssetCore ac = assetCore(wc.asset());
        LocCore lc = locationCore(ac.location());
        Rng r = rng(WORK_ORDERS, w, SALT_DETAIL);
        Words.Problem p = Words.PROBLEMS[wc.problem()];
        String status = wc.status();
        String type = wc.type();
        Instant created = wc.createdAt();
        Instant updated = wc.updatedAt();
        long span = Duration.between(created, updated).getSeconds();
        boolean started = started(status);
        boolean done = status.equals("completed") || status.equals("closed");

        ObjectNode f = Json.object();
        f.put("number", RemoteIds.format(WORK_ORDERS, w));
        f.put("title", woTitle(type, p, ac.name(), r));
        f.put("description", woDescription(type, p, ac, r));
        f.put("status", status);
        f.put("remote_status", Statuses.raw(WORK_ORDERS, status));
        f.put(
                "priority",
                type.equals("emergency") ? "urgent" : PRIORITIES[r.weighted(25, 45, 22, 8)]);
        f.put("type", type);
        f.put("asset_id", RemoteIds.format(ASSETS, wc.asset()));
        f.put("location_id", RemoteIds.format(LOCATIONS, ac.location()));
        f.put(
                "service_request_id",
                wc.serviceRequest() < 0
                        ? null
                        : RemoteIds.format(SERVICE_REQUESTS, wc.serviceRequest()));
        String assignee = Words.person(r);
        f.put("assigned_to", status.equals("requested") ? null : assignee);
        f.put("requested_by", Words.person(r));

        // tasks
        String[] pool =
                switch (type) {
                    case "preventive" -> Words.PM_TASKS;
                    case "inspection" -> Words.INSPECTION_TASKS;
                    case "project" -> Words.PROJECT_TASKS;
                    default ->
                            new String[] {
                                "Isolate and lock out equipment",
                                "Diagnose fault",
                                p.action(),
                                "Test run and release to production"
                            };
                };
        int nTasks = pool.length <= 4 ? pool.length : r.between(3, 5);
        int firstTask = pool.length <= 4 ? 0 : r.nextInt(pool.length - nTasks + 1);
        int doneTasks =
                done
                        ? nTasks
                        : status.equals("in_progress") || status.equals("on_hold")
                                ? r.between(1, nTasks - 1)
                                : 0;
        ArrayNode tasks = f.putArray("tasks");
        BigDecimal estimated = BigDecimal.ZERO;
        for (int k = 0; k < nTasks; k++) {
            BigDecimal est = r.pick(TASK_HOURS);
            estimated = estimated.add(est);
            String ts;
            if (status.equals("cancelled")) {
                ts = "skipped";
            } else if (k < doneTasks) {
                ts = done && k > 0 && k < nTasks - 1 && r.chance(0.08) ? "skipped" : "done";
            } else {
                ts = "open";
            }
            ObjectNode t = tasks.addObject();
            t.put("sequence", (k + 1) * 10);
            t.put("description", pool[firstTask + k]);
            t.put("status", ts);
            t.put("estimated_hours", Json.qty(est));
            t.put(
                    "actual_hours",
                    ts.equals("done")
                            ? Json.qty(
                                    quarterHours(est.doubleValue() * (0.7 + 0.7 * r.nextDouble())))
                            : null);
        }

        // schedule
        Instant scheduledStart = null;
        if (status.equals("scheduled")) {
            scheduledStart = updated.plus(Duration.ofHours(r.between(1, 72)));
        } else if (started) {
            scheduledStart = created.plusSeconds(span / 4);
        }
        Instant startedAt = started ? created.plusSeconds(span * 2 / 5) : null;
        Instant completedAt = done ? created.plusSeconds(span * 4 / 5) : null;
        f.put("scheduled_start", Json.ts(scheduledStart));
        f.put(
                "scheduled_end",
                Json.ts(
                        scheduledStart == null
                                ? null
                                : scheduledStart.plus(
                                        Duration.ofHours(
                                                estimated
                                                        .setScale(0, RoundingMode.CEILING)
                                                        .longValue()))));
        f.put("started_at", Json.ts(startedAt));
        f.put("completed_at", Json.ts(completedAt));
        f.put(
                "due_date",
                Json.date(
                        created.plus(
                                Duration.ofDays(type.equals("emergency") ? 1 : r.between(3, 30)))));

        // labor
        ArrayNode labor = f.putArray("labor");
        if (started) {
            Instant laborEnd = completedAt != null ? completedAt : updated;
            int n = r.between(1, 3);
            for (int k = 0; k < n; k++) {
                Words.Craft craft = r.pick(Words.CRAFTS);
                BigDecimal hours =
                        BigDecimal.valueOf(r.between(1, 16)).divide(BigDecimal.valueOf(2));
                ObjectNode l = labor.addObject();
                l.put("worker_name", k == 0 ? assignee : Words.person(r));
                l.put("craft", craft.name());
                l.put("date", Json.date(between(startedAt, laborEnd, r)));
                l.put("hours", Json.qty(hours));
                l.put("rate", craft.rate());
                l.put("cost", Json.money(hours.multiply(new BigDecimal(craft.rate()))));
            }
        }

        // parts
        ArrayNode parts = f.putArray("parts");
        if (started && !type.equals("inspection") && r.chance(0.7)) {
            int n = r.between(1, 3);
            for (int k = 0; k < n; k++) {
                long item = r.nextLong(dim.items());
                ItemCore ic = itemCore(item);
                ObjectNode pt = parts.addObject();
                pt.put("item_id", RemoteIds.format(ITEMS, item));
                pt.put("description", ic.name());
                pt.put("quantity", Json.qty(issueQuantity(ic.unit(), r)));
                pt.put("unit", ic.unit());
                pt.put("unit_cost", Json.money(ic.unitCost()));
                pt.put("location_id", RemoteIds.format(LOCATIONS, siteStoreroom(lc.site())));
            }
        }
        f.putObject("custom_fields").put("cost_center", "CC-" + (4100 + lc.site()));
        return new Rec(RemoteIds.format(WORK_ORDERS, w), created, updated, f);
    }

    static String woTitle(String type, Words.Problem p, String assetName, Rng r) {
        return switch (type) {
            case "preventive" -> r.pick(Words.PM_TITLES) + " – " + assetName;
            case "inspection" -> r.pick(Words.INSPECTION_TITLES) + " – " + assetName;
            case "project" -> r.pick(Words.PROJECT_TITLES) + " " + assetName;
            default -> p.action() + " – " + assetName;
        };
    }

    private static String woDescription(String type, Words.Problem p, AssetCore ac, Rng r) {
        return switch (type) {
            case "preventive" ->
                    "Scheduled maintenance according to the maintenance plan of " + ac.tag() + ".";
            case "inspection" -> "Recurring inspection; record all readings in the checklist.";
            case "project" -> "Planned improvement; coordinate the downtime with production.";
            default -> String.format(Locale.ROOT, p.symptom(), ac.name()) + ". " + p.detail();
        };
    }

    private static BigDecimal quarterHours(double h) {
        return BigDecimal.valueOf(Math.max(1, Math.round(h * 4)))
                .divide(BigDecimal.valueOf(4))
                .setScale(2, RoundingMode.UNNECESSARY);
    }

    /** A quantity issued to a work order. */
    static BigDecimal issueQuantity(String unit, Rng r) {
        return switch (unit) {
            case "l" -> BigDecimal.valueOf(r.between(1, 40));
            case "kg" -> BigDecimal.valueOf(r.between(1, 20)).divide(BigDecimal.valueOf(2));
            case "m" -> BigDecimal.valueOf(r.between(2, 50));
            case "h" -> BigDecimal.valueOf(r.between(1, 8));
            case "pcs" -> BigDecimal.valueOf(r.chance(0.7) ? r.between(1, 4) : r.between(5, 24));
            default -> BigDecimal.ONE;
        };
    }

    // ---------------------------------------------------------------- service requests

    static String serviceRequestStatusFor(String woStatus) {
        return switch (woStatus) {
            case "completed" -> "resolved";
            case "closed" -> "closed";
            case "cancelled" -> "cancelled";
            default -> "in_progress";
        };
    }

    private Rec serviceRequest(long s) {
        Rng r = rng(SERVICE_REQUESTS, s, SALT_DETAIL);
        Instant updated = updatedAt(SERVICE_REQUESTS, s);
        long wo = workOrderOfServiceRequest(s);
        String title;
        String description;
        String status;
        long asset = -1;
        long location;
        Instant created;
        if (wo >= 0) {
            WoCore wc = woCore(wo);
            AssetCore ac = assetCore(wc.asset());
            Words.Problem p = Words.PROBLEMS[wc.problem()];
            title = String.format(Locale.ROOT, p.symptom(), ac.name());
            description = p.detail();
            status = serviceRequestStatusFor(wc.status());
            asset = wc.asset();
            location = ac.location();
            Instant own = updated.minus(Duration.ofMinutes(r.between(60, 10 * 24 * 60)));
            Instant beforeWo = wc.createdAt().minus(Duration.ofMinutes(r.between(10, 24 * 60)));
            created = own.isBefore(beforeWo) ? own : beforeWo;
        } else {
            double recent = 1.0 - (s + 0.5) / dim.serviceRequests();
            status =
                    recent > 0.1
                            ? new String[] {"closed", "resolved", "cancelled"}
                                    [r.weighted(60, 25, 15)]
                            : new String[] {"open", "in_progress", "resolved", "cancelled"}
                                    [r.weighted(55, 25, 12, 8)];
            if (r.chance(0.7)) {
                asset = r.nextLong(dim.assets());
                AssetCore ac = assetCore(asset);
                Words.Problem p = r.pick(Words.PROBLEMS);
                title = String.format(Locale.ROOT, p.symptom(), ac.name());
                description = p.detail();
                location = ac.location();
            } else {
                location = dim.firstArea() + r.nextLong(dim.areas());
                LocCore lc = locationCore(location);
                title =
                        String.format(
                                Locale.ROOT,
                                r.pick(Words.FACILITY_PROBLEMS),
                                lc.name() + " (" + siteLabel(lc.site()) + ")");
                description = "Reported by phone to the maintenance hotline.";
            }
            int maxHours = status.equals("open") ? 72 : 20 * 24;
            created = updated.minus(Duration.ofMinutes(r.between(30, maxHours * 60)));
        }
        ObjectNode f = Json.object();
        f.put("number", RemoteIds.format(SERVICE_REQUESTS, s));
        f.put("title", title);
        f.put("description", description);
        f.put("status", status);
        f.put("remote_status", Statuses.raw(SERVICE_REQUESTS, status));
        f.put("priority", PRIORITIES[r.weighted(20, 50, 22, 8)]);
        f.put("asset_id", asset < 0 ? null : RemoteIds.format(ASSETS, asset));
        f.put("location_id", RemoteIds.format(LOCATIONS, location));
        f.put("requested_by", Words.person(r));
        f.put("reported_at", Json.ts(created));
        f.put("work_order_id", wo < 0 ? null : RemoteIds.format(WORK_ORDERS, wo));
        f.putObject("custom_fields")
                .put(
                        "channel",
                        new String[] {"hotline", "portal", "email", "walk-in"}
                                [r.weighted(30, 45, 15, 10)]);
        return new Rec(RemoteIds.format(SERVICE_REQUESTS, s), created, updated, f);
    }

    // ---------------------------------------------------------------- stock levels

    /** The warehouse (0-based among warehouses) of an item's first or second stock level. */
    long stockWarehouse(long item, int slot) {
        long w = dim.warehouses();
        long h = Rng.mix(seed, ITEMS.ordinal(), item, SALT_STOCK);
        long first = Math.floorMod(h, w);
        if (slot == 0) {
            return first;
        }
        return (first + 1 + Math.floorMod(Rng.splitMix(h), w - 1)) % w;
    }

    private Rec stockLevel(long k) {
        long item = k / 2;
        ItemCore ic = itemCore(item);
        long warehouse = stockWarehouse(item, (int) (k % 2));
        Rng r = rng(STOCK_LEVELS, k, SALT_DETAIL);
        Instant updated = updatedAt(STOCK_LEVELS, k);
        Instant created = between(start, updated, r);
        String unit = ic.unit();
        BigDecimal onHand;
        BigDecimal reorder;
        BigDecimal reserved;
        boolean service = ic.template().type().equals("service");
        switch (unit) {
            case "l", "kg", "m" -> {
                onHand = service ? BigDecimal.ZERO : r.decimal(0, 800, 1);
                reorder = BigDecimal.valueOf(r.between(5, 20) * 10L);
                reserved = onHand.multiply(r.decimal(0, 0.2, 2)).setScale(1, RoundingMode.DOWN);
            }
            default -> {
                onHand = service ? BigDecimal.ZERO : BigDecimal.valueOf(r.between(0, 400));
                reorder = BigDecimal.valueOf(r.between(2, 50));
                reserved = BigDecimal.valueOf(r.between(0, onHand.intValue() / 4));
            }
        }
        BigDecimal onOrder =
                onHand.compareTo(reorder) < 0
                        ? reorder.multiply(BigDecimal.valueOf(2))
                        : r.chance(0.15) ? reorder : BigDecimal.ZERO;
        ObjectNode f = Json.object();
        f.put("item_id", RemoteIds.format(ITEMS, item));
        f.put("location_id", RemoteIds.format(LOCATIONS, warehouseLocation(warehouse)));
        f.put("quantity_on_hand", Json.qty(onHand));
        f.put("quantity_reserved", Json.qty(reserved));
        f.put("quantity_available", Json.qty(onHand.subtract(reserved)));
        f.put("quantity_on_order", Json.qty(onOrder));
        f.put("reorder_point", Json.qty(reorder));
        f.put("unit", unit);
        f.putObject("custom_fields")
                .put("bin", "R" + r.between(1, 12) + "-" + r.between(1, 8) + "-" + r.between(1, 5));
        return new Rec(RemoteIds.format(STOCK_LEVELS, k), created, updated, f);
    }

    // ---------------------------------------------------------------- purchase orders

    /** The VAT rate the simulated buyer (a German company) pays on a vendor's invoices. */
    static BigDecimal taxRate(String vendorCountry) {
        return "DE".equals(vendorCountry) ? new BigDecimal("0.19") : BigDecimal.ZERO;
    }

    /** A quantity ordered on a purchase order line: fewer of the expensive things. */
    static BigDecimal orderQuantity(String unit, BigDecimal unitCost, Rng r) {
        double cost = unitCost == null ? 10 : unitCost.doubleValue();
        return switch (unit) {
            case "l" -> BigDecimal.valueOf(20L * r.between(1, 25));
            case "kg" -> BigDecimal.valueOf(r.between(4, 400)).divide(BigDecimal.valueOf(2));
            case "m" -> BigDecimal.valueOf(5L * r.between(1, 40));
            case "h" -> BigDecimal.valueOf(r.between(2, 24));
            case "set" -> BigDecimal.valueOf(r.between(1, 5));
            default ->
                    BigDecimal.valueOf(
                            cost >= 100
                                    ? r.between(1, 4)
                                    : cost >= 20
                                            ? r.between(1, 20)
                                            : r.chance(0.5)
                                                    ? r.between(10, 50)
                                                    : r.between(5, 40) * 10L);
        };
    }

    /** About half of a quantity: whole units for countable units. */
    static BigDecimal half(BigDecimal q, String unit) {
        return switch (unit) {
            case "l", "kg", "m" -> q.divide(BigDecimal.valueOf(2));
            default -> q.divide(BigDecimal.valueOf(2), 0, RoundingMode.DOWN);
        };
    }

    /** The PO number the sandbox shows to people (the remote id is its internal key). */
    static String poNumber(long index) {
        return Long.toString(4_500_000_000L + index + 1);
    }

    private Rec purchaseOrder(long i) {
        Rng r = rng(PURCHASE_ORDERS, i, SALT_DETAIL);
        Instant updated = updatedAt(PURCHASE_ORDERS, i);
        double recent = 1.0 - (i + 0.5) / dim.purchaseOrders();
        String status =
                recent > 0.08
                        ? new String[] {"closed", "received", "cancelled"}[r.weighted(72, 18, 10)]
                        : new String[] {
                                    "draft",
                                    "pending_approval",
                                    "approved",
                                    "partially_received",
                                    "received",
                                    "cancelled"
                                }
                                [r.weighted(12, 14, 26, 22, 18, 8)];
        int ageHours =
                switch (status) {
                    case "draft", "pending_approval" -> r.between(1, 72);
                    case "approved" -> r.between(24, 240);
                    case "partially_received" -> r.between(120, 720);
                    case "received" -> r.between(168, 1080);
                    case "closed" -> r.between(480, 2160);
                    default -> r.between(24, 480);
                };
        Instant created = updated.minus(Duration.ofHours(ageHours)).minusSeconds(r.nextInt(3600));
        long vendor = r.nextLong(dim.vendors());
        VendorCore vc = vendorCore(vendor);
        long warehouse = r.nextLong(dim.warehouses());

        int nLines = 1 + r.weighted(35, 25, 18, 12, 10);
        Set<Long> used = new HashSet<>();
        ArrayNode lines = Json.array();
        BigDecimal net = BigDecimal.ZERO;
        for (int k = 0; k < nLines; k++) {
            long item = k == 0 ? itemOfVendor(vendor, r) : r.nextLong(dim.items());
            for (int tries = 0; !used.add(item) && tries < 5; tries++) {
                item = r.nextLong(dim.items());
            }
            ItemCore ic = itemCore(item);
            BigDecimal qty = orderQuantity(ic.unit(), ic.unitCost(), r);
            if (status.equals("partially_received")
                    && nLines == 1
                    && qty.compareTo(BigDecimal.ONE) <= 0) {
                qty = BigDecimal.valueOf(2);
            }
            BigDecimal price =
                    ic.unitCost()
                            .multiply(r.decimal(0.9, 1.1, 3))
                            .setScale(2, RoundingMode.HALF_UP)
                            .max(new BigDecimal("0.01"));
            BigDecimal received =
                    switch (status) {
                        case "received", "closed" -> qty;
                        case "partially_received" ->
                                k == 0 && nLines > 1
                                        ? qty
                                        : k == 0 || r.chance(0.5)
                                                ? half(qty, ic.unit())
                                                : BigDecimal.ZERO;
                        default -> BigDecimal.ZERO;
                    };
            BigDecimal total = qty.multiply(price).setScale(2, RoundingMode.HALF_UP);
            net = net.add(total);
            ObjectNode line = lines.addObject();
            line.put("line_number", k + 1);
            line.put("item_id", RemoteIds.format(ITEMS, item));
            line.put("description", ic.name());
            line.put("quantity", Json.qty(qty));
            line.put("received_quantity", Json.qty(received));
            line.put("unit", ic.unit());
            line.put("unit_price", Json.money(price));
            line.put("line_total", Json.money(total));
            line.put("location_id", RemoteIds.format(LOCATIONS, warehouseLocation(warehouse)));
        }
        BigDecimal tax =
                net.multiply(taxRate(vc.country().code())).setScale(2, RoundingMode.HALF_UP);

        ObjectNode f = Json.object();
        f.put("number", poNumber(i));
        f.put("vendor_id", RemoteIds.format(VENDORS, vendor));
        f.put("status", status);
        f.put("remote_status", Statuses.raw(PURCHASE_ORDERS, status));
        f.put("order_date", Json.date(created));
        f.put("expected_date", Json.date(created.plus(Duration.ofDays(r.between(7, 42)))));
        f.put("currency", vc.country().currency());
        f.put("total_net", Json.money(net));
        f.put("total_tax", Json.money(tax));
        f.put("total_gross", Json.money(net.add(tax)));
        f.put("notes", r.chance(0.2) ? r.pick(Words.PO_NOTES) : null);
        f.set("lines", lines);
        ObjectNode custom = f.putObject("custom_fields");
        custom.put("buyer", Words.person(r));
        custom.put(
                "incoterms",
                vc.country().code().equals("DE")
                        ? "DAP"
                        : r.pick(new String[] {"DAP", "FCA", "EXW"}));
        return new Rec(RemoteIds.format(PURCHASE_ORDERS, i), created, updated, f);
    }
}
