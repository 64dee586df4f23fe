#pragma once
// A sweep's result as JSON, read back, and the results of N shards
// (`sweep --shard I/N`) merged into exactly what one machine would have
// written: the counts add up and the latencies (kept whole in the JSON, so
// that percentiles merge exactly) join.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/sweep.h"

namespace model {

std::string sweep_json(const SweepResult& r);
// Throws FormatError("name: what") on a document it cannot use.
SweepResult sweep_from_json(const nlohmann::json& j, const std::string& name);

struct SweepMerge {
  std::optional<SweepResult> merged;
  std::string error;  // why the shards do not make one sweep
};
SweepMerge merge_sweeps(std::vector<SweepResult> shards);

}  // namespace model
