// goro::flag — Go's flag package for the command lines of goro programs.
//
//   Go                                           goro
//   port := flag.Int("port", 8000, "port")       auto port = flag::integer("port", 8000, "port");
//   verbose := flag.Bool("v", false, "progress") auto verbose = flag::boolean("v", false,
//   "progress"); d := flag.Duration("delay", time.Second, "") auto d = flag::duration("delay",
//   time::Second, ""); addr := flag.String("addr", "host:1", "")    auto addr =
//   flag::string("addr", "host:1", ""); flag.Parse() flag::parse(argc, argv); flag.Args()
//   flag::args() *port                                        *port
//
// Accepted forms: -name value, -name=value, --name=value; booleans also as
// -name (true) or -name=false. "--" ends the flags. An unknown flag or a bad
// value prints Go's message and the usage to stderr and exits with status 2;
// -h / -help prints the usage and exits 0.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "goro/time.hpp"

namespace goro::flag {

// Each returns a pointer to the flag's value, valid for the program's life;
// set by parse.
const int64_t* integer(std::string_view name, int64_t value, std::string_view usage);
const bool* boolean(std::string_view name, bool value, std::string_view usage);
const std::string* string(std::string_view name, std::string_view value, std::string_view usage);
const double* float64(std::string_view name, double value, std::string_view usage);
const time::Duration* duration(std::string_view name, time::Duration value, std::string_view usage);

void parse(int argc, char** argv);
bool parsed();
// The arguments after the flags.
const std::vector<std::string>& args();
std::string arg(std::size_t i);  // "" when out of range
std::size_t narg();
// Prints every flag with its default and usage to stderr.
void print_defaults();

}  // namespace goro::flag
