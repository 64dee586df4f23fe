/* pbftsim replica plug-in ABI, version 1.
 *
 * A PBFT replica in any language that can export a C function: build it as
 * a shared library that exports
 *
 *     const pbftsim_replica_api* pbftsim_replica_plugin(void);
 *
 * and run `pbftsim check --replica-lib path/to/libreplica.so`. pbftsim then
 * runs every honest replica through this table, under its schedules,
 * Byzantine strategies (which stay pbftsim's own), checkers, minimizer and
 * replay. The contract is model/replica_boundary.h made concrete:
 *
 *   - A replica is created from (config, id), cloned and destroyed by the
 *     harness: it copies the initial world at the start of every schedule,
 *     from several threads at once (one replica is never used by two
 *     threads at a time; replicas must not share mutable state).
 *   - It takes three inputs: a message from an authenticated replica, a
 *     client request from an authenticated client, and the expiry of a
 *     timer it set. Every input is a pure step: no clock, no randomness,
 *     no I/O. The same inputs must give the same outputs, or replay and
 *     shrinking stop meaning anything.
 *   - It answers only through the host functions it is handed with each
 *     input (sends, timers, executions, events). Nothing is read from it
 *     in between.
 *
 * Messages cross the boundary as bytes in the wire format below. The
 * built-in replica is itself built as a plug-in against this header
 * (plugin/builtin_replica_plugin.cpp) and gives byte-identical traces.
 *
 * Wire format. Integers are little-endian: u8, u32 (ids, counts) and u64
 * (views, sequence numbers, digests, timestamps, operations, results). A
 * message is one kind byte and then its body; nested messages are bodies
 * without a kind byte. Vectors are a u32 count and then their elements.
 *
 *   kind body
 *   0 REQUEST        client u32, timestamp u64, operation u64
 *   1 PRE-PREPARE    view u64, seq u64, digest u64, request(body of 0), replica u32
 *   2 PREPARE        view u64, seq u64, digest u64, replica u32
 *   3 COMMIT         view u64, seq u64, digest u64, replica u32
 *   4 REPLY          view u64, timestamp u64, client u32, replica u32, result u64
 *   5 CHECKPOINT     seq u64, state_digest u64, replica u32
 *   6 VIEW-CHANGE    new_view u64, stable_seq u64, checkpoint_proof [CHECKPOINT],
 *                    prepared [pre_prepare(body of 1), prepares [PREPARE]], replica u32
 *   7 NEW-VIEW       view u64, view_changes [VIEW-CHANGE], pre_prepares [PRE-PREPARE],
 *                    replica u32
 *   8 FETCH-STATE    seq u64, replica u32
 *   9 STATE-TRANSFER seq u64, state(see below), proof [CHECKPOINT], replica u32
 *  10 STATUS         view u64, stable_seq u64, last_executed u64, replica u32
 *                    (optional: a replica may ignore it and never send it)
 *
 *   state            applied u64, chain u64, clients [timestamp u64, result u64]
 *
 * Digests and the replicated service. Honest replicas must compute these
 * exactly as below (the reference is pbft/hash.h, pbft/messages.cpp and
 * pbft/service.cpp), or they disagree with the harness's clients and
 * strategies. All arithmetic is on unsigned 64-bit integers, modulo 2^64.
 *
 *   mix(x):         x += 0x9e3779b97f4a7c15;
 *                   x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
 *                   x = (x ^ (x >> 27)) * 0x94d049bb133111eb;
 *                   return x ^ (x >> 31)
 *   combine(s, v):  mix(s ^ mix(v))
 *   digest(request): d = mix(mix(mix(0x7265717565737421 ^ client) ^ timestamp) ^ operation);
 *                   if d is 0 or the null digest, d ^= 0x5a5a5a5a5a5a5a5a
 *   null digest:    0x6e756c6c72657121 (the null request that fills a gap in a new view)
 *
 *   The service's state is `applied` (0), `chain` (0) and, per client id
 *   below max_clients, the last executed (timestamp, result) (0, 0).
 *   Executing a request whose client id is below max_clients and whose
 *   timestamp is above that client's last one: chain = combine(chain,
 *   digest(request)); applied += 1; the client's record becomes (timestamp,
 *   chain); the result (in the execution and in REPLY) is the new chain.
 *   Any other request, and a null request, changes nothing (applied = 0 in
 *   its execution); a request executed before is answered from the client's
 *   record.
 *   state digest:   d = mix(mix(applied ^ 0x7374617465) ^ chain); then for
 *                   every client i, in order, whose record is not (0, 0):
 *                   d = mix(mix(mix(d ^ i) ^ timestamp) ^ result);
 *                   if d is 0, it is 1. CHECKPOINT messages and stable
 *                   checkpoint events carry it.
 */
