"""Digests and the replicated service, as include/pbftsim/replica_plugin.h specifies them."""

M64 = (1 << 64) - 1
NULL_DIGEST = 0x6E756C6C72657121


def mix(x):
    x = (x + 0x9E3779B97F4A7C15) & M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def combine(s, v):
    return mix(s ^ mix(v))


def request_digest(client, timestamp, operation):
    d = mix(mix(mix(0x7265717565737421 ^ client) ^ timestamp) ^ operation)
    if d == 0 or d == NULL_DIGEST:
        d ^= 0x5A5A5A5A5A5A5A5A
    return d


class Service:
    """applied, chain and per-client (timestamp, result) records."""

    def __init__(self, max_clients):
        self.applied = 0
        self.chain = 0
        self.clients = [(0, 0)] * max_clients

    def copy(self):
        s = Service(0)
        s.applied, s.chain, s.clients = self.applied, self.chain, list(self.clients)
        return s

    def execute(self, client, timestamp, digest):
        """Returns (applied, result)."""
        if client < len(self.clients) and timestamp > self.clients[client][0]:
            self.chain = combine(self.chain, digest)
            self.applied = (self.applied + 1) & M64
            self.clients[client] = (timestamp, self.chain)
            return True, self.chain
        if client < len(self.clients):
            return False, self.clients[client][1]
        return False, 0

    def digest(self):
        d = mix(mix(self.applied ^ 0x7374617465) ^ self.chain)
        for i, (t, r) in enumerate(self.clients):
            if (t, r) != (0, 0):
                d = mix(mix(mix(d ^ i) ^ t) ^ r)
        return d if d != 0 else 1

    def to_json(self):
        return {"applied": self.applied, "chain": "%016x" % self.chain,
                "clients": [{"timestamp": t, "result": "%016x" % r} for t, r in self.clients]}

    @staticmethod
    def from_json(j, max_clients):
        s = Service(0)
        s.applied = num(j["applied"])
        s.chain = hexnum(j["chain"])
        cl = j["clients"]
        if not isinstance(cl, list) or len(cl) != max_clients:
            raise ValueError("state has the wrong number of clients")
        s.clients = [(num(c["timestamp"]), hexnum(c["result"])) for c in cl]
        return s


def num(x):
    if not isinstance(x, int) or isinstance(x, bool) or x < 0 or x > M64:
        raise ValueError("not a u64: %r" % (x,))
    return x


def hexnum(x):
    if not isinstance(x, str) or len(x) != 16 or any(c not in "0123456789abcdef" for c in x):
        raise ValueError("not a hash: %r" % (x,))
    return int(x, 16)
