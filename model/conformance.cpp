// The conformance scenarios and their runner. Scenarios are scripts: each
// step is one input to the replica under test and what its effects must
// show. Expected values are computed here from the rules (pbft::Service for
// results and state digests, plain construction for messages), never by
// running the built-in replica, so a wrong reference would show as a failure.
#include "model/conformance.h"

#include <algorithm>
#include <bit>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/honest_replica.h"
#include "pbft/service.h"
#include "plugin/node_json.h"

namespace model {

using pbft::Checkpoint;
using pbft::Commit;
using pbft::Destination;
using pbft::Digest;
using pbft::Effects;
using pbft::EventKind;
using pbft::Message;
using pbft::MessageKind;
using pbft::PrePrepare;
using pbft::Prepare;
using pbft::PreparedCert;
using pbft::ReplicaId;
using pbft::Request;
using pbft::Seq;
using pbft::View;
using pbft::ViewChange;

namespace {

constexpr std::uint32_t kClients = 4;
constexpr std::uint64_t kTimeoutUs = 400'000;

// ---- How inputs and expectations read --------------------------------------

std::string short_hash(Digest d) {
  if (d == pbft::kNullDigest) return "null";
  return node_json::hex(d).substr(0, 8);
}

std::string dest_name(const Destination& d) {
  switch (d.kind) {
    case Destination::Kind::replica: return fmt::format("r{}", d.id);
    case Destination::Kind::client: return fmt::format("c{}", d.id);
    case Destination::Kind::all_replicas: break;
  }
  return "all";
}

std::string describe(const Message& m);

std::string describe_cert(const PreparedCert& c) {
  return fmt::format("n{} v{} d={}", c.pre_prepare.seq, c.pre_prepare.view, short_hash(c.pre_prepare.digest));
}

std::string describe(const Message& m) {
  struct {
    std::string operator()(const Request& r) const {
      return fmt::format("REQUEST c{} t{} op={}", r.client, r.timestamp, short_hash(r.operation));
    }
    std::string operator()(const PrePrepare& p) const {
      return fmt::format("PRE-PREPARE v{} n{} d={} (c{} t{}) r{}", p.view, p.seq, short_hash(p.digest),
                         p.request.client, p.request.timestamp, p.replica);
    }
    std::string operator()(const Prepare& p) const {
      return fmt::format("PREPARE v{} n{} d={} r{}", p.view, p.seq, short_hash(p.digest), p.replica);
    }
    std::string operator()(const Commit& p) const {
      return fmt::format("COMMIT v{} n{} d={} r{}", p.view, p.seq, short_hash(p.digest), p.replica);
    }
    std::string operator()(const pbft::Reply& p) const {
      return fmt::format("REPLY v{} c{} t{} result={} r{}", p.view, p.client, p.timestamp, short_hash(p.result),
                         p.replica);
    }
    std::string operator()(const Checkpoint& c) const {
      return fmt::format("CHECKPOINT n{} state={} r{}", c.seq, short_hash(c.state_digest), c.replica);
    }
    std::string operator()(const pbft::ViewChangePtr& v) const {
      std::vector<std::string> certs;
      for (const auto& c : v->prepared) certs.push_back(describe_cert(c));
      return fmt::format("VIEW-CHANGE v{} h={} certs=[{}] r{}", v->new_view, v->stable_seq,
                         fmt::join(certs, ", "), v->replica);
    }
    std::string operator()(const pbft::NewViewPtr& v) const {
      std::vector<std::string> vs, os;
      for (const auto& x : v->view_changes) vs.push_back(fmt::format("r{}", x.replica));
      for (const auto& p : v->pre_prepares) os.push_back(fmt::format("n{} d={}", p.seq, short_hash(p.digest)));
      return fmt::format("NEW-VIEW v{} V=[{}] O=[{}] r{}", v->view, fmt::join(vs, ","), fmt::join(os, ", "),
                         v->replica);
    }
    std::string operator()(const pbft::FetchState& f) const {
      return fmt::format("FETCH-STATE n{} r{}", f.seq, f.replica);
    }
    std::string operator()(const pbft::Status& m) const {
      return fmt::format("STATUS v{} h{} le{} r{}", m.view, m.stable_seq, m.last_executed, m.replica);
    }
    std::string operator()(const pbft::StateTransfer& t) const {
      std::vector<std::string> proof;
      for (const auto& c : t.proof) proof.push_back(fmt::format("r{}", c.replica));
      return fmt::format("STATE-TRANSFER n{} state={} proof=[{}] r{}", t.seq,
                         t.state ? short_hash(t.state->digest()) : "none", fmt::join(proof, ","), t.replica);
    }
  } visitor;
  return std::visit(visitor, m);
}

// What came back, as the node protocol's bodies: what a node author sees.
std::string render(const Effects& e) {
  std::vector<std::string> parts;
  for (const auto& s : e.sends)
    parts.push_back(fmt::format("to {}: {}", dest_name(s.to), node_json::to_json(s.message).dump()));
  for (const auto& t : e.timers)
    parts.push_back(t.set ? fmt::format("set_timer token {} after {} us", t.token, t.delay_us)
                          : fmt::format("cancel_timer token {}", t.token));
  for (const auto& x : e.executions) parts.push_back(node_json::to_json(x).dump());
  for (const auto& ev : e.events) parts.push_back(node_json::to_json(ev, e.installed_state.get()).dump());
  if (parts.empty()) return "nothing";
  return fmt::format("{}", fmt::join(parts, "; "));
}

// ---- Expectations -----------------------------------------------------------

Expectation sends(Destination to, Message m) {
  std::string text = fmt::format("sends {} to {}", describe(m), dest_name(to));
  return {std::move(text), [to, m = std::move(m)](const Effects& e) {
            return std::any_of(e.sends.begin(), e.sends.end(),
                               [&](const pbft::Send& s) { return s.to == to && pbft::same_message(s.message, m); });
          }};
}

// A send of this kind that passes `ok`, for messages whose exact form the
// protocol leaves open (the order of certificates, where a fetch goes).
Expectation sends_such(MessageKind kind, std::string text, std::function<bool(const pbft::Send&)> ok) {
  return {"sends " + std::move(text), [kind, ok = std::move(ok)](const Effects& e) {
            return std::any_of(e.sends.begin(), e.sends.end(),
                               [&](const pbft::Send& s) { return pbft::kind_of(s.message) == kind && ok(s); });
          }};
}

Expectation sends_nothing() {
  return {"sends nothing", [](const Effects& e) { return e.sends.empty(); }};
}

Expectation sends_no(MessageKind kind) {
  return {fmt::format("sends no {}", pbft::kind_name(kind)), [kind](const Effects& e) {
            return std::none_of(e.sends.begin(), e.sends.end(),
                                [&](const pbft::Send& s) { return pbft::kind_of(s.message) == kind; });
          }};
}

Expectation executes(Seq seq, View view, Digest digest, bool applied, std::uint64_t result) {
  std::string text = applied ? fmt::format("executes n{} (v{}, d={}, applied, result={})", seq, view,
                                           short_hash(digest), short_hash(result))
                             : fmt::format("executes n{} (v{}, d={}, not applied)", seq, view, short_hash(digest));
  return {std::move(text), [=](const Effects& e) {
            return std::any_of(e.executions.begin(), e.executions.end(), [&](const pbft::Execution& x) {
              return x.seq == seq && x.view == view && x.digest == digest && x.applied == applied &&
                     (!applied || x.result == result);
            });
          }};
}

Expectation executes_nothing() {
  return {"executes nothing", [](const Effects& e) { return e.executions.empty(); }};
}

Expectation emits(EventKind kind, View view, Seq seq) {
  return {fmt::format("emits {} (v{}, n{})", pbft::event_name(kind), view, seq), [=](const Effects& e) {
            return std::any_of(e.events.begin(), e.events.end(), [&](const pbft::Event& x) {
              return x.kind == kind && x.view == view && x.seq == seq;
            });
          }};
}

Expectation emits_no(EventKind kind) {
  return {fmt::format("emits no {}", pbft::event_name(kind)), [=](const Effects& e) {
            return std::none_of(e.events.begin(), e.events.end(), [&](const pbft::Event& x) { return x.kind == kind; });
          }};
}

Expectation sets_timer(std::uint64_t delay_us) {
  return {fmt::format("sets its timer for {} us", delay_us), [=](const Effects& e) {
            return std::any_of(e.timers.begin(), e.timers.end(),
                               [&](const pbft::TimerOp& t) { return t.set && t.delay_us == delay_us; });
          }};
}

Expectation stops_timer() {
  return {"cancels its timer (and sets none)", [](const Effects& e) {
            return !e.timers.empty() && std::none_of(e.timers.begin(), e.timers.end(),
                                                     [](const pbft::TimerOp& t) { return t.set; });
          }};
}

// ---- Scripts ----------------------------------------------------------------

Request request(pbft::ClientId c, pbft::Timestamp t) {
  return {c, t, 0x6f70000000000000ULL | (std::uint64_t{c} << 16) | t};
}

PrePrepare pre_prepare(View v, Seq n, const Request& r, ReplicaId primary) {
  return {v, n, pbft::digest_of(r), r, primary};
}

PrePrepare null_pre_prepare(View v, Seq n, ReplicaId primary) { return {v, n, pbft::kNullDigest, {}, primary}; }

PreparedCert certificate(const PrePrepare& pp, std::initializer_list<ReplicaId> backups) {
  PreparedCert c{pp, {}};
  for (ReplicaId r : backups) c.prepares.push_back({pp.view, pp.seq, pp.digest, r});
  return c;
}

pbft::ViewChangePtr view_change(View v, ReplicaId from, std::vector<PreparedCert> certs = {}) {
  return std::make_shared<const ViewChange>(ViewChange{v, 0, {}, std::move(certs), from});
}

pbft::NewViewPtr new_view(View v, ReplicaId from, std::vector<pbft::ViewChangePtr> V, std::vector<PrePrepare> O) {
  std::vector<ViewChange> vcs;
  for (const auto& x : V) vcs.push_back(*x);
  return std::make_shared<const pbft::NewView>(pbft::NewView{v, std::move(vcs), std::move(O), from});
}

class Script {
 public:
  Script(std::string name, std::string what, ReplicaId me) {
    s_.name = std::move(name);
    s_.what = std::move(what);
    s_.under_test = me;
  }
  ReplicaId me() const { return s_.under_test; }

