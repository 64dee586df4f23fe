#pragma once
// Checks for option values CLI11 would otherwise take strangely: it wraps -1
// around to a huge unsigned number, and reads "nan" as a number of seconds.
// Each failure becomes one line naming the option and the value.
#include <cmath>
#include <cstdlib>
#include <string>

#include <CLI/CLI.hpp>

#include "model/shard.h"

namespace tools {

inline CLI::Validator whole_number() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos) return {};
        return "must be a whole number, not " + s;
      },
      "");
}

inline CLI::Validator seconds() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(s.c_str(), &end);
        if (!s.empty() && end && *end == '\0' && std::isfinite(v) && v >= 0) return {};
        return "must be a number of seconds, 0 or more, not " + s;
      },
      "");
}

// "I/N" with 0 <= I < N (model::parse_shard), for --shard of check and sweep.
inline CLI::Validator shard_spec() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        if (model::parse_shard(s)) return {};
        return "must be I/N with 0 <= I < N, not " + s;
      },
      "");
}

}  // namespace tools
