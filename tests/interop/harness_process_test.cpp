// Process control: spawning, capture, process-group kill, bounded readiness waits.

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "support/process.hpp"
#include "support/scratch.hpp"
#include "support/tcp.hpp"

namespace edgefetch::support {
namespace {

bool pid_alive(pid_t pid) {
  // A zombie still answers kill(0); /proc's state tells them apart.
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  if (stat.empty()) return false;
  const auto close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z';
}

TEST(ChildProcess, CapturesOutputAndExitStatus) {
  const ScratchDir dir = ScratchDir::create("proc");
  auto child = ChildProcess::spawn({.argv = {"sh", "-c", "echo out; echo err >&2; exit 3"},
                                    .stdout_path = dir / "out",
                                    .stderr_path = dir / "err"});
  ASSERT_TRUE(child) << child.error();
  ASSERT_TRUE(child->wait_exit(Deadline::after(std::chrono::seconds(10))));
  EXPECT_EQ(child->read_stdout(), "out\n");
  EXPECT_EQ(child->read_stderr(), "err\n");
  EXPECT_EQ(child->describe_status(), "exited with 3");
}

TEST(ChildProcess, ReportsAMissingProgram) {
  auto child = ChildProcess::spawn({.argv = {"edgefetch-no-such-program"}});
  ASSERT_FALSE(child);
  EXPECT_NE(child.error().find("edgefetch-no-such-program"), std::string::npos) << child.error();
}

TEST(ChildProcess, PassesEnvironment) {
  const ScratchDir dir = ScratchDir::create("proc");
  auto child = ChildProcess::spawn({.argv = {"sh", "-c", "printf %s \"$EDGEFETCH_PROBE\""},
                                    .stdout_path = dir / "out",
                                    .environment = {{"EDGEFETCH_PROBE", "value 1"}}});
  ASSERT_TRUE(child) << child.error();
  ASSERT_TRUE(child->wait_exit(Deadline::after(std::chrono::seconds(10))));
  EXPECT_EQ(child->read_stdout(), "value 1");
}

TEST(ChildProcess, DestructionKillsTheWholeProcessGroup) {
  const ScratchDir dir = ScratchDir::create("proc");
  pid_t grandchild = 0;
  {
    auto child = ChildProcess::spawn({.argv = {"sh", "-c", "sleep 60 & echo $!; wait"},
                                      .stdout_path = dir / "out",
                                      .stderr_path = dir / "err"});
    ASSERT_TRUE(child) << child.error();
    auto out = wait_for_output(*child, dir / "out", "\n", Deadline::after(std::chrono::seconds(10)));
    ASSERT_TRUE(out) << out.error();
    grandchild = static_cast<pid_t>(std::stol(*out));
    ASSERT_TRUE(pid_alive(grandchild));
  }
  // The grandchild is not ours to reap; it is gone once its reaper (init) collects it.
  const Deadline deadline = Deadline::after(std::chrono::seconds(5));
  while (pid_alive(grandchild) && !deadline.expired())
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_FALSE(pid_alive(grandchild));
}

TEST(ChildProcess, WaitUntilListeningFailsFastWhenTheChildExits) {
  auto child = ChildProcess::spawn({.argv = {"sh", "-c", "echo cannot start >&2; exit 1"},
                                    .stderr_path = ScratchDir::create("proc") / "err"});
  ASSERT_TRUE(child) << child.error();
  const auto started = std::chrono::steady_clock::now();
  auto ready = wait_until_listening(*child, pick_free_port(), Deadline::after(std::chrono::seconds(20)));
  ASSERT_FALSE(ready);
  EXPECT_NE(ready.error().find("exited with 1"), std::string::npos) << ready.error();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

TEST(ChildProcess, WaitUntilListeningIsBounded) {
  auto child = ChildProcess::spawn({.argv = {"sleep", "60"}});
  ASSERT_TRUE(child) << child.error();
  auto ready =
      wait_until_listening(*child, pick_free_port(), Deadline::after(std::chrono::milliseconds(200)));
  ASSERT_FALSE(ready);
  EXPECT_NE(ready.error().find("not listening"), std::string::npos) << ready.error();
  EXPECT_TRUE(child->running());
}

TEST(ChildProcess, ListeningIsAttributedToTheOwningProcess) {
  // Our own listener is not the child's.
  auto listener = listen_loopback(0);
  ASSERT_TRUE(listener) << listener.error();
  const std::uint16_t port = local_port(listener->get());
  EXPECT_TRUE(is_listening(::getpid(), port));
  auto child = ChildProcess::spawn({.argv = {"sleep", "60"}});
  ASSERT_TRUE(child) << child.error();
  EXPECT_FALSE(is_listening(child->pid(), port));
}

TEST(Tcp, ConnectToAClosedPortFailsQuickly) {
  const std::uint16_t port = pick_free_port();
  ASSERT_NE(port, 0);
  auto socket = connect_loopback(port, Deadline::after(std::chrono::seconds(5)));
  ASSERT_FALSE(socket);
}

}  // namespace
}  // namespace edgefetch::support
