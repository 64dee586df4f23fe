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
name=replica_lib
source "$(dirname "$0")/plugged_same_as_native.sh"

same_as_native 30 --replica-lib "$plugin"

# Unusable plug-ins: exit 2, one line naming the library.
expect 2 "$pbftsim" check --replica-lib "$dir/missing.so"
grep -qx -- "pbftsim: --replica-lib $dir/missing.so: cannot load: cannot open shared object file: No such file or directory" "$dir/last.txt" || fail "missing library: $(cat "$dir/last.txt")"
expect 2 "$pbftsim" replay "$dir/plugged-async.jsonl" --replica-lib "$dir/native.csv"
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
