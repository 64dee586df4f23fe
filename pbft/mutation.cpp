#include "pbft/mutation.h"

#include <array>

namespace pbft {

namespace {
constexpr std::array kCatalog{
    MutationInfo{Mutation::none, "none", "the correct protocol"},
    MutationInfo{Mutation::prepare_quorum_short, "prepare-quorum-short",
                 "prepared(m,v,n,i) needs 2f prepares from distinct backups (§4.2)"},
    MutationInfo{Mutation::commit_quorum_short, "commit-quorum-short",
                 "committed-local needs 2f+1 matching commits (§4.2)"},
    MutationInfo{Mutation::prepare_ignores_digest, "prepare-ignores-digest",
                 "prepares must match the pre-prepare's view, number and digest (§4.2)"},
    MutationInfo{Mutation::accept_second_preprepare, "accept-second-preprepare",
                 "a backup accepts no pre-prepare for (v,n) with a different digest (§4.2)"},
    MutationInfo{Mutation::viewchange_drops_certs, "viewchange-drops-certs",
                 "VIEW-CHANGE carries P, the prepared certificates above h (§4.4)"},
    MutationInfo{Mutation::newview_ignores_highest, "newview-ignores-highest",
                 "NEW-VIEW re-issues the certificate with the highest view for each n (§4.4)"},
    MutationInfo{Mutation::trust_claimed_sender, "trust-claimed-sender",
                 "votes count only from authenticated senders (signatures, §4.1)"},
    MutationInfo{Mutation::checkpoint_stable_f1, "checkpoint-stable-f1",
                 "a checkpoint is stable with 2f+1 matching CHECKPOINTs (§4.3)"},
    MutationInfo{Mutation::execute_before_commit, "execute-before-commit",
                 "requests execute only when committed-local (§4.2)"},
    MutationInfo{Mutation::skip_newview_validation, "skip-newview-validation",
                 "backups check NEW-VIEW's V and recompute O before accepting it (§4.4)"},
    MutationInfo{Mutation::newview_issues_before_o, "newview-issues-before-o",
                 "a new primary assigns new sequence numbers only after max-s, once O is installed (§4.4)"},
    MutationInfo{Mutation::state_transfer_skips_proof, "state-transfer-skips-proof",
                 "a fetched state is installed only when 2f+1 CHECKPOINTs certify its digest (§4.3, §5.3.2)"},
    MutationInfo{Mutation::execute_twice, "execute-twice",
                 "a request executes at most once: the service skips a timestamp it already executed (§4.1)"},
    MutationInfo{Mutation::reply_cache_stale, "reply-cache-stale",
                 "a retransmitted request is answered only with its own cached reply (§4.1)"},
};
}  // namespace

std::span<const MutationInfo> all_mutations() { return kCatalog; }

std::string_view mutation_name(Mutation m) {
  for (const auto& info : kCatalog)
    if (info.mutation == m) return info.name;
  return "unknown";
}

std::optional<Mutation> parse_mutation(std::string_view name) {
  for (const auto& info : kCatalog)
    if (info.name == name) return info.mutation;
  return std::nullopt;
}

}  // namespace pbft
