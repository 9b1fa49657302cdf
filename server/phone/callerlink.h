#pragma once

#include "common/tokenbucket.h"
#include "phone/callerhub.h"

#include <QPointer>
#include <QTimer>

#include <optional>

namespace dispatch {

// What CallerHub keeps per call id (private to callerhub*.cpp).
struct CallerHub::Link
{
    QPointer<GuardedSocket> signal;
    // One live socket of each kind: a newer accepted one replaces the older.
    QPointer<GuardedSocket> audio;
    QPointer<GuardedSocket> vitals;
    bool audioHasSecret = false; // only then does the audio socket hear talk-back
    // The call's credential, from call_initiated on: its secret, the address that started it
    // and when, and whether a first (secret-less) socket of each kind has been taken.
    QString secret;
    QHostAddress origin;
    qint64 startedMs = -1;
    bool audioAttached = false;
    bool vitalsAttached = false;
    bool orphanFromOtherAddress = false; // media before call_initiated came from elsewhere too
    QHostAddress orphanPeer;
    TokenBucket audioRate;
    bool audioThrottled = false;
    QTimer grace;
    QTimer orphan;
    QTimer hangUp; // running: the caller hung up, the audio socket still drains
    MediaBacklog orphanMedia;
    // Vitals that beat call_initiated (another socket, read first under load): the newest
    // one is kept and delivered when the call starts, as the audio and frames are.
    std::optional<VitalsSample> orphanVitals;
};

} // namespace dispatch