  Script& message(ReplicaId from, Message m) {
    std::string text = fmt::format("r{} -> r{} {}", from, me(), describe(m));
    return add({ConformStep::Input::message, from, std::move(m), std::move(text), {}});
  }
  Script& client(const Request& r) {
    return add({ConformStep::Input::request, r.client, r, fmt::format("c{} -> r{} {}", r.client, me(), describe(r)),
                {}});
  }
  Script& timer() {
    return add({ConformStep::Input::timer, 0, Message{}, "its timer expires (the last token it set)", {}});
  }
  // Expectations about the last step.
  Script& expect(Expectation e) {
    s_.steps.back().expect.push_back(std::move(e));
    return *this;
  }
  Script& quiet() { return expect(sends_nothing()).expect(executes_nothing()); }
  // The last step executes r at n in view v with `result` and replies to r's client.
  Script& executes_and_replies(View v, Seq n, const Request& r, std::uint64_t result) {
    return expect(executes(n, v, pbft::digest_of(r), true, result))
        .expect(sends(Destination::client(r.client), pbft::Reply{v, r.timestamp, r.client, me(), result}));
  }

  // A request committed at n in view v, from a backup's seat: the primary's
  // PRE-PREPARE, one other backup's PREPARE, two COMMITs. The last step is
  // the execution; the caller adds its expectations.
  Script& commit_as_backup(View v, Seq n, const Request& r) {
    const ReplicaId primary = static_cast<ReplicaId>(v % 4);
    std::vector<ReplicaId> others;
    for (ReplicaId x = 0; x < 4; ++x)
      if (x != primary && x != me()) others.push_back(x);
    const Digest d = pbft::digest_of(r);
    message(primary, pre_prepare(v, n, r, primary)).expect(sends(Destination::all(), Prepare{v, n, d, me()}));
    message(others[0], Prepare{v, n, d, others[0]}).expect(sends(Destination::all(), Commit{v, n, d, me()}));
    message(primary, Commit{v, n, d, primary}).expect(executes_nothing());
    return message(others[0], Commit{v, n, d, others[0]});
  }

