// smallcap: the command line. Exit codes: 0 success, 1 runtime failure, 2 usage or
// configuration error.

#include "actors/registry.hpp"
#include "app/cmd_config.hpp"
#include "app/cmd_indicators.hpp"
#include "app/cmd_price.hpp"
#include "app/log.hpp"
#include "app/node.hpp"
#include "app/reports.hpp"
#include "config/loader.hpp"
#include "messages/caf_errors.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <atomic>
#include <csignal>
#include <fstream>
#include <iostream>
#include <pthread.h>
#include <thread>

namespace {

using namespace sc;

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;
constexpr int exit_usage = 2;

struct common_options {
  std::string config_file;
  std::vector<std::string> overrides; ///< "key=value" from --set.
};

void add_common(CLI::App* cmd, common_options& o) {
  cmd->add_option("-c,--config", o.config_file,
                  "Configuration file (TOML); built-in defaults when omitted");
  cmd->add_option("--set", o.overrides,
                  "Override a key, e.g. --set service.log_level=debug (repeatable)");
}

/// Loads and validates the configuration; prints every error and returns null on
/// failure.
std::shared_ptr<const config::settings> load(const common_options& o) {
  config::load_options lo;
  for (auto& kv : o.overrides) {
    auto eq = kv.find('=');
    if (eq == std::string::npos) {
      std::cerr << "--set: '" << kv << "': expected key=value\n";
      return nullptr;
    }
    lo.overrides.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
  auto r = o.config_file.empty() ? config::load_string("", "<defaults>", lo)
                                 : config::load_file(o.config_file, lo);
  for (auto& w : r.warnings)
    std::cerr << "warning: " << w << '\n';
  if (!r.ok()) {
    for (auto& e : r.errors)
      std::cerr << e << '\n';
    return nullptr;
  }
  return std::make_shared<const config::settings>(std::move(r.value));
}

/// Loads the configuration and sets up logging; null (with `code` set to the usage
/// exit code) when either fails.
std::shared_ptr<const config::settings> prepare(const common_options& o, int& code) {
  auto cfg = load(o);
  if (!cfg) {
    code = exit_usage;
    return nullptr;
  }
  if (auto err = log::init(cfg->service); !err.empty()) {
    std::cerr << "error: " << err << '\n';
    code = exit_usage;
    return nullptr;
  }
  return cfg;
}

// -- run ---------------------------------------------------------------------------

int run_service(std::shared_ptr<const config::settings> cfg) {
  // Block the stop signals in every thread (the actor system's threads inherit the
  // mask); one thread waits for them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  int code = exit_ok;
  {
    app::system_config acfg;
    caf::actor_system sys{acfg};
    app::node n{sys, cfg};
    log::info(
        "node", "starting",
        {log::kv("config", cfg->source_file.empty() ? "<defaults>" : cfg->source_file),
         log::kv("role", cfg->cluster.role)});
    if (auto err = n.start({true}); !err.empty()) {
      log::error("node", "start_failed", {log::kv("error", err)});
      return exit_failure;
    }
    log::info(
        "node", "started",
        {log::kv("interval_s", static_cast<int64_t>(cfg->scanner.interval.count()))});
    std::atomic<bool> signalled{false};
    std::atomic<bool> finished{false};
    auto sup = n.supervisor();
    std::thread waiter([&] {
      int sig = 0;
      sigwait(&stop_signals, &sig);
      if (finished) return;
      signalled = true;
      log::info("node", "signal",
                {log::kv("signal", sig == SIGINT ? "SIGINT" : "SIGTERM")});
      caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
    });
    {
      caf::scoped_actor self{sys};
      self->monitor(sup);
      self->receive([&](caf::down_msg& dm) {
        if (dm.reason && dm.reason != caf::exit_reason::user_shutdown) {
          code = exit_failure;
          log::error("node", "supervisor_failed",
                     {log::kv("error", sys.render(dm.reason))});
        }
      });
    }
    finished = true;
    if (!signalled) pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    n.stop();
    log::info("node", "stopping");
  }
  log::info("node", "stopped", {log::kv("exit_code", code)});
  log::flush();
  return code;
}

// -- scan --once and options ----------------------------------------------------------

template <class F> int with_node(std::shared_ptr<const config::settings> cfg, F&& f) {
  app::system_config acfg;
  caf::actor_system sys{acfg};
  app::node n{sys, cfg};
  if (auto err = n.start({false}); !err.empty()) {
    std::cerr << "error: " << err << '\n';
    return exit_failure;
  }
  int code = f(sys);
  n.stop();
  return code;
}

int run_scan_once(std::shared_ptr<const config::settings> cfg, bool json, bool persist) {
  if (!persist) {
    // A one-shot scan trades on a throw-away paper account, not the service's ledger.
    auto copy = std::make_shared<config::settings>(*cfg);
    copy->trading.ledger_db = ":memory:";
    cfg = copy;
  }
  return with_node(cfg, [&](caf::actor_system& sys) {
    auto p = actors::lookup<pipeline_actor>(sys, actors::names::pipeline);
    caf::scoped_actor self{sys};
    int code = exit_ok;
    self->request(p, std::chrono::minutes{10}, atom::cycle::value)
        .receive(
            [&](cycle_report& r) {
              if (json)
                std::cout << boost::json::serialize(app::to_json(r)) << '\n';
              else
                app::print_cycle(std::cout, r);
            },
            [&](caf::error& err) {
              std::cerr << "error: cycle failed: " << sys.render(err) << '\n';
              code = exit_failure;
            });
    return code;
  });
}

int run_options(std::shared_ptr<const config::settings> cfg, const std::string& symbol,
                bool json) {
  return with_node(cfg, [&](caf::actor_system& sys) {
    auto o = actors::lookup<options_actor>(sys, actors::names::options);
    caf::scoped_actor self{sys};
    int code = exit_ok;
    self->request(o, std::chrono::minutes{2}, atom::analyse::value, symbol)
        .receive(
            [&](option_report& r) {
              if (json)
                std::cout << boost::json::serialize(app::to_json(r)) << '\n';
              else
                app::print_options(std::cout, r);
              if (!r.error.empty()) code = exit_failure;
            },
            [&](caf::error& err) {
              std::cerr << "error: " << sys.render(err) << '\n';
              code = exit_failure;
            });
    return code;
  });
}

/// Opens --input or standard input for the stream tools.
template <class F> int with_input(const std::string& file, F&& f) {
  if (file.empty() || file == "-") return f(std::cin, std::string{"<stdin>"});
  std::ifstream in{file};
  if (!in) {
    std::cerr << file << ": cannot open for reading\n";
    return exit_usage;
  }
  return f(in, file);
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"smallcap: watches US small-cap stocks and their options"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "smallcap 0.1.0");
  int code = exit_ok;

  common_options run_opts;
  auto* run = app.add_subcommand("run", "Run the service until SIGINT or SIGTERM");
  add_common(run, run_opts);
  run->callback([&] {
    if (auto cfg = prepare(run_opts, code)) code = run_service(cfg);
  });

  common_options scan_opts;
  bool scan_once = false, scan_json = false, scan_persist = false;
  auto* scan = app.add_subcommand("scan", "Run one full pipeline cycle and print it");
  add_common(scan, scan_opts);
  scan->add_flag("--once", scan_once, "One cycle, then exit (required)");
  scan->add_flag("--json", scan_json, "Print JSON instead of tables");
  scan->add_flag(
      "--persist", scan_persist,
      "Open the paper positions in the configured ledger (default: throw-away)");
  scan->callback([&] {
    if (!scan_once) {
      std::cerr << "scan: only --once is supported here; `smallcap run` scans "
                   "continuously\n";
      code = exit_usage;
      return;
    }
    if (auto cfg = prepare(scan_opts, code))
      code = run_scan_once(cfg, scan_json, scan_persist);
  });

  common_options opt_opts;
  std::string opt_symbol;
  bool opt_json = false;
  auto* options =
      app.add_subcommand("options", "Ranked option contracts of one underlying");
  add_common(options, opt_opts);
  options->add_option("SYMBOL", opt_symbol, "Underlying symbol")->required();
  options->add_flag("--json", opt_json, "Print JSON instead of a table");
  options->callback([&] {
    if (auto cfg = prepare(opt_opts, code)) code = run_options(cfg, opt_symbol, opt_json);
  });

  std::string price_input;
  bool price_json = false;
  auto* price =
      app.add_subcommand("price", "Price options or solve implied volatility (CSV)");
  price->add_option("-i,--input", price_input, "CSV file (default: standard input)");
  price->add_flag("--json", price_json, "One JSON object per row");
  price->callback([&] {
    code = with_input(price_input, [&](std::istream& in, const std::string& name) {
      return app::run_price(in, name, std::cout, price_json);
    });
  });

  std::string ind_input;
  bool ind_json = false;
  auto* ind =
      app.add_subcommand("indicators", "Technical indicators of daily bars (CSV)");
  ind->add_option("-i,--input", ind_input, "CSV file (default: standard input)");
  ind->add_flag("--json", ind_json, "One JSON object of indicator arrays");
  ind->callback([&] {
    code = with_input(ind_input, [&](std::istream& in, const std::string& name) {
      return app::run_indicators(in, name, std::cout, std::cerr, ind_json);
    });
  });

  std::string check_file;
  auto* cfgcmd = app.add_subcommand("config", "Configuration tools");
  cfgcmd->require_subcommand(1);
  auto* check = cfgcmd->add_subcommand("check", "Validate a configuration file");
  check->add_option("FILE", check_file, "TOML file")->required();
  check->callback(
      [&] { code = app::run_config_check(check_file, std::cout, std::cerr); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_usage;
  }
  return code;
}
