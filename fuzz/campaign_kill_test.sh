#!/usr/bin/env bash
# A fuzz campaign killed with SIGKILL loses nothing (ci/fuzz-campaign, issue 15).
#
#   fuzz/campaign_kill_test.sh SOURCE_DIR BUILD_DIR
#
# BUILD_DIR is a libFuzzer build (the fuzz preset). PBFTSIM_CAMPAIGN_SCRIPT
# names another version of the script to judge (e.g. `git show
# HEAD~1:ci/fuzz-campaign > /tmp/old-campaign`). The schedule fuzzer with the
# trust-claimed-sender mutation crashes within seconds (one of corpus/schedule's
# seeds already violates agreement with it).
#
# 1. Run 1 starts; once its fuzzer runs, the script is frozen (SIGSTOP: its
#    watcher copies nothing to crashes/ from then on), a crash appears in
#    artifacts/, and the script and its watchdog get SIGKILL: the fuzzer is
#    left orphaned.
# 2. `--post-only DIR`, without the mutation in the environment, must stop
#    the orphan, put every artifact in crashes/ and in the summary, re-run
#    the crashes with the recorded mutation, show run 1's parameters and
#    exit 1 (new crashes).
# 3. Run 2 in the same DIR: --post-only is refused while it runs; a SIGKILL
#    of the script alone is cleaned up by its watchdog, and fuzz.log still
#    begins with run 1's log.
#
# Everything is written under a scratch directory in BUILD_DIR (removed on
# success, kept on failure), and every process started is stopped on exit.
set -uo pipefail
src=$(cd "${1:?usage: campaign_kill_test.sh SOURCE_DIR BUILD_DIR}" && pwd)
build=$(cd "${2:?usage: campaign_kill_test.sh SOURCE_DIR BUILD_DIR}" && pwd)
script=${PBFTSIM_CAMPAIGN_SCRIPT:-$src/ci/fuzz-campaign}
mutation=trust-claimed-sender
[ -x "$build/fuzz/schedule_fuzzer" ] || { echo "no $build/fuzz/schedule_fuzzer" >&2; exit 1; }

work=$(mktemp -d "$build/campaign-kill-test.XXXXXX")
# The script finds the repository from its own path: a copy sits in a scratch
# tree with the corpora and the fuzzers' options, so that any version runs
# alike and whatever it writes into "the repository" stays in the scratch.
tree=$work/tree
mkdir -p "$tree/ci"
cp "$script" "$tree/ci/fuzz-campaign"
chmod +x "$tree/ci/fuzz-campaign"
ln -s "$src/corpus" "$tree/corpus"
ln -s "$src/fuzz" "$tree/fuzz"
ln -s "$src/build" "$tree/build"   # build/release/tools/pbftsim minimizes traces
ln -s "$build" "$tree/bdir"
campaign=$tree/ci/fuzz-campaign
dir=$work/campaign
cd "$tree" || exit 1

failures=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; failures=$((failures + 1)); }
note() { echo "--- $*"; }

# The processes of the campaign: every one whose command line names its folder.
campaign_procs() {
  local p
  for p in $(ps -e -o pid=); do
    [ "$p" = "$$" ] || [ "$p" = "$BASHPID" ] && continue
    tr '\0' '\n' 2>/dev/null < "/proc/$p/cmdline" | grep -qF -- "$dir/" && echo "$p"
  done
  return 0
}
fuzzer_procs() {
  local p
  for p in $(campaign_procs); do
    tr '\0' '\n' 2>/dev/null < "/proc/$p/cmdline" | grep -qxF -- "-artifact_prefix=$dir/schedule/artifacts/" && echo "$p"
  done
  return 0
}
# wait_for SECONDS COMMAND...: polls COMMAND every 0.2 s.
wait_for() {
  local limit=$(( $1 * 5 )) i=0
  shift
  until "$@"; do
    i=$((i + 1))
    [ $i -lt $limit ] || return 1
    sleep 0.2
  done
}
fuzzer_running() { [ -n "$(fuzzer_procs)" ]; }
nothing_running() { [ -z "$(campaign_procs)" ]; }

# Kills what the test started and what is left of the campaign, with the
# temporary folders libFuzzer leaves when killed.
started=()
kill_all() {
  local p victims
  for p in "${started[@]}"; do kill -KILL "$p" 2>/dev/null; done
  victims=$(campaign_procs)
  [ -n "$victims" ] || return 0
  # shellcheck disable=SC2086  # a list of pids
  kill -KILL $victims 2>/dev/null
  wait_for 5 nothing_running
  for p in $victims; do rm -rf "${TMPDIR:-/tmp}/libFuzzerTemp.FuzzWithFork$p.dir"; done
  return 0
}
finish() {
  kill_all
  if [ "$failures" -eq 0 ]; then
    rm -rf "$work"
  else
    echo "($failures failure(s); the campaign folder and logs are kept in $work)"
  fi
}
trap finish EXIT

