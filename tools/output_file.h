#pragma once
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "model/errors.h"

namespace tools {

// Why a file could not be created, in words: "No such file or directory"
// for /proc/x.json does not say that /proc exists but takes no new files.
inline std::string why_not_writable(const std::string& path, int error) {
  const std::filesystem::path p(path);
  const std::filesystem::path dir = p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  if (error == ENOENT && !std::filesystem::exists(dir, ec))
    return fmt::format("the directory {} does not exist", dir.string());
  if (error == ENOENT || error == EACCES || error == EROFS || error == EPERM)
    return fmt::format("{} takes no new file here ({})", dir.string(), std::strerror(error));
  if (error == ENOTDIR) return fmt::format("{} is not a directory", dir.string());
  return std::strerror(error);
}

// A file written as PATH.tmp and renamed into place by commit(); dropped
// (the temporary removed) otherwise. Opened before the work runs, so an
// unwritable path fails fast. Both throw model::InputError("PATH: cannot
// write: why").
class OutputFile {
 public:
  explicit OutputFile(std::string path) : path_(std::move(path)), tmp_(path_ + ".tmp") {
    file_ = std::fopen(tmp_.c_str(), "w");
    if (!file_) throw model::InputError(fmt::format("{}: cannot write: {}", path_, why_not_writable(path_, errno)));
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile() {
    if (!file_) return;
    std::fclose(file_);
    std::remove(tmp_.c_str());
  }
  const std::string& path() const { return path_; }

  void commit(const std::string& text) {
    const bool written = std::fputs(text.c_str(), file_) >= 0 && std::ferror(file_) == 0;
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!written || !closed || std::rename(tmp_.c_str(), path_.c_str()) != 0) {
      const std::string why = std::strerror(errno);
      std::remove(tmp_.c_str());
      throw model::InputError(fmt::format("{}: cannot write: {}", path_, why));
    }
  }

 private:
  std::string path_, tmp_;
  std::FILE* file_ = nullptr;
};

// Two outputs naming one file (also as ./x or by a link) would leave a mix
// of both behind: refused before any work, naming both flags. Empty paths
// (an output not asked for) are skipped.
inline void require_distinct_outputs(const std::vector<std::pair<std::string, std::string>>& flag_and_path) {
  std::vector<std::pair<std::string, std::filesystem::path>> seen;
  for (const auto& [flag, path] : flag_and_path) {
    if (path.empty()) continue;
    std::error_code ec;
    std::filesystem::path resolved = std::filesystem::weakly_canonical(path, ec);
    if (ec) resolved = std::filesystem::absolute(path, ec).lexically_normal();
    // Each is written as PATH.tmp first: X and X.tmp clash as well.
    const auto tmp_of = [](const std::filesystem::path& p) { return std::filesystem::path(p.string() + ".tmp"); };
    for (const auto& [other_flag, other] : seen)
      if (other == resolved || tmp_of(other) == resolved || other == tmp_of(resolved))
        throw model::InputError(fmt::format("{} and {} name the same file (or its temporary .tmp): {}", other_flag,
                                            flag, path));
    seen.emplace_back(flag, resolved);
  }
}

}  // namespace tools
