#pragma once

#include "config.hpp"

#include <kring/protocol/agreement.hpp>
#include <kring/protocol/crisis_words.hpp>
#include <kring/protocol/help_lines.hpp>

#include <string>
#include <variant>

// The deployment's help lines, crisis words and agreement: its own files
// (help-lines, crisis-words, agreement) when it names them, or what Kring ships. `kring serve`
// refuses to start, and `kring check-config` says so, when a file is wrong;
// the error names the file and says what is wrong with it.
namespace kring {

std::variant<protocol::help_lines, std::string> help_lines_of(config const& settings);
std::variant<protocol::crisis_words, std::string> crisis_words_of(config const& settings);
std::variant<protocol::agreements, std::string> agreements_of(config const& settings);

} // namespace kring
