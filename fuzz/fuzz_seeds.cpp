// fuzz_seeds: writes and checks the seed corpora.
//
//   fuzz_seeds generate CORPUS_DIR   search for small inputs that reach the
//       normal case, a stable checkpoint, a view change (and a carried
//       prepared certificate, a state transfer) for each fuzzer and write them
//       to CORPUS_DIR/<fuzzer>/, named by the SHA-1 of their content.
//       Deterministic: the same build writes the same files.
//   fuzz_seeds check CORPUS_DIR      every seed runs clean, and each fuzzer's
//       seeds together reach the normal case, a checkpoint and a view change
//       (ctest label `corpus`).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "fuzz/replica_harness.h"
#include "fuzz/schedule_target.h"
#include "fuzz/sha1.h"
#include "model/scenario_json.h"
#include "model/trace.h"
#include "pbft/hash.h"
#include "plugin/wire.h"
#include "plugin/wire_samples.h"

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

namespace {

// What one input reached.
struct Reach {
  bool clean = true;  // no violation or failed check
  bool n7 = false, timed = false, faulty = false;  // the decoded scenario's corner
  bool normal = false, checkpoint = false, view_change = false, cert_carried = false, state_installed = false;
  std::string failure;
};

Reach reach_schedule(const Bytes& b, fuzz::Malice malice) {
  static const fuzz::ScheduleOptions schedule{.scenarios = fuzz::schedule_space(fuzz::Malice::up_to_f)};
  static const fuzz::ScheduleOptions attack{.scenarios = fuzz::schedule_space(fuzz::Malice::f_plus_one)};
  const auto in = fuzz::decode_schedule(b, malice == fuzz::Malice::up_to_f ? schedule : attack);
  const auto r = fuzz::run_schedule(in);
  Reach out;
  out.n7 = in.scenario.config.n == 7;
  out.timed = in.scenario.network.mode == model::NetworkMode::timed;
  out.faulty = in.scenario.malicious() > 0;
  out.clean = !r.violation;
  if (r.violation) out.failure = r.violation->description;
  out.normal = r.coverage.committed > 0 && r.coverage.view_changes_started == 0 && r.all_executed;
  out.checkpoint = r.coverage.checkpoints_stable > 0;
  out.view_change = r.coverage.new_views > 0;
  out.cert_carried = r.coverage.certs_carried > 0;
  out.state_installed = r.coverage.states_installed > 0;
  return out;
}

Reach reach_replica(const Bytes& b) {
  const auto r = fuzz::run_replica(b, false);
  Reach out;
  out.clean = r.failure.empty();
  out.failure = r.failure;
  out.normal = r.executed;
  out.checkpoint = r.checkpoint_stable;
  out.view_change = r.new_view_entered;
  out.cert_carried = r.cert_carried;
  out.state_installed = r.state_installed;
  return out;
}

Reach reach_trace(const Bytes& b) {
  Reach out;
  try {
    const auto t = model::parse_trace(std::string(b.begin(), b.end()), "seed");
    const auto r = model::replay(t);
    out.normal = r.coverage.committed > 0 && r.coverage.view_changes_started == 0;
    out.checkpoint = r.coverage.checkpoints_stable > 0;
    out.view_change = r.coverage.new_views > 0;
    out.cert_carried = r.coverage.certs_carried > 0;
    out.state_installed = r.coverage.states_installed > 0;
    if (r.event_hash != t.event_hash) out.clean = false, out.failure = "replay hash differs from the trace's";
  } catch (const model::InputError& e) {
    out.clean = false;
    out.failure = e.what();
  }
  return out;
}

struct Rng {
  std::uint64_t state;
  std::uint32_t next(std::uint32_t k) { return static_cast<std::uint32_t>(pbft::mix64(state++) % k); }
};

// Bytes biased toward 0 (the benign choice), so found inputs stay simple.
Bytes random_tape(Rng& rng, std::size_t max_len) {
  Bytes b(rng.next(static_cast<std::uint32_t>(max_len) + 1));
  for (auto& x : b) x = rng.next(3) == 0 ? static_cast<std::uint8_t>(rng.next(256)) : 0;
  return b;
}

using Pred = std::function<bool(const Reach&)>;

struct Target {
  const char* name;
  std::function<Bytes(Rng&)> make;
  Pred want;
};

// The shortest of the first few inputs that reach the target (and stay clean).
std::optional<Bytes> search(const Target& t, const std::function<Reach(const Bytes&)>& run, std::uint64_t seed) {
  Rng rng{seed};
  std::optional<Bytes> best;
  int hits = 0;
  for (int i = 0; i < 200'000 && hits < 8; ++i) {
    Bytes b = t.make(rng);
    const Reach r = run(b);
    if (!r.clean || !t.want(r)) continue;
    ++hits;
    if (!best || b.size() < best->size()) best = std::move(b);
  }
  return best;
}

bool write_named(const fs::path& dir, const Bytes& b) {
  fs::create_directories(dir);
  const fs::path p = dir / fuzz::sha1_hex(b);
  std::ofstream out(p, std::ios::binary);
  out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  return static_cast<bool>(out);
}

// Random schedule inputs: header picks biased toward 0 (simple scenarios),
// then a tape of up to tape_len bytes.
std::function<Bytes(Rng&)> schedules(std::size_t tape_len) {
  return [=](Rng& rng) {
    Bytes b(fuzz::kScheduleHeader);
    for (auto& x : b) x = rng.next(2) == 0 ? static_cast<std::uint8_t>(rng.next(256)) : 0;
    const Bytes t = random_tape(rng, tape_len);
    b.insert(b.end(), t.begin(), t.end());
    return b;
  };
}

// `want`, reached by an input whose scenario is in one corner of the space.
Pred in_corner(bool n7, bool timed, bool faulty, Pred want) {
  return [=](const Reach& r) { return r.n7 == n7 && r.timed == timed && r.faulty == faulty && want(r); };
}

std::vector<Target> schedule_targets() {
  const Pred normal = [](const Reach& r) { return r.normal; };
  const Pred checkpoint = [](const Reach& r) { return r.checkpoint; };
  const Pred view_change = [](const Reach& r) { return r.view_change; };
  const Pred cert = [](const Reach& r) { return r.cert_carried; };
  const Pred state = [](const Reach& r) { return r.state_installed; };
  const Pred cert_and_checkpoint = [](const Reach& r) { return r.cert_carried && r.checkpoint; };
  return {
      {"normal n=4 async", schedules(0), in_corner(false, false, false, normal)},
      {"normal n=7 timed", schedules(0), in_corner(true, true, false, normal)},
      {"checkpoint n=4 async", schedules(8), in_corner(false, false, false, checkpoint)},
      {"checkpoint n=7 timed", schedules(16), in_corner(true, true, true, checkpoint)},
      {"view change n=4 async", schedules(16), in_corner(false, false, true, view_change)},
      {"view change n=4 timed", schedules(16), in_corner(false, true, true, view_change)},
      {"view change n=7 async", schedules(32), in_corner(true, false, true, view_change)},
      {"certificate carried n=4", schedules(64), in_corner(false, false, true, cert)},
      {"certificate carried n=7", schedules(64), in_corner(true, false, true, cert)},
      {"state installed", schedules(64), in_corner(false, false, true, state)},
      {"certificate and checkpoint", schedules(96), in_corner(false, false, true, cert_and_checkpoint)},
  };
}

std::vector<Target> attack_targets() {
  const Pred normal = [](const Reach& r) { return r.normal; };
  const Pred checkpoint = [](const Reach& r) { return r.checkpoint; };
  const Pred view_change = [](const Reach& r) { return r.view_change; };
  return {
      {"normal n=4", schedules(0), in_corner(false, false, true, normal)},
      {"checkpoint n=4", schedules(8), in_corner(false, false, true, checkpoint)},
      {"view change n=4", schedules(16), in_corner(false, false, true, view_change)},
      {"view change n=7 timed", schedules(16), in_corner(true, true, true, view_change)},
  };
}

std::vector<Target> replica_targets() {
  const auto make = [](std::size_t len) {
    return [len](Rng& rng) {
      // Mostly echoes and votes: quorums come from re-signed copies.
      Bytes b{static_cast<std::uint8_t>(rng.next(2) | rng.next(8) << 1 | rng.next(4) << 4), 0};
      const std::size_t n = 8 + rng.next(static_cast<std::uint32_t>(len));
      for (std::size_t i = 0; i < n; ++i) b.push_back(static_cast<std::uint8_t>(rng.next(256)));
      return b;
    };
  };
  return {
      {"executed", make(256), [](const Reach& r) { return r.normal; }},
      {"checkpoint stable", make(256), [](const Reach& r) { return r.checkpoint; }},
      {"new view entered", make(256), [](const Reach& r) { return r.view_change; }},
      {"certificate carried", make(512), [](const Reach& r) { return r.cert_carried; }},
      {"state installed", make(512), [](const Reach& r) { return r.state_installed; }},
  };
}

Bytes read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

int generate(const fs::path& root) {
  int missing = 0;
  const auto run_all = [&](const char* fuzzer, const std::vector<Target>& targets,
                           const std::function<Reach(const Bytes&)>& run) {
    std::uint64_t seed = 1;
    for (const auto& t : targets) {
      auto found = search(t, run, seed++ * 0x9e3779b97f4a7c15ULL);
      if (!found) {
        std::fprintf(stderr, "%s: nothing reached \"%s\"\n", fuzzer, t.name);
        ++missing;
        continue;
      }
      write_named(root / fuzzer, *found);
      std::printf("%s: %-28s %4zu bytes  %s\n", fuzzer, t.name, found->size(), fuzz::sha1_hex(*found).c_str());
    }
  };
  run_all("schedule", schedule_targets(), [](const Bytes& b) { return reach_schedule(b, fuzz::Malice::up_to_f); });
  run_all("attack", attack_targets(), [](const Bytes& b) { return reach_schedule(b, fuzz::Malice::f_plus_one); });
  run_all("replica", replica_targets(), reach_replica);
  // Wire seeds: one message of each kind in the plug-in wire format.
  for (const pbft::Message& m : wire::samples::every_kind()) {
    Bytes b;
    wire::encode(m, b);
    write_named(root / "wire", b);
    std::printf("wire: %-32s %4zu bytes  %s\n", pbft::kind_name(pbft::kind_of(m)), b.size(), fuzz::sha1_hex(b).c_str());
  }
  // Trace seeds: short traces written by the model's own writer, of the
  // schedule fuzzer's simplest scenario (one request) and of it narrowed to
  // a checkpoint (K = 1, two requests), a view change (a silent primary),
  // and both.
  const auto narrowed = [](std::uint32_t k, std::uint32_t requests, bool silent_primary) {
    model::ScenarioSpace s = fuzz::schedule_space(fuzz::Malice::up_to_f);
    s.checkpoint_intervals = {k};
    s.requests = {requests};
    if (silent_primary) s.fixed_faults = {{0, model::StrategyKind::silent}};
    return s;
  };
  const model::ScenarioSpace trace_spaces[] = {narrowed(2, 1, false), narrowed(1, 2, false), narrowed(2, 1, true),
                                               narrowed(1, 2, true)};
  for (const model::ScenarioSpace& space : trace_spaces) {
    model::Tape zeros = model::Tape::from_values({});
    const model::Scenario scenario = model::draw(space, zeros);
    model::Tape tape = model::Tape::from_values({});
    auto rec = model::run_recorded(scenario, tape);
    while (!rec.tape.empty() && rec.tape.back() == 0) rec.tape.pop_back();
    const fs::path tmp = fs::temp_directory_path() / "pbftsim-trace-seed.jsonl";
    try {
      model::write_trace(tmp.string(), scenario, rec.tape);
    } catch (const model::InputError& e) {
      std::fprintf(stderr, "trace: %s\n", e.what());
      ++missing;
      continue;
    }
    const Bytes b = read_file(tmp);
    fs::remove(tmp);
    write_named(root / "trace", b);
    std::printf("trace: %-31s %5zu bytes  %s\n", "", b.size(), fuzz::sha1_hex(b).c_str());
  }
  return missing ? 1 : 0;
}

// Wire seeds: every one a message that re-encodes to itself, and every kind
// of message among them.
int check_wire(const fs::path& dir) {
  int status = 0;
  std::set<pbft::MessageKind> kinds;
  std::size_t files = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_regular_file()) continue;
    ++files;
    const Bytes b = read_file(e.path());
    try {
      const pbft::Message m = wire::decode_message(b);
      Bytes again;
      wire::encode(m, again);
      if (again != b) throw wire::Malformed("does not re-encode to itself");
      kinds.insert(pbft::kind_of(m));
    } catch (const wire::Malformed& err) {
      std::fprintf(stderr, "%s: %s\n", e.path().c_str(), err.what());
      status = 1;
    }
    if (e.path().filename().string() != fuzz::sha1_hex(b)) {
      std::fprintf(stderr, "%s: not named by the SHA-1 of its content\n", e.path().c_str());
      status = 1;
    }
  }
  std::printf("wire: %zu seeds; %zu of %zu message kinds\n", files, kinds.size(), std::variant_size_v<pbft::Message>);
  if (kinds.size() != std::variant_size_v<pbft::Message>) status = 1;
  return status;
}

