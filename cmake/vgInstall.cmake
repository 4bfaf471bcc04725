# What `cmake --install` puts under the prefix besides the targets, and the
# files that let other projects find it: vg.pc for pkg-config and the vg
# CMake package (vg::vg, vg::plugin, vg_add_backend_plugin).  Every
# DESTINATION is relative, so the prefix (and DESTDIR) decide where it lands.
include(CMakePackageConfigHelpers)

# The plugin ABI version, read from the one place it is defined.
file(STRINGS core/include/vg/plugin.h VG_ABI_LINE REGEX "^#define VG_PLUGIN_ABI_VERSION ")
string(REGEX REPLACE "^#define VG_PLUGIN_ABI_VERSION ([0-9]+)u?.*$" "\\1" VG_PLUGIN_ABI "${VG_ABI_LINE}")

set(VG_INSTALL_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/vg")
set(VG_INSTALL_DATA_DIR "${CMAKE_INSTALL_DATADIR}/vg")

install(EXPORT vgTargets NAMESPACE vg:: DESTINATION "${VG_INSTALL_CMAKE_DIR}")
configure_package_config_file(cmake/vgConfig.cmake.in
  "${PROJECT_BINARY_DIR}/vgConfig.cmake"
  INSTALL_DESTINATION "${VG_INSTALL_CMAKE_DIR}"
  PATH_VARS VG_INSTALL_PLUGIN_DIR VG_INSTALL_DATA_DIR)
write_basic_package_version_file("${PROJECT_BINARY_DIR}/vgConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/vgConfig.cmake"
  "${PROJECT_BINARY_DIR}/vgConfigVersion.cmake"
  cmake/vgPluginModule.cmake
  DESTINATION "${VG_INSTALL_CMAKE_DIR}")

# vg.pc locates the prefix from its own directory (${pcfiledir}), so the
# installed tree can be moved.
set(VG_PC_DIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
file(RELATIVE_PATH VG_PC_TO_PREFIX "${CMAKE_INSTALL_PREFIX}/${VG_PC_DIR}" "${CMAKE_INSTALL_PREFIX}")
string(REGEX REPLACE "/$" "" VG_PC_TO_PREFIX "${VG_PC_TO_PREFIX}")
configure_file(cmake/vg.pc.in "${PROJECT_BINARY_DIR}/vg.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/vg.pc" DESTINATION "${VG_PC_DIR}")

# The documented default configuration, the example jobs and plugin, the
# documentation and the man pages.
install(FILES config.yaml DESTINATION "${VG_INSTALL_DATA_DIR}")
install(DIRECTORY examples/ DESTINATION "${VG_INSTALL_DATA_DIR}/examples")
install(FILES README.md LICENSE DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(DIRECTORY docs/ DESTINATION "${CMAKE_INSTALL_DOCDIR}/docs"
  PATTERN "man" EXCLUDE)
install(FILES docs/man/vgrun.1 docs/man/vg-conformance.1 docs/man/vgjoin.1
        DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
install(FILES docs/man/vg-plugin.7 DESTINATION "${CMAKE_INSTALL_MANDIR}/man7")
