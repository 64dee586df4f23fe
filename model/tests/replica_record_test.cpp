// A trace's record of the replica that ran: SHA-256 as sha256sum computes
// it, the files a node's command names, and the differences replay reports.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "model/node_replica.h"
#include "model/replica_record.h"
#include "model/sha256.h"

namespace model {
namespace {

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // 56 bytes: the padding needs a second block.
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1'000'000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, UpdatesInPiecesGiveTheSameDigest) {
  const std::string text(1000, 'x');
  Sha256 h;
  for (std::size_t i = 0; i < text.size(); i += 7) h.update(text.data() + i, std::min<std::size_t>(7, text.size() - i));
  EXPECT_EQ(h.finish_hex(), sha256_hex(text));
}

class ReplicaRecordTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(MODEL_TEST_TMP) / "replica_record";
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    write("node.py", "print('v1')\n");
  }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  ReplicaImpl node(const std::string& command) {
    ReplicaImpl r;
    r.node = std::make_shared<const NodeCommand>(command, std::chrono::seconds(1), dir_.string());
    return r;
  }
  std::filesystem::path dir_;
};

TEST_F(ReplicaRecordTest, TheBuiltInReplicaHasNone) { EXPECT_FALSE(record_replica(ReplicaImpl{})); }

TEST_F(ReplicaRecordTest, ANodeRecordsItsCommandDirectoryAndNamedFiles) {
  write("replica.py", "x = 1\n");
  write("notes.txt", "not a module\n");
  const auto r = record_replica(node("sh 'node.py' --flag missing.py"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, ReplicaRecord::Kind::node);
  EXPECT_EQ(r->directory, dir_.string());
  // sh from PATH, node.py and its module replica.py; not the flag, the text
  // file or a file that is not there.
  ASSERT_EQ(r->files.size(), 3u);
  EXPECT_TRUE(r->files[0].path.ends_with("/sh"));
  EXPECT_EQ(r->files[1].path, "node.py");
  EXPECT_EQ(r->files[1].sha256, sha256_hex("print('v1')\n"));
  EXPECT_EQ(r->files[2].path, "replica.py");
  EXPECT_EQ(replica_record_from_json(to_json(*r)), *r);
}

TEST_F(ReplicaRecordTest, ReplayNamesWhatDiffersFromTheRecording) {
  const ReplicaImpl impl = node("sh node.py");
  const auto recorded = record_replica(impl);
  EXPECT_EQ(replica_difference(recorded, impl), "");
  write("node.py", "print('v2')\n");
  const std::string changed = replica_difference(recorded, impl);
  EXPECT_EQ(changed.find("node.py changed since it was recorded (sha256 "), 0u) << changed;
  std::filesystem::remove(dir_ / "node.py");
  EXPECT_EQ(replica_difference(recorded, impl), "node.py is gone");
  EXPECT_EQ(replica_difference(recorded, ReplicaImpl{}),
            "it was recorded with node `sh node.py` (in " + dir_.string() + "), and runs now with the built-in replica");
  EXPECT_EQ(replica_difference(std::nullopt, impl).find("it was recorded with the built-in replica, and runs now with node"),
            0u);
}

TEST_F(ReplicaRecordTest, MalformedRecordsAreOneLine) {
  const auto error = [](const nlohmann::json& j) {
    try {
      replica_record_from_json(j);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  EXPECT_EQ(error(nlohmann::json::array()), "replica: must be an object");
  EXPECT_EQ(error({{"files", nlohmann::json::array()}}), "replica: needs \"library\" or \"command\"");
  EXPECT_EQ(error({{"command", "x"}, {"files", nlohmann::json::array()}}), "replica: \"directory\" must be a string");
  EXPECT_EQ(error({{"library", "/x.so"}, {"files", 3}}), "replica: \"files\" must be an array");
  EXPECT_EQ(error({{"library", "/x.so"}, {"files", {{{"path", "/x.so"}}}}}), "replica: \"sha256\" must be a string");
}

}  // namespace
}  // namespace model
