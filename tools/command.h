#pragma once
// The pbftsim subcommands. Each registers itself on the app; its callback
// runs the command and stores the exit status.
#include <string>

#include <CLI/CLI.hpp>

#include "model/errors.h"

namespace tools {

// Exit status: no violation, violation found, bad input, and an internal
// error (pbftsim's fault, not the input's: a violation that does not reproduce).
// A command returns the first two; it throws model::InputError or
// model::InternalError (model/errors.h) for the others, and main() turns
// those into one line on stderr and the status.
inline constexpr int kOk = 0, kViolation = 1, kBadInput = 2, kInternalError = 3;
// check and sweep stopped by SIGINT or SIGTERM before their budget: what ran
// is printed and written, but it is not the whole answer (128 + SIGINT).
inline constexpr int kInterrupted = 130;

void add_check_command(CLI::App& app, int& status);
void add_trace_commands(CLI::App& app, int& status);  // replay, minimize
void add_explain_command(CLI::App& app, int& status);
void add_sweep_command(CLI::App& app, int& status);
void add_merge_command(CLI::App& app, int& status);
void add_node_command(CLI::App& app, int& status);  // the built-in replica over the node protocol
void add_conform_command(CLI::App& app, int& status);  // the conformance suite

}  // namespace tools
