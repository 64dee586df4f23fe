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

# same_trace A B: the two traces are the same but for the header's record
# of which replica ran (a plugged run records one, a native run none).
same_trace() {
  python3 - "$1" "$2" <<'EOF'
import json, sys
def body(path):
    lines = open(path).read().split("\n")
    header = json.loads(lines[0])
    header.pop("replica", None)
    return [json.dumps(header, sort_keys=True)] + lines[1:]
sys.exit(0 if body(sys.argv[1]) == body(sys.argv[2]) else 1)
EOF
}

# same_as_native TRIALS FLAG VALUE: check finds and minimizes the same
# counterexample as the native path, byte for byte but for the record of
# the replica (async and timed), and prints a replay command that needs no
# flag; replay, explain and minimize re-run it plugged; a pbft sweep of
# TRIALS trials gives the same points.
same_as_native() {
  local trials=$1
  shift
  local plugged=("$@") net args sweep
  for net in async timed; do
    # A lower minimizer cap: each plugged run crosses a process boundary.
    args=(check --mutation prepare-quorum-short --network $net --schedules 2000 --threads 2 --minimize-runs 200)
    expect 1 "$pbftsim" "${args[@]}" --out "$dir/native-$net.jsonl"
    expect 1 "$pbftsim" "${args[@]}" --out "$dir/plugged-$net.jsonl" "${plugged[@]}"
    grep -qxF "replay with: pbftsim replay $dir/plugged-$net.jsonl" "$dir/last.txt" ||
      fail "check's replay hint is not the bare replay command: $(cat "$dir/last.txt")"
    same_trace "$dir/native-$net.jsonl" "$dir/plugged-$net.jsonl" || fail "$net: the counterexamples differ"
    grep -q '"replica":{' "$dir/plugged-$net.jsonl" || fail "$net: the plugged trace does not record its replica"
    if grep -q '"replica":{' "$dir/native-$net.jsonl"; then fail "$net: the native trace records a replica"; fi

    expect 1 "$pbftsim" replay "$dir/plugged-$net.jsonl" "${plugged[@]}"
    grep -q "matches" "$dir/last.txt" || fail "$net: the plugged replay did not match"
    # Without the flag, replay re-runs the replica the trace records.
    expect 1 "$pbftsim" replay "$dir/plugged-$net.jsonl"
    grep -qE "^replayed .* with .*matches" "$dir/last.txt" ||
      fail "$net: replay did not re-run the recorded replica: $(cat "$dir/last.txt")"
    if grep -q "^note:" "$dir/last.txt"; then fail "$net: a note on an unchanged replica: $(cat "$dir/last.txt")"; fi
    # Another replica than the recorded one is named in a note.
    expect 1 "$pbftsim" replay "$dir/native-$net.jsonl" "${plugged[@]}"
    grep -q "^note: .*recorded with the built-in replica, and runs now with" "$dir/last.txt" ||
      fail "$net: no note on replaying with another replica: $(cat "$dir/last.txt")"
    expect 1 "$pbftsim" explain "$dir/plugged-$net.jsonl" "${plugged[@]}"
    expect 1 "$pbftsim" minimize "$dir/plugged-$net.jsonl" -o "$dir/again-plugged-$net.jsonl" --minimize-runs 200 \
      "${plugged[@]}"
    expect 1 "$pbftsim" minimize "$dir/native-$net.jsonl" -o "$dir/again-native-$net.jsonl" --minimize-runs 200
    same_trace "$dir/again-native-$net.jsonl" "$dir/again-plugged-$net.jsonl" || fail "$net: minimize gave different traces"
  done
  sweep=(sweep --profile pbft --n 4 --malicious 0..2 --trials "$trials" --threads 2)
  expect 0 "$pbftsim" "${sweep[@]}" --csv "$dir/native.csv"
  expect 0 "$pbftsim" "${sweep[@]}" --csv "$dir/plugged.csv" "${plugged[@]}"
  cmp "$dir/native.csv" "$dir/plugged.csv" || fail "the sweep's points differ"
}
