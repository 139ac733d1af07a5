// relata/relation/has_and_belongs_to_many.hpp: the hasAndBelongsToMany relation (LoopBack 3): a
// many-to-many relation whose link model relata makes, so that no one declares it.
//
//     (relata::has_and_belongs_to_many<Tag>, tags)     // on Post: link PostTag(post_id, tag_id)
//
//     auto tags = posts.tags(hello.id);                 // a has_many_through_repository
//     tags.create({.label = "news"});                   // target and link, one transaction
//     tags.link(old.id);                                // the tag must exist
//     posts.find({.where = relata::some(&Post::tags, relata::col(&Tag::label) == "news")});
//
// The link is the model `<A><B>` (the two model names in alphabetical order, LoopBack's
// `PostTag`), with the keys `<a>_id` and `<b>_id` spelled by the declaring model's key naming,
// both parts of its primary key; both sides of a pair of relations (Post::tags, Tag::posts)
// share it. `migrate` creates it, with a foreign key to each side and an index on the second
// key, when both models are migrated. Everything else is a hasManyThrough's: the repository,
// includes, relation conditions, and the options (key_from, key_to, through_key_from,
// through_key_to, relation_name, on_delete; relata::through<L> names an existing link model
// instead). Deleting a source or a target that still has links is refused by the link's
// foreign keys, unless on_delete<delete_rule::cascade> removes its links.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

#include <relata/detail/naming.hpp>
#include <relata/detail/reflection.hpp>
#include <relata/model.hpp>
#include <relata/relation/has_many_through.hpp>
#include <relata/relation/kind.hpp>
#include <relata/relation/options.hpp>
#include <relata/relation/storage.hpp>
#include <relata/relation/traits.hpp>

namespace relata {

namespace detail {
class has_and_belongs_to_many_kind;
}  // namespace detail

/// A many-to-many relation whose link model relata makes (see above).
template <class Target, class... Options>
class has_and_belongs_to_many : public detail::relation_member<detail::has_and_belongs_to_many_kind,
                                                               detail::to_many_storage<Target>,
                                                               Target,
                                                               Options...> {};

namespace detail {

/// The link model relata makes for a hasAndBelongsToMany: two supplied ids, `A` and `B` (the
/// keys of the models whose names sort first and second), which are also its columns.
template <class KeyA, class KeyB, name_buffer Table, name_buffer A, name_buffer B>
struct made_link {
  relata::id<KeyA, id_generation::supplied> a{};
  relata::id<KeyB, id_generation::supplied> b{};

  static constexpr std::string_view relata_model_name = Table.view();
  static constexpr std::array<std::string_view, 2> relata_member_names{A.view(), B.view()};
  static constexpr auto relata_members() noexcept {
    return member_list<&made_link::a, &made_link::b>{};
  }
  template <class Repository>
  struct relata_relations {};
  using relata_model_type = made_link;
};

/// "PostTag": the two model names, in alphabetical order.
constexpr name_buffer link_table_name(std::string_view first, std::string_view second) {
  name_buffer b;
  b.append(first < second ? first : second);
  b.append(first < second ? second : first);
  return b;
}

/// The link a hasAndBelongsToMany makes when it names none: its keys in the order of the model
/// names, so that the relations of both sides make the same link.
template <class Source,
          class Target,
          class SourceKey,
          class TargetKey,
          name_buffer FromName,
          name_buffer ToName>
struct link_model<has_and_belongs_to_many_kind,
                  void,
                  Source,
                  Target,
                  SourceKey,
                  TargetKey,
                  FromName,
                  ToName> {
  // By model name, or, for a model related to itself, by key name: every relation declaring
  // this link makes the same model (one table must not have two layouts).
  static constexpr bool source_first = Source::relata_model_name != Target::relata_model_name
                                           ? Source::relata_model_name < Target::relata_model_name
                                           : FromName.view() < ToName.view();
  static constexpr name_buffer table =
      link_table_name(Source::relata_model_name, Target::relata_model_name);
  using made = std::conditional_t<source_first,
                                  made_link<SourceKey, TargetKey, table, FromName, ToName>,
                                  made_link<TargetKey, SourceKey, table, ToName, FromName>>;
  // A key that was not found (a compile error of its own) leaves no link to make.
  using type = std::
      conditional_t<std::is_void_v<SourceKey> || std::is_void_v<TargetKey>, no_link_model, made>;
};

/// hasAndBelongsToMany: a hasManyThrough whose link relata makes, and migrates.
class has_and_belongs_to_many_kind final : public has_many_through_kind {
 public:
  constexpr has_and_belongs_to_many_kind() noexcept
      : has_many_through_kind("hasAndBelongsToMany") {}

  // Keys and accessor: a hasManyThrough's.

  /// Its link model, when both the source and the target are migrated with it.
  void implied_models(const relation_definition& r,
                      std::vector<const model_definition*>& out) const override;
};

#if RELATA_DEFINE_ENGINE
RELATA_ENGINE_INLINE void has_and_belongs_to_many_kind::implied_models(
    const relation_definition& r, std::vector<const model_definition*>& out) const {
  out.push_back(&r.through());
}
#endif  // RELATA_DEFINE_ENGINE

}  // namespace detail
}  // namespace relata
