#pragma once

#include <string>
#include <vector>

namespace kring {

class store;

// `kring audit`: prints the audit log, optionally of one room and a time
// span, as JSON lines or CSV. Returns the exit code.
int audit_command(std::vector<std::string> const& args);

// The audit row every state-changing admin command writes, with actor "cli",
// before it reports success.
void audit_cli_action(store& database, std::string action, std::string room, std::string target,
                      std::string detail);

} // namespace kring
