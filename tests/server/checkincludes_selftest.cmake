# The include-direction check (server/checkincludes.cmake) fails on an include against the
# direction and passes a clean folder: planted in a scratch tree, so the real tree is untouched.
set(root "${WORK_DIR}/checkincludes-selftest")
file(REMOVE_RECURSE "${root}")
file(WRITE "${root}/calls/store.cpp" "#include \"calls/store.h\"\n#include \"domain/call.h\"\n")
file(WRITE "${root}/triage/router.cpp" "#include \"calls/store.h\"\n")
set(args -DALLOWED=calls,domain,common -DFOLDERS=calls,common,domain,triage -DDIR=${root})
execute_process(COMMAND ${CMAKE_COMMAND} -DMODULE=calls ${args} -P ${CHECK}
                RESULT_VARIABLE clean_rc ERROR_VARIABLE clean_err)
if(NOT clean_rc EQUAL 0)
    message(FATAL_ERROR "a clean folder was refused:\n${clean_err}")
endif()
# calls -> triage, while triage -> calls: the cycle the 2026-12 review found.
file(APPEND "${root}/calls/store.cpp" "#include \"triage/router.h\"\n")
execute_process(COMMAND ${CMAKE_COMMAND} -DMODULE=calls ${args} -P ${CHECK}
                RESULT_VARIABLE bad_rc ERROR_VARIABLE bad_err)
if(bad_rc EQUAL 0 OR NOT bad_err MATCHES "calls/store.cpp: #include \"triage/router.h\"")
    message(FATAL_ERROR "an include against the direction was not refused (rc ${bad_rc}):\n${bad_err}")
endif()
file(REMOVE_RECURSE "${root}")
message(STATUS "include-direction check refuses calls -> triage and passes a clean folder")
