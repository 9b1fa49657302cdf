<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>HostLinkText</name>
    <message numerus="yes">
        <source>The host has not answered for %n s</source>
        <translation>
            <numerusform>The host has not answered for %n s</numerusform>
            <numerusform>The host has not answered for %n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The host has not answered for %n s: calls on screen may be out of date and actions may not reach it.</source>
        <translation>
            <numerusform>The host has not answered for %n s: calls on screen may be out of date and actions may not reach it.</numerusform>
            <numerusform>The host has not answered for %n s: calls on screen may be out of date and actions may not reach it.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>dispatch::CameraView</name>
    <message numerus="yes">
        <source>%n s old</source>
        <translation>
            <numerusform>%n s old</numerusform>
            <numerusform>%n s old</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>dispatch::HistoryWindow</name>
    <message numerus="yes">
        <source>%n call(s)</source>
        <translation>
            <numerusform>%n call</numerusform>
            <numerusform>%n calls</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported call %1 to %2: %n file(s), %3 kB.</source>
        <translation>
            <numerusform>Exported call %1 to %2: %n file, %3 kB.</numerusform>
            <numerusform>Exported call %1 to %2: %n files, %3 kB.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>dispatch::MainWindow</name>
    <message numerus="yes">
        <source>%n phone(s) connected</source>
        <translation>
            <numerusform>%n phone connected</numerusform>
            <numerusform>%n phones connected</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) ringing</source>
        <translation>
            <numerusform>%n call ringing</numerusform>
            <numerusform>%n calls ringing</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) are live on this console (%1 ringing, %2 critical).</source>
        <translation>
            <numerusform>%n call is live on this console (%1 ringing, %2 critical).</numerusform>
            <numerusform>%n calls are live on this console (%1 ringing, %2 critical).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>dispatch::TriageCard</name>
    <message numerus="yes">
        <source>  (%n report(s))</source>
        <translation>
            <numerusform>  (%n report)</numerusform>
            <numerusform>  (%n reports)</numerusform>
        </translation>
    </message>
</context>
</TS>
