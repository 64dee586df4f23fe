/* A plug-in with a mistake a real one can make: state shared between runs
 * (here a global counter, in real code a clock, a hash-map order or a random
 * number). Its replicas only arm a timer per client request, with a token
 * that differs each time, so a second run of the same schedule differs. The
 * harness must report a nondeterministic replica, not a protocol violation. */
#include <stdlib.h>

#include "pbftsim/replica_plugin.h"

struct pbftsim_replica {
  uint32_t id;
};

static uint64_t calls; /* the bug */

static pbftsim_replica* create(const pbftsim_config* config, uint32_t id, const char** error) {
  (void)config;
  (void)error;
  pbftsim_replica* r = malloc(sizeof *r);
  if (r) r->id = id;
  return r;
}

static void destroy(pbftsim_replica* r) { free(r); }

static pbftsim_replica* clone(const pbftsim_replica* r) {
  pbftsim_replica* c = malloc(sizeof *c);
  if (c) *c = *r;
  return c;
}

static void on_message(pbftsim_replica* r, uint32_t from, const uint8_t* m, size_t n, const pbftsim_host* host,
                       pbftsim_effects* out) {
  (void)r, (void)from, (void)m, (void)n, (void)host, (void)out;
}

static void on_client_request(pbftsim_replica* r, uint32_t client, const uint8_t* m, size_t n,
                              const pbftsim_host* host, pbftsim_effects* out) {
  (void)r, (void)client, (void)m, (void)n;
  host->set_timer(out, ++calls, 1000);
}

static void on_timer(pbftsim_replica* r, uint64_t token, const pbftsim_host* host, pbftsim_effects* out) {
  (void)r, (void)token, (void)host, (void)out;
}

static const pbftsim_replica_api api = {
    .abi_version = PBFTSIM_REPLICA_ABI_VERSION,
    .name = "nondeterministic",
    .create = create,
    .destroy = destroy,
    .clone = clone,
    .assign = NULL,
    .on_message = on_message,
    .on_client_request = on_client_request,
    .on_timer = on_timer,
};

const pbftsim_replica_api* pbftsim_replica_plugin(void) { return &api; }
