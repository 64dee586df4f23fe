/* A plug-in in plain C (which also shows that the header is C) whose
 * replicas answer a client request with one mistake, chosen by the
 * environment variable PBFTSIM_TEST_BAD_EFFECT when they are created. Each
 * must end the run with one line naming the plug-in, never a hang, a crash
 * or a protocol verdict. It has no assign, so the harness clones and
 * destroys. The mistakes:
 *   garbage           a send of bytes that are not a message
 *   nondeterministic  state shared between runs (in real code a clock, a
 *                     hash-map order or a random number): a timer token
 *                     from a global counter, so a second run differs
 *   zero_delay, token0, bad_destination, fail, huge_seq, bad_event
 *                     effects the host refuses */
#include <stdlib.h>
#include <string.h>

#include "pbftsim/replica_plugin.h"

struct pbftsim_replica {
  char effect[32];
};

static uint64_t calls; /* the nondeterministic mistake */

static pbftsim_replica* create(const pbftsim_config* config, uint32_t id, const char** error) {
  (void)config, (void)id, (void)error;
  pbftsim_replica* r = calloc(1, sizeof *r);
  const char* effect = getenv("PBFTSIM_TEST_BAD_EFFECT");
  if (r && effect) strncpy(r->effect, effect, sizeof r->effect - 1);
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
  (void)client;
  if (strcmp(r->effect, "garbage") == 0) host->send(out, PBFTSIM_TO_ALL, 0, garbage, sizeof garbage);
  if (strcmp(r->effect, "nondeterministic") == 0) host->set_timer(out, ++calls, 1000);
  if (strcmp(r->effect, "zero_delay") == 0) host->set_timer(out, 1, 0);
  if (strcmp(r->effect, "token0") == 0) host->set_timer(out, 0, 1000);
  if (strcmp(r->effect, "bad_destination") == 0) host->send(out, 7, 0, m, n);
  if (strcmp(r->effect, "fail") == 0) host->fail(out, "out of memory");
  if (strcmp(r->effect, "huge_seq") == 0 || strcmp(r->effect, "bad_event") == 0) {
    pbftsim_event e = {.seq = 1, .kind = PBFTSIM_EVENT_COMMITTED};
    if (r->effect[0] == 'h') e.seq = (uint64_t)1 << 60;
    if (r->effect[0] == 'b') e.kind = 99;
    host->event(out, &e);
  }
}

static void on_timer(pbftsim_replica* r, uint64_t token, const pbftsim_host* host, pbftsim_effects* out) {
  (void)r, (void)token, (void)host, (void)out;
}

static const pbftsim_replica_api api = {
    .abi_version = PBFTSIM_REPLICA_ABI_VERSION,
    .name = "faulty",
    .create = create,
    .destroy = destroy,
    .clone = clone,
    .assign = NULL,
    .on_message = on_message,
    .on_client_request = on_client_request,
    .on_timer = on_timer,
};

const pbftsim_replica_api* pbftsim_replica_plugin(void) { return &api; }
