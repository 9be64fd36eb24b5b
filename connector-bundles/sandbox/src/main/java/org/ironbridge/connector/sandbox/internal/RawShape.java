package org.ironbridge.connector.sandbox.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;
import org.ironbridge.model.EntityType;

/**
 * The sandbox's own record format, as its simulated REST API returns it and as {@code remote_data}
 * shows it: PascalCase keys, its own status codes, UN/ECE unit codes, numbers as JSON numbers. It
 * is derived from the canonical record, so the mapping between the two is visible side by side.
 */
final class RawShape {
    private RawShape() {}

    static ObjectNode of(
            EntityType entity, String remoteId, Instant created, Instant updated, ObjectNode f) {
        ObjectNode raw =
                switch (entity) {
                    case VENDORS -> vendor(remoteId, f);
                    case ITEMS -> item(remoteId, f);
                    case STOCK_LEVELS -> stock(remoteId, f);
                    case LOCATIONS -> location(remoteId, f);
                    case ASSETS -> asset(remoteId, f);
                    case WORK_ORDERS -> workOrder(remoteId, f);
                    case SERVICE_REQUESTS -> serviceRequest(remoteId, f);
                    case PURCHASE_ORDERS -> purchaseOrder(remoteId, f);
                };
        JsonNode custom = f.get("custom_fields");
        if (custom != null && custom.isObject() && !custom.isEmpty()) {
            raw.set("UserFields", custom.deepCopy());
        }
        raw.put("CreatedOn", Json.ts(created));
        raw.put("ChangedOn", Json.ts(updated));
        return raw;
    }

    private static void copy(ObjectNode raw, String rawName, JsonNode f, String field) {
        JsonNode v = f.get(field);
        raw.set(rawName, v == null ? NullNode.getInstance() : v.deepCopy());
    }

    private static void number(ObjectNode raw, String rawName, JsonNode f, String field) {
        raw.set(rawName, Json.rawNumber(f.get(field)));
    }

    private static void unit(ObjectNode raw, String rawName, JsonNode f) {
        raw.put(rawName, Words.rawUnit(Json.text(f, "unit")));
    }

    private static int priority(String p) {
        if (p == null) {
            return 3;
        }
        return switch (p) {
            case "urgent" -> 1;
            case "high" -> 2;
            case "low" -> 4;
            default -> 3;
        };
    }

    private static void address(ObjectNode raw, JsonNode f) {
        JsonNode a = f.get("address");
        if (a == null || !a.isObject()) {
            a = Json.object();
        }
        copy(raw, "Street", a, "street");
        copy(raw, "PostCode", a, "postal_code");
        copy(raw, "City", a, "city");
        copy(raw, "Region", a, "state");
        copy(raw, "CountryCode", a, "country");
    }

    private static ObjectNode vendor(String id, ObjectNode f) {
        ObjectNode r = Json.object();
        r.put("SupplierId", id);
        copy(r, "SupplierNo", f, "code");
        copy(r, "Name", f, "name");
        r.put("Blocked", "inactive".equals(Json.text(f, "status")));
        copy(r, "VatRegNo", f, "tax_id");
        copy(r, "CurrencyCode", f, "currency");
        copy(r, "Email", f, "email");
        copy(r, "Phone", f, "phone");
        copy(r, "Homepage", f, "website");
        copy(r, "TermsOfPayment", f, "payment_terms");
        address(r, f);
        copy(r, "Memo", f, "notes");
        return r;
    }

    private static ObjectNode item(String id, ObjectNode f) {
        ObjectNode r = Json.object();
        r.put("ItemId", id);
        copy(r, "ItemNo", f, "code");
        copy(r, "Description", f, "name");
        copy(r, "LongText", f, "description");
        String type = Json.text(f, "type");
        r.put(
                "ItemType",
                type == null
                        ? null
                        : switch (type) {
                            case "material" -> "MAT";
                            case "part" -> "SPARE";
                            case "product" -> "FERT";
                            case "service" -> "SERV";
                            default -> "TOOL";
                        });
        unit(r, "BaseUoM", f);
        number(r, "StdCost", f, "unit_cost");
        copy(r, "CurrencyCode", f, "currency");
        r.put("Blocked", "inactive".equals(Json.text(f, "status")));
        copy(r, "ItemGroup", f, "category");
        copy(r, "PrefSupplierId", f, "vendor_id");
        return r;
    }

    private static ObjectNode stock(String id, ObjectNode f) {
        ObjectNode r = Json.object();
        r.put("StockId", id);
        copy(r, "ItemId", f, "item_id");
        copy(r, "WarehouseId", f, "location_id");
        number(r, "OnHand", f, "quantity_on_hand");
        number(r, "Reserved", f, "quantity_reserved");
        number(r, "Available", f, "quantity_available");
        number(r, "OnOrder", f, "quantity_on_order");
        number(r, "ReorderLevel", f, "reorder_point");
        unit(r, "BaseUoM", f);
        return r;
    }

    private static ObjectNode location(String id, ObjectNode f) {
        ObjectNode r = Json.object();
        r.put("LocationId", id);
        copy(r, "LocationCode", f, "code");
        copy(r, "Name", f, "name");
        String type = Json.text(f, "type");
        r.put(
                "LocationType",
                type == null
                        ? null
                        : switch (type) {
                            case "site" -> "PLANT";
                            case "warehouse" -> "WHSE";
                            case "storeroom" -> "STORE";
                            case "functional_location" -> "FLOC";
                            default -> type.toUpperCase(Locale.ROOT);
                        });
        copy(r, "ParentLocationId", f, "parent_id");
        r.put("Active", !"inactive".equals(Json.text(f, "status")));
        address(r, f);
        return r;
    }

