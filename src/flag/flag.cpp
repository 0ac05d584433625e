// goro::flag: the process's command-line flag set. Flags are defined (by
// the program's main, before parse) into a registry of stable nodes; parse
// fills their values. Not thread-safe, as in Go: define and parse from one
// thread before starting work.
#include "goro/flag.hpp"

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <variant>

namespace goro::flag {

namespace {

struct Flag {
  std::string name;
  std::string usage;
  std::string default_text;
  std::variant<int64_t, bool, std::string, double, time::Duration> value;
};

struct Registry {
  std::deque<Flag> flags;  // stable addresses
  std::map<std::string, Flag*, std::less<>> by_name;
  std::vector<std::string> args;
  std::string program = "program";
  bool parsed = false;
};

Registry& registry() {
  static Registry r;
  return r;
}

template <class T>
const T* define(std::string_view name, T value, std::string_view usage, std::string shown) {
  Registry& r = registry();
  if (r.by_name.count(name)) {
    std::fprintf(stderr, "flag redefined: %.*s\n", int(name.size()), name.data());
    std::exit(2);
  }
  Flag& f = r.flags.emplace_back(
      Flag{std::string(name), std::string(usage), std::move(shown), std::move(value)});
  r.by_name.emplace(f.name, &f);
  return &std::get<T>(f.value);
}

// Sets f from text; an error message (Go's wording) on failure.
std::string set(Flag& f, const std::string& text) {
  return std::visit(
      [&](auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          v = text;
        } else if constexpr (std::is_same_v<T, bool>) {
          if (text == "1" || text == "t" || text == "T" || text == "true" || text == "TRUE" ||
              text == "True")
            v = true;
          else if (text == "0" || text == "f" || text == "F" || text == "false" ||
                   text == "FALSE" || text == "False")
            v = false;
          else
            return "parse error";
        } else if constexpr (std::is_same_v<T, int64_t>) {
          char* end = nullptr;
          errno = 0;
          long long parsed = std::strtoll(text.c_str(), &end, 0);
          if (text.empty() || *end || errno) return "parse error";
          v = parsed;
        } else if constexpr (std::is_same_v<T, double>) {
          char* end = nullptr;
          double parsed = std::strtod(text.c_str(), &end);
          if (text.empty() || *end) return "parse error";
          v = parsed;
        } else {
          auto d = time::parse_duration(text);
          if (!d) return "parse error";
          v = *d;
        }
        return "";
      },
      f.value);
}

[[noreturn]] void fail_usage(const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  std::fprintf(stderr, "Usage of %s:\n", registry().program.c_str());
  print_defaults();
  std::exit(2);
}

}  // namespace

const int64_t* integer(std::string_view name, int64_t value, std::string_view usage) {
  return define(name, value, usage, std::to_string(value));
}

const bool* boolean(std::string_view name, bool value, std::string_view usage) {
  return define(name, value, usage, value ? "true" : "false");
}

const std::string* string(std::string_view name, std::string_view value, std::string_view usage) {
  return define(name, std::string(value), usage, "\"" + std::string(value) + "\"");
}

const double* float64(std::string_view name, double value, std::string_view usage) {
  char shown[64];
  std::snprintf(shown, sizeof shown, "%g", value);
  return define(name, value, usage, shown);
}

const time::Duration* duration(std::string_view name, time::Duration value,
                               std::string_view usage) {
  return define(name, value, usage, value.string());
}

void print_defaults() {
  for (const auto& [name, f] : registry().by_name) {
    const char* kind = std::visit(
        [](const auto& v) -> const char* {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, bool>) return "";
          if constexpr (std::is_same_v<T, int64_t>) return " int";
          if constexpr (std::is_same_v<T, std::string>) return " string";
          if constexpr (std::is_same_v<T, double>) return " float";
          return " duration";
        },
        f->value);
    std::fprintf(stderr, "  -%s%s\n    \t%s (default %s)\n", name.c_str(), kind, f->usage.c_str(),
                 f->default_text.c_str());
  }
}

void parse(int argc, char** argv) {
  Registry& r = registry();
  r.parsed = true;
  r.args.clear();
  if (argc > 0) r.program = argv[0];
  int i = 1;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (a.size() < 2 || a[0] != '-') break;
    if (a == "--") {
      ++i;
      break;
    }
    std::string body = a.substr(a[1] == '-' ? 2 : 1);
    if (body.empty() || body[0] == '-' || body[0] == '=') fail_usage("bad flag syntax: " + a);
    std::string name = body, text;
    bool has_value = false;
    if (auto eq = body.find('='); eq != std::string::npos) {
      name = body.substr(0, eq);
      text = body.substr(eq + 1);
      has_value = true;
    }
    if (name == "h" || name == "help") {
      if (!r.by_name.count(name)) {
        std::fprintf(stderr, "Usage of %s:\n", r.program.c_str());
        print_defaults();
        std::exit(0);
      }
    }
    auto it = r.by_name.find(name);
    if (it == r.by_name.end()) fail_usage("flag provided but not defined: -" + name);
    Flag& f = *it->second;
    if (!has_value) {
      if (std::holds_alternative<bool>(f.value)) {
        text = "true";
      } else {
        if (i + 1 >= argc) fail_usage("flag needs an argument: -" + name);
        text = argv[++i];
      }
    }
    if (std::string err = set(f, text); !err.empty())
      fail_usage("invalid value \"" + text + "\" for flag -" + name + ": " + err);
  }
  for (; i < argc; ++i) r.args.emplace_back(argv[i]);
}

bool parsed() { return registry().parsed; }
const std::vector<std::string>& args() { return registry().args; }
std::string arg(std::size_t i) { return i < registry().args.size() ? registry().args[i] : ""; }
std::size_t narg() { return registry().args.size(); }

}  // namespace goro::flag
