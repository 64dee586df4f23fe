#include "model/json_fields.h"

#include <fmt/format.h>

namespace model {

const nlohmann::json& JsonFields::field(const nlohmann::json& o, const char* key) const {
  if (!o.is_object() || !o.contains(key)) fail(fmt::format("no \"{}\" field", key));
  return o.at(key);
}

std::uint64_t JsonFields::number(const nlohmann::json& o, const char* key) const {
  const auto& v = field(o, key);
  if (!v.is_number_unsigned()) fail(fmt::format("\"{}\" must be a whole number", key));
  return v.get<std::uint64_t>();
}

std::uint32_t JsonFields::small(const nlohmann::json& o, const char* key) const {
  const std::uint64_t v = number(o, key);
  if (v > 0xffffffffULL) fail(fmt::format("\"{}\" is too large", key));
  return static_cast<std::uint32_t>(v);
}

double JsonFields::real(const nlohmann::json& o, const char* key) const {
  const auto& v = field(o, key);
  if (!v.is_number()) fail(fmt::format("\"{}\" must be a number", key));
  return v.get<double>();
}

std::string JsonFields::text(const nlohmann::json& o, const char* key) const {
  const auto& v = field(o, key);
  if (!v.is_string()) fail(fmt::format("\"{}\" must be a string", key));
  return v.get<std::string>();
}

bool JsonFields::flag(const nlohmann::json& o, const char* key) const {
  const auto& v = field(o, key);
  if (!v.is_boolean()) fail(fmt::format("\"{}\" must be true or false", key));
  return v.get<bool>();
}

}  // namespace model
