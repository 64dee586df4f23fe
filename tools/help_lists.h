#pragma once
// The strategies and bug-catalog entries, one line each, for --help footers.
#include <string>

#include <fmt/format.h>

#include "model/scenario.h"
#include "pbft/mutation.h"

namespace tools {

inline std::string strategies_help() {
  std::string out = "Strategies (--strategy; mix draws one per faulty replica):\n";
  for (model::StrategyKind k : model::kAllStrategies)
    out += fmt::format("  {:<18} {}\n", model::strategy_name(k), model::strategy_summary(k));
  return out;
}

inline std::string mutations_help() {
  std::string out = "Bug catalog (--mutation; each breaks one rule of the paper):\n";
  for (const pbft::MutationInfo& m : pbft::all_mutations())
    out += fmt::format("  {:<25} {}\n", m.name, m.rule);
  return out;
}

}  // namespace tools
