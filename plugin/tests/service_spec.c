/* The digests and the replicated service exactly as the comment of
 * include/pbftsim/replica_plugin.h spells them out, written from that text
 * alone (service_spec_test.cpp holds them against pbft/). */
#include <stdint.h>

#include "service_spec.h"

uint64_t spec_mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

static uint64_t combine(uint64_t s, uint64_t v) { return spec_mix(s ^ spec_mix(v)); }

uint64_t spec_request_digest(uint32_t client, uint64_t timestamp, uint64_t operation) {
  uint64_t d = spec_mix(spec_mix(spec_mix(0x7265717565737421ULL ^ client) ^ timestamp) ^ operation);
  if (d == 0 || d == SPEC_NULL_DIGEST) d ^= 0x5a5a5a5a5a5a5a5aULL;
  return d;
}

int spec_execute(spec_service* s, uint32_t client, uint64_t timestamp, uint64_t operation, uint64_t* result) {
  if (client >= SPEC_MAX_CLIENTS || timestamp <= s->timestamp[client]) return 0;
  s->chain = combine(s->chain, spec_request_digest(client, timestamp, operation));
  s->applied += 1;
  s->timestamp[client] = timestamp;
  s->result[client] = s->chain;
  *result = s->chain;
  return 1;
}

uint64_t spec_state_digest(const spec_service* s) {
  uint64_t d = spec_mix(spec_mix(s->applied ^ 0x7374617465ULL) ^ s->chain);
  for (uint32_t i = 0; i < SPEC_MAX_CLIENTS; ++i) {
    if (s->timestamp[i] == 0 && s->result[i] == 0) continue;
    d = spec_mix(spec_mix(spec_mix(d ^ i) ^ s->timestamp[i]) ^ s->result[i]);
  }
  return d == 0 ? 1 : d;
}
