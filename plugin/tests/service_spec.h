/* See service_spec.c. */
#ifndef PBFTSIM_SERVICE_SPEC_H
#define PBFTSIM_SERVICE_SPEC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SPEC_MAX_CLIENTS 16u
#define SPEC_NULL_DIGEST 0x6e756c6c72657121ULL

typedef struct spec_service {
  uint64_t applied, chain;
  uint64_t timestamp[SPEC_MAX_CLIENTS], result[SPEC_MAX_CLIENTS];
} spec_service;

uint64_t spec_mix(uint64_t x);
uint64_t spec_request_digest(uint32_t client, uint64_t timestamp, uint64_t operation);
/* 1 and the result when applied, 0 when the request changes nothing. */
int spec_execute(spec_service* s, uint32_t client, uint64_t timestamp, uint64_t operation, uint64_t* result);
uint64_t spec_state_digest(const spec_service* s);

#ifdef __cplusplus
}
#endif

#endif
