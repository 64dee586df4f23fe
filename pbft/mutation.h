#pragma once
// The bug catalog: each entry switches on one known bug class so the harness
// can show that it finds it. `none` is the correct protocol.
#include <optional>
#include <span>
#include <string_view>

namespace pbft {

enum class Mutation {
  none,
  prepare_quorum_short,       // prepared with 2f-1 prepares
  commit_quorum_short,        // committed-local with 2f commits
  prepare_ignores_digest,     // prepares counted whatever digest they carry
  accept_second_preprepare,   // a second pre-prepare for (v, n) replaces the first
  viewchange_drops_certs,     // VIEW-CHANGE carries no prepared certificates
  newview_ignores_highest,    // new primary picks the lowest-view certificate
  trust_claimed_sender,       // the replica field inside a message is believed
  checkpoint_stable_f1,       // a checkpoint is stable with f+1 matching votes
  execute_before_commit,      // executes once prepared, without the commit phase
  skip_newview_validation,    // backups accept any NEW-VIEW from the new primary
  newview_issues_before_o,    // a new primary numbers queued requests before installing O
  state_transfer_skips_proof, // a fetched state is installed without checking its proof
  execute_twice,              // the service executes a request it already executed
  reply_cache_stale,          // a retransmission gets the client's latest cached reply, whatever it was for
};

struct MutationInfo {
  Mutation mutation;
  std::string_view name;
  std::string_view rule;  // the rule of Castro & Liskov that the bug breaks
};

std::span<const MutationInfo> all_mutations();
std::string_view mutation_name(Mutation m);
std::optional<Mutation> parse_mutation(std::string_view name);

}  // namespace pbft
