#!/usr/bin/env bash
# replica_lib.sh PBFTSIM PLUGIN FAULTY_PLUGIN DIR: the command line through --replica-lib.
# With the built-in replica's plug-in, check finds and minimizes the same
# counterexample as the native path, byte for byte (async and timed);
# replay, minimize and explain re-run it through the plug-in; a pbft sweep
# gives the same points. Unusable plug-ins exit 2 with one line, also when
# one fails in the middle of a search on two threads.
set -u
pbftsim=$1
plugin=$2
faulty=$3  # plugin/tests/faulty_plugin.c: PBFTSIM_TEST_BAD_EFFECT picks its mistake
dir=$4
rm -rf "$dir" && mkdir -p "$dir" || exit 1
fail() { echo "replica_lib: $*" >&2; exit 1; }
expect() {  # expect STATUS COMMAND...: runs it, output in $dir/last.txt
  local want=$1
  shift
  "$@" >"$dir/last.txt" 2>&1
  local got=$?
  [ $got -eq "$want" ] || fail "exit $got, expected $want: $* ($(head -c 300 "$dir/last.txt"))"
}

for net in async timed; do
  args=(check --mutation prepare-quorum-short --network $net --schedules 2000 --threads 2)
  expect 1 "$pbftsim" "${args[@]}" --out "$dir/native-$net.jsonl"
  expect 1 "$pbftsim" "${args[@]}" --out "$dir/plugin-$net.jsonl" --replica-lib "$plugin"
  grep -q "replay with: pbftsim replay $dir/plugin-$net.jsonl --replica-lib $plugin" "$dir/last.txt" ||
    fail "check's replay hint does not name the plug-in"
  cmp "$dir/native-$net.jsonl" "$dir/plugin-$net.jsonl" || fail "$net: the counterexamples differ"

  expect 1 "$pbftsim" replay "$dir/plugin-$net.jsonl" --replica-lib "$plugin"
  grep -q "matches" "$dir/last.txt" || fail "$net: replay through the plug-in did not match"
  expect 1 "$pbftsim" explain "$dir/plugin-$net.jsonl" --replica-lib "$plugin"
  expect 1 "$pbftsim" minimize "$dir/plugin-$net.jsonl" -o "$dir/again-plugin-$net.jsonl" --replica-lib "$plugin"
  expect 1 "$pbftsim" minimize "$dir/native-$net.jsonl" -o "$dir/again-native-$net.jsonl"
  cmp "$dir/again-native-$net.jsonl" "$dir/again-plugin-$net.jsonl" || fail "$net: minimize gave different traces"
done

sweep=(sweep --profile pbft --n 4 --malicious 0..2 --trials 30 --threads 2)
expect 0 "$pbftsim" "${sweep[@]}" --csv "$dir/native.csv"
expect 0 "$pbftsim" "${sweep[@]}" --csv "$dir/plugin.csv" --replica-lib "$plugin"
cmp "$dir/native.csv" "$dir/plugin.csv" || fail "the sweep's points differ"

# Unusable plug-ins: exit 2, one line naming the library.
expect 2 "$pbftsim" check --replica-lib "$dir/missing.so"
grep -qx -- "pbftsim: --replica-lib $dir/missing.so: cannot load: cannot open shared object file: No such file or directory" "$dir/last.txt" || fail "missing library: $(cat "$dir/last.txt")"
expect 2 "$pbftsim" replay "$dir/plugin-async.jsonl" --replica-lib "$dir/native.csv"
[ "$(wc -l <"$dir/last.txt")" -eq 1 ] || fail "not a library: more than one line"
expect 2 "$pbftsim" sweep --replica-lib "$plugin"
grep -q "need --profile pbft" "$dir/last.txt" || fail "seed profile with a plug-in: $(cat "$dir/last.txt")"
for command in "check --threads 2" "sweep --profile pbft --threads 2"; do
  expect 2 env PBFTSIM_TEST_BAD_EFFECT=garbage "$pbftsim" $command --replica-lib "$faulty"
  [ "$(wc -l <"$dir/last.txt")" -eq 1 ] || fail "$command with a garbage plug-in: more than one line"
  grep -qE "^pbftsim: replica plug-in faulty \(.*\): replica [0-9]+ answered with a send of 2 bytes that are not a message" \
    "$dir/last.txt" || fail "$command with a garbage plug-in: $(cat "$dir/last.txt")"
done
# A plug-in that cannot repeat a schedule is its own verdict, before any search.
expect 2 env PBFTSIM_TEST_BAD_EFFECT=nondeterministic "$pbftsim" check --replica-lib "$faulty"
grep -qE "^pbftsim: nondeterministic replica: replica plug-in faulty \(.*\) ran schedule 0 twice" \
  "$dir/last.txt" || fail "nondeterministic plug-in: $(cat "$dir/last.txt")"
expect 2 env PBFTSIM_TEST_BAD_EFFECT=nondeterministic "$pbftsim" sweep --profile pbft --replica-lib "$faulty"
grep -qE "^pbftsim: nondeterministic replica: .* ran trial 0 of malicious = 0 twice" "$dir/last.txt" ||
  fail "sweep with a nondeterministic plug-in: $(cat "$dir/last.txt")"
echo "replica_lib: all checks passed"
