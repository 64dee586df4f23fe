#include "model/replica_record.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "model/errors.h"
#include "model/node_replica.h"
#include "model/plugin_replica.h"
#include "model/sha256.h"

namespace model {

namespace fs = std::filesystem;

namespace {

// The words of a shell command, with simple quoting undone: enough to find
// the files it names, not a shell.
std::vector<std::string> command_words(const std::string& command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : command) {
    if (quote) {
      if (c == quote) quote = 0;
      else word += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

// A program named without a slash, as the shell finds it on PATH.
std::string on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const fs::path candidate = fs::path(dirs.substr(start, end - start)) / program;
    if (end > start && is_file(candidate)) return candidate.string();
    start = end + 1;
  }
  return "";
}

// A script's modules are usually its siblings of the same kind (node.py
// imports replica.py): those are recorded with it, sorted, at most 64.
std::vector<std::string> with_siblings(const std::string& path, const std::string& directory) {
  const fs::path named(path);
  std::vector<std::string> paths{path};
  if (!named.has_extension()) return paths;
  const fs::path folder = named.is_absolute() ? named.parent_path() : fs::path(directory) / named.parent_path();
  std::vector<std::string> siblings;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (entry.path().extension() != named.extension() || entry.path().filename() == named.filename()) continue;
    if (is_file(entry.path())) siblings.push_back((named.parent_path() / entry.path().filename()).string());
  }
  std::sort(siblings.begin(), siblings.end());
  if (siblings.size() > 63) siblings.resize(63);
  paths.insert(paths.end(), siblings.begin(), siblings.end());
  return paths;
}

// The files a node's command names: the program (found on PATH when named
// without a slash) and every later word that is an existing file, with its
// siblings of the same kind.
std::vector<RecordedFile> named_files(const std::string& command, const std::string& directory) {
  std::vector<RecordedFile> files;
  const std::vector<std::string> words = command_words(command);
  const auto full = [&](const std::string& p) { return fs::path(p).is_absolute() ? fs::path(p) : fs::path(directory) / p; };
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (i == 0 && w.find('/') == std::string::npos) {
      if (const std::string program = on_path(w); !program.empty())
        files.push_back({program, sha256_of_file(program)});
      continue;
    }
    if (w.empty() || w[0] == '-' || w.find('=') != std::string::npos || !is_file(full(w))) continue;
    for (const std::string& p : with_siblings(w, directory)) files.push_back({p, sha256_of_file(full(p).string())});
  }
  return files;
}

std::string current_directory() {
  std::error_code ec;
  const fs::path p = fs::current_path(ec);
  return ec ? "" : p.string();
}

// The files again, hashed now; "" when each is as recorded.
std::string changed_files(const ReplicaRecord& r) {
  std::string changed;
  for (const RecordedFile& f : r.files) {
    const fs::path full = fs::path(f.path).is_absolute() ? fs::path(f.path) : fs::path(r.directory) / f.path;
    const std::string now = sha256_of_file(full.string());
    if (now == f.sha256) continue;
    if (!changed.empty()) changed += "; ";
    changed += now.empty() ? fmt::format("{} is gone", f.path)
                           : fmt::format("{} changed since it was recorded (sha256 {:.12} then, {:.12} now)", f.path,
                                         f.sha256, now);
  }
  return changed;
}

}  // namespace

std::optional<ReplicaRecord> record_replica(const ReplicaImpl& impl) {
  if (impl.library) {
    std::error_code ec;
    const fs::path full = fs::absolute(impl.library->path(), ec);
    const std::string path = ec ? impl.library->path() : full.lexically_normal().string();
    return ReplicaRecord{ReplicaRecord::Kind::library, path, "", {{path, sha256_of_file(path)}}};
  }
  if (impl.node) {
    const std::string directory = impl.node->directory.empty() ? current_directory() : impl.node->directory;
    return ReplicaRecord{ReplicaRecord::Kind::node, impl.node->command, directory,
                         named_files(impl.node->command, directory)};
  }
  return std::nullopt;
}

nlohmann::json to_json(const ReplicaRecord& r) {
  nlohmann::json files = nlohmann::json::array();
  for (const RecordedFile& f : r.files) files.push_back({{"path", f.path}, {"sha256", f.sha256}});
  if (r.kind == ReplicaRecord::Kind::library) return {{"library", r.target}, {"files", files}};
  return {{"command", r.target}, {"directory", r.directory}, {"files", files}};
}

ReplicaRecord replica_record_from_json(const nlohmann::json& j) {
  const auto fail = [](const std::string& what) { throw InputError("replica: " + what); };
  const auto text = [&](const nlohmann::json& o, const char* key) {
    if (!o.contains(key) || !o[key].is_string()) fail(fmt::format("\"{}\" must be a string", key));
    return o[key].get<std::string>();
  };
  if (!j.is_object()) fail("must be an object");
  ReplicaRecord r;
  if (j.contains("library")) {
    r.kind = ReplicaRecord::Kind::library;
    r.target = text(j, "library");
  } else if (j.contains("command")) {
    r.kind = ReplicaRecord::Kind::node;
    r.target = text(j, "command");
    r.directory = text(j, "directory");
  } else {
    fail("needs \"library\" or \"command\"");
  }
  if (!j.contains("files") || !j["files"].is_array()) fail("\"files\" must be an array");
  for (const auto& f : j["files"]) {
    if (!f.is_object()) fail("each of \"files\" must be an object");
    r.files.push_back({text(f, "path"), text(f, "sha256")});
  }
  return r;
}

std::string describe(const ReplicaRecord& r) {
  if (r.kind == ReplicaRecord::Kind::library) return "replica plug-in " + r.target;
  return fmt::format("node `{}` (in {})", r.target, r.directory);
}

std::string replica_difference(const std::optional<ReplicaRecord>& recorded, const ReplicaImpl& now) {
  const std::optional<ReplicaRecord> running = record_replica(now);
  const auto name = [](const std::optional<ReplicaRecord>& r) {
    return r ? describe(*r) : std::string("the built-in replica");
  };
  const bool same_implementation =
      recorded.has_value() == running.has_value() &&
      (!recorded || (recorded->kind == running->kind && recorded->target == running->target));
  if (!same_implementation)
    return fmt::format("it was recorded with {}, and runs now with {}", name(recorded), name(running));
  return recorded ? changed_files(*recorded) : "";
}

}  // namespace model
