#!/usr/bin/env bash
# hostile_traces.sh PBFTSIM TRACE CLEAN_TRACE SCRATCH: traces a user edited,
# truncated or pointed at the wrong thing (issue 15, rows 1-5, 14 and 15).
# Each must end in exit status 2 and one line that names the file, the line
# and what is wrong, leave no output file (or its temporary) behind, and a
# sound trace must count its deliveries the same way in replay and explain.
# TRACE is a counterexample (a violation); CLEAN_TRACE ends without one and
# has replies delivered to clients.
set -u
pbftsim=$1 trace=$2 clean=$3 dir=$4
mkdir -p "$dir"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# expect_refusal NAME REGEX COMMAND...: exit 2, one line on stderr matching REGEX.
expect_refusal() {
  local name=$1 regex=$2
  shift 2
  local err status
  err=$("$@" 2>&1 >/dev/null)
  status=$?
  if [ "$status" -ne 2 ]; then fail "$name: exit status $status, expected 2 ($err)"; return; fi
  if [ "$(printf '%s\n' "$err" | wc -l)" -ne 1 ]; then fail "$name: more than one line: $err"; return; fi
  if ! grep -Eq -- "$regex" <<<"$err"; then fail "$name: '$err' does not match /$regex/"; return; fi
  echo "ok: $name: $err" | cut -c1-220
}

# with_header OUT JSON: TRACE with header fields replaced (dotted paths).
with_header() {
  python3 - "$trace" "$1" "$2" <<'PY'
import json, sys
src, out, edits = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
lines = open(src).read().splitlines(True)
header = json.loads(lines[0])
for path, value in edits.items():
    node = header
    *parents, last = path.split('.')
    for p in parents:
        node = node[p]
    node[last] = value
open(out, 'w').write(json.dumps(header) + '\n' + ''.join(lines[1:]))
PY
}

# Row 1-3: header values past the limits, refused before anything is sized
# from them; explain --mermaid leaves no diagram and no temporary.
with_header "$dir/window.jsonl" '{"scenario.config.watermark_window": 4294967295}'
expect_refusal "huge watermark window" 'window\.jsonl:1: config\.watermark_window: 4294967295 out of range \(max [0-9]+\)' \
  "$pbftsim" replay "$dir/window.jsonl"
rm -f "$dir/m.mmd" "$dir/m.mmd.tmp"
expect_refusal "huge window, explain --mermaid" 'out of range' "$pbftsim" explain "$dir/window.jsonl" --mermaid "$dir/m.mmd"
[ -e "$dir/m.mmd" ] || [ -e "$dir/m.mmd.tmp" ] && fail "explain --mermaid left a diagram or its temporary"
with_header "$dir/clients.jsonl" '{"scenario.config.max_clients": 1000000}'
expect_refusal "a million clients" 'clients\.jsonl:1: config\.max_clients: 1000000 out of range' "$pbftsim" replay "$dir/clients.jsonl"
with_header "$dir/interval.jsonl" '{"scenario.config.checkpoint_interval": 4294967295}'
expect_refusal "huge checkpoint interval" 'config\.checkpoint_interval: 4294967295 out of range' "$pbftsim" minimize "$dir/interval.jsonl" -o "$dir/min.jsonl"
with_header "$dir/steps.jsonl" '{"scenario.network.max_steps": 18446744073709551615, "scenario.workload.requests_per_client": 4294967295}'
expect_refusal "endless steps" 'steps\.jsonl:1: (network\.max_steps|workload\.requests_per_client): [0-9]+ out of range' "$pbftsim" replay "$dir/steps.jsonl"
with_header "$dir/horizon.jsonl" '{"scenario.horizon_us": 18446744073709551615}'
expect_refusal "endless horizon" 'horizon_us: 18446744073709551615 out of range' "$pbftsim" replay "$dir/horizon.jsonl"

