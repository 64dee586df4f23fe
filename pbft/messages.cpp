#include "pbft/messages.h"

#include "pbft/hash.h"
#include "pbft/service.h"

namespace pbft {

Digest digest_of(const Request& r) {
  // One bijective mix per field: every delivery of a request or a
  // certificate recomputes this.
  Digest d = mix64(mix64(mix64(0x7265717565737421ULL ^ r.client) ^ r.timestamp) ^ r.operation);
  if (d == kNoDigest || d == kNullDigest) d ^= 0x5a5a5a5a5a5a5a5aULL;
  return d;
}

bool operator==(const StateTransfer& a, const StateTransfer& b) {
  if (a.seq != b.seq || a.replica != b.replica || a.proof != b.proof) return false;
  if (!a.state || !b.state) return a.state == b.state;
  return *a.state == *b.state;
}

const char* kind_name(MessageKind k) {
  switch (k) {
    case MessageKind::request: return "REQUEST";
    case MessageKind::pre_prepare: return "PRE-PREPARE";
    case MessageKind::prepare: return "PREPARE";
    case MessageKind::commit: return "COMMIT";
    case MessageKind::reply: return "REPLY";
    case MessageKind::checkpoint: return "CHECKPOINT";
    case MessageKind::view_change: return "VIEW-CHANGE";
    case MessageKind::new_view: return "NEW-VIEW";
    case MessageKind::fetch_state: return "FETCH-STATE";
    case MessageKind::state_transfer: return "STATE";
    case MessageKind::status: return "STATUS";
  }
  return "?";
}

namespace {
template <class T>
bool deep_equal(const std::shared_ptr<const T>& a, const std::shared_ptr<const T>& b) {
  if (a == b) return true;
  if (!a || !b) return false;
  return *a == *b;
}
}  // namespace

bool same_message(const Message& a, const Message& b) {
  if (a.index() != b.index()) return false;
  if (auto* vc = std::get_if<ViewChangePtr>(&a)) return deep_equal(*vc, std::get<ViewChangePtr>(b));
  if (auto* nv = std::get_if<NewViewPtr>(&a)) return deep_equal(*nv, std::get<NewViewPtr>(b));
  return a == b;
}

ReplicaId claimed_sender(const Message& m) {
  return std::visit(
      [](const auto& x) -> ReplicaId {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Request>) return 0;
        else if constexpr (std::is_same_v<T, ViewChangePtr> || std::is_same_v<T, NewViewPtr>)
          return x ? x->replica : 0;
        else return x.replica;
      },
      m);
}

}  // namespace pbft
