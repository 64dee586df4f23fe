// pbftsim merge: joins the --json results of `check --shard I/N` or
// `sweep --shard I/N` runs into what one machine would have reported
// (model::merge_shards, model::merge_sweeps).
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "model/scenario_json.h"
#include "model/search_summary.h"
#include "model/sweep_json.h"
#include "tools/command.h"
#include "tools/output_file.h"

namespace tools {

namespace {

struct MergeOptions {
  std::vector<std::string> results;
  std::string json, csv;
};

// Each file parsed as JSON; InputError names the one that is not.
std::vector<nlohmann::json> read_documents(const std::vector<std::string>& paths) {
  std::vector<nlohmann::json> docs;
  for (const std::string& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw model::InputError(path + ": cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    docs.push_back(nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false));
    if (docs.back().is_discarded()) throw model::InputError(path + ": not JSON");
  }
  return docs;
}

// "cannot merge: why", for what merge_shards and merge_sweeps refuse.
template <class Merge>
auto merged_or_throw(Merge merge) {
  try {
    return merge();
  } catch (const model::InputError& e) {
    throw model::InputError(std::string("cannot merge: ") + e.what());
  }
}

int merge_checks(const MergeOptions& o, const std::vector<nlohmann::json>& docs, std::optional<OutputFile>& json) {
  if (!o.csv.empty()) throw model::InputError("--csv is for sweep results; check summaries merge into --json");
  std::vector<model::SearchSummary> shards;
  for (std::size_t i = 0; i < docs.size(); ++i) shards.push_back(model::summary_from_json(docs[i], o.results[i]));
  const model::MergeResult m = merged_or_throw([&] { return model::merge_shards(std::move(shards)); });
  if (m.caveat) std::fprintf(stderr, "pbftsim: note: %s\n", m.caveat->c_str());
  std::printf("%s\n", model::result_line(m.merged).c_str());
  if (m.merged.violation)
    std::printf("counterexample: %s\nreplay with: pbftsim replay %s\n", m.merged.violation->counterexample.c_str(),
                m.merged.violation->counterexample.c_str());
  if (json) json->commit(model::to_json(m.merged).dump(2) + "\n");
  return m.merged.violation ? kViolation : kOk;
}

int merge_sweeps(const MergeOptions& o, const std::vector<nlohmann::json>& docs, std::optional<OutputFile>& json,
                 std::optional<OutputFile>& csv) {
  std::vector<model::SweepResult> shards;
  for (std::size_t i = 0; i < docs.size(); ++i) shards.push_back(model::sweep_from_json(docs[i], o.results[i]));
  const model::SweepResult merged = merged_or_throw([&] { return model::merge_sweeps(std::move(shards)); });
  std::fputs(model::sweep_table(merged).c_str(), stdout);
  if (json) json->commit(model::sweep_json(merged));
  if (csv) csv->commit(model::sweep_csv(merged));
  return kOk;
}

int merge(const MergeOptions& o) {
  for (const std::string& in : o.results)
    for (const std::string* out : {&o.json, &o.csv})
      if (in == *out) throw model::InputError("merge would overwrite its input " + in);
  require_distinct_outputs({{"--json", o.json}, {"--csv", o.csv}});
  std::optional<OutputFile> json, csv;  // opened first: an unwritable path fails before any work
  for (auto [file, path] : {std::pair{&json, &o.json}, std::pair{&csv, &o.csv}})
    if (!path->empty()) file->emplace(*path);
  const auto docs = read_documents(o.results);
  // A sweep result has points; a check summary has schedules.
  return docs[0].is_object() && docs[0].contains("points") ? merge_sweeps(o, docs, json, csv)
                                                            : merge_checks(o, docs, json);
}

}  // namespace

void add_merge_command(CLI::App& app, int& status) {
  auto o = std::make_shared<MergeOptions>();
  auto* cmd = app.add_subcommand("merge", "join the --json results of check or sweep --shard I/N runs into one result");
  cmd->add_option("results", o->results,
                  "the --json of every shard, 0/N to N-1/N in any order (all check summaries or all sweep results)")
      ->required();
  cmd->add_option("--json", o->json, "write the merged result here");
  cmd->add_option("--csv", o->csv, "sweeps: write the merged points as CSV");
  cmd->callback([o, &status] { status = merge(*o); });
}

}  // namespace tools
