#pragma once
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "model/errors.h"

namespace tools {

// A file written as PATH.tmp and renamed into place by commit(); dropped
// (the temporary removed) otherwise. Opened before the work runs, so an
// unwritable path fails fast. Both throw model::InputError("PATH: cannot
// write: why").
class OutputFile {
 public:
  explicit OutputFile(std::string path) : path_(std::move(path)), tmp_(path_ + ".tmp") {
    file_ = std::fopen(tmp_.c_str(), "w");
    if (!file_) throw model::InputError(fmt::format("{}: cannot write: {}", path_, std::strerror(errno)));
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

}  // namespace tools
