"""Parsing messages into canonical dicts (wire field names; hashes stay 16-hex strings).

Every parse function raises ValueError on a malformed message; callers treat
that as a rejected input (the sender is faulty)."""

from service import num, hexnum, NULL_DIGEST

NULL_HEX = "%016x" % NULL_DIGEST
NULL_REQUEST = {"client": 0, "timestamp": 0, "operation": "0000000000000000"}


def hx(x):
    return "%016x" % x


def _u32(x):
    v = num(x)
    if v > 0xFFFFFFFF:
        raise ValueError("not a u32")
    return v


def _list(x):
    if not isinstance(x, list):
        raise ValueError("not a list")
    return x


def request(b):
    return {"client": _u32(b["client"]), "timestamp": num(b["timestamp"]),
            "operation": (hexnum(b["operation"]), b["operation"])[1]}


def pre_prepare(b):
    return {"view": num(b["view"]), "seq": num(b["seq"]), "digest": (hexnum(b["digest"]), b["digest"])[1],
            "request": request(b["request"]), "replica": _u32(b["replica"])}


def vote(b):  # prepare, commit
    return {"view": num(b["view"]), "seq": num(b["seq"]), "digest": (hexnum(b["digest"]), b["digest"])[1],
            "replica": _u32(b["replica"])}


def checkpoint(b):
    return {"seq": num(b["seq"]), "state_digest": (hexnum(b["state_digest"]), b["state_digest"])[1],
            "replica": _u32(b["replica"])}


def view_change(b):
    return {"new_view": num(b["new_view"]), "stable_seq": num(b["stable_seq"]),
            "checkpoint_proof": [checkpoint(c) for c in _list(b["checkpoint_proof"])],
            "prepared": [{"pre_prepare": pre_prepare(p["pre_prepare"]),
                          "prepares": [vote(x) for x in _list(p["prepares"])]}
                         for p in _list(b["prepared"])],
            "replica": _u32(b["replica"])}


def new_view(b):
    return {"view": num(b["view"]), "view_changes": [view_change(v) for v in _list(b["view_changes"])],
            "pre_prepares": [pre_prepare(p) for p in _list(b["pre_prepares"])], "replica": _u32(b["replica"])}


def fetch_state(b):
    return {"seq": num(b["seq"]), "replica": _u32(b["replica"])}


def status(b):
    return {"view": num(b["view"]), "stable_seq": num(b["stable_seq"]), "last_executed": num(b["last_executed"]),
            "replica": _u32(b["replica"])}


def state_transfer(b):
    return {"seq": num(b["seq"]), "state": b["state"], "proof": [checkpoint(c) for c in _list(b["proof"])],
            "replica": _u32(b["replica"])}


def req_digest_of(req):
    from service import request_digest
    return request_digest(req["client"], req["timestamp"], int(req["operation"], 16))
