// pbftsim conform: the conformance suite (model/conformance.h) against the
// built-in replica, a plug-in or a node command. One line per step: PASS
// with the input and what was expected, or FAIL with what was expected,
// what did not hold and what came back. Exit 0 when every scenario passes,
// 1 when one fails, 2 when the replica cannot be used at all.
#include <cstdio>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "model/conformance.h"
#include "tools/command.h"
#include "tools/help_lists.h"
#include "tools/output_file.h"
#include "tools/replica_option.h"

namespace tools {

namespace {

struct ConformOptions {
  ReplicaChoice replica;
  std::string mutation = "none";
  std::string scenario;  // empty: all
  std::string json;
  bool verbose = false;
};

nlohmann::json to_json(const model::ScenarioOutcome& s) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& st : s.steps)
    steps.push_back({{"step", st.index},
                     {"input", st.input},
                     {"passed", st.passed},
                     {"expected", st.expected},
                     {"failed", st.failed},
                     {"received", st.received}});
  return {{"scenario", s.name}, {"what", s.what}, {"passed", s.passed()}, {"steps_run", s.steps.size()},
          {"steps", s.total_steps}, {"detail", steps}};
}

void print(const model::ScenarioOutcome& s, bool verbose) {
  std::printf("%s %s: %s\n", s.passed() ? "PASS" : "FAIL", s.name.c_str(), s.what.c_str());
  for (const auto& st : s.steps) {
    const std::string where = fmt::format("{}/{}", st.index, s.total_steps);
    if (st.passed) {
      if (verbose)
        std::printf("  pass %s %s | expected %s | received %s\n", where.c_str(), st.input.c_str(),
                    fmt::format("{}", fmt::join(st.expected, "; ")).c_str(), st.received.c_str());
      continue;
    }
    std::printf("  FAIL %s %s | expected %s | did not hold: %s | received %s\n", where.c_str(), st.input.c_str(),
                fmt::format("{}", fmt::join(st.expected, "; ")).c_str(),
                fmt::format("{}", fmt::join(st.failed, "; ")).c_str(), st.received.c_str());
    if (st.index < s.total_steps)
      std::printf("  (%zu later steps not run: they assume this one)\n", s.total_steps - st.index);
  }
}

int run(const ConformOptions& o) {
  const auto mutation = pbft::parse_mutation(o.mutation);
  if (!mutation) throw model::InputError("--mutation: not in the bug catalog: " + o.mutation);
  const pbft::Config config = model::conformance_config(*mutation);
  std::vector<model::ConformScenario> scenarios = model::conformance_scenarios();
  if (!o.scenario.empty()) {
    std::erase_if(scenarios, [&](const auto& s) { return s.name != o.scenario; });
    if (scenarios.empty()) {
      std::vector<std::string> names;
      for (const auto& s : model::conformance_scenarios()) names.push_back(s.name);
      throw model::InputError(
          fmt::format("--scenario: no scenario {} (there are: {})", o.scenario, fmt::join(names, ", ")));
    }
  }
  std::optional<OutputFile> json_file;
  if (!o.json.empty()) json_file.emplace(o.json);
  const model::ReplicaImpl impl = load_replica(o.replica, config);
  std::printf("conform: %s, n = %u, f = %u, K = %u, L = %u%s\n", impl.description().c_str(), config.n, config.f,
              config.checkpoint_interval, config.watermark_window,
              *mutation == pbft::Mutation::none ? "" : fmt::format(", mutation {}", o.mutation).c_str());
  std::size_t passed = 0, steps = 0;
  nlohmann::json results = nlohmann::json::array();
  for (const auto& s : scenarios) {
    const model::ScenarioOutcome outcome = model::run_conformance_scenario(s, impl, config);
    print(outcome, o.verbose);
    std::fflush(stdout);
    passed += outcome.passed();
    steps += outcome.total_steps;
    results.push_back(to_json(outcome));
  }
  const bool all = passed == scenarios.size();
  std::printf("conform: %zu of %zu scenarios pass (%zu steps)%s\n", passed, scenarios.size(), steps,
              all ? "" : "; the first failing step of each is above");
  if (json_file)
    json_file->commit(nlohmann::json{{"replica", impl.name()},
                                     {"mutation", o.mutation},
                                     {"passed", all},
                                     {"scenarios", results}}
                          .dump(2) +
                      "\n");
  return all ? kOk : kViolation;
}

}  // namespace

void add_conform_command(CLI::App& app, int& status) {
  auto o = std::make_shared<ConformOptions>();
  auto* cmd = app.add_subcommand(
      "conform", "run the conformance suite on a replica: scripted scenarios (normal case, replies, checkpoints, "
                 "view changes, state transfer, rejections), one line per step, expected against received");
  add_replica_option(cmd, o->replica);
  cmd->add_option("--mutation", o->mutation, "bug-catalog entry the replica plants (the suite must then fail)")
      ->capture_default_str();
  cmd->add_option("--scenario", o->scenario, "run only this scenario");
  cmd->add_option("--json", o->json, "also write the results as JSON to this file");
  cmd->add_flag("--verbose", o->verbose, "print every step, passed ones too, with what came back");
  cmd->footer("\n" + mutations_help());
  cmd->callback([o, &status] { status = run(*o); });
}

}  // namespace tools
