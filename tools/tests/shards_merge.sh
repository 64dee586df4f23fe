#!/usr/bin/env bash
# shards_merge.sh PBFTSIM DIR: three `check --shard I/3` runs merged by
# `pbftsim merge` report what one `check` reports (the same first failing
# schedule and the byte-identical counterexample), and merge refuses an
# incomplete set.
set -u
pbftsim=$1
dir=$2
rm -rf "$dir" && mkdir -p "$dir" || exit 1
fail() { echo "shards_merge: $*" >&2; exit 1; }
# The calm space with a fixed workload, where the first violation lies deep
# (schedule 37), so every shard has work before it (the hostile default
# finds this bug at schedule 4).
args=(check --mutation newview-issues-before-o --calm --network async --requests 4 --clients 1 --schedules 2000 --threads 2)

"$pbftsim" "${args[@]}" --out "$dir/one.jsonl" --json "$dir/one.json" >"$dir/one.txt"
[ $? -eq 1 ] || fail "one search: expected exit 1 (violation)"
for i in 0 1 2; do
  "$pbftsim" "${args[@]}" --shard $i/3 --out "$dir/s$i.jsonl" --json "$dir/s$i.json" >"$dir/s$i.txt"
  status=$?
  [ $status -le 1 ] || fail "shard $i/3 exited $status"
done
"$pbftsim" merge "$dir/s2.json" "$dir/s0.json" "$dir/s1.json" --json "$dir/merged.json" >"$dir/merged.txt"
[ $? -eq 1 ] || fail "merge: expected exit 1 (violation)"
"$pbftsim" merge "$dir/one.json" >"$dir/one-merged.txt"

# The result lines agree; the counterexample is the same file, byte for byte.
head -1 "$dir/merged.txt" | diff - <(head -1 "$dir/one-merged.txt") || fail "merged result differs from one search"
grep -q '^violation in schedule 37 ' "$dir/merged.txt" || fail "expected schedule 37: $(head -1 "$dir/merged.txt")"
ce=$(sed -n 's/^counterexample: //p' "$dir/merged.txt")
cmp "$ce" "$dir/one.jsonl" || fail "the merged counterexample $ce differs from one search's"

# An incomplete or mixed set is bad input.
"$pbftsim" merge "$dir/s0.json" "$dir/s1.json" 2>"$dir/err.txt"
[ $? -eq 2 ] && grep -q "2 summaries for a search in 3 shards" "$dir/err.txt" || fail "merge of 2 of 3 shards: $(cat "$dir/err.txt")"
"$pbftsim" merge "$dir/s0.json" "$dir/one.txt" 2>"$dir/err.txt"
[ $? -eq 2 ] && grep -q "one.txt: not JSON" "$dir/err.txt" || fail "merge of a non-JSON file: $(cat "$dir/err.txt")"

# Sweeps: 3 shards' --json merged give one sweep's JSON and CSV, byte for byte.
sweep=(sweep --profile pbft --n 7 --malicious 0..3 --trials 60 --threads 2)
"$pbftsim" "${sweep[@]}" --json "$dir/sweep-one.json" --csv "$dir/sweep-one.csv" >/dev/null || fail "one sweep"
for i in 0 1 2; do
  "$pbftsim" "${sweep[@]}" --shard $i/3 --json "$dir/sweep-$i.json" >/dev/null || fail "sweep shard $i/3"
done
"$pbftsim" merge "$dir/sweep-1.json" "$dir/sweep-2.json" "$dir/sweep-0.json" --json "$dir/sweep-merged.json" \
  --csv "$dir/sweep-merged.csv" >"$dir/sweep-merged.txt" || fail "merge of 3 sweep shards"
cmp "$dir/sweep-merged.json" "$dir/sweep-one.json" || fail "merged sweep JSON differs from one sweep's"
cmp "$dir/sweep-merged.csv" "$dir/sweep-one.csv" || fail "merged sweep CSV differs from one sweep's"
"$pbftsim" merge "$dir/sweep-0.json" "$dir/sweep-0.json" "$dir/sweep-1.json" 2>"$dir/err.txt"
[ $? -eq 2 ] && grep -q "shard 1/3 is missing or given twice" "$dir/err.txt" || fail "merge of a repeated sweep shard: $(cat "$dir/err.txt")"
"$pbftsim" merge "$dir/sweep-0.json" "$dir/s1.json" "$dir/s2.json" 2>"$dir/err.txt"
[ $? -eq 2 ] || fail "merge of a sweep with check summaries: $(cat "$dir/err.txt")"
echo "shards_merge: 3 shards merged equal one search ($(head -1 "$dir/merged.txt")) and one sweep"
