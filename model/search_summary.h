#pragma once
// A search's result as data: what `pbftsim check --json` writes and what
// `pbftsim merge` reads back. N shards of one search merge into exactly the
// summary one machine would have written, except for the work figures
// (threads, seconds, deliveries), which add up.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/search.h"

namespace model {

struct FoundViolation {
  std::uint64_t schedule = 0;  // index; its tape seed is space.seed + schedule
  std::string kind;            // violation_name of the minimized run
  std::string found;           // as the schedule first showed it
  std::string description;     // as the written counterexample shows it
  std::string counterexample;  // path of the trace
  std::uint64_t choices = 0, deliveries = 0;  // of the counterexample
  friend bool operator==(const FoundViolation&, const FoundViolation&) = default;
};

struct SearchSummary {
  CheckSpace space;
  // Which replica was checked: "built-in", or a plug-in's own name (not its
  // path, which differs from machine to machine). Shards of one search agree.
  std::string replica = "built-in";
  std::optional<std::uint64_t> schedule_budget;  // none: until the time limit
  double time_limit_s = 0;
  Shard shard;
  unsigned threads = 1;
  std::uint64_t schedules = 0;   // SearchOutcome::schedules (merged: of the whole search)
  std::uint64_t deliveries = 0;  // work
  std::uint64_t stopped_by_steps = 0;  // SearchOutcome::stopped_by_steps
  double seconds = 0;            // work (merged: the longest shard)
  StopReason stopped_by = StopReason::schedules;
  std::optional<FoundViolation> violation;
};

nlohmann::json to_json(const SearchSummary& s);
// Throws InputError("name: what") on a summary it cannot use.
SearchSummary summary_from_json(const nlohmann::json& j, const std::string& name);

// Merges the summaries of shards 0..N-1 of one search (any order); throws
// InputError saying why they do not belong together. The caveat, when there
// is one: a shard that stopped early leaves the violation unproven as the
// smallest.
struct MergeResult {
  SearchSummary merged;
  std::optional<std::string> caveat;
};
MergeResult merge_shards(std::vector<SearchSummary> shards);

// The one-line result `check` and `merge` print (without the newline).
std::string result_line(const SearchSummary& s);

}  // namespace model
