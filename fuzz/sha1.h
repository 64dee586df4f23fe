#pragma once
// SHA-1 of a byte string as 40 hex digits: corpus files are named by the
// SHA-1 of their content, as libFuzzer names the inputs it saves, so a seed
// and the same input found by a campaign get the same name.
#include <cstdint>
#include <span>
#include <string>

namespace fuzz {

inline std::string sha1_hex(std::span<const std::uint8_t> data) {
  std::uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  const auto rol = [](std::uint32_t x, int k) { return (x << k) | (x >> (32 - k)); };
  std::string msg(data.begin(), data.end());
  const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
  msg.push_back(static_cast<char>(0x80));
  while (msg.size() % 64 != 56) msg.push_back(0);
  for (int i = 7; i >= 0; --i) msg.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  for (std::size_t off = 0; off < msg.size(); off += 64) {
    std::uint32_t w[80];
    for (int i = 0; i < 16; ++i)
      w[i] = std::uint32_t{static_cast<std::uint8_t>(msg[off + 4 * i])} << 24 |
             std::uint32_t{static_cast<std::uint8_t>(msg[off + 4 * i + 1])} << 16 |
             std::uint32_t{static_cast<std::uint8_t>(msg[off + 4 * i + 2])} << 8 |
             std::uint32_t{static_cast<std::uint8_t>(msg[off + 4 * i + 3])};
    for (int i = 16; i < 80; ++i) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; ++i) {
      std::uint32_t f, k;
      if (i < 20) f = (b & c) | (~b & d), k = 0x5A827999;
      else if (i < 40) f = b ^ c ^ d, k = 0x6ED9EBA1;
      else if (i < 60) f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
      else f = b ^ c ^ d, k = 0xCA62C1D6;
      const std::uint32_t t = rol(a, 5) + f + e + k + w[i];
      e = d, d = c, c = rol(b, 30), b = a, a = t;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::uint32_t v : h)
    for (int i = 28; i >= 0; i -= 4) out.push_back(kHex[(v >> i) & 15]);
  return out;
}

}  // namespace fuzz
