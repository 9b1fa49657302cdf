# dispatch_server_module(<folder> [DEPENDS <module>...])
# Makes server/<folder> the static library dispatch_server_<folder>, linked PUBLIC to the modules
# it depends on (declared earlier), and adds a build step that fails when a file of the folder
# includes "<other>/..." for a server folder outside the module's dependency closure.
set(DISPATCH_SERVER_MODULES "")
file(GLOB _dispatch_server_entries LIST_DIRECTORIES true RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}
     ${CMAKE_CURRENT_SOURCE_DIR}/*)
set(DISPATCH_SERVER_FOLDERS "")
foreach(_entry IN LISTS _dispatch_server_entries)
    if(IS_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/${_entry})
        list(APPEND DISPATCH_SERVER_FOLDERS ${_entry})
    endif()
endforeach()

function(dispatch_server_module name)
    cmake_parse_arguments(M "" "" "DEPENDS" ${ARGN})
    set(target dispatch_server_${name})
    add_library(${target} STATIC)
    target_include_directories(${target} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
    target_link_libraries(${target}
        PUBLIC Qt6::Core Qt6::Network Qt6::WebSockets Qt6::HttpServer Qt6::Sql
        PRIVATE dispatch_build_flags)
    set(allowed ${name})
    foreach(dep IN LISTS M_DEPENDS)
        if(NOT dep IN_LIST DISPATCH_SERVER_MODULES)
            message(FATAL_ERROR "server module '${name}' depends on '${dep}', which is not declared "
                                "before it: modules are declared bottom first, so that the "
                                "dependencies cannot form a cycle")
        endif()
        target_link_libraries(${target} PUBLIC dispatch_server_${dep})
        list(APPEND allowed ${DISPATCH_SERVER_ALLOWED_${dep}})
    endforeach()
    list(REMOVE_DUPLICATES allowed)
    set(DISPATCH_SERVER_ALLOWED_${name} ${allowed} PARENT_SCOPE)
    set(DISPATCH_SERVER_MODULES ${DISPATCH_SERVER_MODULES} ${name} PARENT_SCOPE)
    add_subdirectory(${name})

    file(GLOB_RECURSE files CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${name}/*.h
         ${CMAKE_CURRENT_SOURCE_DIR}/${name}/*.cpp)
    set(stamp ${CMAKE_CURRENT_BINARY_DIR}/${target}.layering)
    string(REPLACE ";" "," allowed_arg "${allowed}")
    string(REPLACE ";" "," folders_arg "${DISPATCH_SERVER_FOLDERS}")
    add_custom_command(OUTPUT ${stamp}
        COMMAND ${CMAKE_COMMAND} -DMODULE=${name} -DALLOWED=${allowed_arg}
                -DFOLDERS=${folders_arg} -DDIR=${CMAKE_CURRENT_SOURCE_DIR}
                -P ${CMAKE_CURRENT_SOURCE_DIR}/checkincludes.cmake
        COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
        DEPENDS ${files} ${CMAKE_CURRENT_SOURCE_DIR}/checkincludes.cmake
        COMMENT "Checking the include direction of server/${name}"
        VERBATIM)
    add_custom_target(${target}_layering DEPENDS ${stamp})
    add_dependencies(${target} ${target}_layering)
endfunction()
