// The environment variables: parsed strictly in one place, and every one of
// them documented in README.md.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "model/env_knobs.h"
#include "model/tests/input_error_of.h"
#include "model/violation.h"

namespace model {
namespace {

EnvLookup env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    const auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

const auto error_of = testing::input_error_of;

TEST(EnvKnobs, UnsetMeansTheDefaults) {
  const FuzzKnobs f = fuzz_knobs(env({}));
  EXPECT_FALSE(f.n);
  EXPECT_FALSE(f.mutation);
  EXPECT_EQ(f.abort_kinds, ~0u);
  EXPECT_TRUE(f.liveness);
  EXPECT_EQ(f.guidance, 2);
  EXPECT_EQ(f.traces, ".");
  const TestKnobs t = test_knobs(env({}));
  EXPECT_TRUE(t.property_sizes.empty());
  EXPECT_FALSE(t.catalog_seconds || t.catalog_cases || t.update_regressions);
  EXPECT_TRUE(t.replica_command.empty() && t.replica_library.empty());
}

TEST(EnvKnobs, ParsesEveryKnob) {
  const FuzzKnobs f = fuzz_knobs(env({{"PBFTSIM_FUZZ_N", "7"},
                                      {"PBFTSIM_FUZZ_MUTATION", "commit-quorum-short"},
                                      {"PBFTSIM_FUZZ_KINDS", "agreement,liveness"},
                                      {"PBFTSIM_FUZZ_LIVENESS", "0"},
                                      {"PBFTSIM_FUZZ_GUIDANCE", "1"},
                                      {"PBFTSIM_FUZZ_STOP_AT", "new_view"},
                                      {"PBFTSIM_FUZZ_TRACES", "/tmp/t"}}));
  EXPECT_EQ(f.n, 7u);
  EXPECT_EQ(f.mutation, pbft::Mutation::commit_quorum_short);
  EXPECT_EQ(f.abort_kinds, (1u << static_cast<unsigned>(*parse_violation("agreement"))) |
                               (1u << static_cast<unsigned>(*parse_violation("liveness"))));
  EXPECT_FALSE(f.liveness);
  EXPECT_EQ(f.guidance, 1);
  EXPECT_TRUE(f.milestones);  // STOP_AT reports milestones
  EXPECT_EQ(f.stop_at, "new_view");
  EXPECT_EQ(f.traces, "/tmp/t");
  const TestKnobs t = test_knobs(env({{"PBFTSIM_PROPERTY_SIZES", "4,7"},
                                      {"PBFTSIM_CATALOG_SECONDS", "2.5"},
                                      {"PBFTSIM_CATALOG_CASES", "100"},
                                      {"PBFTSIM_UPDATE_REGRESSIONS", "1"},
                                      {"PBFTSIM_REPLICA_CMD", "pbftsim node"}}));
  EXPECT_EQ(t.property_sizes, (std::vector<std::uint32_t>{4, 7}));
  EXPECT_EQ(t.catalog_seconds, 2.5);
  EXPECT_EQ(t.catalog_cases, 100u);
  EXPECT_TRUE(t.update_regressions);
  EXPECT_EQ(t.replica_command, "pbftsim node");
  EXPECT_EQ(test_knobs(env({{"PBFTSIM_REPLICA_LIB", "x.so"}})).replica_library, "x.so");
}

TEST(EnvKnobs, BadValuesAreOneLineNamingVariableAndValue) {
  const auto fuzz = [](std::string name, std::string value) {
    return error_of([&] { fuzz_knobs(env({{name, value}})); });
  };
  const auto tests = [](std::string name, std::string value) {
    return error_of([&] { test_knobs(env({{name, value}})); });
  };
  EXPECT_EQ(fuzz("PBFTSIM_FUZZ_N", "5"), "PBFTSIM_FUZZ_N=5: must be 4 or 7");
  EXPECT_EQ(fuzz("PBFTSIM_FUZZ_KINDS", "agreement,oops"), "PBFTSIM_FUZZ_KINDS=agreement,oops: unknown violation kind \"oops\"");
  EXPECT_NE(fuzz("PBFTSIM_FUZZ_MUTATION", "nope").find("PBFTSIM_FUZZ_MUTATION=nope: must be a bug-catalog entry"), std::string::npos);
  EXPECT_EQ(fuzz("PBFTSIM_FUZZ_GUIDANCE", "3"), "PBFTSIM_FUZZ_GUIDANCE=3: must be 0, 1 or 2");
  EXPECT_EQ(fuzz("PBFTSIM_FUZZ_LIVENESS", "no"), "PBFTSIM_FUZZ_LIVENESS=no: must be 0 or 1");
  EXPECT_NE(tests("PBFTSIM_PROPERTY_SIZES", "4,x").find("PBFTSIM_PROPERTY_SIZES=4,x: must be a comma-separated list"), std::string::npos);
  EXPECT_NE(tests("PBFTSIM_PROPERTY_SIZES", "4,65").find("PBFTSIM_PROPERTY_SIZES=4,65: must be"), std::string::npos);
  EXPECT_EQ(tests("PBFTSIM_CATALOG_SECONDS", "nan"), "PBFTSIM_CATALOG_SECONDS=nan: must be seconds, 0 or more");
  EXPECT_EQ(error_of([] { test_knobs(env({{"PBFTSIM_REPLICA_CMD", "n"}, {"PBFTSIM_REPLICA_LIB", "x.so"}})); }),
            "PBFTSIM_REPLICA_CMD and PBFTSIM_REPLICA_LIB: set one, not both");
  EXPECT_EQ(tests("PBFTSIM_CATALOG_CASES", "-1"), "PBFTSIM_CATALOG_CASES=-1: must be a whole number of cases");
}

TEST(EnvKnobs, EveryKnobIsInTheReadme) {
  std::ifstream in(PBFTSIM_SOURCE_DIR "/README.md");
  ASSERT_TRUE(in) << "cannot read README.md";
  std::stringstream text;
  text << in.rdbuf();
  for (const EnvKnob& k : env_knobs()) {
    std::string quoted(1, '`');
    quoted.append(k.name).push_back('`');
    EXPECT_NE(text.str().find(quoted), std::string::npos) << k.name << " is not in README.md";
  }
}

}  // namespace
}  // namespace model
