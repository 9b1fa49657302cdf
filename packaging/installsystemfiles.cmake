# Runs at install time (install(SCRIPT) from packaging/CMakeLists.txt), when CMAKE_INSTALL_PREFIX
# is final: /usr for the .deb, whatever --prefix says for `cmake --install`.
# Input: DISPATCH_SOURCE (packaging/), DISPATCH_WORK (scratch dir), DISPATCH_BINDIR (relative).

# Same rule as GNUInstallDirs: the prefix /usr keeps its configuration in /etc.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    set(DISPATCH_SYSCONFDIR "/etc")
else()
    set(DISPATCH_SYSCONFDIR "${CMAKE_INSTALL_PREFIX}/etc")
endif()
set(DISPATCH_FULL_BINDIR "${CMAKE_INSTALL_PREFIX}/${DISPATCH_BINDIR}")

configure_file("${DISPATCH_SOURCE}/dispatch-console.service.in"
               "${DISPATCH_WORK}/dispatch-console.service" @ONLY)
# /usr/lib/systemd/system for the .deb; systemd also reads /usr/local/lib/systemd/system.
file(INSTALL "${DISPATCH_WORK}/dispatch-console.service"
     DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")

# Holds the dashboard token: not world-readable. The postinst gives it to the service's group.
file(INSTALL "${DISPATCH_SOURCE}/dispatch-console.env"
     DESTINATION "${DISPATCH_SYSCONFDIR}/dispatch-console"
     PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
