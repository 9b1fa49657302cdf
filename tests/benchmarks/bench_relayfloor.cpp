// The floor under any relay that does what issue 19 measures: for each 20 ms audio chunk of
// each call, one read from the phone's TCP socket and one write of the AI message (about 900
// bytes of base64 JSON) to the AI's TCP socket, on loopback. No WebSocket parsing, no JSON
// library, no Qt: an epoll loop, read(2), a base64 encode, write(2). Whatever this costs per
// call is the kernel's and the system calls' share, which no user-space work can remove while
// each chunk must reach the AI within milliseconds (docs/PERFORMANCE.md).
//
// Usage: bench_relayfloor [--calls N] [--seconds S]
// Prints the relay process's CPU (user, system) in % of one core and per call.
// Three processes: the relay; the phones (write a 646-byte frame every 20 ms on each call's
// socket, paced by a timerfd); the AI (reads and discards).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

namespace {

constexpr int FrameBytes = 646; // a 640-byte chunk in a masked WebSocket binary frame

int listenOnLoopback(unsigned short *port)
{
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(s, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 || ::listen(s, 4096) != 0) {
        std::perror("listen");
        std::exit(2);
    }
    socklen_t len = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr *>(&a), &len);
    *port = ntohs(a.sin_port);
    return s;
}

int connectTo(unsigned short port)
{
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    if (::connect(s, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
        std::perror("connect");
        std::exit(2);
    }
    const int one = 1;
    ::setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return s;
}

void base64(const unsigned char *in, size_t n, std::string &out)
{
    static const char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        const unsigned v = (unsigned(in[i]) << 16) | (i + 1 < n ? unsigned(in[i + 1]) << 8 : 0) |
                           (i + 2 < n ? unsigned(in[i + 2]) : 0);
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
        out += i + 1 < n ? table[(v >> 6) & 63] : '=';
        out += i + 2 < n ? table[v & 63] : '=';
    }
}

double cpuSeconds(const timeval &t)
{
    return double(t.tv_sec) + double(t.tv_usec) / 1e6;
}

// The phones and the AI: writes a frame on every phone socket each 20 ms, discards what the
// AI sockets receive, for `seconds`.
void runPeers(const std::vector<int> &phones, const std::vector<int> &ai, int seconds)
{
    const int ep = ::epoll_create1(0);
    const int tick = ::timerfd_create(CLOCK_MONOTONIC, 0);
    itimerspec period{{0, 20'000'000}, {0, 20'000'000}};
    ::timerfd_settime(tick, 0, &period, nullptr);
    epoll_event e{};
    e.events = EPOLLIN;
    e.data.fd = tick;
    ::epoll_ctl(ep, EPOLL_CTL_ADD, tick, &e);
    for (const int s : ai) {
        e.data.fd = s;
        ::epoll_ctl(ep, EPOLL_CTL_ADD, s, &e);
    }
    char frame[FrameBytes];
    std::memset(frame, 0x5a, sizeof frame);
    char sink[65536];
    long ticks = 0;
    const long lastTick = long(seconds) * 50;
    epoll_event ready[256];
    while (ticks < lastTick) {
        const int n = ::epoll_wait(ep, ready, 256, 1000);
        for (int i = 0; i < n; ++i) {
            if (ready[i].data.fd == tick) {
                uint64_t expirations = 0;
                if (::read(tick, &expirations, sizeof expirations) > 0)
                    for (uint64_t k = 0; k < expirations; ++k, ++ticks)
                        for (const int s : phones)
                            if (::write(s, frame, sizeof frame) < 0 && errno != EAGAIN)
                                std::exit(3);
            } else {
                while (::read(ready[i].data.fd, sink, sizeof sink) == sizeof sink) {
                }
            }
        }
    }
}

} // namespace

