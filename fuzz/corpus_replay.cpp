// corpus_replay: replays stored counterexample traces (corpus/regressions/,
// or any .jsonl files or directories given): the header's scenario and tape
// must give the recorded verdict, description and event hash. Exit 0 when
// every trace matches, 1 when one differs, 2 when one cannot be read.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "model/scenario_json.h"
#include "model/trace.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    std::error_code ec;
    if (fs::is_directory(argv[i], ec)) {
      for (const auto& e : fs::directory_iterator(argv[i], ec))
        if (e.is_regular_file() && e.path().extension() == ".jsonl") files.push_back(e.path());
    } else {
      files.emplace_back(argv[i]);
    }
  }
  std::sort(files.begin(), files.end());
  int status = 0;
  for (const auto& f : files) {
    model::Trace t;
    try {
      t = model::read_trace(f.string());
    } catch (const model::InputError& e) {
      std::fprintf(stderr, "%s\n", e.what());
      status = 2;
      continue;
    }
    const model::RunResult r = model::replay(t);
    const std::optional<model::ViolationKind> got =
        r.violation ? std::optional(r.violation->kind) : std::nullopt;
    const std::string description = r.violation ? r.violation->description : "";
    const std::string got_name = got ? std::string(model::violation_name(*got)) : "ok";
    const std::string want_name = t.verdict ? std::string(model::violation_name(*t.verdict)) : "ok";
    if (r.event_hash != t.event_hash || got != t.verdict || description != t.description) {
      std::fprintf(stderr, "%s: replay differs: hash %016llx (recorded %016llx), verdict %s (recorded %s)\n",
                   f.c_str(), static_cast<unsigned long long>(r.event_hash),
                   static_cast<unsigned long long>(t.event_hash),
                   got_name.c_str(), want_name.c_str());
      status = std::max(status, 1);
      continue;
    }
    std::printf("%s: %s, %llu deliveries, hash %016llx\n", f.filename().c_str(), got_name.c_str(),
                static_cast<unsigned long long>(r.stats.delivered), static_cast<unsigned long long>(r.event_hash));
  }
  std::printf("replayed %zu trace(s)\n", files.size());
  return status;
}
