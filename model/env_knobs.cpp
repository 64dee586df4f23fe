#include "model/env_knobs.h"

#include <cctype>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "model/violation.h"
#include "pbft/config.h"

namespace model {

namespace {

constexpr EnvKnob kKnobs[] = {
    {"PBFTSIM_FUZZ_N", "4 | 7", "schedule fuzzers: pin the group size"},
    {"PBFTSIM_FUZZ_MUTATION", "a catalog entry", "schedule fuzzers: switch a bug-catalog entry on"},
    {"PBFTSIM_FUZZ_KINDS", "kind,kind,...", "schedule fuzzers: abort only on these violation kinds"},
    {"PBFTSIM_FUZZ_LIVENESS", "0 | 1", "schedule fuzzers: 0 judges safety only"},
    {"PBFTSIM_FUZZ_GUIDANCE", "0 | 1 | 2", "schedule fuzzers: protocol-state counters (2: all, the default)"},
    {"PBFTSIM_FUZZ_MILESTONES", "0 | 1", "schedule fuzzers: print when each protocol milestone is first reached"},
    {"PBFTSIM_FUZZ_STOP_AT", "a milestone", "schedule fuzzers: exit 0 once that milestone is reached (measurements)"},
    {"PBFTSIM_FUZZ_TRACES", "a directory", "schedule fuzzers: where violation traces go (default .)"},
    {"PBFTSIM_PROPERTY_SIZES", "n,n,...", "property tests: the group sizes drawn (default 4,5,7,10)"},
    {"PBFTSIM_CATALOG_SECONDS", "seconds", "catalog searches: time budget per entry"},
    {"PBFTSIM_CATALOG_CASES", "a count", "catalog searches: case budget per entry"},
    {"PBFTSIM_UPDATE_REGRESSIONS", "0 | 1", "catalog searches: 1 stores each found entry's trace in corpus/regressions/ (the only way tests write there)"},
    {"PBFTSIM_REPLICA_CMD", "a shell command", "property tests: run the honest replicas as node processes (--replica-cmd)"},
    {"PBFTSIM_REPLICA_LIB", "a .so path", "property tests: run the honest replicas from a plug-in (--replica-lib)"},
};

[[noreturn]] void bad(std::string_view name, std::string_view value, std::string_view allowed) {
  throw InputError(fmt::format("{}={}: must be {}", name, value, allowed));
}

// The value, or nullopt when the variable is unset or empty.
std::optional<std::string> get(const EnvLookup& lookup, const char* name) {
  const char* v = lookup(name);
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

std::optional<std::uint64_t> whole(const std::string& v) {
  std::uint64_t out = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc{} || end != v.data() + v.size() || v.empty()) return std::nullopt;
  return out;
}

bool flag(const EnvLookup& lookup, const char* name, bool fallback) {
  const auto v = get(lookup, name);
  if (!v) return fallback;
  if (*v != "0" && *v != "1") bad(name, *v, "0 or 1");
  return *v == "1";
}

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start <= list.size();) {
    std::size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    out.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

std::span<const EnvKnob> env_knobs() { return kKnobs; }

FuzzKnobs fuzz_knobs(const EnvLookup& lookup) {
  FuzzKnobs k;
  if (const auto v = get(lookup, "PBFTSIM_FUZZ_N")) {
    if (*v != "4" && *v != "7") bad("PBFTSIM_FUZZ_N", *v, "4 or 7");
    k.n = *v == "4" ? 4u : 7u;
  }
  if (const auto v = get(lookup, "PBFTSIM_FUZZ_MUTATION")) {
    k.mutation = pbft::parse_mutation(*v);
    if (!k.mutation) bad("PBFTSIM_FUZZ_MUTATION", *v, "a bug-catalog entry (pbftsim check --help lists them)");
  }
  if (const auto v = get(lookup, "PBFTSIM_FUZZ_KINDS")) {
    k.abort_kinds = 0;
    for (const std::string& name : split(*v)) {
      const auto kind = parse_violation(name);
      if (!kind) throw InputError(fmt::format("PBFTSIM_FUZZ_KINDS={}: unknown violation kind \"{}\"", *v, name));
      k.abort_kinds |= 1u << static_cast<unsigned>(*kind);
    }
  }
  k.liveness = flag(lookup, "PBFTSIM_FUZZ_LIVENESS", true);
  if (const auto v = get(lookup, "PBFTSIM_FUZZ_GUIDANCE")) {
    if (*v != "0" && *v != "1" && *v != "2") bad("PBFTSIM_FUZZ_GUIDANCE", *v, "0, 1 or 2");
    k.guidance = (*v)[0] - '0';
  }
  k.milestones = flag(lookup, "PBFTSIM_FUZZ_MILESTONES", false);
  if (const auto v = get(lookup, "PBFTSIM_FUZZ_STOP_AT")) {
    k.stop_at = *v;
    k.milestones = true;
  }
  if (const auto v = get(lookup, "PBFTSIM_FUZZ_TRACES")) k.traces = *v;
  return k;
}

TestKnobs test_knobs(const EnvLookup& lookup) {
  TestKnobs k;
  if (const auto v = get(lookup, "PBFTSIM_PROPERTY_SIZES")) {
    const std::string allowed = fmt::format("a comma-separated list of group sizes in 1..{}", pbft::kMaxReplicas);
    for (const std::string& item : split(*v)) {
      const auto n = whole(item);
      if (!n || *n < 1 || *n > pbft::kMaxReplicas) bad("PBFTSIM_PROPERTY_SIZES", *v, allowed);
      k.property_sizes.push_back(static_cast<std::uint32_t>(*n));
    }
  }
  if (const auto v = get(lookup, "PBFTSIM_CATALOG_SECONDS")) {
    char* end = nullptr;
    const double s = std::strtod(v->c_str(), &end);
    const bool plain = std::isdigit(static_cast<unsigned char>((*v)[0])) && v->find_first_of("xXeEpP") == std::string::npos;
    if (!plain || end != v->c_str() + v->size() || !std::isfinite(s) || s < 0) bad("PBFTSIM_CATALOG_SECONDS", *v, "seconds, 0 or more");
    k.catalog_seconds = s;
  }
  if (const auto v = get(lookup, "PBFTSIM_CATALOG_CASES")) {
    k.catalog_cases = whole(*v);
    if (!k.catalog_cases) bad("PBFTSIM_CATALOG_CASES", *v, "a whole number of cases");
  }
  k.update_regressions = flag(lookup, "PBFTSIM_UPDATE_REGRESSIONS", false);
  if (const auto v = get(lookup, "PBFTSIM_REPLICA_CMD")) k.replica_command = *v;
  if (const auto v = get(lookup, "PBFTSIM_REPLICA_LIB")) k.replica_library = *v;
  if (!k.replica_command.empty() && !k.replica_library.empty())
    throw InputError("PBFTSIM_REPLICA_CMD and PBFTSIM_REPLICA_LIB: set one, not both");
  return k;
}

}  // namespace model
