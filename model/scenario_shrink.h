#pragma once
// The scenario half of minimization: simpler scenarios to try in place of a
// violating one (a smaller workload, a calm network, fewer or plainer faulty
// replicas, fewer replicas), most simplifying first. The minimizer keeps one
// only while the violation survives it.
#include <vector>

#include "model/scenario.h"

namespace model {

// Every candidate differs from `s`, is valid, and never adds faulty
// replicas, requests or network faults.
std::vector<Scenario> simpler_scenarios(const Scenario& s);

}  // namespace model
