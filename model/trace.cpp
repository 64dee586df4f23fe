#include "model/trace.h"

#include <cassert>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "model/scenario_json.h"
#include "model/scenario_limits.h"

namespace model {

using nlohmann::json;

namespace {
std::string hex(std::uint64_t v) { return fmt::format("{:016x}", v); }

// Formatted directly (every field is a number or a fixed identifier, so
// nothing needs escaping): building a json object per event made tracing
// dozens of times slower than the run itself.
void append_endpoint(fmt::memory_buffer& out, const char* key, std::uint32_t id) {
  if (id == kNobody) return;
  if (const Endpoint e = Endpoint::unpack(id); e.is_client())
    fmt::format_to(std::back_inserter(out), ",\"{}\":\"c{}\"", key, e.id);
  else fmt::format_to(std::back_inserter(out), ",\"{}\":{}", key, id);
}

// "t" (virtual time) only in the timed network: async has no time.
void append_event_line(fmt::memory_buffer& out, const TraceEvent& e, bool timed) {
  auto it = std::back_inserter(out);
  if (timed) fmt::format_to(it, "{{\"step\":{},\"t\":{},\"ev\":\"{}\"", e.step, e.time_us, event_type_name(e.type));
  else fmt::format_to(it, "{{\"step\":{},\"ev\":\"{}\"", e.step, event_type_name(e.type));
  append_endpoint(out, "from", e.from);
  append_endpoint(out, "to", e.to);
  if (e.type == EventType::send || e.type == EventType::deliver || e.type == EventType::drop)
    fmt::format_to(it, ",\"msg\":\"{}\"", pbft::kind_name(e.kind));
  fmt::format_to(it, ",\"view\":{},\"seq\":{}", e.view, e.seq);
  if (e.digest == pbft::kNullDigest) fmt::format_to(it, ",\"digest\":\"null\"");
  else fmt::format_to(it, ",\"digest\":\"{:016x}\"", e.digest);
  if (e.type == EventType::violation)
    fmt::format_to(it, ",\"kind\":\"{}\"}}\n", violation_name(static_cast<ViolationKind>(e.extra)));
  else fmt::format_to(it, ",\"x\":{}}}\n", e.extra);
}

bool known_event(const std::string& name) {
  for (int t = 0; t <= static_cast<int>(EventType::violation); ++t)
    if (name == event_type_name(static_cast<EventType>(t))) return true;
  return false;
}
}  // namespace

std::string trace_line(const TraceEvent& e, bool timed) {
  fmt::memory_buffer out;
  append_event_line(out, e, timed);
  return std::string(out.data(), out.size() - 1);  // without its newline
}

TraceWriter::TraceWriter(std::string path, const Scenario& s, std::vector<std::uint32_t> tape)
    : path_(std::move(path)), tmp_(path_ + ".tmp"), timed_(s.network.mode == NetworkMode::timed) {
  file_ = std::fopen(tmp_.c_str(), "w");
  if (!file_) throw InputError(fmt::format("{}: cannot write: {}", path_, std::strerror(errno)));
  json header{{"format", "pbftsim-trace"}, {"version", kTraceVersion}, {"scenario", to_json(s)}, {"tape", tape}};
  if (const auto replica = record_replica(s.replica)) header["replica"] = to_json(*replica);
  std::fputs(header.dump().c_str(), file_);
  std::fputc('\n', file_);
}

TraceWriter::~TraceWriter() {
  if (file_) {  // not finished: leave nothing behind
    std::fclose(file_);
    std::remove(tmp_.c_str());
  }
}

void TraceWriter::on_event(const TraceEvent& e) {
  assert(file_ && "an event after finish()");
  buffer_.clear();
  append_event_line(buffer_, e, timed_);
  std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
}

void TraceWriter::finish(const RunResult& r) {
  assert(file_ && "finish() twice");
  write_end({{"ev", "end"},
             {"verdict", r.violation ? std::string(violation_name(r.violation->kind)) : "ok"},
             {"description", r.violation ? r.violation->description : ""},
             {"hash", hex(r.event_hash)},
             {"deliveries", r.stats.delivered}});
}

void TraceWriter::finish_failed(const std::string& failure) {
  assert(file_ && "finish_failed() after finish");
  write_end({{"ev", "end"}, {"verdict", kReplicaFailureVerdict}, {"description", failure}});
}

void TraceWriter::write_end(const nlohmann::json& end) {
  std::fputs(end.dump().c_str(), file_);
  std::fputc('\n', file_);
  const bool ok = std::ferror(file_) == 0;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!ok || !closed) {
    std::remove(tmp_.c_str());
    throw InputError(fmt::format("{}: write failed", path_));
  }
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp_.c_str());
    throw InputError(fmt::format("{}: cannot rename into place: {}", path_, why));
  }
}

