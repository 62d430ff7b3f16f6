// Anchors the shared precompiled header: CMake builds a target's PCH only when one of
// its sources uses it, and catch_main.cpp cannot (it must define CATCH_CONFIG_MAIN
// first).
#include <catch2/catch.hpp>
