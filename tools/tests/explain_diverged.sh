#!/usr/bin/env bash
# explain_diverged.sh PBFTSIM TRACE SCRATCH: when replaying a trace does not
# reproduce its recorded event hash, `explain --mermaid` exits 2 with one
# line saying so, and leaves no diagram (nor its temporary file) behind.
pbftsim=$1
tampered=$3/diverged.jsonl
diagram=$3/diverged.mmd
rm -f "$diagram" "$diagram.tmp"
sed -E 's/"hash":"[0-9a-f]{16}"/"hash":"0000000000000000"/' "$2" >"$tampered" || exit 1
err=$("$pbftsim" explain "$tampered" --mermaid "$diagram" 2>&1 >/dev/null)
status=$?
printf '%s\n' "$err"
if [ "$status" -ne 2 ]; then
  echo "expected exit status 2, got $status" >&2
  exit 1
fi
if [ "$(printf '%s\n' "$err" | wc -l)" -ne 1 ] || ! grep -Eq "diverged\.jsonl:[0-9]+: replay diverged.*hash" <<<"$err"; then
  echo "expected one line naming the trace and the divergence" >&2
  exit 1
fi
if [ -e "$diagram" ] || [ -e "$diagram.tmp" ]; then
  echo "a diagram was left behind" >&2
  exit 1
fi
