// The main of a fuzz target built without libFuzzer (gcc builds, the
// release and asan presets): runs LLVMFuzzerTestOneInput once on every file
// named on the command line, and on every regular file inside a named
// directory (sorted, hidden files skipped). Arguments starting with '-' are
// libFuzzer flags and are ignored. A crash or abort is the test's failure.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace fs = std::filesystem;

namespace {
bool run_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "%s: cannot open\n", p.c_str());
    return false;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // A copy in its own allocation, so ASan sees reads past the end.
  std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
  LLVMFuzzerTestOneInput(data.empty() ? nullptr : data.data(), data.size());
  return true;
}
}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  std::size_t ran = 0;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.starts_with("-")) continue;
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      std::vector<fs::path> files;
      for (const auto& e : fs::directory_iterator(arg, ec))
        if (e.is_regular_file() && !e.path().filename().string().starts_with(".")) files.push_back(e.path());
      std::sort(files.begin(), files.end());
      for (const auto& f : files) ok &= run_file(f), ++ran;
    } else if (fs::exists(arg, ec)) {
      ok &= run_file(arg), ++ran;
    } else {
      std::fprintf(stderr, "%s: no such file or directory\n", arg.c_str());
      ok = false;
    }
  }
  std::printf("%s: ran %zu input(s)\n", argc > 0 ? argv[0] : "fuzzer", ran);
  return ok ? 0 : 2;
}
