// The command line as a user meets it: configuration errors exit 2 with one line per
// problem naming file, line and key; scan --once --json prints the ranked pipeline
// output; `run` logs completed cycles and stops cleanly on SIGTERM.

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <random>
#include <signal.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

struct temp_dir {
  fs::path path;
  temp_dir() {
    std::random_device rd;
    path = fs::temp_directory_path() /
           ("sc-cli-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path write(const std::string& name, const std::string& text) const {
    auto p = path / name;
    std::ofstream{p} << text;
    return p;
  }
};

struct outcome {
  int code = -1;
  std::string out;
  std::string err;
};

/// Runs the binary with `args` in `cwd`, capturing stdout and stderr.
outcome run(const std::vector<std::string>& args, const fs::path& cwd) {
  int out_pipe[2], err_pipe[2];
  REQUIRE(pipe(out_pipe) == 0);
  REQUIRE(pipe(err_pipe) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    close(out_pipe[0]);
    close(err_pipe[0]);
    if (chdir(cwd.c_str()) != 0) _exit(127);
    std::vector<char*> argv;
    std::string bin = SMALLCAP_BIN;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  outcome o;
  std::array<pollfd, 2> fds{{{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}}};
  int open_fds = 2;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes{3};
  while (open_fds > 0 && std::chrono::steady_clock::now() < deadline) {
    if (poll(fds.data(), fds.size(), 1000) <= 0) continue;
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      char buf[65536];
      auto n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? o.out : o.err).append(buf, static_cast<size_t>(n));
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  o.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return o;
}

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in{s};
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) out.push_back(l);
  return out;
}

} // namespace

TEST_CASE("a config with a misspelled key, a string number and a negative size exits 2") {
  temp_dir dir;
  auto file = dir.write("bad.toml", "[trading]\n"
                                    "position_size = -0.1\n"
                                    "\n"
                                    "[scanner]\n"
                                    "top_n = \"twenty\"\n"
                                    "intervall = \"5min\"\n");
  for (auto cmd : {std::vector<std::string>{"config", "check", file.string()},
                   std::vector<std::string>{"scan", "--once", "--config", file.string()},
                   std::vector<std::string>{"run", "--config", file.string()}}) {
    auto r = run(cmd, dir.path);
    INFO(r.err);
    CHECK(r.code == 2);
    CHECK(r.out.find("cycle") == std::string::npos);
    auto errs = r.err;
    auto f = file.string();
    CHECK(errs.find(f + ":2: trading.position_size: ") != std::string::npos);
    CHECK(errs.find(f + ":5: scanner.top_n: ") != std::string::npos);
    CHECK(errs.find(f + ":6: scanner.intervall: unknown key") != std::string::npos);
  }
}

TEST_CASE("usage errors exit 2") {
  temp_dir dir;
  CHECK(run({"scan"}, dir.path).code == 2);
  CHECK(run({"no-such-command"}, dir.path).code == 2);
  CHECK(run({"config", "check", (dir.path / "missing.toml").string()}, dir.path).code ==
        2);
}

TEST_CASE("scan --once --json prints ranked candidates with factors and option Greeks") {
  temp_dir dir;
  auto r =
      run({"scan", "--once", "--json", "--set", "data.sim.universe_size=200"}, dir.path);
  INFO(r.err.substr(0, 2000));
  REQUIRE(r.code == 0);
  auto doc = boost::json::parse(r.out).as_object();
  auto& cands = doc.at("candidates").as_array();
  REQUIRE(!cands.empty());
  double prev = 2;
  for (auto& c : cands) {
    auto& o = c.as_object();
    double score = o.at("score").as_double();
    CHECK(score <= prev);
    prev = score;
    auto& factors = o.at("factors").as_array();
    CHECK(factors.size() == 7);
    double sum = 0;
    for (auto& f : factors)
      sum += f.as_object().at("contribution").as_double();
    CHECK(sum == Approx(score).epsilon(1e-9));
  }
  auto& opts = doc.at("options").as_array();
  REQUIRE(!opts.empty());
  size_t with_greeks = 0;
  for (auto& rep : opts)
    for (auto& k : rep.as_object().at("contracts").as_array()) {
      auto& g = k.as_object().at("greeks").as_object();
      CHECK(std::fabs(g.at("delta").as_double()) <= 1);
      CHECK(g.at("gamma").as_double() >= 0);
      ++with_greeks;
    }
  CHECK(with_greeks > 0);
  // A one-shot scan trades on a throw-away account: no ledger file appears.
  CHECK(!fs::exists(dir.path / "var" / "ledger.db"));
}

TEST_CASE("run logs completed cycles and stops cleanly on SIGTERM") {
  temp_dir dir;
  int err_pipe[2];
  REQUIRE(pipe(err_pipe) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(err_pipe[1], 2);
    close(err_pipe[0]);
    if (chdir(dir.path.c_str()) != 0) _exit(127);
    std::string bin = SMALLCAP_BIN;
    execl(bin.c_str(), bin.c_str(), "run", "--set", "data.sim.universe_size=100", "--set",
          "scanner.interval=1s", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(err_pipe[1]);
  std::string log;
  int cycles = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{60};
  pollfd pfd{err_pipe[0], POLLIN, 0};
  while (cycles < 2 && std::chrono::steady_clock::now() < deadline) {
    if (poll(&pfd, 1, 500) <= 0) continue;
    char buf[8192];
    auto n = read(err_pipe[0], buf, sizeof buf);
    if (n <= 0) break;
    log.append(buf, static_cast<size_t>(n));
    cycles = 0;
    for (size_t at = 0;
         (at = log.find("\"event\":\"cycle_completed\"", at)) != std::string::npos; ++at)
      ++cycles;
  }
  INFO(log.substr(0, 4000));
  CHECK(cycles >= 2);
  kill(pid, SIGTERM);
  // Drain the rest of the log until the process closes it.
  for (;;) {
    if (poll(&pfd, 1, 30000) <= 0) break;
    char buf[8192];
    auto n = read(err_pipe[0], buf, sizeof buf);
    if (n <= 0) break;
    log.append(buf, static_cast<size_t>(n));
  }
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(log.find("\"event\":\"signal\"") != std::string::npos);
  CHECK(log.find("\"event\":\"stopped\"") != std::string::npos);
  // Every line is one JSON object with the promised fields.
  for (auto& l : lines(log)) {
    auto v = boost::json::parse(l).as_object();
    CHECK(v.contains("time"));
    CHECK(v.contains("level"));
    CHECK(v.contains("node"));
    CHECK(v.contains("actor"));
    CHECK(v.contains("event"));
  }
  // The service keeps its ledger under var/.
  CHECK(fs::exists(dir.path / "var" / "ledger.db"));
}
