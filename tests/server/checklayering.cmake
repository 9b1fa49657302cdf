# Fails when any file under server/ includes a Qt GUI, widget, multimedia or WebEngine header,
# or a header of the ui/ layer.
file(GLOB_RECURSE files "${SERVER_DIR}/*.h" "${SERVER_DIR}/*.cpp")
set(bad "")
foreach(f IN LISTS files)
    file(STRINGS "${f}" hits REGEX
        "#include *[<\"](Qt(Gui|Widgets|Multimedia|WebEngine[A-Za-z]*)/|Q(Widget|Application|GuiApplication|Pixmap|Image|Icon|Color|Painter|MainWindow|AudioSink|AudioSource)[>\"]|(\\.\\./)*ui/)")
    if(hits)
        list(APPEND bad "${f}: ${hits}")
    endif()
endforeach()
if(bad)
    string(REPLACE ";" "\n" bad "${bad}")
    message(FATAL_ERROR "server/ must not include GUI headers:\n${bad}")
endif()
message(STATUS "server/ layering clean (${CMAKE_ARGC} args, checked files)")
