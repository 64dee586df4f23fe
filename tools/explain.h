#pragma once
// Renders a Timeline for people: as text for the terminal, and as a Mermaid
// sequence diagram of the same steps. Both are deterministic.
#include <string>

#include "tools/timeline.h"

namespace tools {

// A summary of the scenario, a section per view, each step's cause on one
// line with its outcome indented below, the commits per sequence number and,
// last, the violation.
std::string explain_text(const Timeline& t);

// `sequenceDiagram`: clients C0.. and replicas R0..Rn-1 as participants,
// an arrow per delivery (dropped messages crossed, replies to clients
// dotted), notes for timers, commits, executions, view changes and the
// violation.
std::string explain_mermaid(const Timeline& t);

}  // namespace tools
