/* A plug-in in plain C that answers every client request with bytes that
 * are not a message: the harness must stop with one line naming it. It also
 * shows that the ABI's header is C. */
#include <stdlib.h>

#include "pbftsim/replica_plugin.h"

struct pbftsim_replica {
  uint32_t id;
};

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
  static const uint8_t garbage[] = {0xff, 0x01};
  (void)r, (void)client, (void)m, (void)n;
  host->send(out, PBFTSIM_TO_ALL, 0, garbage, sizeof garbage);
}

static void on_timer(pbftsim_replica* r, uint64_t token, const pbftsim_host* host, pbftsim_effects* out) {
  (void)r, (void)token, (void)host, (void)out;
}

static const pbftsim_replica_api api = {
    .abi_version = PBFTSIM_REPLICA_ABI_VERSION,
    .name = "garbage",
    .create = create,
    .destroy = destroy,
    .clone = clone,
    .assign = NULL, /* optional: the harness clones and destroys instead */
    .on_message = on_message,
    .on_client_request = on_client_request,
    .on_timer = on_timer,
};

const pbftsim_replica_api* pbftsim_replica_plugin(void) { return &api; }
