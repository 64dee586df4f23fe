#pragma once
// The sweep's plot: a gnuplot script over the sweep's CSV (model::sweep_csv,
// read by column name), and the gnuplot run that draws it.
//
// Two panels against the number of malicious replicas, the f boundary
// marked in both (a dashed line between f and f+1, the points beyond f
// shaded), the legend of each at its top, the first one just below the title:
//  - outcomes, as fractions of the trials: the measured success rate with
//    its 95% Wilson interval, the analytic rate next to it (the seed profile:
//    the CSV's expected_success), and the safety violations as bars, their
//    count written above each;
//  - latency p50 and p95 of the successful trials (the p50-p95 band
//    between them) on a log axis, so p50 stays readable when p95 is tens of
//    times larger.
#include <filesystem>
#include <string>

#include "model/sweep.h"

namespace tools {

// The script for `plot` (FILE.svg or FILE.png). Paths in it are relative to
// the script's folder: it reads FILE.csv there, and `gnuplot FILE.gp` run
// from there redraws FILE (or `gnuplot -e "outfile='X'" FILE.gp`, X).
std::string gnuplot_script(const model::SweepResult& r, const std::filesystem::path& plot);

// Runs gnuplot on FILE.gp in the plot's folder; FILE.tmp is renamed into
// place on success. Without gnuplot it says so on stderr and draws nothing;
// if gnuplot fails it throws model::InputError naming the plot and script.
void draw(const std::filesystem::path& plot);

}  // namespace tools
