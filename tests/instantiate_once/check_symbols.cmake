# Checks that an object file defines none of its models' machinery (USE, which declared its
# models RELATA_EXTERN_MODEL) while another defines it for each of the 4 models (LIBRARY, with
# RELATA_INSTANTIATE_MODEL), so the check cannot pass by reading nothing. The machinery is each
# model's relata::definition_of<M>() and relata::detail::entity_ops_of<M>::value, with the
# functions behind the latter (construct_entity, relocate_entity, destroy_entity), and the
# typed calls RELATA_EXTERN_MODEL names (a repository's and a hasMany repository's create and
# find, a filter's lower).
#
#   cmake -DNM=<nm> -DUSE=<use.o> -DLIBRARY=<library.o> -P check_symbols.cmake
foreach(object USE LIBRARY)
  execute_process(COMMAND ${NM} -C ${${object}} OUTPUT_VARIABLE symbols_${object}
                  RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "${NM} failed on ${${object}}")
  endif()
endforeach()

# Defined symbols have an address ("0000 W const& relata::definition_of<...>()"); undefined
# ones have none ("         U ...").
function(expect_defined what pattern use_count library_count)
  set(expected_USE ${use_count})
  set(expected_LIBRARY ${library_count})
  set(complaint_USE "use.cpp declared its models RELATA_EXTERN_MODEL, yet defines ${what}")
  set(complaint_LIBRARY "library.cpp should define ${what} of the 4 models, found")
  foreach(object USE LIBRARY)
    string(REGEX MATCHALL "[0-9a-f]+ [A-Za-z] [^\n]*${pattern}\n" defined
           "${symbols_${object}}")
    list(LENGTH defined count)
    if(NOT count EQUAL expected_${object})
      message(FATAL_ERROR "${complaint_${object}}: ${defined}")
    endif()
  endforeach()
  message(STATUS "${what}: ${library_count} in library.cpp, ${use_count} in use.cpp")
endfunction()

expect_defined("definition_of" "relata::definition_of<library::[A-Za-z]+>\\(\\)" 0 4)
expect_defined("entity_ops_of" "relata::detail::entity_ops_of<library::[A-Za-z]+>::value" 0 4)
expect_defined("relocate_entity"
               "relata::detail::relocate_entity<library::[A-Za-z]+>\\(void\\*, void\\*\\)" 0 4)
set(filter_argument "relata::filter<library::[A-Za-z]+> const&")
expect_defined("repository<M>::create"
               "relata::repository<library::[A-Za-z]+>::create\\(library::[A-Za-z]+\\) const" 0 4)
expect_defined("repository<M>::find"
               "relata::repository<library::[A-Za-z]+>::find\\(${filter_argument}\\) const" 0 4)
expect_defined("has_many_repository<M>::create"
               "relata::has_many_repository<library::[A-Za-z]+>::create\\(library::[A-Za-z]+\\) const"
               0 4)
expect_defined("has_many_repository<M>::find"
               "relata::has_many_repository<library::[A-Za-z]+>::find\\(${filter_argument}\\) const"
               0 4)
expect_defined("filter<M>::lower" "relata::filter<library::[A-Za-z]+>::lower\\(\\) const" 0 4)
