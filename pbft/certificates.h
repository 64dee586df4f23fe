#pragma once
// Validation of the proofs replicas exchange during checkpoints and view
// changes, and the new primary's computation of O (§4.3, §4.4). Pure
// functions of the configuration, shared by the primary that builds a
// NEW-VIEW and the backups that check it.
#include <vector>

#include "pbft/config.h"
#include "pbft/messages.h"

namespace pbft {

// Views above this are rejected so that view arithmetic never overflows.
inline constexpr View kMaxView = View{1} << 60;
// Likewise for sequence numbers named by a peer.
inline constexpr Seq kMaxSeq = Seq{1} << 60;

// 2f+1 (the configured checkpoint quorum) CHECKPOINTs from distinct replicas
// for (seq, digest). Seq 0 is the initial state and needs no proof.
bool valid_checkpoint_proof(const Config& c, Seq seq, Digest digest,
                            const std::vector<Checkpoint>& proof);

// A pre-prepare from the primary of its view, for a view below `below`, a
// sequence number in (low, high], and 2f matching prepares from distinct backups.
bool valid_prepared_cert(const Config& c, const PreparedCert& cert, View below, Seq low,
                         Seq high);

// A VIEW-CHANGE whose checkpoint proof and prepared certificates all check out.
bool valid_view_change(const Config& c, const ViewChange& vc);

// The digest the stable checkpoint of a VIEW-CHANGE certifies (kNoDigest at 0).
Digest proven_digest(const ViewChange& vc);

struct NewViewPlan {
  Seq min_s = 0;  // the latest stable checkpoint in V
  Seq max_s = 0;  // the highest sequence number in a prepared certificate in V
  Digest min_s_digest = kNoDigest;
  std::vector<Checkpoint> min_s_proof;
  std::vector<PrePrepare> pre_prepares;  // O: one per seq in (min_s, max_s]
};

// Computes O from V: for each sequence number, the certificate with the
// highest view, or a null request where V has none. V must be valid.
NewViewPlan plan_new_view(const Config& c, View v, const std::vector<ViewChange>& V);

// Checks a NEW-VIEW: 2f+1 valid VIEW-CHANGEs for its view from distinct
// replicas, and O exactly as plan_new_view computes it.
bool valid_new_view(const Config& c, const NewView& nv);

}  // namespace pbft
