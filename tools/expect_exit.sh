#!/usr/bin/env bash
# expect_exit.sh [--stderr REGEX] [--stdout REGEX] STATUS COMMAND...: passes
# when COMMAND exits with STATUS and, given --stderr or --stdout, when that
# stream matches the extended regular expression REGEX (grep -E, any line).
# Both streams are still shown.
err_pattern=
out_pattern=
while [ "$1" = "--stderr" ] || [ "$1" = "--stdout" ]; do
  if [ $# -lt 2 ]; then
    echo "expect_exit.sh: $1 needs a REGEX" >&2
    exit 1
  fi
  if [ "$1" = "--stderr" ]; then err_pattern=$2; else out_pattern=$2; fi
  shift 2
done
if [ $# -lt 2 ]; then
  echo "usage: expect_exit.sh [--stderr REGEX] [--stdout REGEX] STATUS COMMAND..." >&2
  exit 1
fi
want=$1
shift
err=$(mktemp "${TMPDIR:-/tmp}/expect_exit.XXXXXX") || exit 1
out=$(mktemp "${TMPDIR:-/tmp}/expect_exit.XXXXXX") || exit 1
trap 'rm -f "$err" "$out"' EXIT
"$@" >"$out" 2>"$err"
got=$?
cat "$out"
cat "$err" >&2
if [ "$got" -ne "$want" ]; then
  echo "expected exit status $want, got $got: $*" >&2
  exit 1
fi
if [ -n "$err_pattern" ] && ! grep -Eq -- "$err_pattern" "$err"; then
  echo "standard error does not match /$err_pattern/: $*" >&2
  exit 1
fi
if [ -n "$out_pattern" ] && ! grep -Eq -- "$out_pattern" "$out"; then
  echo "standard output does not match /$out_pattern/: $*" >&2
  exit 1
fi
exit 0
