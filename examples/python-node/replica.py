"""A PBFT replica (Castro & Liskov, signature version), as a pure step function.

Each handler appends effects (dest, body) to self.out; nothing reads a clock
or randomness, and every iteration whose order reaches the output is sorted."""

import messages as msg
from messages import hx, NULL_HEX, NULL_REQUEST, req_digest_of
from service import Service, hexnum, NULL_DIGEST

BUGS = {
    "quorum-2f": "every quorum is 2f instead of ceil((n+f+1)/2) = 2f+1 at n = 3f+1: an off-by-one in one constant (§4.2)",
    "viewchange-omits-executed": "VIEW-CHANGE leaves out the prepared certificates of requests it already executed (§4.4)",
    "state-transfer-rollback": "a state transfer is installed even when it is not newer than the executed state (§4.3, §5.3)",
}


class Replica:
    def __init__(self, cfg, me, bug=None):
        self.bug = bug
        self.me = me
        self.n = int(cfg["n"])
        self.f = int(cfg["f"])
        self.K = int(cfg["checkpoint_interval"])
        self.L = int(cfg["watermark_window"])
        self.max_clients = int(cfg["max_clients"])
        self.max_buffered = int(cfg["max_buffered"])
        self.timeout = int(cfg["view_change_timeout_us"])
        self.Q = (self.n + self.f + 2) // 2  # ceil((n+f+1)/2)
        if bug == "quorum-2f":
            self.Q = 2 * self.f
        self.prep_needed = self.Q - 1  # 2f prepares from distinct backups
        self.out = []
        # view state
        self.view = 0
        self.active = True
        self.vc_streak = 0  # own timer expiries without progress (backoff)
        self.vcs = {}  # view -> {replica: vc}
        self.nv_done = set()  # views whose NEW-VIEW we sent or accepted
        self.buffer = []  # future-view normal-case messages (src, type, msg)
        self.missed = False  # ignored a message it may need later: ask with STATUS (section 5.2)
        # log
        self.pps = {}  # (v, n) -> pre-prepare
        self.prepares = {}  # (v, n) -> {replica: digest hex}
        self.commits = {}
        self.prepared = set()  # (v, n)
        self.committed = set()
        self.pcert = {}  # n -> {"pre_prepare":..., "prepares": [...]}, highest view
        self.ready = {}  # n -> (view, pre-prepare): committed-local, not executed
        # service and checkpoints
        self.svc = Service(self.max_clients)
        self.last_exec = 0
        self.h = 0
        self.stable_digest = Service(self.max_clients).digest()
        self.stable_proof = []
        self.stable_state = None
        self.snapshots = {}  # seq -> Service copy (own checkpoints above h)
        self.ckpt_votes = {}  # seq -> {replica: checkpoint}
        self.fetch_waiting = {}  # replica -> seq it asked for
        self.far_ckpts = {}  # replica -> (seq, digest) of its newest CHECKPOINT above h + L
        # primary
        self.next_seq = 1
        self.queue = []  # requests waiting for the window
        # requests known and not executed (digest hex -> request), for timers and new primaries
        self.pending = {}
        self.timer_token = 0
        self.timer_armed = 0
        self.timer_kind = None

    # ---------------------------------------------------------------- effects
    def send(self, dest, body):
        self.out.append((dest, body))

    def broadcast(self, body):
        self.send("all", body)

    def harness(self, body):
        self.send("harness", body)

    def event(self, kind, view, seq, digest, **extra):
        b = {"type": "event", "kind": kind, "view": view, "seq": seq, "digest": digest}
        b.update(extra)
        self.harness(b)

    def set_timer(self, kind):
        self.timer_token += 1
        self.timer_armed = self.timer_token
        self.timer_kind = kind
        # T for view v+1, 2T for v+2, ... (section 4.5.2)
        after = self.timeout << min(max(self.vc_streak - 1, 0), 16)
        after = max(1, min(after, 1 << 40))
        self.harness({"type": "set_timer", "token": self.timer_armed, "after_us": after})

    def cancel_timer(self):
        if self.timer_armed:
            self.harness({"type": "cancel_timer", "token": self.timer_armed})
            self.timer_armed = 0
            self.timer_kind = None

    def primary(self, v):
        return v % self.n

    # ---------------------------------------------------------------- inputs
    def on_request(self, src_client, body, forwarded=False):
        req = msg.request(body)
        if src_client is not None and req["client"] != src_client:
            return
        c, t = req["client"], req["timestamp"]
        if c < self.max_clients:
            last_t, last_r = self.svc.clients[c]
            if t < last_t:
                return
            if t == last_t:
                if src_client is not None:
                    self.send("c%d" % c, {"type": "reply", "view": self.view, "timestamp": t, "client": c,
                                          "replica": self.me, "result": hx(last_r)})
                return
        d = hx(req_digest_of(req))
        self.pending.setdefault(d, req)
        if self.primary(self.view) == self.me:
            if self.active:
                self.issue(req, d)
        else:
            if src_client is not None:
                self.send("r%d" % self.primary(self.view), dict({"type": "request"}, **req))
            if self.active and not self.timer_armed:
                self.set_timer("request")

    def already_proposed(self, d):
        for (v, n), pp in self.pps.items():
            if v == self.view and n > self.h and pp["digest"] == d:
                return True
        for n, (v, pp) in self.ready.items():
            if pp["digest"] == d:
                return True
        return False

    def issue(self, req, d):
        if self.already_proposed(d):
            return
        if self.next_seq > self.h + self.L:
            if all(q[1] != d for q in self.queue):
                self.queue.append((req, d))
            return
        n = self.next_seq
        self.next_seq += 1
        pp = {"view": self.view, "seq": n, "digest": d, "request": req, "replica": self.me}
        self.pps[(self.view, n)] = pp
        self.broadcast(dict({"type": "pre_prepare"}, **pp))

    def issue_queued(self):
        if not (self.active and self.primary(self.view) == self.me):
            return
        q, self.queue = self.queue, []
        for req, d in q:
            c, t = req["client"], req["timestamp"]
            if c < self.max_clients and t <= self.svc.clients[c][0]:
                continue
            self.issue(req, d)

    def in_window(self, n):
        return self.h < n <= self.h + self.L

    def normal_case(self, src, typ, m):
        v = m["view"]
        if v < self.view:
            return
        if v > self.view or not self.active:
            if len(self.buffer) < self.max_buffered:
                self.buffer.append((src, typ, m))
            else:
                self.missed = True
            return
        if not self.in_window(m["seq"]):
            if m["seq"] > self.h + self.L:
                self.missed = True
            return
        if typ == "pre_prepare":
            self.on_pre_prepare(src, m)
        elif typ == "prepare":
            self.on_prepare(src, m)
        else:
            self.on_commit(src, m)

    def valid_pp_content(self, pp):
        req = pp["request"]
        if pp["digest"] == NULL_HEX:
            return req == NULL_REQUEST
        return hexnum(pp["digest"]) == req_digest_of(req)

    def on_pre_prepare(self, src, pp):
        v, n = pp["view"], pp["seq"]
        if src != self.primary(v) or pp["replica"] != src or src == self.me:
            return
        if pp["digest"] == NULL_HEX or not self.valid_pp_content(pp):
            return
        if (v, n) in self.pps:
            return
        self.accept_pp(pp)

    def accept_pp(self, pp):
        v, n = pp["view"], pp["seq"]
        self.pps[(v, n)] = pp
        if pp["digest"] != NULL_HEX:
            req = pp["request"]
            c, t = req["client"], req["timestamp"]
            if not (c < self.max_clients and t <= self.svc.clients[c][0]):
                self.pending.setdefault(pp["digest"], req)
                if not self.timer_armed:
                    self.set_timer("request")
        if self.primary(v) != self.me:
            prep = {"view": v, "seq": n, "digest": pp["digest"], "replica": self.me}
            self.prepares.setdefault((v, n), {})[self.me] = pp["digest"]
            self.broadcast(dict({"type": "prepare"}, **prep))
        self.check_prepared(v, n)

    def on_prepare(self, src, p):
        v, n = p["view"], p["seq"]
        if p["replica"] != src or src == self.primary(v):
            return
        votes = self.prepares.setdefault((v, n), {})
        if src in votes:
            return
        votes[src] = p["digest"]
        self.check_prepared(v, n)

    def on_commit(self, src, c):
        v, n = c["view"], c["seq"]
        if c["replica"] != src:
            return
        votes = self.commits.setdefault((v, n), {})
        if src in votes:
            return
        votes[src] = c["digest"]
        self.check_committed(v, n)

    def check_prepared(self, v, n):
        pp = self.pps.get((v, n))
        if pp is None or (v, n) in self.prepared:
            return
        d = pp["digest"]
        votes = self.prepares.get((v, n), {})
        voters = sorted(r for r, x in votes.items() if x == d and r != self.primary(v))
        if len(voters) < self.prep_needed:
            return
        self.prepared.add((v, n))
        self.event("prepared", v, n, d)
        old = self.pcert.get(n)
        if old is None or old["pre_prepare"]["view"] <= v:
            self.pcert[n] = {"pre_prepare": pp,
                             "prepares": [{"view": v, "seq": n, "digest": d, "replica": r} for r in voters]}
        self.commits.setdefault((v, n), {})[self.me] = d
        self.broadcast({"type": "commit", "view": v, "seq": n, "digest": d, "replica": self.me})
        self.check_committed(v, n)

    def check_committed(self, v, n):
        if (v, n) not in self.prepared or (v, n) in self.committed:
            return
        pp = self.pps[(v, n)]
        d = pp["digest"]
        votes = self.commits.get((v, n), {})
        if sum(1 for x in votes.values() if x == d) < self.Q:
            return
        self.committed.add((v, n))
        self.event("committed", v, n, d)
        if n > self.last_exec and n not in self.ready:
            self.ready[n] = (v, pp)
        self.try_execute()

    # ------------------------------------------------------------- execution
    def try_execute(self):
        while self.last_exec >= self.h and (self.last_exec + 1) in self.ready:
            n = self.last_exec + 1
            v, pp = self.ready.pop(n)
            req = pp["request"]
            d = pp["digest"]
            if d == NULL_HEX:
                applied, result = False, 0
            else:
                applied, result = self.svc.execute(req["client"], req["timestamp"], hexnum(d))
            self.last_exec = n
            if d != NULL_HEX:
                c, t = req["client"], req["timestamp"]
                if c < self.max_clients and self.svc.clients[c][0] == t:
                    self.send("c%d" % c, {"type": "reply", "view": self.view, "timestamp": t, "client": c,
                                          "replica": self.me, "result": hx(result)})
                self.drop_pending(c)
                if self.active:  # not an old request caught up during a view change (section 4.5.2)
                    self.vc_streak = 0
            self.harness({"type": "execute", "seq": n, "view": v, "digest": d, "client": req["client"],
                          "timestamp": req["timestamp"], "operation": req["operation"], "applied": applied,
                          "result": hx(result)})
            if n % self.K == 0:
                self.take_checkpoint(n)

    def drop_pending(self, c):
        if c >= self.max_clients:
            return
        t = self.svc.clients[c][0]
        for d in sorted(self.pending):
            r = self.pending[d]
            if r["client"] == c and r["timestamp"] <= t:
                del self.pending[d]
        self.queue = [(r, d) for r, d in self.queue if not (r["client"] == c and r["timestamp"] <= t)]
        if self.timer_kind == "request":
            self.cancel_timer()
            if self.pending and self.active:
                self.set_timer("request")

    def take_checkpoint(self, n):
        self.snapshots[n] = self.svc.copy()
        d = hx(self.svc.digest())
        ck = {"seq": n, "state_digest": d, "replica": self.me}
        self.broadcast(dict({"type": "checkpoint"}, **ck))
        self.on_checkpoint(self.me, ck)

    # ------------------------------------------------------------ checkpoints
    def on_checkpoint(self, src, ck):
        s = ck["seq"]
        if ck["replica"] != src or s <= self.h or s % self.K != 0:
            return
        votes = self.ckpt_votes.setdefault(s, {})
        if src in votes:
            return
        votes[src] = ck
        d = ck["state_digest"]
        if s > self.h + self.L and s > self.far_ckpts.get(src, (0, None))[0]:
            # f+1 matching CHECKPOINTs beyond the window: at least one honest
            # replica is that far ahead, so this one fell behind (section 5.3.2).
            self.far_ckpts[src] = (s, d)
            if sum(1 for v in self.far_ckpts.values() if v == (s, d)) == self.f + 1:
                self.broadcast({"type": "fetch_state", "seq": s, "replica": self.me})
        proof = [votes[r] for r in sorted(votes) if votes[r]["state_digest"] == d]
        if len(proof) >= self.Q:
            self.make_stable(s, d, proof)

    def make_stable(self, s, d, proof):
        if s <= self.h:
            return
        self.h = s
        self.stable_digest = d
        self.stable_proof = proof
        snap = self.snapshots.get(s)
        self.stable_state = snap if snap is not None and hx(snap.digest()) == d else None
        for key in [k for k in self.pps if k[1] <= s]:
            del self.pps[key]
        for dct in (self.prepares, self.commits):
            for key in [k for k in dct if k[1] <= s]:
                del dct[key]
        self.prepared = {k for k in self.prepared if k[1] > s}
        self.committed = {k for k in self.committed if k[1] > s}
        for dct in (self.pcert, self.ready, self.ckpt_votes):
            for key in [k for k in dct if k <= s]:
                del dct[key]
        for key in [k for k in self.snapshots if k < s]:
            del self.snapshots[key]
        if self.next_seq <= s:
            self.next_seq = s + 1
        self.event("checkpoint_stable", self.view, s, d)
        if self.last_exec < s:
            self.broadcast({"type": "fetch_state", "seq": s, "replica": self.me})
        if self.stable_state is not None:
            for r in sorted(self.fetch_waiting):
                if self.fetch_waiting[r] <= s:
                    del self.fetch_waiting[r]
                    self.send_state(r)
        self.issue_queued()
        self.ask_for_retransmission()

    # --------------------------------------------------------- retransmission
    # Receiver-based (thesis section 5.2): once it can accept what it missed,
    # a replica says what it has; peers answer with their own messages.
    def ask_for_retransmission(self):
        if not self.missed or not self.active:
            return
        self.missed = False
        self.broadcast({"type": "status", "view": self.view, "stable_seq": self.h,
                        "last_executed": self.last_exec, "replica": self.me})

    def on_status(self, src, m):
        if m["replica"] != src or src == self.me:
            return
        dest = "r%d" % src
        if self.h > m["stable_seq"]:
            self.send(dest, {"type": "checkpoint", "seq": self.h, "state_digest": self.stable_digest,
                             "replica": self.me})
        for s in sorted(self.snapshots):
            if s > max(self.h, m["stable_seq"]):
                self.send(dest, {"type": "checkpoint", "seq": s, "state_digest": hx(self.snapshots[s].digest()),
                                 "replica": self.me})
        if m["view"] != self.view or not self.active:
            return
        low = max(m["last_executed"], self.h)
        for (v, n) in sorted(k for k in self.pps if k[0] == self.view and low < k[1] <= self.h + self.L):
            pp = self.pps[(v, n)]
            d = pp["digest"]
            if self.primary(v) == self.me:
                self.send(dest, dict({"type": "pre_prepare"}, **pp))
            else:
                self.send(dest, {"type": "prepare", "view": v, "seq": n, "digest": d, "replica": self.me})
            if self.commits.get((v, n), {}).get(self.me) == d:
                self.send(dest, {"type": "commit", "view": v, "seq": n, "digest": d, "replica": self.me})

    def send_state(self, r):
        self.send("r%d" % r, {"type": "state_transfer", "seq": self.h, "state": self.stable_state.to_json(),
                              "proof": self.stable_proof, "replica": self.me})

    def on_fetch_state(self, src, m):
        if m["replica"] != src or src == self.me:
            return
        if self.h >= m["seq"] and self.h > 0 and self.stable_state is not None:
            self.send_state(src)
        else:
            self.fetch_waiting[src] = m["seq"]

    def valid_proof(self, s, d, proof):
        if s == 0:
            return True
        reps = set()
        for c in proof:
            if c["seq"] != s or c["state_digest"] != d or c["replica"] >= self.n:
                return False
            reps.add(c["replica"])
        return len(reps) >= self.Q and len(reps) == len(proof)

    def on_state_transfer(self, src, m):
        s = m["seq"]
        if m["replica"] != src:
            return
        if self.bug == "state-transfer-rollback":
            if s == 0 or s < self.h:
                return
        elif s <= self.last_exec or s < self.h:
            return
        st = Service.from_json(m["state"], self.max_clients)
        d = hx(st.digest())
        if s % self.K != 0 or not self.valid_proof(s, d, m["proof"]):
            return
        self.svc = st
        self.last_exec = s
        self.snapshots[s] = st.copy()
        for key in [k for k in self.ready if k <= s]:
            del self.ready[key]
        if s > self.h:
            self.make_stable(s, d, sorted(m["proof"], key=lambda c: c["replica"]))
        elif s == self.h:
            self.stable_state = st.copy()
        self.event("state_installed", self.view, s, d, state=st.to_json())
        for c in range(self.max_clients):
            if self.svc.clients[c][0]:
                self.drop_pending(c)
        self.try_execute()
        self.ask_for_retransmission()

    # ------------------------------------------------------------ view change
    def on_timer(self, token):
        if token != self.timer_armed or token == 0:
            return
        self.timer_armed = 0
        self.timer_kind = None
        self.start_view_change(self.view + 1, timed_out=True)

    def start_view_change(self, v, timed_out=False):
        if v <= self.view:
            return
        self.cancel_timer()
        self.view = v
        self.active = False
        if timed_out:  # joining f+1 others waited for nothing: no doubling
            self.vc_streak += 1
        self.queue = []
        prepared = []
        for n in sorted(self.pcert):
            if n <= self.h:
                continue
            if self.bug == "viewchange-omits-executed" and n <= self.last_exec:
                continue
            prepared.append(self.pcert[n])
        vc = {"new_view": v, "stable_seq": self.h, "checkpoint_proof": self.stable_proof,
              "prepared": prepared, "replica": self.me}
        self.broadcast(dict({"type": "view_change"}, **vc))
        self.event("view_change_start", v, 0, hx(0))
        self.vcs.setdefault(v, {})[self.me] = vc
        self.after_vc(v)

    def valid_vc(self, vc):
        v, s = vc["new_view"], vc["stable_seq"]
        if s % self.K != 0:
            return False
        if s > 0:
            proof = vc["checkpoint_proof"]
            if not proof or not self.valid_proof(s, proof[0]["state_digest"], proof):
                return False
        seen = set()
        for cert in vc["prepared"]:
            pp = cert["pre_prepare"]
            pv, n, d = pp["view"], pp["seq"], pp["digest"]
            if pv >= v or n in seen or not (s < n <= s + self.L):
                return False
            seen.add(n)
            if pp["replica"] != self.primary(pv) or not self.valid_pp_content(pp):
                return False
            reps = set()
            for p in cert["prepares"]:
                if p["view"] != pv or p["seq"] != n or p["digest"] != d:
                    return False
                if p["replica"] == self.primary(pv) or p["replica"] >= self.n or p["replica"] in reps:
                    return False
                reps.add(p["replica"])
            if len(reps) < self.prep_needed:
                return False
        return True

    def on_view_change(self, src, vc):
        v = vc["new_view"]
        if vc["replica"] != src or src == self.me:
            return
        if v < self.view or (v == self.view and self.active):
            return
        if not self.valid_vc(vc):
            return
        got = self.vcs.setdefault(v, {})
        if src in got:
            return
        got[src] = vc
        # join: f+1 replicas ask for views above ours
        above = {}
        for w in sorted(self.vcs):
            if w > self.view:
                for r in self.vcs[w]:
                    if r != self.me and r not in above:
                        above[r] = w
        if len(above) >= self.f + 1:
            self.start_view_change(min(above.values()))
            return
        self.after_vc(v)

    def after_vc(self, v):
        if v != self.view or self.active:
            return
        got = self.vcs.get(v, {})
        if len(got) < self.Q:
            return
        if self.primary(v) == self.me:
            if v in self.nv_done:
                return
            V = [got[r] for r in sorted(got)[: self.Q]]
            if self.me not in [x["replica"] for x in V]:
                V = [got[self.me]] + [got[r] for r in sorted(got) if r != self.me][: self.Q - 1]
                V.sort(key=lambda x: x["replica"])
            O, min_s, max_s = self.compute_o(v, V)
            self.nv_done.add(v)
            self.broadcast({"type": "new_view", "view": v, "view_changes": V, "pre_prepares": O,
                            "replica": self.me})
            self.enter_view(v, V, O, min_s, max_s)
        elif not self.timer_armed:
            self.set_timer("view")

    def compute_o(self, v, V):
        min_s = max(x["stable_seq"] for x in V)
        best = {}
        for x in V:
            for cert in x["prepared"]:
                pp = cert["pre_prepare"]
                n = pp["seq"]
                if n <= min_s:
                    continue
                if n not in best or pp["view"] > best[n]["view"]:
                    best[n] = pp
        max_s = max([min_s] + list(best))
        O = []
        for n in range(min_s + 1, max_s + 1):
            if n in best:
                O.append({"view": v, "seq": n, "digest": best[n]["digest"], "request": best[n]["request"],
                          "replica": self.primary(v)})
            else:
                O.append({"view": v, "seq": n, "digest": NULL_HEX, "request": dict(NULL_REQUEST),
                          "replica": self.primary(v)})
        return O, min_s, max_s

    def on_new_view(self, src, nv):
        v = nv["view"]
        if nv["replica"] != src or src != self.primary(v) or src == self.me:
            return
        if v < self.view or (v == self.view and self.active) or v in self.nv_done:
            return
        V = nv["view_changes"]
        reps = set()
        for x in V:
            if x["new_view"] != v or x["replica"] >= self.n or x["replica"] in reps or not self.valid_vc(x):
                return
            reps.add(x["replica"])
        if len(reps) < self.Q:
            return
        O, min_s, max_s = self.compute_o(v, V)
        if O != nv["pre_prepares"]:
            return
        self.nv_done.add(v)
        self.enter_view(v, V, O, min_s, max_s)

    def enter_view(self, v, V, O, min_s, max_s):
        # The view change's timer runs on until a request executes in v (section 4.5.2).
        self.view = v
        self.active = True
        for w in [w for w in self.vcs if w <= v]:
            del self.vcs[w]
        self.event("new_view", v, 0, hx(0))
        if min_s > self.h:
            for x in V:
                if x["stable_seq"] == min_s:
                    proof = sorted(x["checkpoint_proof"], key=lambda c: c["replica"])
                    self.make_stable(min_s, proof[0]["state_digest"], proof)
                    break
        for pp in O:
            n = pp["seq"]
            if pp["digest"] != NULL_HEX:
                self.event("cert_carried", v, n, pp["digest"])
            if n <= self.h:
                continue
            self.accept_pp(pp)
        if self.primary(v) == self.me:
            self.cancel_timer()
            self.next_seq = max(max_s, self.h) + 1
            for d in sorted(self.pending, key=lambda d: (self.pending[d]["client"], self.pending[d]["timestamp"])):
                req = self.pending[d]
                c, t = req["client"], req["timestamp"]
                if c < self.max_clients and t <= self.svc.clients[c][0]:
                    continue
                self.issue(req, d)
        elif not self.pending:
            self.cancel_timer()
        elif not self.timer_armed:
            self.set_timer("request")
        buf, self.buffer = self.buffer, []
        for src, typ, m in buf:
            if m["view"] > v:
                self.buffer.append((src, typ, m))
            elif m["view"] == v:
                self.normal_case(src, typ, m)
        self.ask_for_retransmission()

    # --------------------------------------------------------------- dispatch
    def on_message(self, src, body):
        typ = body.get("type")
        if typ in ("pre_prepare",):
            self.normal_case(src, typ, msg.pre_prepare(body))
        elif typ in ("prepare", "commit"):
            self.normal_case(src, typ, msg.vote(body))
        elif typ == "checkpoint":
            self.on_checkpoint(src, msg.checkpoint(body))
        elif typ == "view_change":
            self.on_view_change(src, msg.view_change(body))
        elif typ == "new_view":
            self.on_new_view(src, msg.new_view(body))
        elif typ == "fetch_state":
            self.on_fetch_state(src, msg.fetch_state(body))
        elif typ == "state_transfer":
            self.on_state_transfer(src, msg.state_transfer(body))
        elif typ == "status":
            self.on_status(src, msg.status(body))
        elif typ == "request":
            self.on_request(None, body, forwarded=True)
        # reply and unknown types from replicas: ignored
