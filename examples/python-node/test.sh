#!/usr/bin/env bash
# Test the Python PBFT node under pbftsim: the honest node passes a short
# safety search, and each planted bug is found, minimized and replays.
# Usage: test.sh PBFTSIM_BINARY [PYTHON3]
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 PBFTSIM_BINARY [PYTHON3]" >&2
  exit 2
fi
PBFTSIM=$1
PYTHON=${2:-python3}
HERE=$(cd "$(dirname "$0")" && pwd)
NODE="$PYTHON $HERE/pbft_node.py"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0
# The calm network and a fixed small workload, as check searched before its
# default became hostile: each run crosses into Python (about 10 ms), and the
# planted bugs need no network faults to show.
CALM=(--calm --network async --requests 4 --clients 1)

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# The command line itself.
if ! $NODE --bug list >"$TMP/list" || [ "$(wc -l <"$TMP/list")" -lt 3 ]; then
  fail "--bug list does not list three bugs"
fi
set +e
$NODE --bug no-such-bug </dev/null >/dev/null 2>"$TMP/err"
rc=$?
set -e
if [ "$rc" -ne 2 ] || [ "$(wc -l <"$TMP/err")" -ne 1 ]; then
  fail "--bug no-such-bug: expected exit 2 and one line on stderr, got exit $rc"
fi

# 0. The conformance suite: every scenario passes.
if ! "$PBFTSIM" conform --replica-cmd "$NODE" >"$TMP/conform.out" 2>&1; then
  fail "conform: $(grep -m1 '  FAIL' "$TMP/conform.out" || tail -1 "$TMP/conform.out")"
fi

# 1. The honest node: no violation.
set +e
"$PBFTSIM" check "${CALM[@]}" --n 4 --malicious 1 --threads 1 --schedules 30 --seed 1 \
  --replica-cmd "$NODE" --out "$TMP/honest.jsonl" >"$TMP/honest.out" 2>&1
rc=$?
set -e
if [ "$rc" -ne 0 ] || ! grep -q "^no violation" "$TMP/honest.out"; then
  fail "honest node: check exited $rc: $(tail -1 "$TMP/honest.out")"
fi

# 2. Each planted bug: check finds it (exit 1), writes a trace, and replay reproduces it (exit 1).
run_bug() {
  local bug=$1
  shift
  local trace="$TMP/$bug.jsonl"
  set +e
  # Each run crosses into Python (about 10 ms): a lower minimizer cap.
  "$PBFTSIM" check "${CALM[@]}" --n 4 --malicious 1 --threads 1 --minimize-runs 3000 "$@" \
    --replica-cmd "$NODE --bug $bug" --out "$trace" >"$TMP/$bug.out" 2>&1
  local rc=$?
  set -e
  if [ "$rc" -ne 1 ] || [ ! -s "$trace" ]; then
    fail "bug $bug: check exited $rc (expected 1, a violation): $(tail -1 "$TMP/$bug.out")"
    return
  fi
  grep -q "^minimized in" "$TMP/$bug.out" || fail "bug $bug: check did not minimize the counterexample"
  set +e
  "$PBFTSIM" replay "$trace" --replica-cmd "$NODE --bug $bug" >"$TMP/$bug.replay" 2>&1
  rc=$?
  set -e
  if [ "$rc" -ne 1 ] || ! grep -q "matches" "$TMP/$bug.replay"; then
    fail "bug $bug: replay exited $rc (expected 1 with a matching hash): $(tail -1 "$TMP/$bug.replay")"
  fi
  # explain tells the minimized story through the same nodes, ending at the violation.
  set +e
  "$PBFTSIM" explain "$trace" --replica-cmd "$NODE --bug $bug" >"$TMP/$bug.explain" 2>&1
  rc=$?
  set -e
  if [ "$rc" -ne 1 ] || ! tail -1 "$TMP/$bug.explain" | grep -q "^VIOLATION at #"; then
    fail "bug $bug: explain exited $rc (expected 1 ending at the violation): $(tail -1 "$TMP/$bug.explain")"
  fi
}

run_bug quorum-2f --seed 1 --schedules 400 --strategy conflicting-votes
run_bug viewchange-omits-executed --seed 1 --schedules 400
run_bug state-transfer-rollback --seed 1 --schedules 400
if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "ok: honest node clean, every planted bug found, minimized, replayed and explained"
