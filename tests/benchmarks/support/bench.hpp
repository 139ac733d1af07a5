// Shared pieces of relata's benchmark programs: the --size option, peak heap measurement, a
// temporary directory, and a console reporter that ends the run with the ratio table
// (relata / raw, from the medians of this same run; with repetitions, also the least, median
// and greatest ratio of the repetitions paired by their index).
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "../../support/temp_dir.hpp"

namespace relata_bench {

// --- heap accounting (support/heap.cpp replaces the global operator new/delete) -------------

namespace heap {
extern bool tracking;
extern std::int64_t live;  ///< bytes allocated minus bytes freed since the window opened
extern std::int64_t peak;  ///< the highest `live` since the window opened
}  // namespace heap

/// Runs `work` with heap accounting on; returns the peak of bytes held above what was held
/// when it started (malloc's usable sizes of operator new's blocks).
template <class F>
std::int64_t heap_peak_of(F&& work) {
  heap::live = 0;
  heap::peak = 0;
  heap::tracking = true;
  try {
    work();
  } catch (...) {
    heap::tracking = false;
    throw;
  }
  heap::tracking = false;
  return heap::peak;
}

/// A byte-count counter printed in KiB/MiB.
inline benchmark::Counter bytes_counter(double bytes) {
  return benchmark::Counter(bytes, benchmark::Counter::kDefaults, benchmark::Counter::kIs1024);
}

// --- options ---------------------------------------------------------------------------------

/// The options of every benchmark program, taken out of argv before Google Benchmark sees
/// them (it refuses flags it does not know).
struct options {
  std::size_t size;           ///< --size=N: the number of rows (or customers) of the cases
  bool check_results = true;  ///< --skip-check: do not compare relata's results with raw's
  /// --no-throwaway-server: PostgreSQL only through RELATA_BENCH_POSTGRES (smoke runs)
  bool no_throwaway_server = false;
  /// --latency-us=N: PostgreSQL through a proxy adding N microseconds to each round trip
  std::size_t latency_us = 0;
};

inline options take_options(int& argc, char** argv, std::size_t default_size) {
  options o{default_size};
  int out = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--size=", 7) == 0) {
      o.size = static_cast<std::size_t>(std::strtoull(argv[i] + 7, nullptr, 10));
      if (o.size == 0) {
        std::cerr << "--size must be a positive number\n";
        std::exit(2);
      }
    } else if (std::strcmp(argv[i], "--skip-check") == 0) {
      o.check_results = false;
    } else if (std::strcmp(argv[i], "--no-throwaway-server") == 0) {
      o.no_throwaway_server = true;
    } else if (std::strncmp(argv[i], "--latency-us=", 13) == 0) {
      o.latency_us = static_cast<std::size_t>(std::strtoull(argv[i] + 13, nullptr, 10));
    } else {
      argv[out++] = argv[i];
    }
  }
  argc = out;
  argv[argc] = nullptr;
  return o;
}

// --- a temporary directory -------------------------------------------------------------------

using relata_test::temp_dir;  // the tests' own (tests/support/temp_dir.hpp)

// --- the ratio table -------------------------------------------------------------------------

/// One line of the final table: numerator / denominator of a metric (real time per
/// iteration, or a counter), against a target.
struct comparison {
  std::string label;
  std::string numerator;  ///< benchmark name
  /// Benchmark name; or several separated by '|', the fastest of them (per repetition too):
  /// "relata against the best raw method".
  std::string denominator;
  std::string metric;  ///< "time" or a counter name
  double target;       ///< 0: for information, no target
  bool at_most;        ///< met when ratio <= target (else when ratio >= target)
};

