#!/usr/bin/env bash
# trace_at_limits.sh PBFTSIM TRACE SCRATCH: a trace whose header is at every
# limit of model/scenario_limits.h at once (n = 64, window 1024, a
# checkpoint at every request, 256 clients, 2,000,000 requests, 1,000,000
# steps; async with the tape's worst order, and timed with zero delays,
# 1 us timeouts and the longest horizon) runs to its step budget within the
# documented bound: under 1 GiB of address space (ulimit -v) here, and
# within the test's TIMEOUT. The header has no events after it, so a
# completed run ends in "replay diverged" at line 2, exit 2. Then the timed
# run is recorded and its trace, every event in it, replays within the
# same bound.
set -u
pbftsim=$1 trace=$2 dir=$3
mkdir -p "$dir"
failures=0
for mode in async timed; do
  python3 - "$trace" "$dir/limits-$mode.jsonl" "$mode" <<'PY'
import json, sys
src, out, mode = sys.argv[1:4]
lines = open(src).read().splitlines(True)
h = json.loads(lines[0])
s = h["scenario"]
s["config"].update(n=64, f=21, watermark_window=1024, checkpoint_interval=1, max_clients=256,
                   max_buffered=100000, view_change_timeout_us=1)
s["faults"] = []
s["workload"].update(clients=256, requests_per_client=7812, closed_loop=(mode == "async"),
                     open_loop_interval_us=0, client_timeout_us=1)
s["network"].update(mode=mode, max_steps=1000000, min_delay_us=0, max_delay_us=0 if mode == "timed" else 35000)
big = 1 << 40
s["horizon_us"] = big
s["liveness_bound_us"] = big
h["tape"] = []  # every pick 0: in async the oldest message, the most expensive to take out
open(out, "w").write(json.dumps(h) + "\n" + lines[-1])
PY
  start=$(date +%s.%N)
  err=$( (ulimit -v 1048576; "$pbftsim" replay "$dir/limits-$mode.jsonl") 2>&1 >/dev/null)
  status=$?
  seconds=$(echo "$(date +%s.%N) - $start" | bc)
  echo "$mode at the limits: exit $status in $seconds s: ${err:0:160}"
  if [ "$status" -ne 2 ] || ! grep -q "limits-$mode\.jsonl:2: replay diverged" <<<"$err"; then
    echo "FAIL: expected the run to complete within 1 GiB and diverge at line 2" >&2
    failures=$((failures + 1))
  fi
done
# A valid trace at the limits, with all its events: the timed run above
# recorded (1,000,000 steps, about 3 million lines, 350 MiB), then replayed
# and verified line by line within the same bound.
"$pbftsim" replay "$dir/limits-timed.jsonl" --record "$dir/valid-timed.jsonl" >/dev/null
echo "recorded a valid trace at the limits: $(wc -l <"$dir/valid-timed.jsonl") lines, $(du -m "$dir/valid-timed.jsonl" | cut -f1) MiB"
start=$(date +%s.%N)
out=$( (ulimit -v 1048576; "$pbftsim" replay "$dir/valid-timed.jsonl") 2>&1)
status=$?
echo "valid timed trace at the limits: exit $status in $(echo "$(date +%s.%N) - $start" | bc) s: ${out:0:200}"
if [ "$status" -ne 0 ] || ! grep -q "as recorded" <<<"$out"; then
  echo "FAIL: expected it to replay, verified, within 1 GiB" >&2
  failures=$((failures + 1))
fi
rm -f "$dir/valid-timed.jsonl"
[ "$failures" -eq 0 ]
