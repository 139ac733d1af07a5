// Threads running the upsert family on the same keys at once, for each connector's
// concurrency test: no duplicate rows (each key is one row), no lost update (patches of
// different properties of one row all land), no failures.
#pragma once

#include <catch2/catch.hpp>

#include <barrier>
#include <cstdint>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include <relata/json.hpp>
#include <relata/relata.hpp>

namespace upsert_scenario {

struct Tally {
  RELATA_MODEL(Tally,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (std::int64_t, hits),
               (std::optional<std::int64_t>, s0),
               (std::optional<std::int64_t>, s1),
               (std::optional<std::int64_t>, s2),
               (std::optional<std::int64_t>, s3));
  using relata_options = relata::options<relata::unique<&Tally::name>>;
};
struct Found {
  RELATA_MODEL(Found, (relata::id<std::int64_t>, id), (std::string, name));
};

constexpr int threads = 4;
constexpr int rounds = 30;

/// Runs the scenario with datasources from `connect` (one per thread, or one shared).
inline void run(const std::function<relata::datasource&(int thread)>& connect,
                relata::datasource& check) {
  relata::migrate<Tally, Found>(check);
  std::vector<int> failures(threads, 0);
  std::vector<std::vector<std::int64_t>> found_ids(threads);
  std::barrier round_start{threads};  // every round's keys are new, and raced for at once
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      relata::datasource& db = connect(t);
      relata::repository<Tally> tallies{db};
      relata::repository<Found> founds{db};
      for (int r = 0; r < rounds; ++r) {
        round_start.arrive_and_wait();
        const std::string round = std::to_string(r);
        try {
          // a where that is no unique key: serialized, so one row per name
          const auto f = founds.find_or_create(relata::col(&Found::name) == "f" + round,
                                               {.name = "f" + round});
          found_ids[static_cast<std::size_t>(t)].push_back(f.entity.id);
          tallies.upsert_with_where(relata::col(&Tally::name) == "w" + round,
                                    {.name = "w" + round, .hits = t});
          // whole entities by a unique key: one INSERT ... ON CONFLICT
          tallies.upsert({.name = "whole" + round, .hits = t});
          // patches of one property each, by the unique key: every thread's lands
          const std::string slot = "s" + std::to_string(t);
          tallies.upsert(nlohmann::json{{"name", "shared"}, {"hits", 0}, {slot, r}}.get<Tally>());
        } catch (const std::exception& e) {
          ++failures[static_cast<std::size_t>(t)];
          std::cerr << "thread " << t << " round " << r << ": " << e.what() << '\n';
        }
      }
    });
  }
  for (auto& w : workers) w.join();

  for (int f : failures) CHECK(f == 0);
  relata::repository<Tally> tallies{check};
  relata::repository<Found> founds{check};
  using relata::col;
  // per round one w and one whole row, and the shared one
  CHECK(tallies.count() == 2 * rounds + 1);
  CHECK(founds.count() == rounds);
  for (int t = 1; t < threads; ++t) CHECK(found_ids[static_cast<std::size_t>(t)] == found_ids[0]);
  const auto shared = tallies.find_one({.where = col(&Tally::name) == "shared"});
  REQUIRE(shared.has_value());
  // each thread's last patch of its own property is there: none overwrote another's
  CHECK(shared->s0 == std::optional<std::int64_t>(rounds - 1));
  CHECK(shared->s1 == std::optional<std::int64_t>(rounds - 1));
  CHECK(shared->s2 == std::optional<std::int64_t>(rounds - 1));
  CHECK(shared->s3 == std::optional<std::int64_t>(rounds - 1));
  std::cout << "upserts: " << threads << " threads x " << rounds << " rounds of 4 calls on "
            << check.name() << ": one row per key\n";
}

}  // namespace upsert_scenario
