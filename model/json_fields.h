#pragma once
// Typed reads of a result document's fields (a check summary, a sweep
// result): each wrong or missing field is an InputError("name: what") that
// names the file and the field.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "model/scenario_json.h"

namespace model {

class JsonFields {
 public:
  explicit JsonFields(std::string name) : name_(std::move(name)) {}

  [[noreturn]] void fail(const std::string& what) const { throw InputError(name_ + ": " + what); }
  const nlohmann::json& field(const nlohmann::json& o, const char* key) const;
  std::uint64_t number(const nlohmann::json& o, const char* key) const;  // a whole number
  std::uint32_t small(const nlohmann::json& o, const char* key) const;   // one below 2^32
  double real(const nlohmann::json& o, const char* key) const;
  std::string text(const nlohmann::json& o, const char* key) const;
  bool flag(const nlohmann::json& o, const char* key) const;  // true or false

 private:
  std::string name_;
};

}  // namespace model