#ifndef PBFTSIM_REPLICA_PLUGIN_H
#define PBFTSIM_REPLICA_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PBFTSIM_REPLICA_ABI_VERSION 1u

/* Structs below have no hidden padding (u64 fields first, explicit reserved
 * fields, sizes checked at the end of this header), so every compiler and
 * language lays them out alike. */

/* The group's static configuration, the same for every replica of a run.
 * Quorums are the reference replica's (pbft/config.h): ceil((n+f+1)/2) for
 * prepared, committed, stable and view change; f+1 to join a view change. */
typedef struct pbftsim_config {
  uint64_t view_change_timeout_us; /* doubles per own timer expiry without progress (up to 2^16 times) */
  uint32_t n;                      /* replicas */
  uint32_t f;                      /* faults tolerated: floor((n-1)/3) */
  uint32_t checkpoint_interval;    /* K: a checkpoint every K sequence numbers */
  uint32_t watermark_window;       /* L: sequence numbers accepted above the stable checkpoint */
  uint32_t max_clients;            /* client ids are in [0, max_clients) */
  uint32_t max_buffered;           /* future-view messages a replica may keep */
  uint32_t mutation;               /* the bug catalog's planted bug, numbered as pbft::Mutation
                                      (0: none); a plug-in that plants none refuses others in create */
  uint32_t reserved;               /* 0 */
} pbftsim_config;

/* Where a send goes. */
enum {
  PBFTSIM_TO_REPLICA = 0, /* one replica: id */
  PBFTSIM_TO_ALL = 1,     /* every replica but the sender: id ignored */
  PBFTSIM_TO_CLIENT = 2   /* one client: id */
};

/* A request the replica executed (or skipped as a duplicate or a null), in
 * sequence order without gaps. */
typedef struct pbftsim_execution {
  uint64_t seq;
  uint64_t view;
  uint64_t digest; /* the null request's digest for a null */
  uint64_t timestamp;
  uint64_t operation;
  uint64_t result;
  uint32_t client;
  uint32_t applied; /* 0: null request or duplicate timestamp; 1: applied */
} pbftsim_execution;

/* Protocol events, for the checkers, the traces and coverage. */
enum {
  PBFTSIM_EVENT_PREPARED = 0,          /* seq prepared with digest in view */
  PBFTSIM_EVENT_COMMITTED = 1,         /* seq committed-local with digest in view (once per view,
                                          also on a slot decided in an earlier view) */
  PBFTSIM_EVENT_CHECKPOINT_STABLE = 2, /* seq became stable; digest: the state digest */
  PBFTSIM_EVENT_VIEW_CHANGE_START = 3, /* sent VIEW-CHANGE for view */
  PBFTSIM_EVENT_NEW_VIEW_ENTERED = 4,  /* entered view */
  PBFTSIM_EVENT_CERT_CARRIED = 5,      /* a NEW-VIEW re-issued a prepared request at seq */
  PBFTSIM_EVENT_STATE_INSTALLED = 6,   /* caught up to seq by state transfer (with install_state) */
  PBFTSIM_EVENT_REJECTED = 7           /* an input was rejected (only counted; detail is yours) */
};

typedef struct pbftsim_event {
  uint64_t view;
  uint64_t seq;
  uint64_t digest;
  uint32_t kind;
  uint32_t detail;
} pbftsim_event;

/* The harness's side: where one input's effects go. Valid only during the
 * call that received it; the host copies what it is given before it
 * returns, and never throws or unwinds into the plug-in.
 *
 * A plug-in's mistakes end the run with one line naming the plug-in and
 * exit status 2, never a protocol verdict: bytes that are not a message or
 * a state, a destination or event kind not listed here, a timer token of 0,
 * a timer delay of 0 or above 2^40 us, a sequence number above 2^32 in an
 * execution or event, or a failure it reports itself (fail). A send to a
 * replica or client id that does not exist is dropped, as a network would. */
typedef struct pbftsim_effects pbftsim_effects;

