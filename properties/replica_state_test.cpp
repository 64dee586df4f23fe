// Stateful property (rc::state): a single pbft::Replica, a backup in view 0,
// receives generated PRE-PREPAREs, PREPAREs and COMMITs — from the primary
// or not, with the right or a forged replica field, for the current or a
// later view, inside or outside the watermarks, with matching, conflicting,
// null or malformed digests, duplicates included — and after each delivery
// must do exactly what ReplicaModel predicts: the same rejection reason (an
// EventKind::rejected event), or acceptance with the same prepared /
// committed transitions, PREPARE / COMMIT broadcasts and executions, and the
// same accepted_digest / prepared / committed / buffered_messages state.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <algorithm>

#include "pbft/replica.h"
#include "properties/gen_choose.h"
#include "properties/rc_search.h"
#include "properties/replica_model.h"

namespace props {
namespace {

struct Sut {
  pbft::Replica replica;
  pbft::Effects fx;
};

using Cmd = rc::state::Command<ReplicaModel, Sut>;

std::vector<pbft::Seq> events_of(const pbft::Effects& fx, pbft::EventKind k) {
  std::vector<pbft::Seq> out;
  for (const auto& e : fx.events)
    if (e.kind == k) out.push_back(e.seq);
  return out;
}

template <class M>
bool broadcast_of(const pbft::Effects& fx, const M& expected) {
  return std::any_of(fx.sends.begin(), fx.sends.end(), [&](const pbft::Send& s) {
    const M* m = std::get_if<M>(&s.message);
    return m && *m == expected && s.to == pbft::Destination::all();
  });
}

template <class M>
std::size_t count_sends(const pbft::Effects& fx) {
  return static_cast<std::size_t>(std::count_if(fx.sends.begin(), fx.sends.end(),
                                                [](const pbft::Send& s) { return std::holds_alternative<M>(s.message); }));
}

struct Deliver final : Cmd {
  Delivery d;

  explicit Deliver(const ReplicaModel& m) {
    namespace gen = rc::gen;
    const std::uint32_t n = m.config.n;
    const std::uint32_t L = m.config.watermark_window;
    d.type = *gen::weightedOneOf<MsgType>({{2, gen::just(MsgType::pre_prepare)},
                                           {3, gen::just(MsgType::prepare)},
                                           {3, gen::just(MsgType::commit)}});
    // Pre-prepares mostly from the primary, votes from anyone: slots fill up.
    const pbft::ReplicaId primary = m.config.primary(0);
    d.from = d.type == MsgType::pre_prepare
                 ? *gen::weightedOneOf<std::uint32_t>({{4, gen::just(primary)}, {1, gen::inRange<std::uint32_t>(0, n)}})
                 : *gen::inRange<std::uint32_t>(0, n);
    // Mostly the true sender in the replica field; sometimes another replica's id.
    d.claimed = *gen::weightedOneOf<std::uint32_t>({{12, gen::just(d.from)}, {1, gen::inRange<std::uint32_t>(0, n)}});
    d.view = *gen::weightedOneOf<pbft::View>(
        {{16, gen::just<pbft::View>(0)}, {2, gen::inRange<pbft::View>(1, 3)}, {1, gen::just<pbft::View>(4 * n + 1)}});
    // Mostly the first sequence numbers, so that slots prepare and commit
    // (and execute in order); now and then 0 or beyond the high watermark.
    d.seq = *gen::weightedOneOf<pbft::Seq>({{12, gen::just<pbft::Seq>(1)},
                                             {6, gen::just<pbft::Seq>(2)},
                                             {3, gen::inRange<pbft::Seq>(1, L + 1)},
                                             {1, choose<pbft::Seq>({0, L + 1, L + 2})}});
    d.digest = *gen::weightedElement<DigestChoice>({{20, DigestChoice::a},
                                                    {3, DigestChoice::b},
                                                    {1, DigestChoice::null},
                                                    {1, DigestChoice::mismatch},
                                                    {1, DigestChoice::bad_client},
                                                    {1, DigestChoice::none}});
  }

  void apply(ReplicaModel& m) const override { m.deliver(d); }

