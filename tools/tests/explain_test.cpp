// pbftsim explain on hand-made events: what the timeline groups, leaves out
// and keeps, its sections per view, its filters, and the shape of the text
// and the Mermaid diagram.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tools/explain.h"
#include "tools/timeline.h"

namespace tools {
namespace {

using model::EventType;
using model::TraceEvent;
using pbft::MessageKind;

constexpr pbft::Digest kRequest = 0xcf27312da7f68894ULL;
constexpr std::uint32_t kC0 = model::kClientBase;

// n = 4, R0 faulty (split), one client.
model::Trace trace(model::NetworkMode mode = model::NetworkMode::async) {
  model::Trace t;
  t.scenario.network.mode = mode;
  t.scenario.faults = {{0, model::StrategyKind::split}};
  t.tape = {0, 1};
  return t;
}

// `time` is both the virtual time and the simulator step: in these hand-made
// runs every step happens at its own time.
TraceEvent message(EventType type, std::uint64_t time, std::uint32_t from, std::uint32_t to, MessageKind kind,
                   pbft::Digest digest = kRequest, pbft::View view = 0, pbft::Seq seq = 1) {
  return {.time_us = time, .step = time, .type = type, .from = from, .to = to, .kind = kind, .view = view, .seq = seq,
          .digest = digest};
}

TraceEvent happening(EventType type, std::uint64_t time, std::uint32_t at, pbft::Digest digest = kRequest,
                     pbft::View view = 0, pbft::Seq seq = 1) {
  return {.time_us = time, .step = time, .type = type, .from = at, .view = view, .seq = seq, .digest = digest};
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    out.push_back(text.substr(start, end - start));
  return out;
}

bool has_line_containing(const std::string& text, const std::string& part) {
  const auto all = lines(text);
  return std::any_of(all.begin(), all.end(), [&](const std::string& l) { return l.find(part) != std::string::npos; });
}

std::size_t step_count(const Timeline& t) {
  std::size_t n = 0;
  for (const auto& s : t.sections) n += s.steps.size();
  return n;
}

// The primary's equivocation: one request, pre-prepares with two digests,
// one of them sent twice to R2.
const std::vector<TraceEvent> kEquivocation = {
    message(EventType::deliver, 1, kC0, 0, MessageKind::request),
    message(EventType::send, 1, 0, 1, MessageKind::pre_prepare),
    message(EventType::send, 1, 0, 2, MessageKind::pre_prepare),
    message(EventType::send, 1, 0, 2, MessageKind::pre_prepare),
    message(EventType::send, 1, 0, 3, MessageKind::pre_prepare, pbft::kNullDigest),
};

TEST(Explain, ABroadcastIsOneLineAndItsDuplicatesAreLeftOut) {
  const Timeline t = build_timeline(trace(), kEquivocation, {});
  ASSERT_EQ(step_count(t), 1u);
  const Step& step = t.sections.at(0).steps.at(0);
  ASSERT_EQ(step.sends.size(), 2u);
  EXPECT_EQ(step.sends[0].to, (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(step.sends[1].to, (std::vector<std::uint32_t>{3}));
  EXPECT_EQ(t.condensed.duplicate_sends, 1u);
  const std::string text = explain_text(t);
  EXPECT_TRUE(has_line_containing(text, "  #1  C0  -> R0*  REQUEST d=cf27")) << text;
  EXPECT_TRUE(has_line_containing(text, "R0* sends PRE-PREPARE v0 n1 d=cf27 to R1, R2")) << text;
  EXPECT_TRUE(has_line_containing(text, "R0* sends PRE-PREPARE v0 n1 d=null to R3")) << text;
  EXPECT_TRUE(has_line_containing(text, "left out: 1 duplicate send (--all shows every event)")) << text;

  const Timeline all = build_timeline(trace(), kEquivocation, {.all = true});
  EXPECT_EQ(all.sections.at(0).steps.at(0).sends.size(), 4u);
  EXPECT_FALSE(all.condensed.any());
}

TEST(Explain, DeliveriesThatChangeNothingAreLeftOutUnlessRepeatedOnesCauseSomething) {
  std::vector<TraceEvent> events = {
      message(EventType::deliver, 1, 1, 2, MessageKind::prepare),
      message(EventType::send, 1, 2, 1, MessageKind::commit),
      message(EventType::deliver, 2, 1, 2, MessageKind::prepare),  // again: nothing happens
      message(EventType::deliver, 3, 1, 0, MessageKind::prepare),  // to the faulty R0: nothing happens
      message(EventType::deliver, 4, 1, 3, MessageKind::prepare),  // first time: kept though it changes nothing
      message(EventType::deliver, 5, 1, 2, MessageKind::prepare),  // again, and R2 commits
      happening(EventType::commit, 5, 2),
  };
  const Timeline t = build_timeline(trace(), events, {});
  EXPECT_EQ(step_count(t), 3u);
  EXPECT_EQ(t.condensed.repeated_deliveries, 1u);
  EXPECT_EQ(t.condensed.idle_faulty_deliveries, 1u);
  const std::string text = explain_text(t);
  EXPECT_FALSE(has_line_containing(text, "#2 ")) << text;
  EXPECT_FALSE(has_line_containing(text, "#3 ")) << text;
  EXPECT_TRUE(has_line_containing(text, "#4  R1  -> R3   PREPARE v0 n1 d=cf27")) << text;
  EXPECT_TRUE(has_line_containing(text, "R2 commits v0 n1 d=cf27")) << text;
  EXPECT_EQ(step_count(build_timeline(trace(), events, {.all = true})), 5u);
}

TEST(Explain, ADroppedSendIsShownAndTheLinksRetransmissionLeftOut) {
  model::Trace tr = trace(model::NetworkMode::timed);
  const std::uint64_t later = tr.scenario.network.retransmit_after_us;
  std::vector<TraceEvent> events = {
      message(EventType::deliver, 10'000, 0, 1, MessageKind::pre_prepare),
      message(EventType::drop, 10'000, 1, 2, MessageKind::prepare),
      message(EventType::send, 10'000, 1, 3, MessageKind::prepare),
      message(EventType::send, 10'000 + later, 1, 2, MessageKind::prepare),  // the link's retransmission
      message(EventType::deliver, 20'000 + later, 1, 2, MessageKind::prepare),
  };
  events[1].extra = 1;  // the link resends it
  const Timeline t = build_timeline(tr, events, {});
  EXPECT_EQ(t.condensed.retransmissions, 1u);
  ASSERT_EQ(step_count(t), 2u);
  const std::string text = explain_text(t);
  EXPECT_TRUE(has_line_containing(text, "  10.000 ms  R0* -> R1   PRE-PREPARE v0 n1 d=cf27")) << text;
  EXPECT_TRUE(has_line_containing(text, "R1 sends PREPARE v0 n1 d=cf27 to R2 (dropped; the link resends it)")) << text;
  EXPECT_TRUE(has_line_containing(text, "R1 sends PREPARE v0 n1 d=cf27 to R3")) << text;
  EXPECT_TRUE(has_line_containing(text, "120.000 ms  R1  -> R2   PREPARE v0 n1 d=cf27")) << text;
  EXPECT_TRUE(has_line_containing(explain_mermaid(t), "    R1-xR2: PREPARE v0 n1 d=cf27 (dropped)"));

  const Timeline all = build_timeline(tr, events, {.all = true});
  ASSERT_EQ(step_count(all), 3u);
  EXPECT_TRUE(all.sections.at(0).steps.at(1).retransmission);
  EXPECT_TRUE(has_line_containing(explain_text(all), "R1  -> R2   PREPARE v0 n1 d=cf27 (link retransmission)"));
}

const std::vector<TraceEvent> kViewChange = {
    message(EventType::deliver, 1, 0, 1, MessageKind::pre_prepare),
    message(EventType::send, 1, 1, 2, MessageKind::prepare),
    {.time_us = 2, .step = 2, .type = EventType::timer, .to = 2},
    happening(EventType::view_change, 2, 2, pbft::kNoDigest, 1, 0),
    message(EventType::send, 2, 2, 1, MessageKind::view_change, pbft::kNoDigest, 1, 0),
    message(EventType::deliver, 3, 2, 1, MessageKind::view_change, pbft::kNoDigest, 1, 0),
    happening(EventType::new_view, 3, 1, pbft::kNoDigest, 1, 0),
    message(EventType::deliver, 4, 1, 2, MessageKind::pre_prepare, pbft::kNullDigest, 1, 1),
    message(EventType::deliver, 5, 1, 3, MessageKind::pre_prepare, kRequest, 1, 2),
};

TEST(Explain, AViewSectionStartsWhereAnHonestReplicaEntersTheView) {
  const Timeline t = build_timeline(trace(), kViewChange, {});
  ASSERT_EQ(t.sections.size(), 2u);
  EXPECT_EQ(t.sections[0].view, 0u);
  EXPECT_EQ(t.sections[0].steps.size(), 2u);
  EXPECT_EQ(t.sections[1].view, 1u);
  EXPECT_EQ(t.sections[1].steps.front().trigger.time_us, 3u);
  const std::string text = explain_text(t);
  EXPECT_TRUE(has_line_containing(text, "== view 0 (primary R0*) ==")) << text;
  EXPECT_TRUE(has_line_containing(text, "== view 1 (primary R1) ==")) << text;
  EXPECT_TRUE(has_line_containing(text, "  #2  R2 timer fires")) << text;
  EXPECT_TRUE(has_line_containing(text, "R2 starts a view change to v1")) << text;
  EXPECT_TRUE(has_line_containing(text, "R1 enters view 1")) << text;
  EXPECT_EQ(lines(text).back(), "no violation: the run ended at #5");

  const Timeline later = build_timeline(trace(), kViewChange, {.from_view = 1});
  ASSERT_EQ(later.sections.size(), 1u);
  EXPECT_EQ(later.sections[0].view, 1u);
}

TEST(Explain, TheSeqFilterKeepsThatSequenceNumberAndViewChanges) {
  const Timeline t = build_timeline(trace(), kViewChange, {.seq = 1});
  std::vector<std::uint64_t> kept;
  for (const auto& s : t.sections)
    for (const auto& step : s.steps) kept.push_back(step.trigger.time_us);
  // 3 stays for the NEW-VIEW's view change; 5 is about sequence number 2.
  EXPECT_EQ(kept, (std::vector<std::uint64_t>{1, 2, 3, 4}));
  const Step& timer = t.sections.at(0).steps.at(1);
  EXPECT_EQ(timer.notes.size(), 1u);
  EXPECT_TRUE(timer.sends.empty());  // the VIEW-CHANGE message is not about n1
}

TEST(Explain, TheTextEndsWithTheViolationAndTheDiagramDrawsTheSameRun) {
  model::Trace tr = trace();
  tr.description = "agreement: replica 1 committed cf27312da7f68894; replica 3 committed null <at seq 1>";
  std::vector<TraceEvent> events = kEquivocation;
  events.push_back(message(EventType::deliver, 2, 0, 1, MessageKind::commit));
  events.push_back(happening(EventType::commit, 2, 1));
  events.push_back(message(EventType::send, 2, 1, kC0, MessageKind::reply, 0xbeb69965a5802d18ULL));
  events.push_back(message(EventType::deliver, 3, 0, 3, MessageKind::commit, pbft::kNullDigest));
  events.push_back(happening(EventType::execute, 3, 3, pbft::kNullDigest));
  events.push_back(happening(EventType::commit, 3, 3, pbft::kNullDigest));
  events.push_back({.time_us = 3, .step = 3, .type = EventType::violation, .from = 3, .seq = 1,
                    .extra = static_cast<std::uint64_t>(model::ViolationKind::agreement)});
  const Timeline t = build_timeline(tr, events, {});

  const std::string text = explain_text(t);
  const auto text_lines = lines(text);
  EXPECT_EQ(text_lines.front(), "agreement violation after 3 deliveries, at #3 (tape of 2 choices)");
  EXPECT_EQ(text_lines.back(), "VIOLATION at #3: " + tr.description);
  EXPECT_TRUE(has_line_containing(text, "faulty (*): R0 split")) << text;
  EXPECT_TRUE(has_line_containing(text, "  n1  d=cf27: R1 (v0, #2); d=null: R3 (v0, #3)  <- honest replicas disagree"))
      << text;
  // A step's outcome in story order: the commit, then the execution it allows.
  const auto commit = std::find(text_lines.begin(), text_lines.end(), "        R3 commits v0 n1 d=null");
  ASSERT_NE(commit, text_lines.end()) << text;
  EXPECT_EQ(*std::next(commit), "        R3 executes n1 d=null");

  const std::string diagram = explain_mermaid(t);
  const auto diagram_lines = lines(diagram);
  EXPECT_EQ(diagram_lines.front(), "sequenceDiagram");
  for (const char* expected : {"    participant C0", "    participant R0 as R0 (faulty, split)", "    participant R3",
                               "    Note over C0,R3: view 0 (primary R0)", "    C0->>R0: REQUEST d=cf27",
                               "    R0->>R1: COMMIT v0 n1 d=cf27", "    Note over R1: commits v0 n1 d=cf27",
                               "    R1-->>C0: REPLY v0 result=beb6",
                               "    Note over R3: commits v0 n1 d=null<br/>executes n1 d=null"})
    EXPECT_NE(std::find(diagram_lines.begin(), diagram_lines.end(), expected), diagram_lines.end())
        << expected << "\n" << diagram;
  // The violation is the last note, its ';' and '<' written as Mermaid entity codes.
  EXPECT_EQ(diagram_lines.back().rfind("    Note over C0,R3: VIOLATION<br/>agreement: replica 1", 0), 0u) << diagram;
  EXPECT_NE(diagram_lines.back().find("cf27312da7f68894#59; replica 3"), std::string::npos) << diagram;
  EXPECT_NE(diagram_lines.back().find("#60;at seq 1#62;"), std::string::npos) << diagram;
  EXPECT_EQ(explain_mermaid(build_timeline(tr, events, {})), diagram);  // deterministic
}

TEST(Explain, DigestNamesGrowUntilTheyTellEveryDigestApart) {
  std::vector<TraceEvent> events = kEquivocation;
  events.push_back(message(EventType::deliver, 2, 0, 1, MessageKind::prepare, 0xcf27a00000000000ULL));
  const Timeline t = build_timeline(trace(), events, {});
  EXPECT_EQ(t.digest_name(kRequest), "cf273");
  EXPECT_EQ(t.digest_name(0xcf27a00000000000ULL), "cf27a");
  EXPECT_EQ(t.digest_name(pbft::kNullDigest), "null");
}

}  // namespace
}  // namespace tools
