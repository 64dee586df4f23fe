#include "pbft/config.h"

namespace pbft {

Config make_config(std::uint32_t n) {
  Config c;
  c.n = n;
  c.f = n == 0 ? 0 : (n - 1) / 3;
  return c;
}

std::string validate(const Config& c) {
  if (c.n < 1) return "n must be at least 1";
  if (c.n > kMaxReplicas) return "n must be at most " + std::to_string(kMaxReplicas);
  if (c.n < 3 * c.f + 1)
    return "n = " + std::to_string(c.n) + " cannot tolerate f = " + std::to_string(c.f) +
           " (needs n >= 3f+1)";
  if (c.checkpoint_interval < 1) return "checkpoint interval must be at least 1";
  if (c.watermark_window < c.checkpoint_interval ||
      c.watermark_window % c.checkpoint_interval != 0)
    return "watermark window must be a positive multiple of the checkpoint interval";
  if (c.max_clients < 1) return "max_clients must be at least 1";
  if (c.view_change_timeout_us < 1) return "view-change timeout must be positive";
  return {};
}

}  // namespace pbft
