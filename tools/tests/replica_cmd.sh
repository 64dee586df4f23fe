#!/usr/bin/env bash
# replica_cmd.sh PBFTSIM DIR: the command line through --replica-cmd, with
# the built-in replica served by `pbftsim node`. check finds and minimizes
# the same counterexample as the native path, byte for byte (async and
# timed); replay, minimize and explain re-run it over the protocol; a pbft
# sweep gives the same points. A node that cannot run is one line and exit
# 2. Ctrl-C (SIGINT) and SIGTERM of a search leave no node behind.
set -u
pbftsim=$1
dir=$2
rm -rf "$dir" && mkdir -p "$dir" || exit 1
name=replica_cmd
source "$(dirname "$0")/plugged_same_as_native.sh"
# The nodes run under a name of their own, so this test counts only its own.
node_bin="$dir/pbftsim-replica-cmd-test"
ln -s "$(realpath "$pbftsim")" "$node_bin" || exit 1
node="$node_bin node"
nodes_alive() { pgrep -f "$node_bin" | wc -l; }

same_as_native 12 --replica-cmd "$node"

# The trace records the files the command names by SHA-256: a script edited
# since is named when its counterexample is replayed.
printf 'exec %s\n' "$node" >"$dir/node.sh"
expect 1 "$pbftsim" check --mutation prepare-quorum-short --schedules 2000 --minimize-runs 200 --replica-cmd "sh $dir/node.sh" \
  --out "$dir/script.jsonl"
echo "# edited" >>"$dir/node.sh"
expect 1 "$pbftsim" replay "$dir/script.jsonl"
grep -q "^note: $dir/script.jsonl: $dir/node.sh changed since it was recorded (sha256 " "$dir/last.txt" ||
  fail "an edited node script is not named: $(cat "$dir/last.txt")"
grep -q "matches" "$dir/last.txt" || fail "the edited (but equivalent) script's replay did not match"

expect 0 "$pbftsim" check --schedules 20 --replica-cmd "$node" --json "$dir/summary.json"
grep -qF "replica $node" "$dir/last.txt" || fail "the result line does not name the node command"
grep -qF "\"replica\": \"$node\"" "$dir/summary.json" || fail "--json does not name the node command"

[ "$(nodes_alive)" -eq 0 ] || fail "nodes left behind after the runs"

# Nodes that cannot be used: exit 2, one line naming the replica and the command.
expect 2 "$pbftsim" check --replica-cmd "$dir/missing-node"
[ "$(wc -l <"$dir/last.txt")" -eq 1 ] || fail "missing command: more than one line: $(cat "$dir/last.txt")"
grep -qE "^pbftsim: replica 0 \(node \`$dir/missing-node\`\) exited with status 127 .*not found at input 0: " \
  "$dir/last.txt" || fail "missing command: $(cat "$dir/last.txt")"
expect 2 "$pbftsim" check --replica-cmd "echo garbage; cat >/dev/null"
grep -q "answered with a line that is not an effect (not JSON): garbage" "$dir/last.txt" ||
  fail "garbage node: $(cat "$dir/last.txt")"
expect 2 "$pbftsim" check --replica-cmd "sleep 60" --node-timeout 200
grep -q "did not answer in time (step limit 200 ms)" "$dir/last.txt" || fail "hung node: $(cat "$dir/last.txt")"
# A node that fails mid-run: check writes the trace up to the failure to
# --out; replay fails again at the same input, explain tells the story up to
# it, minimize refuses (nothing to shrink).
dies="sh $(dirname "$0")/node_dies_at_view_change.sh $node_bin"
expect 2 "$pbftsim" check --replica-cmd "$dies" --out "$dir/dies.jsonl"
[ "$(wc -l <"$dir/last.txt")" -eq 1 ] || fail "failing node: more than one line: $(cat "$dir/last.txt")"
grep -qE "^pbftsim: replica [0-9]+ \(node .*\) exited with status 0 before it answered at input [0-9]+: .*\(schedule [0-9]+; the trace up to it: $dir/dies.jsonl\)$" \
  "$dir/last.txt" || fail "failing node: $(cat "$dir/last.txt")"
tail -1 "$dir/dies.jsonl" | grep -q '"verdict":"replica-failure"' || fail "the trace does not end in the failure"
tail -2 "$dir/dies.jsonl" | head -1 | grep -q '"ev":"deliver".*"msg":"VIEW-CHANGE"' ||
  fail "the trace does not stop at the VIEW-CHANGE the node died at"
expect 2 "$pbftsim" replay "$dir/dies.jsonl"
grep -qE "the replica failed again, as recorded: replica [0-9]+ \(node" "$dir/last.txt" ||
  fail "replay of the failure: $(cat "$dir/last.txt")"
expect 2 "$pbftsim" explain "$dir/dies.jsonl"
grep -q "^REPLICA FAILURE on the last input above: replica" "$dir/last.txt" || fail "explain of the failure: $(tail -3 "$dir/last.txt")"
expect 2 "$pbftsim" minimize "$dir/dies.jsonl" -o "$dir/dies-min.jsonl"
grep -q "ends in a replica failure, not a violation" "$dir/last.txt" || fail "minimize of the failure: $(cat "$dir/last.txt")"

expect 2 "$pbftsim" check --replica-cmd "$node" --replica-lib x.so
grep -q "excludes" "$dir/last.txt" || fail "--replica-cmd with --replica-lib: $(cat "$dir/last.txt")"

# Interrupted mid-run: the nodes die with pbftsim. check and sweep stop
# and report on INT and TERM (exit 130, tools/interrupt.h); sweep dies of
# HUP.
for run in "check --time-limit 60:INT" "check --time-limit 60:TERM" "sweep --profile pbft --trials 1000000:TERM" \
           "sweep --profile pbft --trials 1000000:HUP"; do
  command=${run%:*}
  signal=${run##*:}
  {
    "$pbftsim" $command --threads 2 --replica-cmd "$node" >"$dir/signal.txt" 2>&1 &
    pid=$!
    for _ in $(seq 50); do [ "$(nodes_alive)" -ge 3 ] && break; sleep 0.1; done
    [ "$(nodes_alive)" -ge 3 ] || fail "$command, SIG$signal: no nodes started"
    kill -s "$signal" $pid
    wait $pid
    status=$?
    case $command in
      check*) [ $status -eq 130 ] && grep -q "no violation.*stopped by interrupt" "$dir/signal.txt" ||
        fail "$command, SIG$signal: exit $status, $(cat "$dir/signal.txt")" ;;
      *) [ $status -gt 128 ] || fail "$command, SIG$signal: exit $status, not killed by the signal" ;;
    esac
    for _ in $(seq 20); do [ "$(nodes_alive)" -eq 0 ] && break; sleep 0.1; done
    [ "$(nodes_alive)" -eq 0 ] || fail "$command, SIG$signal: $(nodes_alive) node(s) outlived pbftsim"
  }
done
echo "replica_cmd: ok"
