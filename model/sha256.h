#pragma once
// SHA-256 (FIPS 180-4). A trace records the content hash of the replica
// implementation that ran (model/replica_record.h), in the form `sha256sum`
// prints, so a user can check which build a counterexample came from.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace model {

class Sha256 {
 public:
  void update(const void* data, std::size_t size);
  // The digest as 64 lowercase hex digits; the hasher is spent afterwards.
  std::string finish_hex();

 private:
  void compress(const std::uint8_t* block);
  std::array<std::uint32_t, 8> state_{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::array<std::uint8_t, 64> pending_{};
  std::size_t pending_size_ = 0;
  std::uint64_t total_bytes_ = 0;
};

std::string sha256_hex(std::string_view data);
// The hash of a file's content; "" when it cannot be read.
std::string sha256_of_file(const std::string& path);

}  // namespace model
