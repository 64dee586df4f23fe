#pragma once
// A source scanner for the rule "pbft/ uses the standard library only, with
// no I/O, clocks, threads, randomness, hash-ordered containers or mutable
// globals". Heuristic, on purpose: comments and string literals are blanked
// out first, then tokens and declarations are matched line by line.
#include <cctype>
#include <cstddef>
#include <regex>
#include <string>
#include <vector>

namespace pbft::test {

struct PurityHit {
  std::size_t line;   // 1-based
  std::string what;   // the forbidden construct
};

// Comments and the contents of string and character literals become spaces;
// newlines are kept so line numbers stay right.
inline std::string blank_comments_and_strings(const std::string& src) {
  std::string out = src;
  enum { code, line_comment, block_comment, string_lit, char_lit } state = code;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const char ch = src[i];
    const char next = i + 1 < src.size() ? src[i + 1] : '\0';
    switch (state) {
      case code:
        if (ch == '/' && next == '/') state = line_comment, out[i] = out[i + 1] = ' ', ++i;
        else if (ch == '/' && next == '*') state = block_comment, out[i] = out[i + 1] = ' ', ++i;
        else if (ch == '"') state = string_lit;
        else if (ch == '\'' && !(i > 0 && std::isxdigit(static_cast<unsigned char>(src[i - 1]))))
          state = char_lit;  // not a digit separator (0x6e75'6c6c)
        break;
      case line_comment:
        if (ch == '\n') state = code;
        else out[i] = ' ';
        break;
      case block_comment:
        if (ch == '*' && next == '/') state = code, out[i] = out[i + 1] = ' ', ++i;
        else if (ch != '\n') out[i] = ' ';
        break;
      case string_lit:
      case char_lit:
        if (ch == '\\') {
          out[i] = ' ';
          if (i + 1 < out.size() && src[i + 1] != '\n') out[++i] = ' ';
        } else if ((state == string_lit && ch == '"') || (state == char_lit && ch == '\'')) {
          state = code;
        } else if (ch != '\n') {
          out[i] = ' ';
        }
        break;
    }
  }
  return out;
}

inline std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> lines;
  std::string cur;
  for (char ch : s) {
    if (ch == '\n') lines.push_back(std::move(cur)), cur.clear();
    else cur += ch;
  }
  lines.push_back(cur);
  return lines;
}

// A declaration (the text of one statement at namespace scope, or after the
// keyword `static`) that defines a variable that can change: not a function,
// type, alias, or const/constexpr object.
inline bool declares_mutable_variable(std::string decl) {
  static const std::regex skip(
      R"(^\s*(using|typedef|template|static_assert|namespace|friend|return|enum|class|struct|union|concept)\b)");
  static const std::regex constant(R"(\b(const|constexpr|constinit\s+const)\b)");
  if (std::regex_search(decl, skip)) return false;
  // Everything before the initializer: `T x = …`, `T x{…}`, `T x;`, `T f(…)`.
  const std::size_t stop = decl.find_first_of("=;{(");
  const std::string head = decl.substr(0, stop);
  if (stop != std::string::npos && decl[stop] == '(') return false;  // a function
  if (std::regex_search(head, constant)) return false;
  static const std::regex variable(R"([A-Za-z_][\w:<>,\s\*&]*[\s\*&]\**&?[A-Za-z_]\w*(\[[^\]]*\])?\s*$)");
  return std::regex_search(head, variable);
}

