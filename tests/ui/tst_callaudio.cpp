#include "audio/callaudio.h"
#include "audio/pcmring.h"
#include "audioexitmain.h"
#include "calls/callstore.h"
#include "skiporfail.h"

#include <QMediaDevices>
#include <QSignalSpy>
#include <QTest>

using namespace dispatch;

class TestCallAudio : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ringIsBoundedAndReadsWholeSamples()
    {
        PcmRing ring(1000);
        ring.push(QByteArray(600, 1));
        ring.push(QByteArray(600, 2));
        QCOMPARE(ring.buffered(), 1000);
        QCOMPARE(ring.droppedBytes(), 200);
        char buf[7];
        QCOMPARE(ring.read(buf, 7), qint64(6)); // never half a sample
        QCOMPARE(buf[0], char(1));
        QCOMPARE(ring.buffered(), 994);
        ring.clear();
        QCOMPARE(ring.bytesAvailable(), 0);
    }

    void levels()
    {
        QCOMPARE(measureLevel(QByteArray()).peak, 0.0);
        QByteArray square;
        for (int i = 0; i < 100; ++i) {
            const qint16 v = (i % 2) ? 16384 : -16384;
            square.append(reinterpret_cast<const char *>(&v), 2);
        }
        const PcmLevel l = measureLevel(square);
        QCOMPARE(l.peak, 0.5);
        QVERIFY(qAbs(l.rms - 0.5) < 1e-9);
    }

    void deviceAlarmSaysWhatIsMissingAndWhatToDo()
    {
        AudioDeviceHealth ok;
        QCOMPARE(ok.alarmText(), QString());
        QVERIFY(ok.canTalk());

        AudioDeviceHealth noSpeaker;
        noSpeaker.speakerWorks = false;
        noSpeaker.speakerProblem = "no audio output device";
        QVERIFY(noSpeaker.alarmText().contains("cannot HEAR callers"));
        QVERIFY(noSpeaker.alarmText().contains("no audio output device"));
        QVERIFY(noSpeaker.canTalk());

        AudioDeviceHealth noMic;
        noMic.microphonePresent = false;
        QVERIFY(noMic.alarmText().contains("no microphone"));
        QVERIFY(!noMic.alarmText().contains("HEAR callers"));
        QVERIFY(!noMic.canTalk());

        AudioDeviceHealth brokenMic;
        brokenMic.microphoneWorks = false;
        brokenMic.microphoneProblem = "cannot open USB headset";
        QVERIFY(brokenMic.alarmText().contains("cannot open USB headset"));
        QVERIFY(!brokenMic.canTalk());
    }

    void microphoneComingAndGoingChangesTheHealth()
    {
        CallStore store;
        CallAudio audio(store);
        audio.setMicrophonePresent(true); // whatever this machine has
        QSignalSpy changed(&audio, &CallAudio::statusChanged);
        audio.setMicrophonePresent(false);
        QVERIFY(!audio.deviceHealth().canTalk());
        audio.setMicrophonePresent(true);
        QVERIFY(audio.deviceHealth().canTalk());
        QCOMPARE(changed.count(), 2);
    }

    void selectedCallIsPlayedAndTalkBackReachesThePhone()
    {
        if (QMediaDevices::defaultAudioOutput().isNull() ||
            QMediaDevices::defaultAudioInput().isNull())
            DISPATCH_SKIP_OR_FAIL(
                "no audio devices (the test command starts PulseAudio null devices)");
        CallStore store;
        CallAudio audio(store);
        store.addCall("a", std::nullopt);
        store.addCall("b", std::nullopt);
        store.answer("a", Actor::dispatcher("me"));
        audio.setCall("a");
        store.addAudio("a", QByteArray(640, 10));
        store.addAudio("b", QByteArray(640, 10)); // not the selected call
        QCOMPARE(audio.callerLevels().size(), 1);

        QSignalSpy talkBack(&store, &CallStore::talkBackRequested);
        QSignalSpy talking(&audio, &CallAudio::talkingChanged);
        audio.setOpenMic(true);
        QCOMPARE(talking.count(), 1);
        // The null source delivers (silent) audio at 32 kB/s; the first stream may stall ~1.5 s.
        QTRY_VERIFY_WITH_TIMEOUT(talkBack.count() >= 5, 15'000);
        QCOMPARE(talkBack.constFirst().at(0).toString(), QString("a"));
        QCOMPARE(talkBack.constFirst().at(1).toByteArray().size(), 640);
        QVERIFY(audio.talkBackBytesSent() >= 5 * 640);
        audio.setOpenMic(false);
        QCOMPARE(talking.count(), 2);

        // Selecting another call stops talking to the first.
        audio.setPushToTalk(true);
        audio.setCall("b");
        QVERIFY(!audio.isTalking());
    }
};

DISPATCH_UI_TEST_MAIN(TestCallAudio)
#include "tst_callaudio.moc"
