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
#include <string>
#include <vector>

#include "fuzz/replica_harness.h"
#include "fuzz/schedule_target.h"
#include "fuzz/sha1.h"
#include "model/scenario_json.h"
#include "model/trace.h"
#include "pbft/hash.h"

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

namespace {

// What one input reached.
struct Reach {
  bool clean = true;  // no violation or failed check
  bool normal = false, checkpoint = false, view_change = false, cert_carried = false, state_installed = false;
  std::string failure;
};

Reach reach_schedule(const Bytes& b, fuzz::Malice malice) {
  fuzz::ScheduleOptions o;
  o.malice = malice;
  const auto in = fuzz::decode_schedule(b, o);
  const auto r = fuzz::run_schedule(in);
  Reach out;
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
  } catch (const model::FormatError& e) {
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

// A schedule header: n (4/7), timed, faulty count bits, K choice, fault bytes, workload byte.
Bytes header(bool n7, bool timed, std::uint8_t malicious, std::uint8_t k, std::uint8_t f1, std::uint8_t f2,
             std::uint8_t f3, std::uint8_t workload, std::uint8_t net5 = 0, std::uint8_t net6 = 0,
             std::uint8_t net7 = 0) {
  return {static_cast<std::uint8_t>(n7 | timed << 1 | (malicious & 3) << 2 | (k & 3) << 4), f1, f2, f3, workload,
          net5, net6, net7};
}

Bytes with_tape(Bytes h, Rng& rng, std::size_t max_len) {
  Bytes t = random_tape(rng, max_len);
  h.insert(h.end(), t.begin(), t.end());
  return h;
}

// Random schedule inputs in one corner of the space.
std::function<Bytes(Rng&)> schedules(bool n7, bool timed, bool faulty, std::size_t tape_len) {
  return [=](Rng& rng) {
    const auto fault = [&] { return static_cast<std::uint8_t>(rng.next(8) | rng.next(10) << 3); };
    const std::uint8_t workload = static_cast<std::uint8_t>(rng.next(2) | rng.next(6) << 2);
    const std::uint8_t net5 = timed ? static_cast<std::uint8_t>(rng.next(4) == 0 ? rng.next(256) : 0) : 0;
    const std::uint8_t net6 = timed ? static_cast<std::uint8_t>(rng.next(256)) : 0;
    return with_tape(header(n7, timed, faulty ? static_cast<std::uint8_t>(1 + rng.next(3)) : 0,
                            static_cast<std::uint8_t>(rng.next(4)), fault(), fault(), fault(), workload, net5, net6,
                            static_cast<std::uint8_t>(rng.next(256))),
                     rng, tape_len);
  };
}

std::vector<Target> schedule_targets() {
  const Pred normal = [](const Reach& r) { return r.normal; };
  const Pred checkpoint = [](const Reach& r) { return r.checkpoint; };
  const Pred view_change = [](const Reach& r) { return r.view_change; };
  const Pred cert = [](const Reach& r) { return r.cert_carried; };
  const Pred state = [](const Reach& r) { return r.state_installed; };
  const Pred cert_and_checkpoint = [](const Reach& r) { return r.cert_carried && r.checkpoint; };
  return {
      {"normal n=4 async", schedules(false, false, false, 0), normal},
      {"normal n=7 timed", schedules(true, true, false, 0), normal},
      {"checkpoint n=4 async", schedules(false, false, false, 8), checkpoint},
      {"checkpoint n=7 timed", schedules(true, true, true, 16), checkpoint},
      {"view change n=4 async", schedules(false, false, true, 16), view_change},
      {"view change n=4 timed", schedules(false, true, true, 16), view_change},
      {"view change n=7 async", schedules(true, false, true, 32), view_change},
      {"certificate carried n=4", schedules(false, false, true, 64), cert},
      {"certificate carried n=7", schedules(true, false, true, 64), cert},
      {"state installed", schedules(false, false, true, 64), state},
      {"certificate and checkpoint", schedules(false, false, true, 96), cert_and_checkpoint},
  };
}

std::vector<Target> attack_targets() {
  const Pred normal = [](const Reach& r) { return r.normal; };
  const Pred checkpoint = [](const Reach& r) { return r.checkpoint; };
  const Pred view_change = [](const Reach& r) { return r.view_change; };
  return {
      {"normal n=4", schedules(false, false, true, 0), normal},
      {"checkpoint n=4", schedules(false, false, true, 8), checkpoint},
      {"view change n=4", schedules(false, false, true, 16), view_change},
      {"view change n=7 timed", schedules(true, true, true, 16), view_change},
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
  // Trace seeds: short traces written by the model's own writer, of
  // schedule inputs for the normal case (one request), a checkpoint (K = 1,
  // two requests)
  // and a view change (a silent primary), and both.
  const Bytes trace_inputs[] = {{}, {0x20, 0, 0, 0, 0x04}, {0x04, 0x00}, {0x24, 0, 0, 0, 0x04}};
  for (const Bytes& input : trace_inputs) {
    fuzz::ScheduleOptions o;
    const auto in = fuzz::decode_schedule(input, o);
    model::Tape tape = model::Tape::from_bytes(in.tape);
    auto rec = model::run_recorded(in.scenario, tape);
    while (!rec.tape.empty() && rec.tape.back() == 0) rec.tape.pop_back();
    const fs::path tmp = fs::temp_directory_path() / "pbftsim-trace-seed.jsonl";
    if (auto err = model::write_trace(tmp.string(), in.scenario, rec.tape); !err.empty()) {
      std::fprintf(stderr, "trace: %s\n", err.c_str());
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
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || (std::string(argv[1]) != "generate" && std::string(argv[1]) != "check")) {
    std::fprintf(stderr, "usage: %s generate|check CORPUS_DIR\n", argv[0]);
    return 2;
  }
  return std::string(argv[1]) == "generate" ? generate(argv[2]) : check(argv[2]);
}