typedef struct pbftsim_host {
  void (*send)(pbftsim_effects* out, uint32_t to_kind, uint32_t to_id, const uint8_t* message,
               size_t length);
  /* One view-change timer per replica, named by a non-zero token the
   * replica picks; setting a timer replaces the armed one. Expiry calls
   * on_timer(token). Time is virtual: the delay is all a replica knows of it. */
  void (*set_timer)(pbftsim_effects* out, uint64_t token, uint64_t delay_us);
  void (*cancel_timer)(pbftsim_effects* out, uint64_t token);
  void (*execute)(pbftsim_effects* out, const pbftsim_execution* execution);
  void (*event)(pbftsim_effects* out, const pbftsim_event* event);
  /* The service state a state transfer installed (wire "state" layout), with
   * a PBFTSIM_EVENT_STATE_INSTALLED event in the same input (at most one per
   * input: a second replaces the first). */
  void (*install_state)(pbftsim_effects* out, const uint8_t* state, size_t length);
  /* The plug-in cannot go on (out of memory, a broken invariant): the run
   * ends with this reason (a C string, copied). */
  void (*fail)(pbftsim_effects* out, const char* reason);
} pbftsim_host;

typedef struct pbftsim_replica pbftsim_replica; /* the plug-in's own */

typedef struct pbftsim_replica_api {
  uint32_t abi_version; /* PBFTSIM_REPLICA_ABI_VERSION */
  const char* name;     /* shown in errors and --help output */

  /* Called from several threads at once (for different replicas), as are
   * clone, assign and destroy; one replica is only ever used by one thread
   * at a time. NULL with a message in error (a static string) when the
   * configuration is unsupported, for example a mutation the plug-in does
   * not plant. */
  pbftsim_replica* (*create)(const pbftsim_config* config, uint32_t id, const char** error);
  void (*destroy)(pbftsim_replica* replica);
  pbftsim_replica* (*clone)(const pbftsim_replica* replica);
  /* Optional (may be NULL): make target a copy of source, reusing target's
   * memory. The harness does this at every schedule's start; without it,
   * it clones and destroys. */
  void (*assign)(pbftsim_replica* target, const pbftsim_replica* source);

  /* A message from replica `from` (authenticated by the harness; the
   * message's own replica fields are only claims). The bytes (never NULL,
   * not aligned) are valid only during the call. Bytes that do not parse
   * are the sender's fault: reject them, never crash. */
  void (*on_message)(pbftsim_replica* replica, uint32_t from, const uint8_t* message, size_t length,
                     const pbftsim_host* host, pbftsim_effects* out);
  /* A client's request (wire kind 0, with its kind byte). */
  void (*on_client_request)(pbftsim_replica* replica, uint32_t client, const uint8_t* request,
                            size_t length, const pbftsim_host* host, pbftsim_effects* out);
  /* A timer set with this token expired (stale tokens are the replica's to ignore). */
  void (*on_timer)(pbftsim_replica* replica, uint64_t token, const pbftsim_host* host,
                   pbftsim_effects* out);
} pbftsim_replica_api;

/* The one symbol a plug-in exports; it returns a table that lives as long
 * as the library. abi_version stays its first field in every version. */
#if defined(_WIN32)
#define PBFTSIM_PLUGIN_EXPORT __declspec(dllexport)
#else
#define PBFTSIM_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif
PBFTSIM_PLUGIN_EXPORT const pbftsim_replica_api* pbftsim_replica_plugin(void);
typedef const pbftsim_replica_api* (*pbftsim_replica_plugin_fn)(void);
#define PBFTSIM_REPLICA_PLUGIN_SYMBOL "pbftsim_replica_plugin"

#ifdef __cplusplus
}
#define PBFTSIM_STATIC_ASSERT static_assert
#else
#define PBFTSIM_STATIC_ASSERT _Static_assert
#endif
PBFTSIM_STATIC_ASSERT(sizeof(pbftsim_config) == 40, "pbftsim_config has padding");
PBFTSIM_STATIC_ASSERT(sizeof(pbftsim_execution) == 56, "pbftsim_execution has padding");
PBFTSIM_STATIC_ASSERT(sizeof(pbftsim_event) == 32, "pbftsim_event has padding");
#undef PBFTSIM_STATIC_ASSERT

#endif /* PBFTSIM_REPLICA_PLUGIN_H */
