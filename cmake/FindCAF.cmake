# Finds the C++ Actor Framework 0.17 as Debian ships it (headers and shared
# libraries only: the package has no CMake config and no pkg-config file).
# Defines the imported targets caf::core, caf::io and caf::openssl.
find_path(CAF_INCLUDE_DIR caf/all.hpp)
find_library(CAF_CORE_LIB caf_core)
find_library(CAF_IO_LIB caf_io)
find_library(CAF_OPENSSL_LIB caf_openssl)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(CAF REQUIRED_VARS CAF_INCLUDE_DIR CAF_CORE_LIB
                                  CAF_IO_LIB)
if(CAF_FOUND AND NOT TARGET caf::core)
  find_package(Threads REQUIRED)
  add_library(caf::core INTERFACE IMPORTED)
  target_include_directories(caf::core SYSTEM INTERFACE ${CAF_INCLUDE_DIR})
  target_link_libraries(caf::core INTERFACE ${CAF_CORE_LIB} Threads::Threads)
  add_library(caf::io INTERFACE IMPORTED)
  target_link_libraries(caf::io INTERFACE ${CAF_IO_LIB} caf::core)
  if(CAF_OPENSSL_LIB)
    add_library(caf::openssl INTERFACE IMPORTED)
    target_link_libraries(caf::openssl INTERFACE ${CAF_OPENSSL_LIB} caf::io)
  endif()
endif()
mark_as_advanced(CAF_INCLUDE_DIR CAF_CORE_LIB CAF_IO_LIB CAF_OPENSSL_LIB)
