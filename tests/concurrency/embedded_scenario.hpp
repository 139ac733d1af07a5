// Threads writing the embedded documents of the same owners at once, for each connector's
// concurrency test: every item created is there once, with an id of its own, every update
// lands, and a delete of one thread's item takes no other thread's (the writes are
// compare-and-sets of the owner row: detail/embedded.hpp).
#pragma once

#include <catch2/catch.hpp>

#include <barrier>
#include <cstdint>
#include <functional>
#include <iostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <relata/relata.hpp>
#include <relata/relation/embeds_many.hpp>
#include <relata/relation/embeds_one.hpp>

namespace embedded_scenario {

struct Note {
  RELATA_MODEL(Note, (relata::id<std::int64_t>, id), (std::string, text), (std::int64_t, edits));
};
struct Board {
  RELATA_MODEL(Board,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::embeds_many<Note>, notes));
};

constexpr int threads = 4;
constexpr int rounds = 25;
constexpr std::int64_t boards = 2;  // few owners: the threads collide on them

/// Runs the scenario with datasources from `connect` (one per thread, or one shared).
inline void run(const std::function<relata::datasource&(int thread)>& connect,
                relata::datasource& check) {
  relata::migrate<Board>(check);
  relata::repository<Board> setup{check};
  for (std::int64_t b = 1; b <= boards; ++b) setup.create({.name = "board " + std::to_string(b)});
  std::vector<int> failures(threads, 0);
  std::barrier round_start{threads};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      relata::repository<Board> repo{connect(t)};
      for (int r = 0; r < rounds; ++r) {
        round_start.arrive_and_wait();
        const std::int64_t board = 1 + (r % boards);
        const std::string mine = "t" + std::to_string(t) + "r" + std::to_string(r);
        try {
          auto notes = repo.notes(board);
          const auto kept = notes.create({.text = mine});
          const auto dropped = notes.create({.text = mine + " dropped"});
          notes.update_by_id(kept.id, {{&Note::edits, 1}});
          notes.delete_by_id(dropped.id);
        } catch (const std::exception& e) {
          ++failures[static_cast<std::size_t>(t)];
          std::cerr << "thread " << t << " round " << r << ": " << e.what() << '\n';
        }
      }
    });
  }
  for (auto& w : workers) w.join();

  for (int f : failures) CHECK(f == 0);
  std::size_t total = 0;
  std::set<std::string> texts;
  for (std::int64_t b = 1; b <= boards; ++b) {
    const auto notes = setup.notes(b).find();
    std::set<std::int64_t> ids;
    for (const auto& n : notes) {
      CHECK(ids.insert(n.id).second);      // ids of their own
      CHECK(texts.insert(n.text).second);  // created once
      CHECK(n.edits == 1);                 // every update landed
      CHECK(n.text.find("dropped") == std::string::npos);
    }
    total += notes.size();
  }
  CHECK(total == static_cast<std::size_t>(threads * rounds));  // no item lost
  std::cout << "embedded: " << threads << " threads x " << rounds << " rounds of 4 writes to "
            << boards << " owners on " << check.name() << ": " << total << " items, none lost\n";
}

}  // namespace embedded_scenario
