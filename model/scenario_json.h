#pragma once
// Scenario <-> JSON, for trace headers and saved configurations. Reading
// checks every field and names the one that is wrong.
#include <nlohmann/json.hpp>

#include "model/errors.h"
#include "model/scenario.h"

namespace model {

nlohmann::json to_json(const Scenario& s);
Scenario scenario_from_json(const nlohmann::json& j);  // throws InputError

}  // namespace model
