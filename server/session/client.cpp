#include "session/client.hpp"

#include <algorithm>

#include "log.hpp"
#include "metrics.hpp"

#include <kring/protocol/server_messages.hpp>

namespace kring {

namespace {

constexpr std::uint16_t close_resumed_elsewhere = 4002;

message_rate per_connection_rate(config const& c)
{
    return {static_cast<std::int64_t>(c.message_rate), static_cast<std::int64_t>(c.message_burst)};
}

} // namespace

client::client(server_context& context_, std::shared_ptr<client_link> link, connection_info connection_)
    : context(context_)
    , connection(std::move(connection_))
    , message_budget(per_connection_rate(context.settings), context.rate_clock())
    , link_(std::move(link))
{
}

client::rare_state& client::rare()
{
    if (!rare_)
        rare_ = std::make_unique<rare_state>(
            rare_state{.flood_refusals = {context.settings.flood_refusals, std::chrono::minutes{1}}});
    return *rare_;
}

void client::set_login_token(std::optional<digest> token)
{
    if (token || rare_)
        rare().login_token = token;
}

void client::send(shared_frame frame)
{
    link_->send(std::move(frame));
}

void client::close_replaced()
{
    link_->close(close_resumed_elsewhere, "resumed elsewhere", close_mode::drop_queued);
}

void client::close(std::uint16_t code, std::string reason, close_mode mode)
{
    closing = true;
    link_->close(code, std::move(reason), mode);
}

void client::reply_ok(reply_ref const& ref)
{
    send(make_frame(protocol::write_ok(ref)));
}

void client::reply_error(protocol::error_code code, std::string_view detail, reply_ref const& ref)
{
    log::info("error " + tag() + " code=" + std::string{protocol::to_string(code)});
    server_metrics().count_error(static_cast<std::size_t>(code));
    auto const message = detail.empty() ? protocol::describe(code) : detail;
    send(make_frame(protocol::write_error(code, message, ref)));
}

void client::reply_name_error(protocol::error_code code, protocol::name_refusal why, reply_ref const& ref)
{
    log::info("error " + tag() + " code=" + std::string{protocol::to_string(code)} +
              " reason=" + std::string{protocol::to_string(why)});
    send(make_frame(protocol::write_name_error(code, why, ref)));
}

void client::reply_refusal(refusal const& refused, reply_ref const& ref)
{
    if (refused.name_reason != protocol::name_refusal::none)
        return reply_name_error(refused.code, refused.name_reason, ref);
    if (refused.until_ms > 0) {
        log::info("error " + tag() + " code=" + std::string{protocol::to_string(refused.code)});
        server_metrics().count_error(static_cast<std::size_t>(refused.code));
        return send(make_frame(
            protocol::write_error_until(refused.code, protocol::describe(refused.code), refused.until_ms, ref)));
    }
    if (refused.seconds <= 0)
        return reply_error(refused.code, {}, ref);
    log::info("error " + tag() + " code=" + std::string{protocol::to_string(refused.code)});
    server_metrics().count_error(static_cast<std::size_t>(refused.code));
    send(make_frame(
        protocol::write_error_after(refused.code, protocol::describe(refused.code), refused.seconds, ref)));
}

void client::reply(verdict const& answer, reply_ref const& ref)
{
    if (answer.done())
        reply_ok(ref);
    else
        reply_refusal(answer.refused(), ref);
}

std::string client::tag() const
{
    return "c=" + std::to_string(connection.number);
}

room_settings settings_of(room_record const& record,
                          std::shared_ptr<std::vector<protocol::agreement_text> const> const& deployment_agreement)
{
    room_settings settings{record.slug, record.title, record.capacity, record.code_digest, record.quiet_arrivals,
                           record.history, record.agreement_required, record.peer_led, deployment_agreement,
                           record.schedule};
    if (!record.agreement.empty()) {
        // The circle's own, in the languages it has; the deployment's, with
        // its notice, in the others.
        std::vector<protocol::agreement_text> texts;
        if (deployment_agreement)
            texts = *deployment_agreement;
        for (auto const& own : record.agreement) {
            auto const same = std::find_if(texts.begin(), texts.end(),
                                           [&](protocol::agreement_text const& t) { return t.lang == own.lang; });
            protocol::agreement_text circle_text{own.lang, "circle", std::nullopt, own.items};
            if (same != texts.end()) {
                circle_text.notice = same->notice;
                *same = std::move(circle_text);
            } else {
                texts.push_back(std::move(circle_text));
            }
        }
        settings.agreement = std::make_shared<std::vector<protocol::agreement_text> const>(std::move(texts));
    }
    return settings;
}

boost::asio::awaitable<std::shared_ptr<room>> find_room(client& c, std::string slug)
{
    // Read on the store's thread; the broker keeps the live room.
    auto record = co_await c.context.database.find_room(slug);
    if (!record)
        co_return nullptr;
    auto settings = settings_of(*record, c.context.agreement);
    if (auto r = c.context.rooms.find(slug)) {
        r->update(std::move(settings));
        co_return r;
    }
    co_return c.context.rooms.add(std::move(settings));
}

} // namespace kring