  // The same from the primary's seat in view v: the two backups' PREPAREs
  // and COMMITs. The last step is the execution.
  Script& commit_as_primary(View v, Seq n, Digest d) {
    std::vector<ReplicaId> backups;
    for (ReplicaId x = 0; x < 4; ++x)
      if (x != me()) backups.push_back(x);
    message(backups[1], Prepare{v, n, d, backups[1]}).expect(sends_no(MessageKind::commit));
    message(backups[2], Prepare{v, n, d, backups[2]}).expect(sends(Destination::all(), Commit{v, n, d, me()}));
    message(backups[1], Commit{v, n, d, backups[1]}).quiet();
    return message(backups[2], Commit{v, n, d, backups[2]});
  }

  ConformScenario done() { return std::move(s_); }

 private:
  Script& add(ConformStep step) {
    s_.steps.push_back(std::move(step));
    return *this;
  }
  ConformScenario s_;
};

std::uint64_t apply(pbft::Service& service, const Request& r) {
  const auto result = service.apply(r);
  return result.value_or(0);
}

ConformScenario normal_case() {
  Script s("normal-case", "a backup's request, PRE-PREPARE, PREPARE, COMMIT, execution and REPLY", 1);
  pbft::Service service(kClients);
  const Request r = request(0, 1);
  const Digest d = pbft::digest_of(r);
  s.client(r).expect(sends(Destination::replica(0), r)).expect(sets_timer(kTimeoutUs));
  s.message(0, pre_prepare(0, 1, r, 0))
      .expect(sends(Destination::all(), Prepare{0, 1, d, 1}))
      .expect(sends_no(MessageKind::commit));
  s.message(2, Prepare{0, 1, d, 2})
      .expect(emits(EventKind::prepared, 0, 1))
      .expect(sends(Destination::all(), Commit{0, 1, d, 1}));
  s.message(0, Commit{0, 1, d, 0}).quiet();
  const std::uint64_t result = apply(service, r);
  s.message(2, Commit{0, 1, d, 2})
      .expect(emits(EventKind::committed, 0, 1))
      .executes_and_replies(0, 1, r, result)
      .expect(stops_timer());
  return s.done();
}

ConformScenario replies() {
  Script s("reply", "cached replies to retransmissions, silence for older timestamps, duplicates not applied", 1);
  pbft::Service service(kClients);
  const Request r1 = request(0, 1), r2 = request(0, 2);
  const std::uint64_t res1 = apply(service, r1);
  s.commit_as_backup(0, 1, r1).expect(executes(1, 0, pbft::digest_of(r1), true, res1));
  const std::uint64_t res2 = apply(service, r2);
  s.commit_as_backup(0, 2, r2).expect(executes(2, 0, pbft::digest_of(r2), true, res2));
  s.client(r2).expect(sends(Destination::client(0), pbft::Reply{0, 2, 0, 1, res2})).expect(sends_no(MessageKind::request));
  s.client(r1).quiet();
  // The primary orders the old request again: it executes, changing nothing.
  s.commit_as_backup(0, 3, r1)
      .expect(executes(3, 0, pbft::digest_of(r1), false, 0))
      .expect(sends_no(MessageKind::reply));
  return s.done();
}

ConformScenario checkpoints() {
  Script s("checkpoint-watermarks",
           "CHECKPOINT after K executions, stability at a quorum, the window (h, h+L] moving, answering FETCH-STATE", 1);
  pbft::Service service(kClients);
  const Request r1 = request(0, 1), r2 = request(0, 2), late = request(1, 1), later = request(1, 2);
  s.message(0, pre_prepare(0, 5, late, 0)).quiet();  // above h + L = 4
  s.commit_as_backup(0, 1, r1).expect(executes(1, 0, pbft::digest_of(r1), true, apply(service, r1)));
  const std::uint64_t res2 = apply(service, r2);
  const Digest state2 = service.state().digest();
  s.commit_as_backup(0, 2, r2)
      .expect(executes(2, 0, pbft::digest_of(r2), true, res2))
      .expect(sends(Destination::all(), Checkpoint{2, state2, 1}));
  s.message(0, Checkpoint{2, state2, 0}).expect(emits_no(EventKind::checkpoint_stable));
  s.message(3, Checkpoint{2, state2 ^ 1, 3}).expect(emits_no(EventKind::checkpoint_stable));  // another state
  s.message(2, Checkpoint{2, state2, 2}).expect(emits(EventKind::checkpoint_stable, 0, 2));
  s.message(0, pre_prepare(0, 5, late, 0))
      .expect(sends(Destination::all(), Prepare{0, 5, pbft::digest_of(late), 1}));  // now in (2, 6]
  s.message(0, pre_prepare(0, 7, later, 0)).quiet();
  s.message(3, pbft::FetchState{2, 3})
      .expect(sends_such(MessageKind::state_transfer,
                         fmt::format("STATE-TRANSFER n2 of state {} with a proof of 3 to r3", short_hash(state2)),
                         [state2](const pbft::Send& x) {
                           const auto& t = std::get<pbft::StateTransfer>(x.message);
                           return x.to == Destination::replica(3) && t.seq == 2 && t.state &&
                                  t.state->digest() == state2 && t.proof.size() >= 3 && t.replica == 1;
                         }));
  return s.done();
}

// Does this VIEW-CHANGE for v from `from` carry exactly the certificate for
// (n, d) prepared in view `cert_view`, with 2f prepares from backups?
bool carries_certificate(const pbft::Send& x, View v, ReplicaId from, Seq n, Digest d, View cert_view) {
  const auto& vc = *std::get<pbft::ViewChangePtr>(x.message);
  if (x.to != Destination::all() || vc.new_view != v || vc.replica != from || vc.stable_seq != 0) return false;
  if (vc.prepared.size() != 1) return false;
  const PreparedCert& c = vc.prepared[0];
  if (c.pre_prepare.seq != n || c.pre_prepare.digest != d || c.pre_prepare.view != cert_view) return false;
  std::uint64_t voters = 0;
  for (const Prepare& p : c.prepares) {
    if (p.view != cert_view || p.seq != n || p.digest != d || p.replica == cert_view % 4 || p.replica >= 4) return false;
    voters |= std::uint64_t{1} << p.replica;
  }
  return std::popcount(voters) >= 2;
}

// The new primary `from` broadcasts NEW-VIEW for v with 2f+1 VIEW-CHANGEs
// from distinct replicas and exactly the pre-prepares O, in order.
Expectation sends_new_view(View v, ReplicaId from, std::vector<PrePrepare> O) {
  std::string listed;
  for (const PrePrepare& pp : O)
    listed += fmt::format("{}n{} {}", listed.empty() ? "" : ", ", pp.seq,
                          pp.is_null() ? std::string("null") : "d=" + short_hash(pp.digest));
  std::string text = fmt::format("NEW-VIEW v{} V=[3 VIEW-CHANGEs for v{}] O=[{}] r{} to all", v, v, listed, from);
  return sends_such(MessageKind::new_view, std::move(text), [v, from, O = std::move(O)](const pbft::Send& x) {
    const auto& nv = *std::get<pbft::NewViewPtr>(x.message);
    std::uint64_t senders = 0;
    for (const auto& vc : nv.view_changes)
      if (vc.new_view == v && vc.replica < 4) senders |= std::uint64_t{1} << vc.replica;
    if (x.to != Destination::all() || nv.view != v || nv.replica != from || nv.view_changes.size() != 3 ||
        std::popcount(senders) != 3 || nv.pre_prepares.size() != O.size())
      return false;
    for (std::size_t i = 0; i < O.size(); ++i) {
      const PrePrepare& a = nv.pre_prepares[i];
      if (a.view != O[i].view || a.seq != O[i].seq || a.digest != O[i].digest || a.replica != O[i].replica ||
          (!a.is_null() && a.request != O[i].request))
        return false;
    }
    return true;
  });
}

ConformScenario view_change_as_primary() {
  Script s("view-change-primary",
           "the timer starts a view change carrying a prepared certificate; as the new primary, NEW-VIEW re-issues it "
           "and fills a gap with the null request; both execute in the new view",
           1);
  pbft::Service service(kClients);
  const Request r = request(0, 1), other = request(1, 1);
  const Digest d = pbft::digest_of(r), d3 = pbft::digest_of(other);
  s.client(r).expect(sets_timer(kTimeoutUs));
  s.message(0, pre_prepare(0, 1, r, 0)).expect(sends(Destination::all(), Prepare{0, 1, d, 1}));
  s.message(2, Prepare{0, 1, d, 2}).expect(sends(Destination::all(), Commit{0, 1, d, 1}));
  s.timer()
      .expect(sends_such(MessageKind::view_change,
                         fmt::format("VIEW-CHANGE v1 h=0 certs=[n1 v0 d={}] r1 to all", short_hash(d)),
                         [d](const pbft::Send& x) { return carries_certificate(x, 1, 1, 1, d, 0); }))
      .expect(emits(EventKind::view_change_start, 1, 0));
  // r2 prepared n3 in view 0; nobody prepared n2.
  const auto vc2 = view_change(1, 2, {certificate(pre_prepare(0, 3, other, 0), {2, 3})});
  s.message(2, vc2).expect(sends_no(MessageKind::new_view));
  const std::vector<PrePrepare> O{pre_prepare(1, 1, r, 1), null_pre_prepare(1, 2, 1), pre_prepare(1, 3, other, 1)};
  s.message(3, view_change(1, 3))
      .expect(sends_new_view(1, 1, O))
      .expect(emits(EventKind::new_view_entered, 1, 0));
  const std::uint64_t result = apply(service, r);
  s.commit_as_primary(1, 1, d).executes_and_replies(1, 1, r, result);
  s.commit_as_primary(1, 2, pbft::kNullDigest).expect(executes(2, 1, pbft::kNullDigest, false, 0));
  return s.done();
}

ConformScenario view_change_highest_view() {
  Script s("view-change-highest",
           "two certificates for one number from different views: the new primary's NEW-VIEW re-issues the one "
           "from the later view (§4.4), and it executes",
           2);
  pbft::Service service(kClients);
  const Request a = request(0, 1), b = request(1, 1);
  const Digest db = pbft::digest_of(b);
  // n1 prepared a in view 0 at r0, and b in view 1 (whose NEW-VIEW r2 never saw) at r1.
  const auto vc0 = view_change(2, 0, {certificate(pre_prepare(0, 1, a, 0), {1, 3})});
  const auto vc1 = view_change(2, 1, {certificate(pre_prepare(1, 1, b, 1), {0, 3})});
  s.message(0, vc0).expect(sends_nothing());
  s.message(1, vc1)
      .expect(sends_such(MessageKind::view_change, "VIEW-CHANGE v2 h=0 certs=[] r2 to all",
                         [](const pbft::Send& x) {
                           const auto& vc = *std::get<pbft::ViewChangePtr>(x.message);
                           return x.to == Destination::all() && vc.new_view == 2 && vc.replica == 2 &&
                                  vc.stable_seq == 0 && vc.prepared.empty();
                         }))
      .expect(sends_new_view(2, 2, {pre_prepare(2, 1, b, 2)}))
      .expect(emits(EventKind::new_view_entered, 2, 0));
  const std::uint64_t result = apply(service, b);
  s.commit_as_primary(2, 1, db).executes_and_replies(2, 1, b, result);
  return s.done();
}

ConformScenario view_change_pending_request() {
  Script s("view-change-pending",
           "a request waiting at the new primary gets a number above max-s, after O, when the VIEW-CHANGEs carry a "
           "stable checkpoint above its own (§4.4)",
           1);
  pbft::Service service(kClients);
  apply(service, request(0, 1));
  apply(service, request(0, 2));
  const Digest state2 = service.state().digest();
  const std::vector<Checkpoint> proof{{2, state2, 0}, {2, state2, 2}, {2, state2, 3}};
  const Request carried = request(1, 1), waiting = request(2, 1);
  s.client(waiting).expect(sends(Destination::replica(0), waiting));
  // r0 and r2 saw checkpoint 2 become stable; r2 also prepared n3 in view 0.
  const auto vc0 = std::make_shared<const ViewChange>(ViewChange{1, 2, proof, {}, 0});
  const auto vc2 = std::make_shared<const ViewChange>(
      ViewChange{1, 2, proof, {certificate(pre_prepare(0, 3, carried, 0), {2, 3})}, 2});
  s.message(0, vc0).expect(sends_no(MessageKind::new_view));
  s.message(2, vc2)
      .expect(sends_new_view(1, 1, {pre_prepare(1, 3, carried, 1)}))
      .expect(sends(Destination::all(), pre_prepare(1, 4, waiting, 1)))
      .expect(emits(EventKind::new_view_entered, 1, 0));
  return s.done();
}

ConformScenario view_change_as_backup() {
  Script s("view-change-backup",
           "joining a view change on f+1 VIEW-CHANGEs, refusing a NEW-VIEW that drops a certificate or comes from "
           "the wrong replica, entering the new view, ignoring the old one",
           2);
  pbft::Service service(kClients);
  const Request r = request(0, 1), old = request(1, 1);
  const Digest d = pbft::digest_of(r);
  s.message(0, pre_prepare(0, 1, r, 0)).expect(sends(Destination::all(), Prepare{0, 1, d, 2}));
  s.message(3, Prepare{0, 1, d, 3}).expect(sends(Destination::all(), Commit{0, 1, d, 2}));
  const auto vc1 = view_change(1, 1), vc3 = view_change(1, 3);
  const auto vc2 = view_change(1, 2, {certificate(pre_prepare(0, 1, r, 0), {2, 3})});
  s.message(1, vc1).expect(sends_nothing());
  s.message(3, vc3)
      .expect(sends_such(MessageKind::view_change,
                         fmt::format("VIEW-CHANGE v1 h=0 certs=[n1 v0 d={}] r2 to all", short_hash(d)),
                         [d](const pbft::Send& x) { return carries_certificate(x, 1, 2, 1, d, 0); }))
      .expect(emits(EventKind::view_change_start, 1, 0));
  s.message(1, new_view(1, 1, {vc1, vc2, vc3}, {null_pre_prepare(1, 1, 1)}))
      .expect(emits_no(EventKind::new_view_entered))
      .quiet();
  s.message(3, new_view(1, 3, {vc1, vc2, vc3}, {pre_prepare(1, 1, r, 1)}))
      .expect(emits_no(EventKind::new_view_entered))
      .quiet();
  s.message(1, new_view(1, 1, {vc1, vc2, vc3}, {pre_prepare(1, 1, r, 1)}))
      .expect(emits(EventKind::new_view_entered, 1, 0))
      .expect(sends(Destination::all(), Prepare{1, 1, d, 2}));
  s.message(0, pre_prepare(0, 2, old, 0)).quiet();  // view 0 is over
  s.message(0, Prepare{0, 1, d, 0}).quiet();
  s.message(3, Prepare{1, 1, d, 3}).expect(sends(Destination::all(), Commit{1, 1, d, 2}));
  s.message(1, Commit{1, 1, d, 1}).quiet();
  const std::uint64_t result = apply(service, r);
  s.message(3, Commit{1, 1, d, 3}).executes_and_replies(1, 1, r, result);
  return s.done();
}

ConformScenario state_transfer() {
  Script s("state-transfer",
           "f+1 CHECKPOINTs beyond the window make it fetch the state; it installs only a proven one and goes on "
           "from there",
           1);
  pbft::Service service(kClients);
  for (pbft::Timestamp t = 1; t <= 6; ++t) apply(service, request(0, t));
  const auto state = std::make_shared<const pbft::ServiceState>(service.state());
  const Digest digest = state->digest();
  auto forged_state = std::make_shared<pbft::ServiceState>(*state);
  forged_state->chain ^= 1;
  const std::vector<Checkpoint> proof{{6, digest, 0}, {6, digest, 2}, {6, digest, 3}};
  s.message(0, Checkpoint{6, digest, 0}).quiet();
  s.message(2, Checkpoint{6, digest, 2})
      .expect(sends_such(MessageKind::fetch_state, "FETCH-STATE n6 r1 (to any)", [](const pbft::Send& x) {
        const auto& f = std::get<pbft::FetchState>(x.message);
        return f.seq == 6 && f.replica == 1;
      }));
  s.message(0, pbft::StateTransfer{6, state, {proof[0], proof[1]}, 0})  // a proof one short
      .expect(emits_no(EventKind::state_installed))
      .quiet();
  s.message(0, pbft::StateTransfer{6, forged_state, proof, 0})  // the proof is for another state
      .expect(emits_no(EventKind::state_installed))
      .quiet();
  s.message(0, pbft::StateTransfer{6, state, proof, 0}).expect(emits(EventKind::state_installed, 0, 6));
  const Request next = request(0, 7);
  s.commit_as_backup(0, 7, next).expect(executes(7, 0, pbft::digest_of(next), true, apply(service, next)));
  return s.done();
}

ConformScenario rejections() {
  Script s("rejections",
           "messages that must change nothing: a PRE-PREPARE from a backup, a forged sender, a wrong digest, a "
           "later view, a second digest for n; a PREPARE with a wrong digest; a duplicate COMMIT",
           1);
  pbft::Service service(kClients);
  const Request r = request(0, 1), other = request(1, 1);
  const Digest d = pbft::digest_of(r);
  s.message(2, pre_prepare(0, 1, r, 2)).quiet();
  s.message(3, pre_prepare(0, 1, r, 0)).quiet();  // r3 claims to be r0
  s.message(0, PrePrepare{0, 1, pbft::digest_of(other), r, 0}).quiet();
  s.message(0, pre_prepare(1, 1, r, 0)).quiet();
  s.message(0, pre_prepare(0, 1, r, 0)).expect(sends(Destination::all(), Prepare{0, 1, d, 1}));
  s.message(0, pre_prepare(0, 1, other, 0)).quiet();
  s.message(2, Prepare{0, 1, pbft::digest_of(other), 2}).quiet();
  s.message(3, Prepare{0, 1, d, 2}).quiet();  // r3 claims to be r2
  s.message(3, Prepare{0, 1, d, 3}).expect(sends(Destination::all(), Commit{0, 1, d, 1}));
  s.message(2, Commit{0, 1, d, 2}).quiet();
  s.message(2, Commit{0, 1, d, 2}).quiet();  // the same vote again
  s.message(0, Commit{0, 1, pbft::digest_of(other), 0}).quiet();
  s.message(3, Commit{0, 1, d, 3}).expect(executes(1, 0, d, true, apply(service, r)));
  return s.done();
}

}  // namespace

pbft::Config conformance_config(pbft::Mutation mutation) {
  pbft::Config c = pbft::make_config(4);
  c.checkpoint_interval = 2;
  c.watermark_window = 4;
  c.max_clients = kClients;
  c.view_change_timeout_us = kTimeoutUs;
  c.mutation = mutation;
  return c;
}

std::vector<ConformScenario> conformance_scenarios() {
  return {normal_case(),           replies(),        checkpoints(), view_change_as_primary(),
          view_change_highest_view(), view_change_pending_request(), view_change_as_backup(),
          state_transfer(),        rejections()};
}

ScenarioOutcome run_conformance_scenario(const ConformScenario& s, const ReplicaImpl& impl,
                                         const pbft::Config& config) {
  ScenarioOutcome outcome{.name = s.name, .what = s.what, .steps = {}, .total_steps = s.steps.size()};
  HonestReplica replica = make_honest_replica(impl, config, s.under_test);
  Effects out;
  std::uint64_t armed = 0;  // the token of the timer the replica has set, 0: none
  for (std::size_t i = 0; i < s.steps.size(); ++i) {
    const ConformStep& step = s.steps[i];
    StepOutcome& o = outcome.steps.emplace_back();
    o.index = i + 1;
    o.input = step.input_text;
    for (const auto& e : step.expect) o.expected.push_back(e.text);
    out.clear();
    switch (step.input) {
      case ConformStep::Input::message: deliver_message(replica, 0, step.from, step.message, out); break;
      case ConformStep::Input::request:
        deliver_request(replica, 0, step.from, std::get<Request>(step.message), out);
        break;
      case ConformStep::Input::timer:
        if (armed == 0) {
          o.failed.push_back("a timer to expire (none is set)");
          o.received = "nothing";
          break;
        }
        deliver_timer(replica, 0, armed, out);
        break;
    }
    for (const auto& t : out.timers) {
      if (t.set) armed = t.token;
      else if (t.token == armed) armed = 0;
    }
    if (o.received.empty()) o.received = render(out);
    for (const auto& e : step.expect)
      if (!e.holds(out)) o.failed.push_back(e.text);
    o.passed = o.failed.empty();
    if (!o.passed) break;
  }
  if (auto* node = std::get_if<NodeReplica>(&replica)) node->release();
  return outcome;
}

}  // namespace model