  void run(const ReplicaModel& m, Sut& sut) const override {
    ReplicaModel next = m;
    const Outcome want = next.deliver(d);
    sut.fx.clear();
    sut.replica.on_message(d.from, to_message(m.config, d), sut.fx);
    const auto& fx = sut.fx;

    const auto rejections = [&] {
      std::vector<pbft::Rejection> r;
      for (const auto& e : fx.events)
        if (e.kind == pbft::EventKind::rejected) r.push_back(e.detail);
      return r;
    }();
    if (want.rejected) {
      RC_ASSERT(rejections == std::vector<pbft::Rejection>{*want.rejected});
      RC_ASSERT(fx.sends.empty());
    } else {
      RC_ASSERT(rejections.empty());
    }
    RC_ASSERT(events_of(fx, pbft::EventKind::prepared) == want.prepared);
    RC_ASSERT(events_of(fx, pbft::EventKind::committed) == want.committed);
    std::vector<pbft::Seq> executed;
    for (const auto& e : fx.executions) executed.push_back(e.seq);
    RC_ASSERT(executed == want.executed);

    // What it sends: a PREPARE for an accepted pre-prepare, a COMMIT once
    // prepared, nothing else of either kind.
    const pbft::Seq n = d.seq;
    if (want.sent_prepare) {
      RC_ASSERT(broadcast_of(fx, pbft::Prepare{0, n, *next.slots[n].pre_prepare, m.id}));
    }
    RC_ASSERT(count_sends<pbft::Prepare>(fx) == (want.sent_prepare ? 1u : 0u));
    RC_ASSERT(count_sends<pbft::Commit>(fx) == want.prepared.size());
    for (pbft::Seq p : want.prepared) RC_ASSERT(broadcast_of(fx, pbft::Commit{0, p, *next.slots[p].pre_prepare, m.id}));

    // The accessors agree with the model everywhere.
    const pbft::Replica& r = sut.replica;
    RC_ASSERT(r.view() == 0u);
    RC_ASSERT(!r.in_view_change());
    RC_ASSERT(r.buffered_messages() == next.buffered);
    RC_ASSERT(r.last_executed() == next.last_executed);
    for (pbft::Seq s = 0; s <= m.config.watermark_window + 2; ++s) {
      const bool inside = s >= 1 && s <= m.config.watermark_window;
      const std::optional<pbft::Digest> got = r.accepted_digest(s);
      const bool want_digest = inside && next.slots[s].pre_prepare.has_value();
      RC_ASSERT(got.has_value() == want_digest);
      if (want_digest) RC_ASSERT(*got == *next.slots[s].pre_prepare);
      RC_ASSERT(r.prepared(s) == (inside && next.slots[s].prepared));
      RC_ASSERT(r.committed(s) == (inside && next.slots[s].committed));
    }
  }

  void show(std::ostream& os) const override { os << d; }
};

}  // namespace

namespace {
void check_replica_against_model(pbft::Mutation mutation) {
  const std::uint32_t n = *choose<std::uint32_t>({4, 5, 7});
  pbft::Config config = pbft::make_config(n);
  config.checkpoint_interval = *choose<std::uint32_t>({2, 1, 4});
  config.watermark_window = config.checkpoint_interval * *choose<std::uint32_t>({2, 3});
  // A small buffer share as well, so the per-sender cap is reached.
  config.max_buffered = *choose<std::uint32_t>({256, 8});
  config.mutation = mutation;  // the model always predicts the correct protocol
  const pbft::ReplicaId id = *rc::gen::inRange<std::uint32_t>(1, n);
  ReplicaModel model(config, id);
  Sut sut{pbft::Replica(config, id), {}};
  rc::state::check(model, sut, rc::state::gen::execOneOfWithArgs<Deliver>());
  const pbft::Replica& r = sut.replica;
  RC_TAG(r.last_executed() > 1 ? "executed 2+" : r.last_executed() == 1 ? "executed 1"
         : r.committed(1) || r.committed(2) ? "committed"
         : r.prepared(1) || r.prepared(2) ? "prepared"
         : r.accepted_digest(1) || r.accepted_digest(2) ? "pre-prepared" : "nothing accepted");
}
}  // namespace

RC_GTEST_PROP(ReplicaModelCheck, BackupAcceptsExactlyWhatTheModelPredicts, ()) {
  check_replica_against_model(pbft::Mutation::none);
}

// The model is not blind: each normal-case bug of the catalog makes the
// replica disagree with it within a few hundred generated command sequences.
TEST(ReplicaModelCheck, DisagreesWithEveryNormalCaseMutation) {
  for (auto m : {pbft::Mutation::prepare_quorum_short, pbft::Mutation::commit_quorum_short,
                 pbft::Mutation::prepare_ignores_digest, pbft::Mutation::accept_second_preprepare,
                 pbft::Mutation::trust_claimed_sender, pbft::Mutation::execute_before_commit}) {
    const int cases = rc_fails([m] { check_replica_against_model(m); }, 1000);
    EXPECT_GT(cases, 0) << pbft::mutation_name(m) << ": the replica agreed with the model in 1000 cases";
    std::printf("%s: the replica disagrees with the model after %d cases\n", std::string(pbft::mutation_name(m)).c_str(),
                cases);
  }
}

}  // namespace props
