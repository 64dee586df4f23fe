#!/usr/bin/env bash
# interrupts.sh PBFTSIM SCRATCH: SIGINT to `check` and SIGTERM to `sweep`
# while they run with outputs (issue 15, row 10): each stops, prints its
# result line saying "stopped by interrupt", writes its outputs, leaves no
# temporary file, and exits 130.
set -u
pbftsim=$1 dir=$2
rm -rf "$dir" && mkdir -p "$dir" || exit 1
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# interrupt SIGNAL NAME COMMAND...: runs it, sends SIGNAL once it has run a
# second, and checks status, result line, outputs and temporaries.
interrupt() {
  local signal=$1 name=$2
  shift 2
  "$@" >"$dir/$name.out" 2>"$dir/$name.err" &
  local pid=$!
  sleep 1.5
  kill -s "$signal" "$pid"
  wait "$pid"
  local status=$?
  [ "$status" -eq 130 ] || fail "$name: exit status $status after SIG$signal, expected 130 ($(cat "$dir/$name.err"))"
  grep -q "stopped by interrupt" "$dir/$name.out" || fail "$name: no result line saying so: $(tail -2 "$dir/$name.out")"
  ls "$dir"/*.tmp >/dev/null 2>&1 && fail "$name: temporary files left: $(ls "$dir"/*.tmp)"
  echo "$name: exit $status: $(grep "stopped by interrupt" "$dir/$name.out" | cut -c1-160)"
}

interrupt INT check "$pbftsim" check --time-limit 60 --threads 1 --json "$dir/check.json" --out "$dir/ce.jsonl"
grep -q '"stopped_by": "interrupted"' "$dir/check.json" || fail "check --json does not say it was interrupted"
[ -e "$dir/ce.jsonl" ] && fail "check wrote a counterexample without a violation"

interrupt TERM sweep "$pbftsim" sweep --profile pbft --trials 1000000 --threads 1 --csv "$dir/sweep.csv" \
  --json "$dir/sweep.json"
[ -s "$dir/sweep.csv" ] && [ -s "$dir/sweep.json" ] || fail "sweep did not write its --csv and --json"

[ "$failures" -eq 0 ]
