#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// A circle's agreement: the few numbered rules a member accepts on joining.
// Kring ships one in its participants' languages (deploy/agreement.json);
// a deployment may replace that file (`--agreement FILE`), and an admin a
// circle's own, per language (`kring room agreement`).
namespace kring::protocol {

inline constexpr std::size_t max_agreement_items = 20;
inline constexpr std::size_t max_agreement_item = 300; // code points

struct agreement_text {
    std::string lang;               // a BCP 47 primary tag: "nl", "fa"
    std::string review = "draft";   // "draft" until a native speaker has read it, then "reviewed"
    std::optional<std::string> notice; // "Kring is not an emergency service", in this language
    std::vector<std::string> items; // numbered from 1
};

// The deployment's agreement: {written, languages: [{lang, review, notice,
// items}]}, every language with as many items, in the same order, since a
// moderator points to an item by its number.
struct agreements {
    std::string written; // YYYY-MM-DD
    std::vector<agreement_text> languages;
};

// Reads an agreement file; the error says what is wrong and where.
std::variant<agreements, std::string> parse_agreements(std::string_view json);

// What Kring ships: drafts, not yet read by native speakers.
agreements const& default_agreements();

// A language tag as a client sends it: 2 or 3 lowercase letters.
bool is_language_tag(std::string_view tag);

// Why one item of a circle's agreement can't be kept (empty, too long, not
// one line of text); nothing when it can.
std::optional<std::string> agreement_item_problem(std::string_view item);

// The text to show in `lang`: that language's, else English, else the
// first there is; nothing when `texts` is empty.
agreement_text const* agreement_in(std::vector<agreement_text> const& texts, std::string_view lang);

// {lang, review, items, notice?} for `agreement`, joined.agreement and the
// agreement_required error.
std::string write_agreement_object(agreement_text const& text);
// `agreement` {room, lang, review, items, notice?, ref?}: the agreement again.
std::string write_agreement(std::string_view room, agreement_text const& text, std::optional<std::string_view> ref);
// The `error` agreement_required {code, message, room, agreement, ref?}: a
// join without agree: true, with the text to agree to.
std::string write_agreement_required(std::string_view room, agreement_text const& text,
                                     std::optional<std::string_view> ref);
// `agreement_point` {room, item, by, ref?}: a moderator points the circle to one item.
std::string write_agreement_point(std::string_view room, std::size_t item, std::string_view by,
                                  std::optional<std::string_view> ref);

} // namespace kring::protocol
