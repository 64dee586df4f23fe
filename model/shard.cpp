#include "model/shard.h"

#include <charconv>

namespace model {

std::optional<Shard> parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  Shard s;
  const auto number = [](std::string_view t, std::uint64_t& v) {
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    return ec == std::errc{} && end == t.data() + t.size() && !t.empty();
  };
  if (!number(text.substr(0, slash), s.index) || !number(text.substr(slash + 1), s.count)) return std::nullopt;
  if (s.count < 1 || s.index >= s.count) return std::nullopt;
  return s;
}

std::string shard_text(const Shard& s) { return std::to_string(s.index) + "/" + std::to_string(s.count); }

std::uint64_t shard_size(const Shard& s, std::uint64_t end) {
  if (end <= s.index) return 0;
  return (end - s.index - 1) / s.count + 1;
}

}  // namespace model