Trace parse_trace(std::string text, const std::string& name) {
  Trace t;
  t.source = name;
  t.text = std::move(text);
  const std::string_view all(t.text);
  std::size_t number = 0, at = 0;
  bool ended = false;
  const auto fail = [&](const std::string& what) {
    throw InputError(fmt::format("{}:{}: {}", name, number, what));
  };
  while (at < all.size()) {
    const std::size_t newline = std::min(all.find('\n', at), all.size());
    std::string_view line = all.substr(at, newline - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF: the line as written
    const Trace::Span span{at, line.size()};
    at = newline + 1;
    ++number;
    if (ended) fail("content after the end line");
    // Bounded before parsing: one line of a 1 GiB file, "[0,0,0,...", would
    // otherwise become half a billion JSON values.
    if (number > 1 && line.size() > ScenarioLimits::event_line_bytes)
      fail(fmt::format("line of {} bytes out of range (max {})", line.size(), ScenarioLimits::event_line_bytes));
    std::uint64_t values = 0;
    const json::parser_callback_t count_values = [&](int, json::parse_event_t event, json&) {
      if (event == json::parse_event_t::value && ++values > ScenarioLimits::header_values)
        fail(fmt::format("header: more than {} values", ScenarioLimits::header_values));
      return true;
    };
    json j = json::parse(line, number == 1 ? count_values : nullptr, false);
    if (j.is_discarded()) fail("not valid JSON");
    if (!j.is_object()) fail("not a JSON object");
    try {
      if (number == 1) {
        if (j.value("format", "") != "pbftsim-trace") fail("not a pbftsim trace (no \"format\": \"pbftsim-trace\")");
        if (!j.contains("version") || !j["version"].is_number_integer()) fail("header has no \"version\"");
        const auto version = j["version"].get<std::int64_t>();
        if (version < kOldestTraceVersion || version > kTraceVersion)
          fail(fmt::format("trace version {}, but this pbftsim reads versions {} to {}", version, kOldestTraceVersion,
                           kTraceVersion));
        t.version = static_cast<int>(version);
        if (!j.contains("scenario")) fail("header has no scenario");
        t.scenario = scenario_from_json(j["scenario"]);
        if (j.contains("replica")) t.replica = replica_record_from_json(j["replica"]);
        if (!j.contains("tape") || !j["tape"].is_array()) fail("header has no tape array");
        if (j["tape"].size() > ScenarioLimits::tape_values)
          fail(fmt::format("tape: {} values out of range (max {})", j["tape"].size(), ScenarioLimits::tape_values));
        for (const auto& v : j["tape"]) {
          if (!v.is_number_unsigned() || v.get<std::uint64_t>() > 0xffffffffULL)
            fail("tape values must be integers in [0, 2^32)");
          t.tape.push_back(v.get<std::uint32_t>());
        }
        continue;
      }
      if (!j.contains("ev") || !j["ev"].is_string()) fail("event has no \"ev\" name");
      const std::string ev = j["ev"];
      if (ev == "end") {
        // Each field checked for its type here: nlohmann's own error
        // ("[json.exception.type_error.302] ...") names no field.
        const auto text_field = [&](const char* key) {
          if (!j.contains(key)) return std::string();
          if (!j[key].is_string()) fail(fmt::format("end line: \"{}\" must be a string, not {}", key, j[key].dump()));
          return j[key].get<std::string>();
        };
        const std::string verdict = text_field("verdict");
        if (verdict == kReplicaFailureVerdict) {
          t.replica_failure = text_field("description");
          t.description = *t.replica_failure;
          t.end_line = number;
          ended = true;
          continue;
        }
        if (verdict != "ok") {
          t.verdict = parse_violation(verdict);
          if (!t.verdict) fail(fmt::format("unknown verdict \"{}\"", verdict));
        }
        t.description = text_field("description");
        const std::string h = text_field("hash");
        if (h.size() != 16 || h.find_first_not_of("0123456789abcdef") != std::string::npos)
          fail(fmt::format("end line: \"hash\" must be 16 lowercase hex digits, not \"{}\"", h));
        t.event_hash = std::stoull(h, nullptr, 16);
        if (j.contains("deliveries")) {
          if (!j["deliveries"].is_number_unsigned()) fail("end line: \"deliveries\" is not a whole number");
          t.deliveries = j["deliveries"].get<std::uint64_t>();
        }
        t.end_line = number;
        ended = true;
        continue;
      }
      if (!known_event(ev)) fail(fmt::format("unknown event \"{}\"", ev));
      const bool timed = t.version == 1 || t.scenario.network.mode == NetworkMode::timed;
      if (t.version > 1 && (!j.contains("step") || !j["step"].is_number_unsigned())) fail("event has no \"step\"");
      if (timed && (!j.contains("t") || !j["t"].is_number_unsigned())) fail("event has no time \"t\" (timed network)");
      if (!timed && j.contains("t")) fail("event has a time \"t\", but the async network has no time");
      t.event_spans.push_back(span);
    } catch (const InputError& e) {
      if (std::string_view(e.what()).starts_with(name + ":")) throw;
      fail(e.what());
    } catch (const json::exception& e) {
      fail(fmt::format("malformed field: {}", e.what()));
    }
  }
  if (number == 0) throw InputError(fmt::format("{}:1: empty file", name));
  if (!ended) throw InputError(fmt::format("{}:{}: truncated: no end line", name, number));
  return t;
}

Trace read_trace(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(fmt::format("{}: is a directory, not a trace file", path));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  // Read in bounded pieces: /dev/zero, or a mistaken multi-gigabyte file,
  // is refused at the limit instead of filling memory.
  std::string text;
  if (const auto size = std::filesystem::file_size(path, ec); !ec) {
    if (size > ScenarioLimits::trace_bytes)
      throw InputError(fmt::format("{}: larger than {} MiB, the most a trace may be", path,
                                   ScenarioLimits::trace_bytes >> 20));
    text.reserve(size);  // a regular file: read into place, not through doubling copies
  }
  std::vector<char> piece(1 << 16);
  while (in.read(piece.data(), static_cast<std::streamsize>(piece.size())) || in.gcount() > 0) {
    text.append(piece.data(), static_cast<std::size_t>(in.gcount()));
    if (text.size() > ScenarioLimits::trace_bytes)
      throw InputError(fmt::format("{}: larger than {} MiB, the most a trace may be", path,
                                   ScenarioLimits::trace_bytes >> 20));
  }
  if (in.bad()) throw InputError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
  return parse_trace(std::move(text), path);
}

RunResult replay(const Trace& t, TraceSink* sink) {
  Tape tape = Tape::from_values(t.tape);
  return run_scenario(t.scenario, tape, sink);
}

Recorded run_recorded(const Scenario& s, Tape& tape) {
  tape.record(true);
  Recorded r{run_scenario(s, tape), {}};
  r.tape = tape.recorded();
  return r;
}

bool write_failure_trace(const std::string& path, const Scenario& s, Tape tape) {
  // Once to learn the choices made up to the failure, once to write them.
  tape.record(true);
  try {
    run_scenario(s, tape);
    return false;
  } catch (const ReplicaFailure&) {
  }
  const std::vector<std::uint32_t> used = tape.recorded();
  TraceWriter writer(path, s, used);
  Tape values = Tape::from_values(used);
  try {
    run_scenario(s, values, &writer);
    return false;  // not deterministic after all: the writer leaves nothing
  } catch (const ReplicaFailure& e) {
    writer.finish_failed(e.what());
    return true;
  }
}

void write_trace(const std::string& path, const Scenario& s, const std::vector<std::uint32_t>& tape,
                 RunResult* out) {
  TraceWriter writer(path, s, tape);
  Tape values = Tape::from_values(tape);
  RunResult r = run_scenario(s, values, &writer);
  writer.finish(r);
  if (out) *out = std::move(r);
}

}  // namespace model