int main(int argc, char **argv)
{
    int calls = 100;
    int seconds = 20;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--calls") == 0)
            calls = std::atoi(argv[i + 1]);
        else if (std::strcmp(argv[i], "--seconds") == 0)
            seconds = std::atoi(argv[i + 1]);
    }
    std::signal(SIGPIPE, SIG_IGN); // the peers hang up at the end
    unsigned short relayPort = 0;
    unsigned short aiPort = 0;
    const int relayListen = listenOnLoopback(&relayPort);
    const int aiListen = listenOnLoopback(&aiPort);

    std::vector<int> phones;
    std::vector<int> inbound;
    std::vector<int> outbound;
    std::vector<int> aiSide;
    for (int i = 0; i < calls; ++i) {
        phones.push_back(connectTo(relayPort));
        inbound.push_back(::accept(relayListen, nullptr, nullptr));
        outbound.push_back(connectTo(aiPort));
        aiSide.push_back(::accept(aiListen, nullptr, nullptr));
    }

    const pid_t peers = ::fork();
    if (peers == 0) {
        runPeers(phones, aiSide, seconds);
        _exit(0);
    }
    for (const int s : phones)
        ::close(s);
    for (const int s : aiSide)
        ::close(s);

    // The relay.
    const int ep = ::epoll_create1(0);
    for (int i = 0; i < calls; ++i) {
        epoll_event e{};
        e.events = EPOLLIN;
        e.data.u32 = unsigned(i);
        ::epoll_ctl(ep, EPOLL_CTL_ADD, inbound[size_t(i)], &e);
    }
    rusage start{};
    ::getrusage(RUSAGE_SELF, &start);
    timespec wallStart{};
    ::clock_gettime(CLOCK_MONOTONIC, &wallStart);
    std::vector<std::string> pending(static_cast<size_t>(calls));
    unsigned char buffer[65536];
    std::string message;
    long chunks = 0;
    int open = calls;
    epoll_event ready[256];
    while (open > 0) {
        const int n = ::epoll_wait(ep, ready, 256, 5000);
        if (n <= 0)
            break;
        for (int i = 0; i < n; ++i) {
            const size_t call = ready[i].data.u32;
            const ssize_t got = ::read(inbound[call], buffer, sizeof buffer);
            if (got <= 0) {
                ::epoll_ctl(ep, EPOLL_CTL_DEL, inbound[call], nullptr);
                --open;
                continue;
            }
            std::string &p = pending[call];
            p.append(reinterpret_cast<char *>(buffer), size_t(got));
            while (p.size() >= size_t(FrameBytes)) {
                message.assign(R"({"realtimeInput":{"audio":{"data":")");
                base64(reinterpret_cast<const unsigned char *>(p.data()) + 6, FrameBytes - 6,
                       message);
                message.append(R"(","mimeType":"audio/pcm;rate=16000"}}})");
                if (::write(outbound[call], message.data(), message.size()) < 0 && errno != EPIPE &&
                    errno != ECONNRESET)
                    std::exit(4);
                p.erase(0, FrameBytes);
                ++chunks;
            }
        }
    }
    rusage end{};
    ::getrusage(RUSAGE_SELF, &end);
    timespec wallEnd{};
    ::clock_gettime(CLOCK_MONOTONIC, &wallEnd);
    ::waitpid(peers, nullptr, 0);
    const double wall = double(wallEnd.tv_sec - wallStart.tv_sec) +
                        double(wallEnd.tv_nsec - wallStart.tv_nsec) / 1e9;
    const double user = cpuSeconds(end.ru_utime) - cpuSeconds(start.ru_utime);
    const double sys = cpuSeconds(end.ru_stime) - cpuSeconds(start.ru_stime);
    std::printf("calls=%d seconds=%.1f chunks=%ld relay_cpu=%.1f%% (user %.1f%%, system %.1f%%) "
                "per_call=%.3f%% per_chunk=%.1fus\n",
                calls, wall, chunks, 100 * (user + sys) / wall, 100 * user / wall, 100 * sys / wall,
                100 * (user + sys) / wall / calls, 1e6 * (user + sys) / double(chunks));
    return 0;
}
