#include "model/minimizer.h"

#include "model/trace.h"

namespace model {

namespace {
// Picks past the end of a tape answer 0, so trailing zeros say nothing.
std::vector<std::uint32_t> trimmed(std::vector<std::uint32_t> tape) {
  while (!tape.empty() && tape.back() == 0) tape.pop_back();
  return tape;
}

class Search {
 public:
  Search(Minimized& best, ViolationKind kind, std::uint64_t max_runs)
      : best_(best), kind_(kind), max_runs_(max_runs) {}

  bool budget_left() const { return best_.runs < max_runs_; }

  // Runs the candidate; adopts it (with the picks it really consumed) when
  // it still shows the same kind of violation.
  bool try_candidate(const Scenario& s, const std::vector<std::uint32_t>& tape) {
    if (!budget_left()) return false;
    ++best_.runs;
    Tape t = Tape::from_values(tape);
    auto rec = run_recorded(s, t);
    if (!rec.result.violation || rec.result.violation->kind != kind_) return false;
    best_.scenario = s;
    best_.tape = trimmed(std::move(rec.tape));
    best_.result = std::move(rec.result);
    return true;
  }

  void delete_runs() {
    for (std::size_t chunk = best_.tape.size() / 2; chunk >= 1 && budget_left(); chunk /= 2) {
      for (std::size_t i = 0; i < best_.tape.size() && budget_left();) {
        auto candidate = best_.tape;
        candidate.erase(candidate.begin() + static_cast<std::ptrdiff_t>(i),
                        candidate.begin() + static_cast<std::ptrdiff_t>(std::min(i + chunk, candidate.size())));
        if (!try_candidate(best_.scenario, candidate)) i += chunk;
      }
    }
  }

  void lower_values() {
    for (std::size_t i = 0; i < best_.tape.size() && budget_left(); ++i) {
      for (std::uint32_t v = best_.tape[i]; v > 0 && i < best_.tape.size() && budget_left();) {
        auto candidate = best_.tape;
        candidate[i] = 0;
        if (try_candidate(best_.scenario, candidate)) break;
        candidate[i] = v / 2;
        if (!try_candidate(best_.scenario, candidate)) break;
        v = i < best_.tape.size() ? best_.tape[i] : 0;
      }
    }
  }

  bool shrink_workload() {
    Scenario s = best_.scenario;
    if (s.workload.requests_per_client > 1) {
      --s.workload.requests_per_client;
      if (try_candidate(s, best_.tape)) return true;
      s = best_.scenario;
    }
    if (s.workload.clients > 1) {
      --s.workload.clients;
      if (try_candidate(s, best_.tape)) return true;
    }
    return false;
  }

 private:
  Minimized& best_;
  ViolationKind kind_;
  std::uint64_t max_runs_;
};
}  // namespace

std::optional<Minimized> minimize(const Scenario& s, const std::vector<std::uint32_t>& tape,
                                  std::uint64_t max_runs) {
  Minimized best{s, {}, {}, 1};
  {
    Tape t = Tape::from_values(tape);
    auto rec = run_recorded(s, t);
    if (!rec.result.violation) return std::nullopt;
    best.tape = trimmed(std::move(rec.tape));
    best.result = std::move(rec.result);
  }
  Search search(best, best.result.violation->kind, max_runs);
  for (int round = 0; round < 4 && search.budget_left(); ++round) {
    const auto before = best.tape;
    const auto workload_before = best.scenario.workload.requests_per_client + best.scenario.workload.clients;
    search.delete_runs();
    search.lower_values();
    while (search.shrink_workload()) {
    }
    if (best.tape == before &&
        workload_before == best.scenario.workload.requests_per_client + best.scenario.workload.clients)
      break;  // a fixed point
  }
  return best;
}

}  // namespace model
