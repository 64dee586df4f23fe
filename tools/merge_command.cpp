// pbftsim merge: joins the --json summaries of `check --shard I/N` runs into
// what one machine would have reported (model::merge_shards).
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "model/scenario_json.h"
#include "model/search_summary.h"
#include "tools/command.h"
#include "tools/output_file.h"

namespace tools {

namespace {

struct MergeOptions {
  std::vector<std::string> summaries;
  std::string json;
};

int merge(const MergeOptions& o) {
  std::optional<OutputFile> out;
  if (!o.json.empty()) {
    for (const std::string& in : o.summaries)
      if (in == o.json) return bad_input("--json would overwrite its input " + in);
    out.emplace(o.json);
    if (!out->error().empty()) return bad_input(out->error());
  }
  std::vector<model::SearchSummary> shards;
  for (const std::string& path : o.summaries) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return bad_input(path + ": cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    const nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return bad_input(path + ": not JSON");
    try {
      shards.push_back(model::summary_from_json(j, path));
    } catch (const model::FormatError& e) {
      return bad_input(e.what());
    }
  }
  const model::MergeResult m = model::merge_shards(std::move(shards));
  if (!m.merged) return bad_input("cannot merge: " + m.error);
  if (!m.error.empty()) std::fprintf(stderr, "pbftsim: note: %s\n", m.error.c_str());
  std::printf("%s\n", model::result_line(*m.merged).c_str());
  if (m.merged->violation)
    std::printf("counterexample: %s\nreplay with: pbftsim replay %s\n", m.merged->violation->counterexample.c_str(),
                m.merged->violation->counterexample.c_str());
  if (out)
    if (auto err = out->commit(model::to_json(*m.merged).dump(2) + "\n"); !err.empty()) return bad_input(err);
  return m.merged->violation ? kViolation : kOk;
}

}  // namespace

void add_merge_command(CLI::App& app, int& status) {
  auto o = std::make_shared<MergeOptions>();
  auto* cmd = app.add_subcommand("merge", "join the --json summaries of check --shard I/N runs into one result");
  cmd->add_option("summaries", o->summaries, "one summary per shard, 0/N to N-1/N in any order")->required();
  cmd->add_option("--json", o->json, "write the merged summary here");
  cmd->callback([o, &status] { status = merge(*o); });
}

}  // namespace tools
