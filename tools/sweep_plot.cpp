#include "tools/sweep_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "model/errors.h"

namespace tools {

namespace {

using namespace model;

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char ch : s) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return q + "'";
}

std::string gnuplot_string(const std::string& s) {  // single-quoted: '' is a quote
  std::string q = "'";
  for (char ch : s) q += ch == '\'' ? std::string("''") : std::string(1, ch);
  return q + "'";
}

// The latency axis: log scale from a little below the lowest p50 to a little
// above the highest p95, ticks at 1-2-5 steps per decade (every step when
// the range is narrower than that, decades only when it is very wide).
struct LatencyAxis {
  double low = 0, high = 0;
  std::vector<double> ticks;
};

std::optional<LatencyAxis> latency_axis(const SweepResult& r) {
  std::optional<double> low, high;
  for (const auto& p : r.points) {
    const auto p50 = p.latency_ms(50), p95 = p.latency_ms(95);
    if (!p50 || !p95) continue;
    low = std::min(low.value_or(*p50), *p50);
    high = std::max(high.value_or(*p95), *p95);
  }
  if (!low) return std::nullopt;
  LatencyAxis a{.low = std::max(*low, 0.001) / 1.3, .high = std::max(*high, 0.001) * 1.3, .ticks = {}};
  const auto ticks = [&](std::initializer_list<double> mantissas) {
    std::vector<double> t;
    const int first = static_cast<int>(std::floor(std::log10(a.low)));
    const int last = static_cast<int>(std::ceil(std::log10(a.high)));
    for (int e = first; e <= last; ++e)
      for (double m : mantissas)
        if (const double v = m * std::pow(10.0, e); v >= a.low && v <= a.high) t.push_back(v);
    return t;
  };
  a.ticks = ticks({1, 2, 5});
  if (a.ticks.size() < 3) a.ticks = ticks({1, 2, 3, 4, 5, 6, 7, 8, 9});
  if (a.ticks.size() > 10) a.ticks = ticks({1});
  return a;
}

std::string tick_list(const std::vector<double>& ticks) {
  std::string s;
  for (double t : ticks) s += fmt::format("{}'{:g}' {:g}", s.empty() ? "" : ", ", t, t);
  return "(" + s + ")";
}

}  // namespace

