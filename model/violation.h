#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pbft/types.h"

namespace model {

enum class ViolationKind : std::uint8_t {
  agreement, validity, integrity, client_consistency, local_sanity, liveness,
};
std::string_view violation_name(ViolationKind k);
std::optional<ViolationKind> parse_violation(std::string_view name);

struct Violation {
  ViolationKind kind;
  std::string description;
  // Where it happened, for deduplication and for the minimizer's "same violation".
  pbft::ReplicaId replica = 0;
  pbft::View view = 0;
  pbft::Seq seq = 0;
};

}  // namespace model
