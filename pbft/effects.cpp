#include "pbft/effects.h"

namespace pbft {

const char* event_name(EventKind k) {
  switch (k) {
    case EventKind::prepared: return "prepared";
    case EventKind::committed: return "committed";
    case EventKind::checkpoint_stable: return "checkpoint_stable";
    case EventKind::view_change_start: return "view_change_start";
    case EventKind::new_view_entered: return "new_view";
    case EventKind::cert_carried: return "cert_carried";
    case EventKind::state_installed: return "state_installed";
    case EventKind::rejected: return "rejected";
  }
  return "?";
}

const char* rejection_name(Rejection r) {
  switch (r) {
    case Rejection::none: return "none";
    case Rejection::bad_sender: return "bad_sender";
    case Rejection::outside_watermarks: return "outside_watermarks";
    case Rejection::conflicting_pre_prepare: return "conflicting_pre_prepare";
    case Rejection::bad_digest: return "bad_digest";
    case Rejection::duplicate_vote: return "duplicate_vote";
    case Rejection::bad_certificate: return "bad_certificate";
    case Rejection::bad_new_view: return "bad_new_view";
    case Rejection::buffer_full: return "buffer_full";
    case Rejection::unknown_client: return "unknown_client";
    case Rejection::stale: return "stale";
  }
  return "?";
}

}  // namespace pbft