int check(const fs::path& root) {
  struct Spec {
    const char* fuzzer;
    std::function<Reach(const Bytes&)> run;
  };
  const Spec specs[] = {
      {"schedule", [](const Bytes& b) { return reach_schedule(b, fuzz::Malice::up_to_f); }},
      {"attack", [](const Bytes& b) { return reach_schedule(b, fuzz::Malice::f_plus_one); }},
      {"replica", reach_replica},
      {"trace", reach_trace},
  };
  int status = 0;
  for (const auto& s : specs) {
    Reach any;
    any.clean = true;
    std::size_t files = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(root / s.fuzzer, ec)) {
      if (!e.is_regular_file()) continue;
      ++files;
      const Bytes b = read_file(e.path());
      const Reach r = s.run(b);
      if (!r.clean) {
        std::fprintf(stderr, "%s: %s\n", e.path().c_str(), r.failure.c_str());
        status = 1;
      }
      if (e.path().filename().string() != fuzz::sha1_hex(b)) {
        std::fprintf(stderr, "%s: not named by the SHA-1 of its content (%s)\n", e.path().c_str(),
                     fuzz::sha1_hex(b).c_str());
        status = 1;
      }
      any.normal |= r.normal;
      any.checkpoint |= r.checkpoint;
      any.view_change |= r.view_change;
      any.cert_carried |= r.cert_carried;
      any.state_installed |= r.state_installed;
    }
    std::printf("%s: %zu seeds; normal case %s, checkpoint %s, view change %s, certificate carried %s, "
                "state installed %s\n",
                s.fuzzer, files, any.normal ? "yes" : "NO", any.checkpoint ? "yes" : "NO",
                any.view_change ? "yes" : "NO", any.cert_carried ? "yes" : "no", any.state_installed ? "yes" : "no");
    if (!any.normal || !any.checkpoint || !any.view_change) status = 1;
  }
  return check_wire(root / "wire") | status;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || (std::string(argv[1]) != "generate" && std::string(argv[1]) != "check")) {
    std::fprintf(stderr, "usage: %s generate|check CORPUS_DIR\n", argv[0]);
    return 2;
  }
  return std::string(argv[1]) == "generate" ? generate(argv[2]) : check(argv[2]);
}
