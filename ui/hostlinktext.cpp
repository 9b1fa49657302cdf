#include "hostlinktext.h"

namespace dispatch {

using remote::HostLink;
using remote::HostLinkReason;

QString HostLinkText::of(HostLink::State state, const remote::HostLinkStatus &status)
{
    QString text;
    switch (status.reason) {
    case HostLinkReason::Connecting:
        text = tr("Connecting to %1").arg(status.detail);
        break;
    case HostLinkReason::Connected:
        text = tr("Connected to %1").arg(status.detail);
        break;
    case HostLinkReason::HostSilent:
        text = tr("The host has not answered for %n s", nullptr,
                  static_cast<int>(status.silentMs / 1000));
        break;
    case HostLinkReason::ConnectionLost:
        text = tr("Connection to the host lost (%1)").arg(status.detail);
        break;
    case HostLinkReason::ClosedByHost:
        text = tr("The host closed this console's connection: %1").arg(status.detail);
        break;
    case HostLinkReason::CertificateUntrusted:
        text = tr("The host's certificate is not trusted (%1). Check its fingerprint on the host "
                  "and pass it with --fingerprint %2")
                   .arg(status.detail, status.fingerprint);
        break;
    case HostLinkReason::PinMismatch:
        text = status.fingerprint.isEmpty()
                   ? tr("The host did not use TLS, but a certificate fingerprint is pinned")
                   : tr("The host's certificate fingerprint %1 does not match the pinned one")
                         .arg(status.fingerprint);
        break;
    }
    if (state == HostLink::State::Reconnecting && status.retryInMs >= 0)
        text = tr("%1; reconnecting in %2 s")
                   .arg(text, QString::number(status.retryInMs / 1000.0, 'f', 1));
    return text;
}

QString HostLinkText::banner(HostLink::State state, const remote::HostLinkStatus &status)
{
    switch (state) {
    case HostLink::State::Connected:
        return QString();
    case HostLink::State::Connecting:
        return tr("Not connected to the host yet: no calls are shown.");
    case HostLink::State::Stalled:
        return tr("The host has not answered for %n s: calls on screen may be out of date and "
                  "actions may not reach it.",
                  nullptr, static_cast<int>(status.silentMs / 1000));
    case HostLink::State::Reconnecting:
        return tr("Connection to the host LOST: calls on screen are frozen at what was last "
                  "known. Reconnecting...");
    case HostLink::State::Refused:
        return tr("The host refused this console: %1").arg(of(state, status));
    }
    return QString();
}

} // namespace dispatch
