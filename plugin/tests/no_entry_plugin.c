/* A shared library that is not a plug-in: it exports no pbftsim_replica_plugin. */
int pbftsim_something_else(void) { return 42; }
