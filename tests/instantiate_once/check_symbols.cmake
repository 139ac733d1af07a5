# Checks that an object file defines no relata::definition_of<...> (USE, which declared its
# models RELATA_EXTERN_MODEL) while another defines them (LIBRARY, with
# RELATA_INSTANTIATE_MODEL), so the check cannot pass by reading nothing.
#
#   cmake -DNM=<nm> -DUSE=<use.o> -DLIBRARY=<library.o> -P check_symbols.cmake
foreach(object USE LIBRARY)
  execute_process(COMMAND ${NM} -C ${${object}} OUTPUT_VARIABLE symbols RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "${NM} failed on ${${object}}")
  endif()
  # Defined functions: nm gives them an address ("0000 W const& relata::definition_of<...>()");
  # undefined ones have none ("         U ...").
  string(REGEX MATCHALL "[0-9a-f]+ [A-Za-z] [^\n]*relata::definition_of<library::[A-Za-z]+>\\(\\)\n"
         defined_${object} "${symbols}")
  list(LENGTH defined_${object} count_${object})
endforeach()
if(NOT count_LIBRARY EQUAL 4)
  message(FATAL_ERROR "library.cpp should define the 4 models' definition_of, found: ${defined_LIBRARY}")
endif()
if(NOT count_USE EQUAL 0)
  message(FATAL_ERROR "use.cpp declared its models RELATA_EXTERN_MODEL, yet defines: ${defined_USE}")
endif()
message(STATUS "definition_of: 4 in library.cpp, none in use.cpp")