std::string gnuplot_script(const SweepResult& r, const std::filesystem::path& plot) {
  const auto name = plot.filename().string();
  const bool png = plot.extension() == ".png";
  const auto& c = r.config;
  const std::uint32_t f = c.n > 0 ? (c.n - 1) / 3 : 0;
  const double x0 = c.malicious.first - 0.5, x1 = c.malicious.last + 0.5, boundary = f + 0.5;
  bool analytic = false;
  std::uint64_t violations = 0, trials = 0;
  for (const auto& p : r.points) {
    analytic = analytic || p.expected_success.has_value();
    violations += p.violations;
    trials += p.trials;
  }
  const auto latency = latency_axis(r);

  std::string title = fmt::format("pbftsim sweep: {} profile, n = {} (f = {}), {} trials per point, seed {}",
                                  profile_name(c.profile), c.n, f, c.trials, c.seed);
  if (c.profile == Profile::pbft) title += fmt::format(", strategy {}", c.strategy);
  if (c.shard.count > 1) title += fmt::format(", shard {}", shard_text(c.shard));

  std::string s = fmt::format(
      "# pbftsim sweep: success (measured and analytic), safety violations and\n"
      "# latency p50/p95 (log scale) against malicious replicas; the f boundary\n"
      "# marked. Data: {csv} (columns by name). Redraw from this folder:\n"
      "#   gnuplot {gp}    or    gnuplot -e \"outfile='other.svg'\" {gp}\n"
      "if (!exists(\"outfile\")) outfile = {out}\n"
      "set encoding utf8\n"
      "set terminal {term} size 900,760 enhanced font 'sans,11' background rgb 'white'\n"
      "set output outfile\n"
      "set datafile separator ','\n"
      "set datafile columnheaders\n"
      "data = {data}\n"
      "f = {f}\n"
      "# 95% Wilson interval of k successes in t trials\n"
      "z = 1.96\n"
      "wilson(k, t, sign) = (k + z**2/2 + sign*z*sqrt(k*(t-k)/t + z**2/4)) / (t + z**2)\n"
      "col(name) = column(name) * 1.0\n"
      "\n"
      "set multiplot title {title} font 'sans,13' noenhanced\n"
      "set lmargin at screen 0.09\n"
      "set rmargin at screen 0.97\n"
      "set xrange [{x0}:{x1}]\n"
      "{xtics}\n"
      "set grid xtics ytics linecolor rgb '#dddddd'\n"
      "set key center top Left reverse samplen 2.5 spacing 1.1 width 2 noopaque\n",
      fmt::arg("csv", name + ".csv"), fmt::arg("gp", name + ".gp"), fmt::arg("out", gnuplot_string(name)),
      fmt::arg("term", png ? "pngcairo" : "svg"), fmt::arg("data", gnuplot_string(name + ".csv")), fmt::arg("f", f),
      fmt::arg("title", gnuplot_string(title)), fmt::arg("x0", x0), fmt::arg("x1", x1),
      fmt::arg("xtics", c.malicious.last - c.malicious.first <= 20 ? "set xtics 1" : "set xtics"));

  // The f boundary: a dashed line between f and f + 1 and the points beyond
  // f shaded, in both panels (when the range reaches past f).
  if (boundary < x1) {
    s += fmt::format(
        "# the f boundary\n"
        "set object 1 rectangle from first {from}, graph 0 to graph 1, graph 1 behind "
        "fillcolor rgb '#f1f1f1' fillstyle solid 1.0 noborder\n",
        fmt::arg("from", std::max(boundary, x0)));
    if (boundary > x0)
      s += "set arrow 1 from first f + 0.5, graph 0 to first f + 0.5, graph 1 nohead front "
           "dashtype 2 linewidth 2 linecolor rgb '#555555'\n";
  }

  // Outcomes: success measured (Wilson interval) and analytic, safety violations.
  s +=
      "\n# top panel: outcomes as fractions of the trials\n"
      "set tmargin at screen 0.885\n"
      "set bmargin at screen 0.515\n"
      "set key at screen 0.5, screen 0.948\n"
      "set ylabel 'fraction of trials'\n"
      "set yrange [0:1.17]\n"
      "set ytics 0, 0.2, 1\n"
      "set format x ''\n"
      "unset xlabel\n"
      "set boxwidth 0.45\n"
      "set style fill transparent solid 0.55 noborder\n";
  if (boundary > x0 && boundary < x1)
    s += "set label 1 sprintf('m ≤ f = %d', f) at first f + 0.5, graph 0.955 right offset -0.8, 0 "
         "textcolor rgb '#444444'\n"
         "set label 2 'm > f' at first f + 0.5, graph 0.955 left offset 0.8, 0 textcolor rgb '#444444'\n";
  // The key lists measured, analytic, violations, in that order (keyentry);
  // the curves are drawn after the bars, over them.
  const std::string measured_style =
      "with yerrorlines linewidth 2 pointtype 7 pointsize 1.1 linecolor rgb '#d62728'";
  const std::string analytic_style =
      "with linespoints dashtype 2 linewidth 2 pointtype 6 pointsize 1.6 linecolor rgb '#222222'";
  const std::string violations_title =
      violations == 0 ? fmt::format("safety violations (none in {} trials)", trials)
                      : std::string("safety violations (count/trials)");
  s += fmt::format("set key vertical maxrows 2\n"
                   "plot keyentry {} title 'success, measured (95% interval)', \\\n",
                   measured_style);
  if (analytic) s += fmt::format("     keyentry {} title 'success, analytic', \\\n", analytic_style);
  s += fmt::format(
      "     keyentry with boxes fillcolor rgb '#9467bd' title {violations_title}, \\\n"
      "     data using 'malicious':(col('safety_violations') / col('trials')) with boxes "
      "fillcolor rgb '#9467bd' notitle, \\\n",
      fmt::arg("violations_title", gnuplot_string(violations_title)));
  // The counts, only when there are some: gnuplot 5.4.4 crashes on labels
  // whose every point is undefined when the file has one row.
  if (violations > 0)
    s += "     data using 'malicious':(col('safety_violations') > 0 ? col('safety_violations') / col('trials') : NaN):"
         "(sprintf('%d/%d', col('safety_violations'), col('trials'))) with labels offset 0, 0.7 "
         "textcolor rgb '#6a3d9a' notitle, \\\n";
  if (analytic) s += fmt::format("     data using 'malicious':'expected_success' {} notitle, \\\n", analytic_style);
  s += fmt::format(
      "     data using 'malicious':'success_rate':(wilson(col('successes'), col('trials'), -1)):"
      "(wilson(col('successes'), col('trials'), 1)) {} notitle\n",
      measured_style);

  // Latency of the successful trials, log scale.
  s +=
      "\n# bottom panel: latency of the successful trials, log scale\n"
      "unset label 1\n"
      "unset label 2\n"
      "set tmargin at screen 0.425\n"
      "set bmargin at screen 0.09\n"
      "set key at screen 0.5, screen 0.49\n"
      "set ylabel 'latency (virtual ms, log scale)'\n"
      "set logscale y\n"
      "set format x '%g'\n"
      "set xlabel 'malicious replicas'\n";
  if (latency) {
    // Points without a successful trial have no latency: said where they are,
    // across a run of three or more, upright at a shorter one's each point.
    int tag = 10;
    for (std::size_t i = 0; i < r.points.size();) {
      std::size_t j = i;
      while (j < r.points.size() && !r.points[j].latency_ms(50)) ++j;
      if (j - i >= 3) {
        s += fmt::format("set label {} 'no successful trial' at first {}, graph 0.5 center textcolor rgb '#777777'\n",
                         tag++, (r.points[i].malicious + r.points[j - 1].malicious) / 2.0);
      } else {
        for (std::size_t k = i; k < j; ++k)
          s += fmt::format("set label {} 'no successful trial' at first {}, graph 0.5 center rotate by 90 "
                           "textcolor rgb '#777777'\n",
                           tag++, r.points[k].malicious);
      }
      i = j == i ? i + 1 : j;
    }
    s += fmt::format(
        "set yrange [{low:.6g}:{high:.6g}]\n"
        "set ytics {ticks}\n"
        "set mytics 10\n"
        "set key horizontal maxrows 1\n"
        "plot keyentry with linespoints linewidth 2 pointtype 7 linecolor rgb '#1f77b4' title 'p50', \\\n"
        "     keyentry with linespoints dashtype 2 linewidth 2 pointtype 9 pointsize 1.2 linecolor rgb '#08519c' "
        "title 'p95', \\\n"
        "     keyentry with filledcurves fillcolor rgb '#c6dbef' fillstyle solid 1.0 title 'p50 to p95', \\\n"
        "     data using 'malicious':'latency_p50_ms':'latency_p95_ms' with filledcurves "
        "fillcolor rgb '#c6dbef' fillstyle solid 1.0 notitle, \\\n"
        "     data using 'malicious':'latency_p95_ms' with linespoints dashtype 2 linewidth 2 pointtype 9 "
        "pointsize 1.2 linecolor rgb '#08519c' notitle, \\\n"
        "     data using 'malicious':'latency_p50_ms' with linespoints linewidth 2 pointtype 7 "
        "linecolor rgb '#1f77b4' notitle\n",
        fmt::arg("low", latency->low), fmt::arg("high", latency->high), fmt::arg("ticks", tick_list(latency->ticks)));
  } else {
    // Without a successful trial there is no latency to draw (gnuplot would
    // warn about a data file with no valid points).
    s += "set yrange [10:1000]\n"
         "set label 3 'no successful trial: no latency to draw' at graph 0.5, graph 0.5 center\n"
         "plot NaN notitle\n";
  }
  s += "unset multiplot\n";
  return s;
}

void draw(const std::filesystem::path& plot) {
  if (std::system("command -v gnuplot >/dev/null 2>&1") != 0) {
    std::fprintf(stderr, "pbftsim: install gnuplot-nox (ci/setup does) to draw %s\n", plot.c_str());
    return;
  }
  const auto dir = plot.has_parent_path() ? plot.parent_path().string() : std::string(".");
  const auto name = plot.filename().string();
  const std::string cmd = fmt::format("cd {} && gnuplot -e {} {}", shell_quote(dir),
                                      shell_quote("outfile=" + gnuplot_string(name + ".tmp")),
                                      shell_quote(name + ".gp"));
  const std::string tmp = plot.string() + ".tmp";
  if (std::system(cmd.c_str()) != 0 || std::rename(tmp.c_str(), plot.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw InputError(fmt::format("{}: gnuplot could not draw it (script {}.gp)", plot.string(), plot.string()));
  }
}

}  // namespace tools
