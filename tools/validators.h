#pragma once
// Checks for option values CLI11 would otherwise take strangely: it wraps -1
// around to a huge unsigned number, turns a number past 2^64 - 1 into
// 2^64 - 1 without a word, and reads "nan" as a number of seconds.
// Each failure becomes one line naming the option and the value.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <system_error>

#include <CLI/CLI.hpp>

#include "model/shard.h"

namespace tools {

inline CLI::Validator whole_number() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
          return "must be a whole number, not " + s;
        std::uint64_t value = 0;
        if (std::from_chars(s.data(), s.data() + s.size(), value).ec == std::errc::result_out_of_range)
          return "must be at most 18446744073709551615 (2^64 - 1), not " + s;
        return {};
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
