// Compiles the catch.hpp precompiled header that test_sim reuses (see CMakeLists.txt).
