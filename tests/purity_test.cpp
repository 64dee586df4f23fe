// pbft/ is pure (DESIGN.md, first row of the layer table): standard library
// only, no I/O, clocks, threads, randomness, hash-ordered containers or
// mutable globals. Scans every file under pbft/ and prints file:line of hits.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/purity_scan.h"

namespace pbft::test {
namespace {

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Purity, PbftSourcesUseNoClocksRandomnessIoThreadsOrMutableGlobals) {
  const std::filesystem::path root = PBFT_SOURCE_DIR;
  ASSERT_TRUE(std::filesystem::is_directory(root)) << root;
  std::size_t sources = 0;
  std::vector<std::string> report;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    const auto ext = entry.path().extension();
    sources += ext == ".h" || ext == ".cpp";
    for (const PurityHit& hit : scan_source(read_all(entry.path())))
      report.push_back(entry.path().string() + ":" + std::to_string(hit.line) + ": " + hit.what);
  }
  EXPECT_GE(sources, 10u) << "scanned too few files under " << root;
  std::string all;
  for (const auto& line : report) all += line + "\n";
  EXPECT_TRUE(report.empty()) << report.size() << " forbidden construct(s):\n" << all;
}

// The scanner itself: each snippet must be caught...
TEST(PurityScanner, FlagsForbiddenConstructs) {
  const std::vector<std::string> bad{
      "int x = rand();",
      "std::random_device rd;",
      "void f() { std::mt19937_64 g(1); }",
      "auto t = std::chrono::steady_clock::now();",
      "void f() { std::thread t([]{}); }",
      "#include <thread>",
      "#include <iostream>",
      "#include <fstream>",
      "#include <cstdio>",
      "void f() { printf(\"x\"); }",
      "void f() { std::snprintf(buf, 1, \"x\"); }",
      "const char* h = getenv(\"HOME\");",
      "void f() { auto t = time(nullptr); }",
      "#include <chrono>",
      "#include <random>",
      "std::unordered_map<int, int> m();",
      "void f() { std::unordered_set<int> s; }",
      "namespace a {\nint counter = 0;\n}",
      "namespace {\nstd::vector<int> cache;\n}",
      "namespace a {\nstd::map<int, int> table{};\n}",
      "inline int hits = 0;",
      "int f() {\n  static int calls = 0;\n  return ++calls;\n}",
      "void f() { static std::vector<int> memo; }",
      "struct S {\n  static int instances;\n};",
      "thread_local int x = 0;",
  };
  for (const std::string& src : bad) EXPECT_FALSE(scan_source(src).empty()) << src;
  const auto hits = scan_source("namespace a {\n\nint counter = 0;\n}");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].line, 3u);
}

// ...and none of these (the constructs pbft/ really uses) may be.
TEST(PurityScanner, AllowsConstantsFunctionsAndTypes) {
  const std::vector<std::string> good{
      "inline constexpr View kMaxView = View{1} << 60;",
      "inline constexpr Digest kNullDigest = 0x6e756c6c'72657121ULL;",
      "namespace {\nconstexpr std::array kCatalog{\n  Info{1, \"a\"},\n  Info{2, \"b\"},\n};\n}",
      "const int kLimit = 3;",
      "struct D {\n  static D replica(int r) { return {r}; }\n  static D all() { return {}; }\n};",
      "struct D {\n  static constexpr int k = 1;\n  static const int j = 2;\n};",
      "int f(long x) { return static_cast<int>(x); }",
      "static_assert(sizeof(int) == 4);",
      "Digest digest_of(const Request& r);",
      "std::string validate(const Config& c) {\n  if (c.n < 1) return \"n\";\n  int local = 0;\n  return {};\n}",
      "using ViewChangePtr = std::shared_ptr<const ViewChange>;",
      "struct ServiceState;",
      "enum class Kind : std::uint8_t { a, b };",
      "class R {\n public:\n  std::uint64_t timeout_us() const;\n  void restart_timer();\n private:\n  int view_ = 0;\n};",
      "// rand() in a comment, std::thread too\n/* <iostream> */",
      "const char* s = \"printf( time( rand(\";",
      "template <class T>\nbool deep_equal(const T& a, const T& b) {\n  return a == b;\n}",
      "namespace a {\nnamespace {\nbool add(int& m, int r) {\n  m |= r;\n  return true;\n}\n}  // namespace\n}",
      "std::uint64_t lifetime(int x);",
  };
  for (const std::string& src : good) {
    const auto hits = scan_source(src);
    EXPECT_TRUE(hits.empty()) << src << "\n  first hit: line " << (hits.empty() ? 0 : hits[0].line) << " "
                              << (hits.empty() ? "" : hits[0].what);
  }
}

}  // namespace
}  // namespace pbft::test
