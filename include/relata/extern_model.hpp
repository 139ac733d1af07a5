// relata/extern_model.hpp: compiling a model's code in one translation unit.
//
//     // models.hpp, after the models
//     RELATA_EXTERN_MODEL(shop::Customer);
//     // models.cpp, exactly one unit
//     RELATA_INSTANTIATE_MODEL(shop::Customer);
#pragma once

#include <initializer_list>

#include <relata/detail/definition.hpp>
#include <relata/filter.hpp>
#include <relata/model.hpp>
#include <relata/relation/has_many.hpp>
#include <relata/repository.hpp>

/// Opt-in, for large programs: declares that model M's code is compiled in one translation
/// unit only, the one with RELATA_INSTANTIATE_MODEL(M); every other translation unit skips it.
/// That code is M's runtime definition (its properties' conversions, its relations' loading
/// and copying code), its entity_ops (what constructs, moves and destroys its entities in
/// relata's containers), and the most used typed calls on M: a repository's create and find,
/// a hasMany repository targeting M (create, find), and building and lowering a filter on M.
///
/// Write it at namespace scope after the model, in the header that defines it, naming the
/// model as seen from there.
#define RELATA_EXTERN_MODEL(...) RELATA_DETAIL_MODEL_CODE(extern, __VA_ARGS__)

/// The other half of RELATA_EXTERN_MODEL: in exactly one .cpp of the program, after including
/// the model's header, at namespace scope.
#define RELATA_INSTANTIATE_MODEL(...) RELATA_DETAIL_MODEL_CODE(, __VA_ARGS__)

// The one list of what the two macros name: explicit instantiation declarations (`extern`)
// or definitions of templates whose code does not depend on anything but the model. Each is
// defined out of its class: the compiler instantiates members defined in a class for inlining
// even when they are declared extern. Return types trail: `shop::Customer ::relata::...` would
// read as one qualified name.
#define RELATA_DETAIL_MODEL_CODE(EXTERN, ...)                                                     \
  EXTERN template struct ::relata::detail::entity_ops_of<__VA_ARGS__>;                            \
  EXTERN template auto ::relata::definition_of<__VA_ARGS__>()->const ::relata::model_definition&; \
  EXTERN template auto ::relata::repository<__VA_ARGS__>::create(__VA_ARGS__) const->__VA_ARGS__; \
  EXTERN template auto ::relata::repository<__VA_ARGS__>::find(                                   \
      const ::relata::filter<__VA_ARGS__>&) const->::relata::entities<__VA_ARGS__>;               \
  EXTERN template ::relata::has_many_repository<__VA_ARGS__>::has_many_repository(                \
      ::relata::detail::relation_scope);                                                          \
  EXTERN template ::relata::has_many_repository<__VA_ARGS__>::~has_many_repository();             \
  EXTERN template auto ::relata::has_many_repository<__VA_ARGS__>::create(__VA_ARGS__)            \
      const->__VA_ARGS__;                                                                         \
  EXTERN template auto ::relata::has_many_repository<__VA_ARGS__>::find(                          \
      const ::relata::filter<__VA_ARGS__>&) const->::relata::entities<__VA_ARGS__>;               \
  EXTERN template auto ::relata::filter<__VA_ARGS__>::lower() const->::relata::ast::filter;       \
  EXTERN template ::relata::inclusion<__VA_ARGS__>::inclusion(const char*);                       \
  EXTERN template ::relata::include_list<__VA_ARGS__>::entry_list(                                \
      std::initializer_list<::relata::inclusion<__VA_ARGS__>>);                                   \
  EXTERN template ::relata::order_list<__VA_ARGS__>::entry_list(                                  \
      std::initializer_list<::relata::order_by<__VA_ARGS__>>)
