#pragma once
// The strategies of model/strategies_powers.cpp, made by make_strategy.
#include <memory>

#include "model/strategy.h"

namespace model {

// The strategy for one of the power kinds (replay, repropose, forge-state,
// choose-newview, wrong-role); nullptr for any other kind.
std::unique_ptr<Strategy> make_power_strategy(StrategyKind kind, const pbft::Config& config, pbft::ReplicaId id);

}  // namespace model
