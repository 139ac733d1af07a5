// Shared pieces of relata's benchmark programs: the --size option, peak heap measurement, a
// temporary directory, and a console reporter that ends the run with the ratio table
// (relata / raw, from the medians of this same run).
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
    } else {
      argv[out++] = argv[i];
    }
  }
  argc = out;
  argv[argc] = nullptr;
  return o;
}

// --- a temporary directory -------------------------------------------------------------------

class temp_dir {
 public:
  temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "relata-bench.XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

// --- the ratio table -------------------------------------------------------------------------

/// One line of the final table: numerator / denominator of a metric (real time per
/// iteration, or a counter), against a target.
struct comparison {
  std::string label;
  std::string numerator;    ///< benchmark name
  std::string denominator;  ///< benchmark name
  std::string metric;       ///< "time" or a counter name
  double target;            ///< 0: for information, no target
  bool at_most;             ///< met when ratio <= target (else when ratio >= target)
};

/// The console reporter, plus the table of ratios printed at the end. Takes each benchmark's
/// median when the run has repetitions, its only run otherwise.
class ratio_reporter : public benchmark::ConsoleReporter {
 public:
  explicit ratio_reporter(std::vector<comparison> comparisons)
      : comparisons_(std::move(comparisons)) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      if (run.error_occurred) continue;
      const std::string& name = run.run_name.function_name;
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
      const auto d = metric(c.denominator, c.metric);
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
    out.flush();
  }

 private:
  struct result {
    bool median = false;
    double time_ns = 0;
    std::map<std::string, double> counters;
  };

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