    private static ObjectNode asset(String id, ObjectNode f) {
        ObjectNode r = Json.object();
        r.put("AssetId", id);
        copy(r, "AssetTag", f, "code");
        copy(r, "Description", f, "name");
        copy(r, "LongDescription", f, "description");
        copy(r, "Status", f, "remote_status");
        copy(r, "AssetClass", f, "category");
        copy(r, "Manufacturer", f, "manufacturer");
        copy(r, "ModelNo", f, "model");
        copy(r, "SerialNo", f, "serial_number");
        String c = Json.text(f, "criticality");
        r.put(
                "Criticality",
                c == null ? null : c.equals("high") ? "A" : c.equals("medium") ? "B" : "C");
        copy(r, "LocationId", f, "location_id");
        copy(r, "ParentAssetId", f, "parent_id");
        copy(r, "InstallDate", f, "install_date");
        number(r, "AcquisitionCost", f, "purchase_cost");
        copy(r, "CurrencyCode", f, "currency");
        return r;
    }

    private static ObjectNode workOrder(String id, ObjectNode f) {
        ObjectNode r = Json.object();
        r.put("WorkOrderId", id);
        copy(r, "WONum", f, "number");
        copy(r, "Summary", f, "title");
        copy(r, "Details", f, "description");
        copy(r, "Status", f, "remote_status");
        r.put("Priority", priority(Json.text(f, "priority")));
        String type = Json.text(f, "type");
        r.put(
                "WorkType",
                type == null
                        ? null
                        : switch (type) {
                            case "corrective" -> "CM";
                            case "preventive" -> "PM";
                            case "inspection" -> "INSP";
                            case "emergency" -> "EM";
                            default -> "PROJ";
                        });
        copy(r, "AssetId", f, "asset_id");
        copy(r, "LocationId", f, "location_id");
        copy(r, "TicketId", f, "service_request_id");
        copy(r, "Lead", f, "assigned_to");
        copy(r, "ReportedBy", f, "requested_by");
        copy(r, "TargetStart", f, "scheduled_start");
        copy(r, "TargetFinish", f, "scheduled_end");
        copy(r, "ActualStart", f, "started_at");
        copy(r, "ActualFinish", f, "completed_at");
        copy(r, "DueDate", f, "due_date");
        ArrayNode ops = r.putArray("Operations");
        for (JsonNode t : f.path("tasks")) {
            ObjectNode o = ops.addObject();
            copy(o, "OpNo", t, "sequence");
            copy(o, "Text", t, "description");
            String s = Json.text(t, "status");
            o.put("Status", s == null ? null : s.toUpperCase(Locale.ROOT));
            number(o, "PlannedHours", t, "estimated_hours");
            number(o, "ActualHours", t, "actual_hours");
        }
        ArrayNode labor = r.putArray("Labor");
        for (JsonNode l : f.path("labor")) {
            ObjectNode o = labor.addObject();
            copy(o, "Worker", l, "worker_name");
            copy(o, "Craft", l, "craft");
            copy(o, "WorkDate", l, "date");
            number(o, "Hours", l, "hours");
            number(o, "Rate", l, "rate");
            number(o, "LineCost", l, "cost");
        }
        ArrayNode mats = r.putArray("Materials");
        for (JsonNode p : f.path("parts")) {
            ObjectNode o = mats.addObject();
            copy(o, "ItemId", p, "item_id");
            copy(o, "Text", p, "description");
            number(o, "Qty", p, "quantity");
            unit(o, "UoM", p);
            number(o, "UnitCost", p, "unit_cost");
            copy(o, "StoreroomId", p, "location_id");
        }
        return r;
    }

    private static ObjectNode serviceRequest(String id, ObjectNode f) {
        ObjectNode r = Json.object();
        r.put("TicketId", id);
        copy(r, "TicketNo", f, "number");
        copy(r, "Summary", f, "title");
        copy(r, "Details", f, "description");
        copy(r, "Status", f, "remote_status");
        r.put("Priority", priority(Json.text(f, "priority")));
        copy(r, "AssetId", f, "asset_id");
        copy(r, "LocationId", f, "location_id");
        copy(r, "ReportedBy", f, "requested_by");
        copy(r, "ReportedOn", f, "reported_at");
        copy(r, "WorkOrderId", f, "work_order_id");
        return r;
    }

    private static ObjectNode purchaseOrder(String id, ObjectNode f) {
        ObjectNode r = Json.object();
        r.put("POId", id);
        copy(r, "PONumber", f, "number");
        copy(r, "SupplierId", f, "vendor_id");
        copy(r, "Status", f, "remote_status");
        copy(r, "OrderDate", f, "order_date");
        copy(r, "DeliveryDate", f, "expected_date");
        copy(r, "CurrencyCode", f, "currency");
        number(r, "NetAmount", f, "total_net");
        number(r, "TaxAmount", f, "total_tax");
        number(r, "GrossAmount", f, "total_gross");
        copy(r, "Remarks", f, "notes");
        ArrayNode lines = r.putArray("Lines");
        for (JsonNode l : f.path("lines")) {
            ObjectNode o = lines.addObject();
            copy(o, "LineNo", l, "line_number");
            copy(o, "ItemId", l, "item_id");
            copy(o, "Text", l, "description");
            number(o, "Qty", l, "quantity");
            number(o, "QtyReceived", l, "received_quantity");
            unit(o, "UoM", l);
            number(o, "Price", l, "unit_price");
            number(o, "Amount", l, "line_total");
            copy(o, "DeliverTo", l, "location_id");
        }
        return r;
    }
}