have_artifact() { compgen -G "$dir/schedule/artifacts/crash-*" > /dev/null; }
sha_of() { sha1sum < "$1" | cut -c1-40; }
# in_crashes FILE: crashes/ holds a copy of it.
in_crashes() {
  local c sha
  sha=$(sha_of "$1")
  for c in "$dir"/crashes/*; do [ -f "$c" ] && [ "$(sha_of "$c")" = "$sha" ] && return 0; done
  return 1
}

note "run 1: PBFTSIM_FUZZ_MUTATION=$mutation ci/fuzz-campaign --hours 0.05 --jobs 1 --fuzzers schedule (${script})"
PBFTSIM_FUZZ_MUTATION=$mutation "$campaign" --hours 0.05 --jobs 1 --fuzzers schedule --no-build \
  --build-dir bdir --out "$dir" > "$work/run1.log" 2>&1 &
run1=$!
started+=("$run1")
wait_for 60 fuzzer_running || { bad "run 1's fuzzer did not start within 60 s"; cat "$work/run1.log"; exit 1; }
kill -STOP "$run1"
wait_for 60 have_artifact || { bad "no crash in artifacts/ within 60 s"; exit 1; }
sleep 2
mapfile -t watchdogs < <(awk '$2 == "watchdog" { print $4 }' "$dir/pids" 2>/dev/null)
kill -KILL "$run1" "${watchdogs[@]}" 2>/dev/null
wait "$run1" 2>/dev/null
note "killed run 1 (pid $run1) with SIGKILL${watchdogs[*]:+, and its watchdog (pid ${watchdogs[*]})}"
sleep 1
orphans=$(fuzzer_procs | wc -l)
if [ "$orphans" -gt 0 ]; then
  ok "run 1's fuzzer is orphaned: $orphans process(es) still running"
else
  bad "expected run 1's fuzzer still running after its script and watchdog were killed"
fi
n_art=$(compgen -G "$dir/schedule/artifacts/crash-*" | wc -l)
only_art=0
for a in "$dir"/schedule/artifacts/crash-*; do in_crashes "$a" || only_art=$((only_art + 1)); done
note "$n_art crash(es) in artifacts/, $only_art of them not in crashes/"
cp "$dir/schedule/fuzz.log" "$work/fuzz.log.run1"

note "ci/fuzz-campaign --post-only DIR (PBFTSIM_FUZZ_MUTATION unset)"
env -u PBFTSIM_FUZZ_MUTATION "$campaign" --post-only "$dir" --build-dir bdir > "$work/post.log" 2>&1
status=$?
summary=$dir/summary.md
if [ "$status" -eq 1 ]; then ok "exit status 1 (new crashes)"; else bad "exit status $status, expected 1 (new crashes)"; fi
left=$(campaign_procs | tr '\n' ' ')
if [ -z "$left" ]; then ok "no process of the campaign left running"; else bad "still running: pids $left"; kill_all; fi
missing=0
for a in "$dir"/schedule/artifacts/crash-*; do
  [ -f "$a" ] || continue
  if ! in_crashes "$a" || ! grep -qF "$(sha_of "$a")" "$summary"; then
    bad "$(basename "$a") is not in crashes/ and the summary"
    missing=$((missing + 1))
  fi
done
[ "$missing" -eq 0 ] && ok "all $n_art crash(es) of artifacts/ in crashes/ and in the summary"
if grep -q '^| `schedule: ' "$summary" && ! grep -q '^| `schedule: unknown/' "$summary"; then
  ok "the crashes reproduced (with the recorded mutation): $(grep -c '^| `schedule: ' "$summary") signature(s)"
else
  bad "the crashes did not reproduce in --post-only: $(grep '^| `schedule' "$summary" | cut -c1-120)"
fi
header=$(sed -n '3,5p' "$summary" | grep '^- ')
for want in "0.05 h" "1 job(s)" "fuzzers: schedule" "PBFTSIM_FUZZ_MUTATION=$mutation"; do
  if grep -qF -- "$want" <<< "$header"; then ok "the header shows '$want'"; else bad "the header lacks '$want': $(head -1 <<< "$header")"; fi
done

note "run 2 in the same folder, killed with SIGKILL (its watchdog left alone)"
PBFTSIM_FUZZ_MUTATION=$mutation "$campaign" --hours 0.05 --jobs 1 --fuzzers schedule --no-build \
  --build-dir bdir --out "$dir" > "$work/run2.log" 2>&1 &
run2=$!
started+=("$run2")
if wait_for 60 fuzzer_running; then
  timeout 20 "$campaign" --post-only "$dir" --build-dir bdir > "$work/post-busy.log" 2>&1
  status=$?
  if [ "$status" -eq 2 ]; then ok "--post-only refused while run 2 runs: $(head -1 "$work/post-busy.log")"
  else bad "--post-only while run 2 runs: exit status $status, expected 2"; fi
  kill -KILL "$run2"
  wait "$run2" 2>/dev/null
  if wait_for 10 nothing_running; then ok "run 2's fuzzer stopped within 10 s of the SIGKILL"
  else bad "run 2's fuzzer still running 10 s after the SIGKILL: pids $(campaign_procs | tr '\n' ' ')"; fi
else
  bad "run 2's fuzzer did not start within 60 s: $(tail -3 "$work/run2.log")"
fi
size1=$(stat -c %s "$work/fuzz.log.run1")
if cmp -s -n "$size1" "$work/fuzz.log.run1" "$dir/schedule/fuzz.log" && \
   [ "$(stat -c %s "$dir/schedule/fuzz.log")" -gt "$size1" ]; then
  ok "fuzz.log appended to: run 1's $size1 bytes, then run 2's"
else
  bad "fuzz.log does not begin with run 1's log (overwritten)"
fi

[ "$failures" -eq 0 ] && echo "campaign kill test: passed" || echo "campaign kill test: $failures failure(s)"
[ "$failures" -eq 0 ]
