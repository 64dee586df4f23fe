// Receiver-based retransmission (Castro's thesis, §5.2). A replica that
// rejected messages it may need later — above its high watermark, or over
// its buffer cap for a view it had not entered — says what it has once its
// window moved or it entered the view; each peer answers with its own
// messages the asker lacks. Without this the slot stalled until the next
// view change. STATUS is sent only after a miss, so a run without misses
// sends none and the simulation still quiesces.
#include <algorithm>

#include "pbft/replica.h"

namespace pbft {

void Replica::ask_for_retransmission(Effects& out) {
  if (!missed_messages_ || in_view_change_) return;  // the view's own messages come after NEW-VIEW
  missed_messages_ = false;
  broadcast(Status{view_, h_, last_executed_, id_}, out);
}

void Replica::handle_status(ReplicaId from, const Status& m, Effects& out) {
  if (m.replica != from) return reject(Rejection::bad_sender, out);
  const Destination to = Destination::replica(from);
  // Checkpoints above the asker's: they move its window, or (f+1 of them
  // beyond it) make it fetch the state.
  if (h_ > m.stable_seq && stable_digest_ != kNoDigest)
    out.sends.push_back({to, Checkpoint{h_, stable_digest_, id_}});
  for (const auto& own : own_checkpoints_)
    if (own.seq > m.stable_seq) out.sends.push_back({to, Checkpoint{own.seq, own.digest, id_}});
  // The normal case of this view above what the asker executed.
  if (m.view != view_ || in_view_change_) return;
  for (Seq n = std::max(m.last_executed, h_) + 1; n <= high_watermark(); ++n) {
    const Slot* s = find_slot(n);
    if (!s || !s->has_pre_prepare) continue;
    if (is_primary()) out.sends.push_back({to, s->pre_prepare});
    else out.sends.push_back({to, Prepare{view_, n, s->pre_prepare.digest, id_}});
    if (s->sent_commit) out.sends.push_back({to, Commit{view_, n, s->pre_prepare.digest, id_}});
  }
}

}  // namespace pbft
