#include "messages/register.hpp"

#include "messages/caf_errors.hpp"
#include "messages/inspect.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/deep_to_string.hpp>
#include <caf/message.hpp>

namespace sc {

std::string describe(const caf::error& e) {
  if (!e) return "none";
  std::string out;
  if (e.category() == error_category)
    out = to_string(static_cast<ec>(e.code()));
  else
    out = caf::to_string(e);
  if (e.category() == error_category && !e.context().empty()) {
    out += ": ";
    out += caf::deep_to_string(e.context());
  }
  return out;
}

void register_types(caf::actor_system_config& cfg) {
  // add_message_type<T> also registers std::vector<T>.
  cfg.add_message_type<provenance>("provenance");
  cfg.add_message_type<security>("security");
  cfg.add_message_type<fundamentals>("fundamentals");
  cfg.add_message_type<bar_series>("bar_series");
  cfg.add_message_type<quote>("quote");
  cfg.add_message_type<option_quote>("option_quote");
  cfg.add_message_type<option_chain>("option_chain");
  cfg.add_message_type<iv_point>("iv_point");
  cfg.add_message_type<factor_score>("factor_score");
  cfg.add_message_type<candidate>("candidate");
  cfg.add_message_type<reason_count>("reason_count");
  cfg.add_message_type<scan_report>("scan_report");
  cfg.add_message_type<option_idea>("option_idea");
  cfg.add_message_type<option_report>("option_report");
  cfg.add_message_type<trade_proposal>("trade_proposal");
  cfg.add_message_type<risk_decision>("risk_decision");
  cfg.add_message_type<position_view>("position_view");
  cfg.add_message_type<portfolio_snapshot>("portfolio_snapshot");
  cfg.add_message_type<exposure>("exposure");
  cfg.add_message_type<risk_report>("risk_report");
  cfg.add_message_type<cycle_report>("cycle_report");
  cfg.add_message_type<actor_health>("actor_health");
  cfg.add_message_type<health_report>("health_report");
  cfg.add_message_type<source_status>("source_status");
  cfg.add_message_type<std::vector<std::string>>("std::vector<std::string>");
  cfg.add_message_type<std::vector<double>>("std::vector<double>");
  cfg.add_error_category(
      error_category,
      [](uint8_t code, caf::atom_value, const caf::message& ctx) -> std::string {
        std::string out = to_string(static_cast<ec>(code));
        if (!ctx.empty()) {
          out += ": ";
          out += caf::deep_to_string(ctx);
        }
        return out;
      });
}

} // namespace sc
