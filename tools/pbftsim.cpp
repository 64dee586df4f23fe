// pbftsim: search for violations, sweep malicious counts, replay, minimize
// and explain counterexamples, merge sharded searches. Exit status: 0 no
// violation, 1 violation found, 2 bad input, 3 internal error, 130
// interrupted (tools/command.h).
#include <cstdio>

#include <fmt/format.h>

#include "model/env_knobs.h"
#include "tools/command.h"

int main(int argc, char** argv) {
  CLI::App app{"pbftsim: a deterministic harness that checks PBFT safety and finds counterexamples"};
  app.require_subcommand(1);
  std::string env = "\nEnvironment variables (read by the fuzzers and the tests, model/env_knobs.h):\n";
  for (const model::EnvKnob& k : model::env_knobs())
    env += fmt::format("  {:<27} {:<16} {}\n", k.name, k.values, k.meaning);
  app.footer(env + "\nExit status: 0 no violation, 1 violation found, 2 bad input, 3 internal error, 130 check or sweep interrupted (SIGINT/SIGTERM) before its budget.");
  int status = tools::kBadInput;
  tools::add_check_command(app, status);
  tools::add_trace_commands(app, status);
  tools::add_explain_command(app, status);
  tools::add_sweep_command(app, status);
  tools::add_merge_command(app, status);
  tools::add_node_command(app, status);
  tools::add_conform_command(app, status);
  // CLI11 says "A subcommand is required" of a misspelt one: name it.
  std::string known;
  bool found = false;
  for (const CLI::App* c : app.get_subcommands({})) {
    known += (known.empty() ? "" : ", ") + c->get_name();
    found = found || (argc > 1 && c->check_name(argv[1]));
  }
  if (argc > 1 && argv[1][0] != '-' && !found) {
    std::fprintf(stderr, "pbftsim: unknown command %s (commands: %s; see pbftsim --help)\n", argv[1], known.c_str());
    return tools::kBadInput;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ConversionError& e) {
    // CLI11: "Could not convert: --n = 99999999999"; say why it could not.
    const std::string what = e.what();
    const std::string prefix = "Could not convert: ";
    if (what.rfind(prefix, 0) == 0)
      std::fprintf(stderr,
                   "pbftsim: %s: not a value this option takes (negative, too large or not a number; see --help)\n",
                   what.substr(prefix.size()).c_str());
    else
      std::fprintf(stderr, "pbftsim: %s\n", what.c_str());
    return tools::kBadInput;
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "pbftsim: %s\n", e.what());
    return tools::kBadInput;
  } catch (const model::InputError& e) {
    std::fprintf(stderr, "pbftsim: %s\n", e.what());
    return tools::kBadInput;
  } catch (const std::exception& e) {  // InternalError, or anything else that was not meant to happen
    std::fprintf(stderr, "pbftsim: internal error: %s\n", e.what());
    return tools::kInternalError;
  }
  return status;
}
