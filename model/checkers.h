#pragma once
// The judges of a run. The simulator reports what honest replicas and
// clients do; the first broken invariant is kept as the run's violation.
// Each hook is O(1) and the state is bounded (windows keyed by sequence
// number), so checkers can run on every step of a million-request run.
#include <optional>
#include <vector>

#include "model/scenario.h"
#include "model/violation.h"
#include "pbft/effects.h"
#include "pbft/service.h"

namespace model {

class Checkers {
 public:
  explicit Checkers(const Scenario& s);

  // Agreement: no two honest replicas commit different requests at one
  // sequence number, in any views. Validity: only submitted or null requests.
  void on_commit(pbft::ReplicaId r, pbft::View v, pbft::Seq n, pbft::Digest d);
  // Integrity: in order, no gaps (but for state transfer), each request once.
  void on_execute(pbft::ReplicaId r, const pbft::Execution& e);
  void on_state_installed(pbft::ReplicaId r, pbft::Seq n, const pbft::ServiceState& state);
  // A replica's stable checkpoint moved: it never commits at or below it
  // again, so decisions below every honest replica's can be forgotten.
  void on_stable(pbft::ReplicaId r, pbft::Seq n);
  // Local sanity: an honest replica never signs two different messages of
  // one kind for one slot: PRE-PREPAREs (those in a NEW-VIEW's O too),
  // PREPAREs and COMMITs per view and sequence number, CHECKPOINTs per
  // sequence number, VIEW-CHANGEs and NEW-VIEWs per view, REPLYs per request.
  // Agreement on state: honest CHECKPOINTs for one sequence number carry one
  // state digest (replicas that executed through n have one state, §4.3),
  // which catches a diverged state where every commit agreed.
  void on_honest_send(pbft::ReplicaId r, const pbft::Message& m);
  // Clients: submissions (for validity and liveness) and accepted results.
  void on_submit(pbft::ClientId c, pbft::Timestamp t, std::uint64_t now_us);
  void on_client_accept(pbft::ClientId c, pbft::Timestamp t, std::uint64_t result);
  // Liveness, timed mode after GST: every request is accepted by its client
  // (f+1 matching replies) within the bound after max(GST, submission).
  // That is PBFT's guarantee; it does not promise that every honest replica
  // executes every request in bounded time (a replica that suspected the
  // primary alone waits for the next view change, catching up at
  // checkpoints), so the simulator reports that separately (all_executed).
  void check_liveness(std::uint64_t now_us, bool final);
  // An honest replica set a timer. The view-change backoff a replica reached
  // before GST is paid after it, so liveness is judged that much later.
  void on_honest_timer(pbft::ReplicaId r, std::uint64_t now_us, std::uint64_t delay_us);
  // What a deadline allows beyond the bound. PBFT promises progress after GST
  // only once the timers exceed the delays (§4.5.2), and a replica's timeout
  // doubles with each view that failed before GST, which the search makes
  // fail on purpose. So each honest replica may first wait out the backoff
  // it reached by GST (L: the longest timer set by GST, or the first each
  // sets after it; a replica need not have armed its timer at GST), then up
  // to f views with faulty primaries, each doubling it: L·(2^(f+1) − 1).
  std::uint64_t timer_credit_us() const;
  // The latest liveness deadline of a request not yet accepted (0: none, or
  // liveness not judged): a run goes on until it has passed, so every
  // submitted request is judged.
  std::uint64_t last_deadline_us() const;

  const std::optional<Violation>& violation() const { return violation_; }
  bool failed() const { return violation_.has_value(); }
  // Every honest replica has executed every submitted request.
  bool all_executed() const;

 private:
  void fail(ViolationKind k, pbft::ReplicaId r, pbft::View v, pbft::Seq n, std::string what);
  bool submitted(const pbft::Request& r) const;

  struct Vote {
    pbft::View view = 0;
    pbft::Seq seq = 0;
    pbft::Digest digest = pbft::kNoDigest;
  };
  struct ReplicaRecord {
    pbft::Seq last_executed = 0;
    pbft::Seq stable = 0;
    std::vector<pbft::Timestamp> applied;  // per client: last applied timestamp
    std::vector<Vote> pre_prepares, prepares, commits;  // rings keyed by seq
    std::vector<Vote> checkpoints;                      // ring keyed by seq / K
    pbft::ViewChangePtr view_change;  // the last one sent (views only grow)
    pbft::NewViewPtr new_view;
    std::vector<std::pair<pbft::Timestamp, std::uint64_t>> replies;  // per client: the last
  };
  void sane_vote(pbft::ReplicaId r, std::vector<Vote>& ring, std::size_t key, pbft::View v,
                 pbft::Seq n, pbft::Digest d, const char* what);
  void agree_on_state(pbft::ReplicaId r, pbft::Seq n, pbft::Digest state);
  // The first honest CHECKPOINT digest per checkpoint, a ring keyed by n / K
  // wide enough for replicas a few windows apart (a slot overwritten by a
  // later n is not compared: no false alarm, at worst a missed one).
  struct StateVote {
    pbft::Seq seq = 0;
    pbft::Digest digest = pbft::kNoDigest;
    pbft::ReplicaId replica = 0;
  };
  std::vector<StateVote> states_;
  struct Decision {
    pbft::Digest digest = pbft::kNoDigest;
    pbft::ReplicaId replica = 0;
    pbft::View view = 0;
  };
  struct Outstanding {
    pbft::Timestamp timestamp;
    std::uint64_t submitted_us;
  };

  const Scenario* scenario_;
  std::vector<bool> honest_;
  std::vector<ReplicaRecord> replicas_;
  // Decided digests for seqs from decided_base_ on; trimmed below every
  // honest replica's stable checkpoint.
  std::vector<Decision> decided_;  // decided_[i - decided_head_] is seq decided_base_ + i
  std::size_t decided_head_ = 0;
  pbft::Seq decided_base_ = 1;
  std::vector<pbft::Timestamp> submitted_;  // per client: highest timestamp submitted
  // Per client: requests not yet executed everywhere (liveness) and the
  // results honest replicas produced for recent timestamps (client consistency).
  // (Vectors with a head index: std::deque allocates even when empty, and
  // checkers are built for every one of millions of short runs.)
  struct ClientLog {
    std::vector<Outstanding> outstanding;  // submitted, not yet accepted
    std::size_t outstanding_head = 0;
    pbft::Timestamp accepted = 0;
    // Each request's result in the committed history, keyed by timestamp
    // (a ring: a client has far fewer requests in flight than its size).
    std::vector<std::pair<pbft::Timestamp, std::uint64_t>> results;
  };
  std::vector<ClientLog> clients_;
  std::optional<Violation> violation_;
  std::uint64_t backoff_at_gst_us_ = 0;  // L of timer_credit_us
  std::vector<bool> timer_after_gst_;     // per replica: its first timer after GST was seen
};

}  // namespace model
