// What deleting a source does to what refers to it (relata::on_delete), on every connector:
// refused by default, leaving everything in place; cascaded several levels deep; keys set to
// null. LoopBack never cascades: a project with its issues, comments and label links took seven
// ordered deletes in one transaction; here it is one delete_by_id.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <relata/relata.hpp>

#include "support/backend.hpp"

using relata::col;
using relata::delete_rule;

namespace delete_test {

struct Issue;
struct Comment;
struct Label;
struct Note;
struct Project {
  RELATA_MODEL(Project,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::has_many<Issue, relata::on_delete<delete_rule::cascade>>, issues),
               (relata::has_and_belongs_to_many<Label, relata::on_delete<delete_rule::cascade>>,
                labels),
               (relata::has_many<Note, relata::on_delete<delete_rule::set_null>>, notes));
};
struct Issue {
  RELATA_MODEL(Issue,
               (relata::id<std::int64_t>, id),
               (std::string, title),
               (std::int64_t, project_id),
               (relata::belongs_to<Project>, project),
               (relata::has_many<Comment, relata::on_delete<delete_rule::cascade>>, comments));
};
struct Comment {
  RELATA_MODEL(Comment,
               (relata::id<std::int64_t>, id),
               (std::string, body),
               (std::int64_t, issue_id),
               (std::optional<std::int64_t>, reply_to),
               (relata::has_many<Comment, relata::key_to<"reply_to">>, replies));  // restrict
};
struct Label {
  RELATA_MODEL(Label, (relata::id<std::int64_t>, id), (std::string, name));
};
struct Note {
  RELATA_MODEL(Note,
               (relata::id<std::int64_t>, id),
               (std::string, text),
               (std::optional<std::int64_t>, project_id));
};

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Project> projects{*db};
  relata::repository<Issue> issues{*db};
  relata::repository<Comment> comments{*db};
  relata::repository<Label> labels{*db};
  relata::repository<Note> notes{*db};
  Project apollo, gemini;
  world() {
    relata::migrate<Project, Issue, Comment, Label, Note>(*db);
    apollo = projects.create({.name = "apollo"});
    gemini = projects.create({.name = "gemini"});
    for (const auto& p : {apollo, gemini}) {
      for (int i = 0; i < 2; ++i) {
        const auto issue = projects.issues(p.id).create({.title = p.name + " issue"});
        issues.comments(issue.id).create({.body = "first"});
        issues.comments(issue.id).create({.body = "second"});
      }
      projects.notes(p.id).create({.text = p.name + " note"});
    }
    const auto bug = labels.create({.name = "bug"});
    projects.labels(apollo.id).link(bug.id);
    projects.labels(gemini.id).link(bug.id);
  }
  /// Every row, to compare before and after a refusal.
  std::vector<std::string> snapshot() const {
    std::vector<std::string> out;
    for (const auto& p : projects.find()) out.push_back("project " + p.name);
    for (const auto& i : issues.find()) out.push_back("issue " + std::to_string(i.project_id));
    for (const auto& c : comments.find()) {
      out.push_back("comment " + std::to_string(c.issue_id) + " " + c.body + " " +
                    (c.reply_to ? std::to_string(*c.reply_to) : "-"));
    }
    for (const auto& n : notes.find()) {
      out.push_back("note " + (n.project_id ? std::to_string(*n.project_id) : "-"));
    }
    for (const auto& l : labels.find()) out.push_back("label " + l.name);
    return out;
  }
};

}  // namespace delete_test

using namespace delete_test;

TEST_CASE("on_delete: cascade reaches several levels; set_null keeps the rows; others untouched",
          "[delete]") {
  world w;
  w.projects.delete_by_id(w.apollo.id);
  CHECK_FALSE(w.projects.exists(w.apollo.id));
  CHECK(w.issues.count() == 2);    // apollo's two issues went with it...
  CHECK(w.comments.count() == 4);  // ...and their four comments
  CHECK(w.issues.count(col(&Issue::project_id) == w.apollo.id) == 0);
  CHECK(w.notes.count() == 2);  // notes stay, no longer attached
  CHECK(w.notes.count(col(&Note::project_id) == std::nullopt) == 1);
  CHECK(w.labels.count() == 1);  // the label stays, its link to apollo is gone
  CHECK(w.projects.labels(w.gemini.id).count() == 1);
  CHECK(w.labels.find_one()->name == "bug");
  // gemini is whole
  CHECK(w.projects.issues(w.gemini.id).count() == 2);
  CHECK(w.projects.notes(w.gemini.id).count() == 1);
}

TEST_CASE("on_delete: a delete_all cascades for every row it deletes", "[delete]") {
  world w;
  CHECK(w.projects.delete_all() == 2);
  CHECK(w.issues.count() == 0);
  CHECK(w.comments.count() == 0);
  CHECK(w.notes.count() == 2);
  CHECK(w.notes.count(col(&Note::project_id) != std::nullopt) == 0);
}

TEST_CASE("on_delete: a restrict deep in a cascade refuses the whole delete; nothing changes",
          "[delete]") {
  world w;
  // a comment of apollo's first issue is replied to from a gemini issue's comment: replies
  // restrict, so deleting apollo (which would cascade to that comment) is refused
  const auto apollo_issue = w.projects.issues(w.apollo.id).find().at(0);
  const auto target = w.issues.comments(apollo_issue.id).find().at(0);
  const auto gemini_issue = w.projects.issues(w.gemini.id).find().at(0);
  w.issues.comments(gemini_issue.id).create({.body = "re", .reply_to = target.id});
  const auto before = w.snapshot();
  CHECK_THROWS_AS(w.projects.delete_by_id(w.apollo.id), relata::constraint_violation);
  CHECK(w.snapshot() == before);
  CHECK_THROWS_AS(w.issues.delete_by_id(apollo_issue.id), relata::constraint_violation);
  CHECK(w.snapshot() == before);
  // deleting both projects takes the reply too: nothing outside the deletion refers to it
  CHECK(w.projects.delete_all() == 2);
  CHECK(w.comments.count() == 0);
}

TEST_CASE("on_delete: a reply chain within the deleted rows is not a refusal", "[delete]") {
  world w;
  const auto issue = w.projects.issues(w.apollo.id).find().at(0);
  const auto first = w.issues.comments(issue.id).find().at(0);
  w.issues.comments(issue.id).create({.body = "re", .reply_to = first.id});
  w.projects.delete_by_id(w.apollo.id);  // the reply goes too: nothing outside refers to them
  CHECK(w.comments.count(col(&Comment::body) == "re") == 0);
  CHECK(w.projects.issues(w.gemini.id).count() == 2);
}
