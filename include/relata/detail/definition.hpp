// Builds a model's runtime model_definition from its compile-time declaration, once.
//
// Everything typed about a model is instantiated here, as small function templates behind
// function pointers; the rest of relata (repositories, the inclusion resolver, connectors) is
// ordinary code working from the definition, compiled once whatever the number of models.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <relata/detail/reflection.hpp>
#include <relata/errors.hpp>
#include <relata/model.hpp>
#include <relata/relations.hpp>
#include <relata/value.hpp>

namespace relata::detail {

template <class Model, fixed_string Property, bool Ok>
struct check_property_type_is_storable {
  static_assert(Ok,
                "relata: this property's type cannot be stored; use a supported type (integers, "
                "floating point, bool, std::string, relata::blob, time points, enums, "
                "nlohmann::json, std::vector of scalars, std::optional of these) or specialise "
                "relata::value_traits for it");
  static constexpr bool value = Ok;
};
template <class Model, bool Ok>
struct check_composite_id_is_supplied {
  static_assert(Ok,
                "relata: the parts of a composite id are supplied by the caller; declare them "
                "as relata::id<T, relata::id_generation::supplied>");
  static constexpr bool value = Ok;
};

struct id_census {
  std::size_t count = 0;
  bool any_database = false;
};
template <class M>
constexpr id_census id_members() {
  id_census census;
  for_each_member<M>([&](auto i) {
    using T = member_type<M, i.value>;
    if constexpr (is_id<T>::value) {
      ++census.count;
      if (T::generation == id_generation::database) census.any_database = true;
    }
  });
  return census;
}

template <class M, std::size_t I>
[[noreturn]] void throw_property_error(const std::string& what) {
  throw invalid_data("property " + std::string(M::relata_member_names[I]) + " of model " +
                     std::string(M::relata_model_name) + ": " + what);
}

template <class M, std::size_t I>
void write_property(const void* entity, value_sink& out) {
  try {
    write_value(static_cast<const M*>(entity)->*member_pointer<M, I>, out);
  } catch (const conversion_failure& failure) {
    throw_property_error<M, I>(failure.what);
  }
}

template <class M, std::size_t I>
void read_property(void* entity, const row& in, std::size_t column) {
  using T = member_type<M, I>;
  if constexpr (!is_optional<T>::value) {
    if (!in.getters_refuse_null() && in.is_null(column)) {
      throw_property_error<M, I>(null_for_required);
    }
  }
  try {
    read_value(in, column, static_cast<M*>(entity)->*member_pointer<M, I>);
  } catch (const conversion_failure& failure) {
    throw_property_error<M, I>(failure.what);
  } catch (const invalid_data& failure) {
    throw_property_error<M, I>(failure.what());
  }
}

template <class M, std::size_t I>
void clear_property(void* entity) {
  static_cast<M*>(entity)->*member_pointer<M, I> = member_type<M, I>{};
}

template <class M, std::size_t I>
property_definition make_property() {
  using T = member_type<M, I>;
  static_assert(check_property_type_is_storable<M,
                                                to_fixed<member_name_fixed<M, I>>(),
                                                is_storable<T>>::value);
  using options = model_options<M>;
  constexpr std::string_view name = M::relata_member_names[I];
  constexpr std::string_view override_name = options::column_override(I);
  property_definition p{};
  p.name = name;
  p.column = override_name.empty() ? converted_string(name, options::column_style)
                                   : std::string(override_name);
  p.column_given = !override_name.empty();
  p.kind = kind_of<non_optional_t<T>>();
  p.element_kind = element_kind_of<T>();
  p.nullable = is_optional<T>::value;
  p.is_id = is_id<T>::value;
  if constexpr (is_id<T>::value) p.generated = T::generated;
  p.member = I;
  p.write = &write_property<M, I>;
  p.read = &read_property<M, I>;
  p.clear = &clear_property<M, I>;
  return p;
}

template <class M, std::size_t I>
auto& navigation(void* entity) {
  return static_cast<M*>(entity)->*member_pointer<M, I>;
}
template <class M, std::size_t I>
const auto& navigation(const void* entity) {
  return static_cast<const M*>(entity)->*member_pointer<M, I>;
}

template <class M, std::size_t I>
relation_definition make_relation() {
  using traits = relation_traits<M, I>;
  using target = typename traits::target;
  using link = typename traits::link;
  relation_definition r{};
  r.name = traits::name;
  r.kind = traits::kind;
  r.member = I;
  r.target = &definition_of<target>;
  if constexpr (traits::valid) {
    r.key_from = property_index_of_member<M>(traits::key_from_member);
    r.key_to = property_index_of_member<target>(traits::key_to_member);
    if constexpr (traits::through_relation) {
      r.through = &definition_of<link>;
      r.through_key_from = property_index_of_member<link>(traits::through_key_from_member);
      r.through_key_to = property_index_of_member<link>(traits::through_key_to_member);
    }
  }
  r.is_loaded = [](const void* e) { return navigation<M, I>(e).loaded(); };
  r.unload = [](void* e) { navigation<M, I>(e).reset(); };
  r.set_empty = [](void* e) { navigation<M, I>(e).assign_none(); };
  r.reserve = []([[maybe_unused]] void* e, [[maybe_unused]] std::size_t count) {
    if constexpr (traits::kind != relation_kind::belongs_to &&
                  traits::kind != relation_kind::has_one) {
      navigation<M, I>(e).reserve(count);
    }
  };
  r.attach = [](void* e, void* t, bool move) {
    auto& nav = navigation<M, I>(e);
    auto& value = *static_cast<target*>(t);
    if constexpr (traits::kind == relation_kind::belongs_to ||
                  traits::kind == relation_kind::has_one) {
      if (move) {
        nav.assign(std::move(value));
      } else {
        nav.assign(value);
      }
    } else {
      if (move) {
        nav.push_back(std::move(value));
      } else {
        nav.push_back(value);
      }
    }
  };
  r.for_each_loaded = [](void* e, void (*f)(void*, void*), void* context) {
    auto& nav = navigation<M, I>(e);
    if constexpr (traits::kind == relation_kind::belongs_to ||
                  traits::kind == relation_kind::has_one) {
      if (auto* t = nav.get()) f(t, context);
    } else {
      if (nav.loaded()) {
        for (auto& t : nav.value()) f(&t, context);
      }
    }
  };
  return r;
}

template <class M>
entity_vector_ops make_vector_ops() {
  using vec = std::vector<M>;
  entity_vector_ops ops{};
  ops.create = []() -> void* { return new vec(); };
  ops.destroy = [](void* v) { delete static_cast<vec*>(v); };
  ops.size = [](const void* v) { return static_cast<const vec*>(v)->size(); };
  ops.at = [](void* v, std::size_t i) -> void* { return &(*static_cast<vec*>(v))[i]; };
  ops.emplace_back = [](void* v) -> void* { return &static_cast<vec*>(v)->emplace_back(); };
  ops.push_copy = [](void* v, const void* e) {
    static_cast<vec*>(v)->push_back(*static_cast<const M*>(e));
  };
  ops.reserve = [](void* v, std::size_t n) { static_cast<vec*>(v)->reserve(n); };
  return ops;
}

template <class M>
model_definition build_definition() {
  model_definition d;
  d.name = M::relata_model_name;
  d.table = std::string(model_options<M>::table_name);
  d.table_given = model_options<M>::table_given;
  for_each_member<M>([&](auto i) {
    if constexpr (is_relation_member<M, i.value>) {
      d.relations.push_back(make_relation<M, i.value>());
    } else {
      d.properties.push_back(make_property<M, i.value>());
    }
  });
  static_assert(check_composite_id_is_supplied < M,
                id_members<M>().count < 2 || !id_members<M>().any_database > ::value);
  for (std::size_t p = 0; p < d.properties.size(); ++p) {
    if (d.properties[p].is_id) d.primary_key.push_back(p);
  }
  if (d.primary_key.size() == 1 && d.properties[d.primary_key.front()].generated) {
    d.generated_key = d.primary_key.front();
  } else {
    // a composite key is always supplied by the caller
    for (auto p : d.primary_key) d.properties[p].generated = false;
  }
  d.vectors = make_vector_ops<M>();
  return d;
}

}  // namespace relata::detail

namespace relata {

template <model M>
const model_definition& definition_of() {
  static const model_definition definition = detail::build_definition<M>();
  return definition;
}

}  // namespace relata