# Row 4: one event line edited or deleted; replay, minimize and explain name it.
line=$(grep -n '"ev":"deliver".*"digest":"[0-9a-f]\{16\}"' "$trace" | head -1 | cut -d: -f1)
sed -E "${line}s/\"digest\":\"[0-9a-f]{16}\"/\"digest\":\"0123456789abcdef\"/" "$trace" >"$dir/digest.jsonl"
sed -E "${line}s/\"to\":([0-9]+)/\"to\":9\1/" "$trace" >"$dir/to.jsonl"
sed "${line}d" "$trace" >"$dir/deleted.jsonl"
for edit in digest to; do
  expect_refusal "edited $edit, replay" "$edit\.jsonl:$line: replay diverged from the recording: expected .*, found .*the trace was edited, or the code changed" \
    "$pbftsim" replay "$dir/$edit.jsonl"
done
expect_refusal "deleted line, replay" "deleted\.jsonl:$line: replay diverged .*expected .*found" "$pbftsim" replay "$dir/deleted.jsonl"
expect_refusal "deleted line, minimize" "deleted\.jsonl:$line: replay diverged" "$pbftsim" minimize "$dir/deleted.jsonl" -o "$dir/min.jsonl"
[ -e "$dir/min.jsonl" ] && fail "minimize wrote a trace from an edited one"
expect_refusal "edited digest, explain" "digest\.jsonl:$line: replay diverged" "$pbftsim" explain "$dir/digest.jsonl"

# Row 5: not a trace file at all.
mkdir -p "$dir/adir"
expect_refusal "a directory" 'adir: is a directory, not a trace file' "$pbftsim" replay "$dir/adir"
expect_refusal "/dev/zero" '/dev/zero: larger than [0-9]+ MiB' "$pbftsim" explain /dev/zero

# A line too long to be an event is refused before it is parsed; a trace
# saved with CRLF line ends still replays, every event verified.
{ head -1 "$trace"; printf '{"ev":"deliver","pad":"%s"}\n' "$(head -c 5000 /dev/zero | tr '\0' x)"; tail -n +2 "$trace"; } \
  >"$dir/long.jsonl"
expect_refusal "a 5 KB event line" 'long\.jsonl:2: line of [0-9]+ bytes out of range \(max 4096\)' "$pbftsim" replay "$dir/long.jsonl"
sed 's/$/\r/' "$trace" >"$dir/crlf.jsonl"
"$pbftsim" replay "$dir/crlf.jsonl" >"$dir/crlf.out" 2>&1
status=$?
if [ "$status" -ne 1 ] || ! grep -q "as recorded" "$dir/crlf.out"; then
  fail "a CRLF trace: exit $status, $(cat "$dir/crlf.out")"
else
  echo "ok: a CRLF trace replays"
fi

# Row 14: a numeric hash, an edited verdict.
sed -E '$s/"hash":"[0-9a-f]{16}"/"hash":123/' "$trace" >"$dir/numeric.jsonl"
expect_refusal "numeric hash" 'numeric\.jsonl:[0-9]+: end line: "hash" must be a string, not 123' "$pbftsim" replay "$dir/numeric.jsonl"
sed -E '$s/"verdict":"[a-z-]+"/"verdict":"validity"/' "$trace" >"$dir/verdict.jsonl"
expect_refusal "edited verdict" "verdict\.jsonl:[0-9]+: replay diverged .*verdict is validity violation, the replay's [a-z-]+ violation" \
  "$pbftsim" replay "$dir/verdict.jsonl"

# Row 15: one delivery count in replay and explain (replies to clients count).
replayed=$("$pbftsim" replay "$clean" | sed -nE 's/.* ([0-9]+) deliveries as recorded.*/\1/p')
explained=$("$pbftsim" explain "$clean" | sed -nE '1s/.* after ([0-9]+) deliveries.*/\1/p')
if [ -z "$replayed" ] || [ "$replayed" != "$explained" ]; then
  fail "replay counts '$replayed' deliveries, explain '$explained'"
else
  echo "ok: replay and explain both count $replayed deliveries"
fi

[ "$failures" -eq 0 ]
