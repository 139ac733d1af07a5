// relata/relation/has_many_as.hpp: a hasMany whose targets may belong to sources of several
// models (LoopBack 3's polymorphic hasMany, `polymorphic: "imageable"`; see relation/as.hpp).
//
//     struct Picture {
//       RELATA_MODEL(Picture,
//         (relata::id<std::int64_t>, id),
//         (std::int64_t, imageable_id),
//         (std::string, imageable_type),                   // "Author" or "Reader"
//         (relata::belongs_to<relata::one_of<Author, Reader>>, imageable));
//     };
//     (relata::has_many<Picture, relata::as<"imageable">>, pictures)   // on Author and Reader
//
//     authors.pictures(ada.id).create({.url = "ada.png"});   // imageable_type = "Author"
//
// Keys: key_from is the source's id, key_to `<as>_id` on the target, the discriminator
// `<as>_type` (relata::discriminator names another). The repository is a hasMany's.
#pragma once

#include <relata/relation/as.hpp>
#include <relata/relation/has_many.hpp>

namespace relata::detail {

/// hasMany "as": a hasMany whose targets also name the source's model.
class has_many_as_kind final : public has_many_kind {
 public:
  constexpr has_many_as_kind() noexcept : has_many_kind("hasMany") {}

  // Keys (relation/traits.hpp): key_from is the source's id, key_to `<as>_id`, and the target's
  // discriminator `<as>_type`.
  static constexpr key_rules rules = key_rules{.key_from = key_rule::source_id,
                                               .key_to = key_rule::as_foreign_key,
                                               .discriminated_target = true,
                                               .copies_properties = true};

  /// `authors.pictures(key)`: a has_many_repository confined to the source's key and model.
  template <class Traits, class Key>
  static has_many_repository<typename Traits::target> access(const relation_access& a,
                                                             const Key& key) {
    return has_many_repository<typename Traits::target>(
        discriminated_target::scope<Traits>(a, key));
  }

  void load(const include_node& node) const override;
  ast::node_ptr condition(const relation_definition& r,
                          ast::quantifier quantity,
                          ast::node_ptr where) const override;
  void constraints(const relation_definition& r,
                   const model_definition& source,
                   constraint_builder& out) const override;
};

#if RELATA_DEFINE_ENGINE
RELATA_ENGINE_INLINE void has_many_as_kind::load(const include_node& node) const {
  has_many_kind::load(discriminated_target::restricted(node));
}

RELATA_ENGINE_INLINE ast::node_ptr has_many_as_kind::condition(const relation_definition& r,
                                                               ast::quantifier quantity,
                                                               ast::node_ptr where) const {
  return discriminated_target::condition(r, quantity, std::move(where));
}

RELATA_ENGINE_INLINE void has_many_as_kind::constraints(const relation_definition& r,
                                                        const model_definition&,
                                                        constraint_builder& out) const {
  discriminated_target::constraints(r, out);
}
#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::detail
