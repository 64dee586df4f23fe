#pragma once
// Scenario <-> JSON, for trace headers and saved configurations. Reading
// checks every field and names the one that is wrong.
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "model/scenario.h"

namespace model {

struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

nlohmann::json to_json(const Scenario& s);
Scenario scenario_from_json(const nlohmann::json& j);  // throws FormatError

}  // namespace model
