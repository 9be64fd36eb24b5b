#!/usr/bin/python3
"""Sets up a freshly activated Tryton 6.0 database for purchasing, over JSON-RPC.

Creates (only when missing) the currency, the company, the minimal chart of accounts with its
default properties, a product category with accounts, and a non-admin integration user. Idempotent:
every step searches first. Usage: setup.py <base url> <database> <admin password>
"""
import base64
import json
import sys
import urllib.request

URL, DB, PASSWORD = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
_auth = None
_id = 0


def call(method, *params, db=True):
    global _id
    _id += 1
    req = urllib.request.Request(
        URL + ("/" + DB + "/" if db else "/"),
        data=json.dumps({"id": _id, "method": method, "params": list(params)}).encode(),
        headers={"Content-Type": "application/json"},
    )
    if _auth:
        req.add_header("Authorization", _auth)
    with urllib.request.urlopen(req, timeout=120) as resp:
        body = json.load(resp)
    if "error" in body and body["error"]:
        raise SystemExit("%s failed: %s" % (method, json.dumps(body["error"])[:500]))
    return body["result"]


def dec(s):
    return {"__class__": "Decimal", "decimal": s}


def first(model, domain, ctx=None):
    ids = call("model.%s.search" % model, domain, 0, 1, None, ctx or {})
    return ids[0] if ids else None


user_id, key = call("common.db.login", "admin", {"password": PASSWORD}, "en")
_auth = "Session " + base64.b64encode(("admin:%d:%s" % (user_id, key)).encode()).decode()

currency = first("currency.currency", [["code", "=", "EUR"]]) or call(
    "model.currency.currency.create",
    [{"name": "Euro", "code": "EUR", "symbol": "€", "rounding": dec("0.01"), "digits": 2}], {})[0]
company = first("company.company", [])
if company is None:
    party = call("model.party.party.create", [{"name": "Ironbridge Test Company"}], {})[0]
    company = call("model.company.company.create", [{"party": party, "currency": currency}], {})[0]
call("model.res.user.write", [user_id], {"companies": [["add", [company]]], "company": company}, {})
ctx = {"company": company, "language": "en"}

if first("account.account", [["type", "!=", None]], ctx) is None:
    template = first("account.account.template",
                     [["parent", "=", None], ["name", "=", "Minimal Account Chart"]])
    wiz = call("wizard.account.create_chart.create", {})[0]
    call("wizard.account.create_chart.execute", wiz, {}, "account", ctx)
    view = call("wizard.account.create_chart.execute", wiz,
                {"account": {"account_template": template, "company": company}},
                "create_account", ctx)
    d = view["view"]["defaults"]
    props = {k: d[k] for k in ("account_receivable", "account_payable",
                               "category_account_expense", "category_account_revenue")}
    props["company"] = company
    call("wizard.account.create_chart.execute", wiz, {"properties": props},
         "create_properties", ctx)
    call("wizard.account.create_chart.delete", wiz, {})

if first("product.category", [["name", "=", "Ironbridge Test Category"]], ctx) is None:
    expense = first("account.account", [["type.expense", "=", True]], ctx)
    revenue = first("account.account", [["type.revenue", "=", True]], ctx)
    call("model.product.category.create",
         [{"name": "Ironbridge Test Category", "accounting": True,
           "account_expense": expense, "account_revenue": revenue}], ctx)

if first("res.user", [["login", "=", "integration"]]) is None:
    groups = call("model.res.group.search",
                  [["name", "in", ["Purchase", "Stock", "Product Administration",
                                   "Party Administration"]]], 0, None, None, {})
    call("model.res.user.create",
         [{"name": "Integration", "login": "integration", "password": "S3cure-Pass-2026",
           "groups": [["add", groups]], "companies": [["add", [company]]], "company": company}], {})

call("common.db.logout")
print("tryton setup: company %d ready" % company)
