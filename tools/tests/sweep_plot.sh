#!/usr/bin/env bash
# sweep_plot.sh PBFTSIM DIR: `sweep --plot` writes a script that draws what a
# report needs, and gnuplot draws it without a warning:
#  - the analytic success rate next to the measured one (the seed profile's
#    expected_success column of the CSV, read by name),
#  - the safety violations per point (with their counts when there are some),
#  - the f boundary (n = 10: f = 3, a line at 3.5),
#  - latency p50 and p95 on a log axis.
# Without gnuplot the scripts are checked and the test is skipped (77).
set -u
pbftsim=$1
dir=$2
rm -rf "$dir" && mkdir -p "$dir" || exit 1
fail() { echo "sweep_plot: $*" >&2; exit 1; }
has_gnuplot=0
command -v gnuplot >/dev/null 2>&1 && has_gnuplot=1

# run NAME ARGS...: a sweep plotted to $dir/NAME; exit 0, and with gnuplot
# the plot drawn and nothing on stderr (gnuplot's warnings and errors land there).
run() {
  local name=$1
  shift
  "$pbftsim" sweep --threads 1 "$@" --plot "$dir/$name" >"$dir/$name.out" 2>"$dir/$name.err" ||
    fail "$name: pbftsim sweep $* --plot exited $?: $(cat "$dir/$name.err")"
  [ -f "$dir/$name.gp" ] && [ -f "$dir/$name.csv" ] || fail "$name: no script or data next to the plot"
  if [ $has_gnuplot -eq 1 ]; then
    [ -s "$dir/$name" ] || fail "$name: not drawn"
    [ ! -s "$dir/$name.err" ] || fail "$name: gnuplot said: $(cat "$dir/$name.err")"
  fi
}
# gp NAME REGEX...: the script has a line matching each (grep -E).
gp() {
  local name=$1
  shift
  for re in "$@"; do grep -Eq -- "$re" "$dir/$name.gp" || fail "$name.gp: no line matches /$re/"; done
}

# The tutorial's sweep.
run seed.svg
head -1 "$dir/seed.svg.csv" | grep -q ',expected_success,' || fail "seed.svg.csv: no expected_success column"
# n = 10, m = 1: the analytic rate is 0.9 (seed_protocol.cpp).
grep -q '^seed,10,1,6,[0-9]*,[0-9.]*,0\.9000,' "$dir/seed.svg.csv" || fail "seed.svg.csv: m = 1 is not analytic 0.9"
gp seed.svg "using 'malicious':'expected_success' with linespoints" "keyentry .*title 'success, analytic'" \
  "using 'malicious':'success_rate'" \
  "using 'malicious':\(col\('safety_violations'\) / col\('trials'\)\) with boxes" \
  "title 'safety violations \(none in 60 trials\)'" \
  "^f = 3$" "^set arrow 1 from first f \+ 0\.5, graph 0 to first f \+ 0\.5, graph 1" \
  "^set logscale y$" "using 'malicious':'latency_p50_ms'" "using 'malicious':'latency_p95_ms'" \
  "^set key at screen 0\.5, screen 0\.948$" "^set multiplot title 'pbftsim sweep: seed profile, n = 10 \(f = 3\)"
if [ $has_gnuplot -eq 1 ]; then
  for text in 'success, measured' 'success, analytic' 'safety violations' '>p50<' '>p95<' '>m ≤ f = 3<' '>m > f<'; do
    grep -qF -- "$text" "$dir/seed.svg" || fail "seed.svg: no text $text"
  done
fi

# Full PBFT beyond f: violations, counted above their bars; no analytic rate.
run pbft.png --profile pbft --malicious 7..9 --trials 40
gp pbft.png "sprintf\('%d/%d', col\('safety_violations'\), col\('trials'\)\)\) with labels" \
  "title 'safety violations \(count/trials\)'"
! grep -q expected_success "$dir/pbft.png.gp" || fail "pbft.png.gp: an analytic curve without analytic rates"

# One point (gnuplot 5.4.4 crashed on it), and a range where no trial succeeds.
run one.svg --malicious 3
run none.svg --malicious 4..9
gp none.svg "no successful trial: no latency to draw"

[ $has_gnuplot -eq 1 ] || { echo "sweep_plot: gnuplot not installed: scripts checked, plots not drawn"; exit 77; }
echo "sweep_plot: ok"
