#include "signalquitter.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace dispatch {

int SignalQuitter::s_fds[2] = {-1, -1};

SignalQuitter::SignalQuitter(QObject *parent)
    : QObject(parent)
{}

SignalQuitter::~SignalQuitter()
{
    if (m_notifier) {
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
        ::close(s_fds[0]);
        ::close(s_fds[1]);
        s_fds[0] = s_fds[1] = -1;
    }
}

void SignalQuitter::onSignal(int)
{
    const char byte = 1;
    const ssize_t written = ::write(s_fds[1], &byte, 1);
    (void)written; // nothing else is safe to do here
}

bool SignalQuitter::install()
{
    if (m_notifier)
        return true;
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s_fds) != 0)
        return false;
    m_notifier = new QSocketNotifier(s_fds[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [] {
        char byte = 0;
        const ssize_t n = ::read(s_fds[0], &byte, 1);
        (void)n;
        QCoreApplication::quit();
    });
    struct sigaction action = {};
    action.sa_handler = &SignalQuitter::onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0 &&
           ::sigaction(SIGTERM, &action, nullptr) == 0;
}

} // namespace dispatch