/// The console reporter, plus the table of ratios printed at the end. Takes each benchmark's
/// median when the run has repetitions, its only run otherwise. With repetitions (best run
/// with --benchmark_enable_random_interleaving=true, so that the repetitions of all the cases
/// are spread over the run in random order) it also pairs the repetitions of the two sides by
/// index and prints the least, median and greatest of the paired ratios of times.
class ratio_reporter : public benchmark::ConsoleReporter {
 public:
  explicit ratio_reporter(std::vector<comparison> comparisons)
      : comparisons_(std::move(comparisons)) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      if (run.error_occurred) continue;
      const std::string& name = run.run_name.function_name;
      if (run.run_type == Run::RT_Iteration && run.repetitions > 1) {
        auto& times = results_[name].repetition_ns;
        const auto index = static_cast<std::size_t>(run.repetition_index);
        if (times.size() <= index) times.resize(index + 1, 0);
        times[index] = run.GetAdjustedRealTime() * unit_ns(run.time_unit);
      }
      const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      const bool single = run.run_type == Run::RT_Iteration;
      if (!median && !single) continue;
      auto& slot = results_[name];
      if (single && slot.median) continue;
      slot.median = median;
      slot.time_ns = run.GetAdjustedRealTime() * unit_ns(run.time_unit);
      slot.counters.clear();
      for (const auto& [k, c] : run.counters) slot.counters[k] = c.value;
    }
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    auto& out = GetOutputStream();
    out << "\nrelata / raw ratios (" << (any_median() ? "medians" : "single runs")
        << " of this run; times are real time per iteration)\n";
    char line[512];
    std::snprintf(line,
                  sizeof line,
                  "%-56s %14s %14s %9s %8s  %s\n",
                  "case",
                  "numerator",
                  "denominator",
                  "ratio",
                  "target",
                  "result");
    out << line;
    for (const auto& c : comparisons_) {
      const auto n = metric(c.numerator, c.metric);
      const auto d = best_metric(c.denominator, c.metric);
      if (!n || !d || *d == 0) {
        std::snprintf(line, sizeof line, "%-56s %14s\n", c.label.c_str(), "(not run)");
        out << line;
        continue;
      }
      const double ratio = *n / *d;
      if (c.target <= 0) {
        std::snprintf(line,
                      sizeof line,
                      "%-56s %14s %14s %8.2fx %8s  %s\n",
                      c.label.c_str(),
                      format(*n, c.metric).c_str(),
                      format(*d, c.metric).c_str(),
                      ratio,
                      "-",
                      "info");
        out << line;
        continue;
      }
      const bool met = c.at_most ? ratio <= c.target : ratio >= c.target;
      std::snprintf(line,
                    sizeof line,
                    "%-56s %14s %14s %8.2fx %s%6.2fx  %s\n",
                    c.label.c_str(),
                    format(*n, c.metric).c_str(),
                    format(*d, c.metric).c_str(),
                    ratio,
                    c.at_most ? "<=" : ">=",
                    c.target,
                    met ? "met" : "MISSED");
      out << line;
    }
    print_paired_ratios(out);
    out.flush();
  }

 private:
  struct result {
    bool median = false;
    double time_ns = 0;
    std::map<std::string, double> counters;
    std::vector<double> repetition_ns;  ///< by repetition index, when there are repetitions
  };

  /// The ratios of times of the repetitions paired by index: least / median / greatest.
  void print_paired_ratios(std::ostream& out) const {
    bool header = false;
    char line[512];
    for (const auto& c : comparisons_) {
      if (c.metric != "time") continue;
      std::vector<double> ratios;
      const auto n = repetitions(c.numerator);
      const auto d = best_repetitions(c.denominator);
      for (std::size_t i = 0; i < std::min(n.size(), d.size()); ++i) {
        if (n[i] > 0 && d[i] > 0) ratios.push_back(n[i] / d[i]);
      }
      if (ratios.size() < 2) continue;
      if (!header) {
        out << "\nratios of the repetitions paired by index (times)\n";
        std::snprintf(
            line, sizeof line, "%-56s %6s %9s %9s %9s\n", "case", "pairs", "min", "median", "max");
        out << line;
        header = true;
      }
      std::sort(ratios.begin(), ratios.end());
      const std::size_t k = ratios.size();
      const double median = k % 2 ? ratios[k / 2] : (ratios[k / 2 - 1] + ratios[k / 2]) / 2;
      std::snprintf(line,
                    sizeof line,
                    "%-56s %6zu %8.2fx %8.2fx %8.2fx\n",
                    c.label.c_str(),
                    k,
                    ratios.front(),
                    median,
                    ratios.back());
      out << line;
    }
  }

  static std::vector<std::string> names_of(const std::string& denominator) {
    std::vector<std::string> names;
    std::size_t start = 0;
    while (true) {
      const auto bar = denominator.find('|', start);
      names.push_back(denominator.substr(start, bar - start));
      if (bar == std::string::npos) return names;
      start = bar + 1;
    }
  }

  std::vector<double> repetitions(const std::string& name) const {
    auto it = results_.find(name);
    return it == results_.end() ? std::vector<double>{} : it->second.repetition_ns;
  }

  /// Per repetition index, the least time of the named benchmarks.
  std::vector<double> best_repetitions(const std::string& denominator) const {
    std::vector<double> best;
    for (const auto& name : names_of(denominator)) {
      const auto times = repetitions(name);
      if (best.empty()) {
        best = times;
        continue;
      }
      best.resize(std::min(best.size(), times.size()));
      for (std::size_t i = 0; i < best.size(); ++i) best[i] = std::min(best[i], times[i]);
    }
    return best;
  }

  /// The least metric of the named benchmarks (one name: its metric).
  std::optional<double> best_metric(const std::string& denominator,
                                    const std::string& metric_name) const {
    std::optional<double> best;
    for (const auto& name : names_of(denominator)) {
      const auto m = metric(name, metric_name);
      if (!m) return std::nullopt;
      if (!best || *m < *best) best = m;
    }
    return best;
  }

  static double unit_ns(benchmark::TimeUnit u) {
    switch (u) {
      case benchmark::kNanosecond:
        return 1;
      case benchmark::kMicrosecond:
        return 1e3;
      case benchmark::kMillisecond:
        return 1e6;
      case benchmark::kSecond:
        return 1e9;
    }
    return 1;
  }

  bool any_median() const {
    return std::any_of(
        results_.begin(), results_.end(), [](const auto& r) { return r.second.median; });
  }

  std::optional<double> metric(const std::string& name, const std::string& metric) const {
    auto it = results_.find(name);
    if (it == results_.end()) return std::nullopt;
    if (metric == "time") return it->second.time_ns;
    auto c = it->second.counters.find(metric);
    if (c == it->second.counters.end()) return std::nullopt;
    return c->second;
  }

  static std::string format(double v, const std::string& metric) {
    char buffer[64];
    if (metric == "time") {
      if (v >= 1e6) {
        std::snprintf(buffer, sizeof buffer, "%.2f ms", v / 1e6);
      } else if (v >= 1e3) {
        std::snprintf(buffer, sizeof buffer, "%.2f us", v / 1e3);
      } else {
        std::snprintf(buffer, sizeof buffer, "%.0f ns", v);
      }
    } else {
      std::snprintf(buffer, sizeof buffer, "%.2f MiB", v / (1024.0 * 1024.0));
    }
    return buffer;
  }

  std::vector<comparison> comparisons_;
  std::map<std::string, result> results_;
};

/// The main of a benchmark program: Google Benchmark's flags, then the run, then the table.
inline int run(int argc, char** argv, std::vector<comparison> comparisons) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  ratio_reporter reporter{std::move(comparisons)};
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}

}  // namespace relata_bench
