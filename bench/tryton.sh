#!/usr/bin/env bash
# Issue #6 benchmark: what the unified API adds over calling Tryton directly, against the real Tryton 6.0 that
# scripts/provision.sh runs (127.0.0.1:8765, database "ironbridge", admin/admin; TRYTON_URL to change).
#   read   GET /v1/purchase-orders/{id}  (served from Ironbridge's record store: HTTP, auth, one store read, JSON)
#          vs model.purchase.purchase.read of the same order over JSON-RPC (Tryton reads its database; the order's
#          fields, not its lines)
#   create POST /v1/purchase-orders with status pending_approval (Ironbridge → connector: address and product
#          look-ups, create with the line, the "quote" button, a read-back of order and lines, then the store write)
#          vs Tryton's own purchase.purchase.create (with the line) + quote over JSON-RPC
#   median (and p90) of 100 each, after 10 warm-up calls, one client, keep-alive connections on both sides.
#   sync   the initial sync rate of a second connection: records_seen / (finished_at - started_at) of each entity's
#          initial run in GET /v1/admin/connections/{id}/syncs (it runs after the creates, so ≥ 230 purchase orders).
# The purchase orders the benchmark created are cancelled and deleted in Tryton at the end.
# Builds nothing: needs distribution/target/ironbridge (mvn -B -DskipTests install). Starts the server with a fresh
# data folder (embedded H2) on a free port.
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=distribution/target/ironbridge
[ -x "$DIST/bin/ironbridge" ] || { echo "build first: mvn -B -DskipTests install" >&2; exit 1; }
TRYTON_URL=${TRYTON_URL:-http://127.0.0.1:8765/}
curl -s -m 5 -o /dev/null -H 'Content-Type: application/json' -d '{"id":1,"method":"common.db.list","params":[]}' \
  "$TRYTON_URL" || { echo "no Tryton at $TRYTON_URL: run scripts/provision.sh first" >&2; exit 1; }
KEY=ibk_BenchmarkAdminKey0123456789abcd
PORT=${BENCH_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
WORK=$(mktemp -d)
IRONBRIDGE_HTTP_PORT=$PORT IRONBRIDGE_HTTP_HOST=127.0.0.1 IRONBRIDGE_DATA="$WORK/data" \
  IRONBRIDGE_BOOTSTRAP_ADMIN_KEY=$KEY "$DIST/bin/ironbridge" run >"$WORK/run.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
B=http://127.0.0.1:$PORT
until curl -fs -o /dev/null "$B/health/ready"; do kill -0 $PID || { cat "$WORK/run.log"; exit 1; }; sleep 0.2; done
until curl -fs -H "Authorization: Bearer $KEY" "$B/v1/admin/connectors" | grep -q '"system":"tryton"'; do sleep 0.2; done

BASE=$B KEY=$KEY TRYTON_URL=$TRYTON_URL python3 - <<'PY'
import base64, http.client, json, os, statistics, time, urllib.parse
from datetime import datetime

BASE, KEY, TURL = os.environ["BASE"], os.environ["KEY"], os.environ["TRYTON_URL"]
RUN = "bench%x" % int(time.time())
N, WARM = 100, 10

def conn(url):
    u = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=120)

ib = conn(BASE)
def api(method, path, token, body=None, expect=200):
    h = {"Authorization": "Bearer " + token}
    if body is not None:
        h["Content-Type"] = "application/json"
    ib.request(method, path, None if body is None else json.dumps(body), h)
    r = ib.getresponse()
    data = r.read()
    if r.status != expect:
        raise SystemExit(f"{method} {path}: {r.status} {data[:500]!r}")
    return json.loads(data) if data else None

tr = conn(TURL)
TDB = urllib.parse.urlsplit(TURL).path.rstrip("/") + "/ironbridge/"
auth = None
def rpc(method, params):
    h = {"Content-Type": "application/json"}
    if auth:
        h["Authorization"] = auth
    tr.request("POST", TDB, json.dumps({"id": 1, "method": method, "params": params}), h)
    r = tr.getresponse()
    d = json.loads(r.read())
    if r.status != 200 or d.get("error"):
        raise SystemExit(f"{method}: {r.status} {d}")
    return d["result"]
login = rpc("common.db.login", ["admin", {"password": "admin"}, "en"])
auth = "Session " + base64.b64encode(f"admin:{login[0]}:{login[1]}".encode()).decode()
ctx = {"company": rpc("model.res.user.get_preferences", [True, {}])["company"], "language": "en"}

def connect(customer):
    c = api("POST", "/v1/admin/connections", KEY, {
        "system": "tryton", "customer_id": customer,
        "credentials": {"url": TURL, "database": "ironbridge", "username": "admin", "password": "admin"},
        "sync": {"initial_days": 0, "interval_seconds": 86400, "entities": ["vendors", "items", "purchase-orders"]}},
        expect=201)
    cid = c["connection"]["id"]
    while True:
        last = api("GET", f"/v1/admin/connections/{cid}", KEY)["last_sync"]
        st = [last.get(e, {}).get("status") for e in ("vendors", "items", "purchase-orders")]
        if "failed" in st:
            raise SystemExit(f"initial sync failed: {last}")
        if all(s == "succeeded" for s in st):
            return cid, c["token"]
        time.sleep(0.2)

def timed(f):
    for _ in range(WARM):
        f()
    out = []
    for _ in range(N):
        t = time.perf_counter()
        f()
        out.append((time.perf_counter() - t) * 1000)
    return out

def show(label, ms):
    q = statistics.quantiles(ms, n=10)
    print(f"  {label:<58} median {statistics.median(ms):7.2f} ms   p90 {q[8]:7.2f} ms")

cid, token = connect(f"bench-{RUN}")
po = api("GET", "/v1/purchase-orders?page_size=1", token)["data"][0]
rid = int(po["remote_id"])
fields = ["number", "reference", "state", "party", "purchase_date", "delivery_date", "currency", "description",
          "untaxed_amount", "tax_amount", "total_amount", "shipment_state", "invoice_state", "lines",
          "create_date", "write_date"]
print(f"purchase order {po['id']} (Tryton purchase {rid}), median of {N} after {WARM} warm-up calls:")
print("read")
ib_read = timed(lambda: api("GET", f"/v1/purchase-orders/{po['id']}", token))
tr_read = timed(lambda: rpc("model.purchase.purchase.read", [[rid], fields, ctx]))
show("GET /v1/purchase-orders/{id} (from the store)", ib_read)
show("Tryton model.purchase.purchase.read (JSON-RPC)", tr_read)
print(f"  added by the unified API: {statistics.median(ib_read) - statistics.median(tr_read):+.2f} ms (median difference)")

created = []
line = po["lines"][0]
body = {"vendor_id": po["vendor_id"], "status": "pending_approval", "notes": f"benchmark {RUN}",
        "lines": [{"item_id": line["item_id"], "quantity": "2", "unit_price": "1.5000"}]}
def ib_create():
    created.append(int(api("POST", "/v1/purchase-orders", token, body, expect=201)["remote_id"]))
src = rpc("model.purchase.purchase.read", [[rid], ["party", "invoice_address"], ctx])[0]
lsrc = rpc("model.purchase.line.read", [rpc("model.purchase.purchase.read", [[rid], ["lines"], ctx])[0]["lines"][:1],
                                         ["product", "unit"], ctx])[0]
def tr_create():
    values = {"party": src["party"], "invoice_address": src["invoice_address"], "description": f"benchmark {RUN}",
              "lines": [["create", [{"type": "line", "product": lsrc["product"], "unit": lsrc["unit"],
                                     "description": "benchmark", "quantity": 2.0,
                                     "unit_price": {"__class__": "Decimal", "decimal": "1.5000"}}]]]}
    pid = rpc("model.purchase.purchase.create", [[values], ctx])[0]
    rpc("model.purchase.purchase.quote", [[pid], ctx])
    created.append(pid)
print("create (with one line, to quotation)")
try:
    ib_c = timed(ib_create)
    tr_c = timed(tr_create)
    show("POST /v1/purchase-orders (status pending_approval)", ib_c)
    show("Tryton purchase.purchase.create + quote (JSON-RPC)", tr_c)
    print(f"  added by the unified API: {statistics.median(ib_c) - statistics.median(tr_c):+.2f} ms (median difference)")

    cid2, _ = connect(f"bench-sync-{RUN}")
    print("initial sync of a second connection (GET /v1/admin/connections/{id}/syncs):")
    def at(s):
        return datetime.fromisoformat(s.replace("Z", "+00:00"))
    total_n, total_s = 0, 0.0
    for r in api("GET", f"/v1/admin/connections/{cid2}/syncs", KEY)["data"]:
        if r["kind"] != "initial":
            continue
        secs = (at(r["finished_at"]) - at(r["started_at"])).total_seconds()
        total_n += r["records_seen"]
        total_s += secs
        print(f"  {r['entity']:<16} {r['records_seen']:6d} records in {secs:6.2f} s = {r['records_seen'] / secs:8.1f} records/s")
    print(f"  {'all':<16} {total_n:6d} records in {total_s:6.2f} s = {total_n / total_s:8.1f} records/s (sum of the runs' durations)")
finally:
    # leave Tryton as it was: cancel and delete the benchmark's purchase orders
    for i in range(0, len(created), 50):
        ids = created[i:i + 50]
        rpc("model.purchase.purchase.cancel", [ids, ctx])
        rpc("model.purchase.purchase.delete", [ids, ctx])
    print(f"(cancelled and deleted the {len(created)} purchase orders the benchmark created in Tryton)")
PY
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