inline std::vector<PurityHit> scan_source(const std::string& source) {
  struct Pattern {
    std::regex re;
    const char* what;
  };
  static const std::vector<Pattern> tokens = [] {
    std::vector<Pattern> p;
    const auto add = [&](const char* re, const char* what) { p.push_back({std::regex(re), what}); };
    add(R"(\bs?rand\s*\()", "rand(");
    add(R"(\brandom_device\b)", "random_device");
    add(R"(\bmt19937)", "mt19937");
    add(R"(::\s*now\s*\()", "::now(");
    add(R"(\bstd::thread\b|\bjthread\b)", "std::thread");
    add(R"(<\s*thread\s*>)", "<thread>");
    add(R"(<\s*iostream\s*>)", "<iostream>");
    add(R"(<\s*fstream\s*>)", "<fstream>");
    add(R"(<\s*cstdio\s*>|<\s*stdio\.h\s*>)", "<cstdio>");
    add(R"(\b\w*printf\s*\()", "printf(");
    add(R"(\bgetenv\b)", "getenv");
    add(R"(\btime\s*\()", "time(");
    add(R"(<\s*chrono\s*>)", "<chrono>");
    add(R"(<\s*random\s*>)", "<random>");
    add(R"(\bunordered_(multi)?map\b)", "unordered_map");
    add(R"(\bunordered_(multi)?set\b)", "unordered_set");
    add(R"(\bthread_local\b)", "thread_local");
    return p;
  }();
  static const std::regex static_kw(R"(\bstatic\b)");

  std::vector<PurityHit> hits;
  const std::vector<std::string> lines = split_lines(blank_comments_and_strings(source));
  // Scopes: 'n' namespace, 'c' class/struct/enum, 'b' function body or initializer.
  std::vector<char> scopes;
  std::string statement;  // text of the current statement at namespace scope
  std::size_t statement_line = 0;
  const auto at_namespace_scope = [&] {
    for (char s : scopes)
      if (s != 'n') return false;
    return true;
  };
  static const std::regex ns_head(R"(\bnamespace\b)");
  static const std::regex class_head(R"(\b(class|struct|union|enum)\b)");
  std::string header;  // text since the last ; { or } at any depth
  for (std::size_t ln = 0; ln < lines.size(); ++ln) {
    const std::string& line = lines[ln];
    for (const Pattern& p : tokens)
      if (std::regex_search(line, p.re)) hits.push_back({ln + 1, p.what});
    // `static` followed by a variable (not static_cast, static_assert, a
    // static member function or a static const/constexpr).
    for (auto it = std::sregex_iterator(line.begin(), line.end(), static_kw); it != std::sregex_iterator(); ++it) {
      const std::string rest = line.substr(static_cast<std::size_t>(it->position() + it->length()));
      if (declares_mutable_variable(rest)) hits.push_back({ln + 1, "static mutable variable"});
    }
    if (!line.empty() && line.find_first_not_of(" \t") != std::string::npos &&
        line[line.find_first_not_of(" \t")] == '#')
      continue;  // preprocessor
    for (char ch : line + "\n") {
      if (ch == '{') {
        char kind = 'b';
        if (std::regex_search(header, ns_head)) kind = 'n';
        else if (std::regex_search(header, class_head) && header.find('(') == std::string::npos) kind = 'c';
        if (at_namespace_scope() && kind == 'b') statement += "{";
        else if (at_namespace_scope()) statement.clear();
        scopes.push_back(kind);
        header.clear();
      } else if (ch == '}') {
        const char kind = scopes.empty() ? 'n' : scopes.back();
        if (!scopes.empty()) scopes.pop_back();
        if (at_namespace_scope()) {
          // After a function body the statement is over; after an initializer
          // it goes on to the `;`.
          if (kind == 'b' && statement.find('(') == std::string::npos) statement += "}";
          else statement.clear();
        }
        header.clear();
      } else if (ch == ';') {
        if (at_namespace_scope()) {
          if (declares_mutable_variable(statement + ";"))
            hits.push_back({statement_line, "mutable namespace-scope variable"});
          statement.clear();
        }
        header.clear();
      } else {
        header += ch;
        if (at_namespace_scope()) {
          if (statement.find_first_not_of(" \t\n") == std::string::npos && ch != ' ' && ch != '\t' && ch != '\n')
            statement_line = ln + 1;
          statement += ch;
        }
      }
    }
  }
  return hits;
}

}  // namespace pbft::test
