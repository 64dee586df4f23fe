/* A plug-in built for another ABI version: loading it must fail with one line. */
#include "pbftsim/replica_plugin.h"

static const pbftsim_replica_api api = {.abi_version = PBFTSIM_REPLICA_ABI_VERSION + 98, .name = "from the future"};

const pbftsim_replica_api* pbftsim_replica_plugin(void) { return &api; }
