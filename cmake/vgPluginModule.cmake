# vg_add_backend_plugin(<name> <source>...)
#
# Builds a vg backend plugin: a MODULE library named vg_<name>.so (the file
# name the loader looks for), compiled with hidden visibility so that the
# one VG_PLUGIN_EXPORT entry point is its only exported symbol, and linked
# with --no-undefined so that a missing symbol fails the build instead of
# the dlopen.  The target is called vg_plugin_<name>.  It links vg::plugin,
# the plugin headers only: a plugin never links libvg.
#
# Shipped with vg's CMake package (find_package(vg)) and used by vg's own
# build for its backends, so both are built the same way.
function(vg_add_backend_plugin name)
  if(NOT name MATCHES "^[a-z0-9_]+$")
    message(FATAL_ERROR "vg_add_backend_plugin: '${name}' is not a backend name ([a-z0-9_]+)")
  endif()
  if(NOT ARGN)
    message(FATAL_ERROR "vg_add_backend_plugin(${name}): no source files given")
  endif()
  set(target vg_plugin_${name})
  add_library(${target} MODULE ${ARGN})
  set_target_properties(${target} PROPERTIES
    PREFIX "" OUTPUT_NAME "vg_${name}" SUFFIX ".so"
    POSITION_INDEPENDENT_CODE ON
    C_VISIBILITY_PRESET hidden CXX_VISIBILITY_PRESET hidden
    CUDA_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  target_link_libraries(${target} PRIVATE vg::plugin)
  target_link_options(${target} PRIVATE -Wl,--no-undefined)
endfunction()
