# Sourced by replica_lib.sh and replica_cmd.sh (set $pbftsim, $dir and
# $name first): the helpers, and the pass both make through the command
# line with a plugged replica given by flags.
fail() { echo "$name: $*" >&2; exit 1; }
expect() {  # expect STATUS COMMAND...: runs it, output in $dir/last.txt
  local want=$1
  shift
  "$@" >"$dir/last.txt" 2>&1
  local got=$?
  [ $got -eq "$want" ] || fail "exit $got, expected $want: $* ($(head -c 300 "$dir/last.txt"))"
}

# same_as_native HINT TRIALS FLAG VALUE: check finds and minimizes the same
# counterexample as the native path, byte for byte (async and timed), and
# prints a replay command ending in HINT; replay, explain and minimize
# re-run it plugged; a pbft sweep of TRIALS trials gives the same points.
same_as_native() {
  local hint=$1 trials=$2
  shift 2
  local plugged=("$@") net args sweep
  for net in async timed; do
    args=(check --mutation prepare-quorum-short --network $net --schedules 2000 --threads 2)
    expect 1 "$pbftsim" "${args[@]}" --out "$dir/native-$net.jsonl"
    expect 1 "$pbftsim" "${args[@]}" --out "$dir/plugged-$net.jsonl" "${plugged[@]}"
    grep -qF "replay with: pbftsim replay $dir/plugged-$net.jsonl $hint" "$dir/last.txt" ||
      fail "check's replay hint does not name the plugged replica: $(cat "$dir/last.txt")"
    cmp "$dir/native-$net.jsonl" "$dir/plugged-$net.jsonl" || fail "$net: the counterexamples differ"

    expect 1 "$pbftsim" replay "$dir/plugged-$net.jsonl" "${plugged[@]}"
    grep -q "matches" "$dir/last.txt" || fail "$net: the plugged replay did not match"
    expect 1 "$pbftsim" explain "$dir/plugged-$net.jsonl" "${plugged[@]}"
    expect 1 "$pbftsim" minimize "$dir/plugged-$net.jsonl" -o "$dir/again-plugged-$net.jsonl" "${plugged[@]}"
    expect 1 "$pbftsim" minimize "$dir/native-$net.jsonl" -o "$dir/again-native-$net.jsonl"
    cmp "$dir/again-native-$net.jsonl" "$dir/again-plugged-$net.jsonl" || fail "$net: minimize gave different traces"
  done
  sweep=(sweep --profile pbft --n 4 --malicious 0..2 --trials "$trials" --threads 2)
  expect 0 "$pbftsim" "${sweep[@]}" --csv "$dir/native.csv"
  expect 0 "$pbftsim" "${sweep[@]}" --csv "$dir/plugged.csv" "${plugged[@]}"
  cmp "$dir/native.csv" "$dir/plugged.csv" || fail "the sweep's points differ"
}
