#!/usr/bin/env bash
# expect_exit.sh [--stderr REGEX] STATUS COMMAND...: passes when COMMAND exits
# with STATUS and, given --stderr, when its standard error matches the
# extended regular expression REGEX (grep -E). Standard error is still shown.
pattern=
if [ "$1" = "--stderr" ]; then
  if [ $# -lt 2 ]; then
    echo "expect_exit.sh: --stderr needs a REGEX" >&2
    exit 1
  fi
  pattern=$2
  shift 2
fi
if [ $# -lt 2 ]; then
  echo "usage: expect_exit.sh [--stderr REGEX] STATUS COMMAND..." >&2
  exit 1
fi
want=$1
shift
if [ -n "$pattern" ]; then
  err=$(mktemp "${TMPDIR:-/tmp}/expect_exit.XXXXXX") || exit 1
  trap 'rm -f "$err"' EXIT
  "$@" 2>"$err"
  got=$?
  cat "$err" >&2
else
  "$@"
  got=$?
fi
if [ "$got" -ne "$want" ]; then
  echo "expected exit status $want, got $got: $*" >&2
  exit 1
fi
if [ -n "$pattern" ] && ! grep -Eq -- "$pattern" "$err"; then
  echo "standard error does not match /$pattern/: $*" >&2
  exit 1
fi
exit 0
