#!/usr/bin/env python3
"""A PBFT replica speaking pbftsim's node protocol (docs/node-protocol.md) on stdin/stdout.

Standard library only. Usage: pbft_node.py [--bug NAME | --bug list]"""

import json
import os
import sys

sys.dont_write_bytecode = True  # keep the source directory clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from replica import Replica, BUGS  # noqa: E402


def main(argv):
    bug = None
    args = argv[1:]
    while args:
        a = args.pop(0)
        if a == "--bug" and args:
            bug = args.pop(0)
        elif a.startswith("--bug="):
            bug = a[len("--bug="):]
        else:
            sys.stderr.write("pbft_node.py: unknown argument %r (usage: pbft_node.py [--bug NAME|list])\n" % a)
            return 2
    if bug == "list":
        for name in sorted(BUGS):
            print("%-28s %s" % (name, BUGS[name]))
        return 0
    if bug is not None and bug not in BUGS:
        sys.stderr.write("pbft_node.py: unknown bug %r (try --bug list)\n" % bug)
        return 2

    me_name = None
    replica = None
    stdin, stdout = sys.stdin, sys.stdout
    dumps = json.JSONEncoder(separators=(",", ":")).encode
    for line in stdin:
        line = line.strip()
        if not line:
            continue
        env = json.loads(line)
        body = env["body"]
        src = env["src"]
        typ = body.get("type")
        lines = []
        if typ == "init" and src == "harness":
            me = int(body["node"])
            me_name = "r%d" % me
            cfg = body["config"]
            if cfg.get("mutation", "none") != "none":
                lines.append(dumps({"src": me_name, "dest": "harness",
                                    "body": {"type": "fail", "reason": "mutation %r is not planted by this node"
                                             % cfg.get("mutation")}}))
                replica = None
            else:
                replica = Replica(cfg, me, bug)
        elif replica is not None:
            replica.out = []
            try:
                if typ == "timer" and src == "harness":
                    replica.on_timer(int(body["token"]))
                elif src.startswith("c") and typ == "request":
                    replica.on_request(int(src[1:]), body)
                elif src.startswith("r"):
                    replica.on_message(int(src[1:]), body)
            except (ValueError, KeyError, TypeError, AttributeError, IndexError):
                # a malformed message from a faulty sender: rejected
                replica.out.append(("harness", {"type": "event", "kind": "rejected", "view": replica.view,
                                                "seq": 0, "digest": "0000000000000000", "detail": 0}))
            for dest, b in replica.out:
                lines.append(dumps({"src": me_name, "dest": dest, "body": b}))
        lines.append(dumps({"src": me_name or "r0", "dest": "harness", "body": {"type": "done"}}))
        stdout.write("\n".join(lines) + "\n")
        stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
