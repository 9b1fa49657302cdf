#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "phone/phoneserver.h"
#include "phone/tlscredentials.h"
#include "testclient.h"

#include <QFile>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace dispatch;
using namespace dispatch::test;

class TestTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void generatedCertificateIsReusedAndPrivate()
    {
        QTemporaryDir dir;
        auto first = TlsCredentials::loadOrGenerate(dir.path(), {"localhost", "127.0.0.1"});
        QVERIFY2(first, qPrintable(first.error().message));
        QVERIFY(first->wasGenerated());
        const QString key = dir.path() + "/tls/server.key";
        QCOMPARE(QFile::permissions(key) &
                     (QFile::ReadGroup | QFile::ReadOther | QFile::WriteOther),
                 QFile::Permissions());
        const auto &cert = first->certificate();
        QVERIFY(cert.isSelfSigned());
        QVERIFY(cert.expiryDate() > QDateTime::currentDateTimeUtc().addDays(365));
        const auto san = cert.subjectAlternativeNames();
        QVERIFY(san.values(QSsl::DnsEntry).contains("localhost"));
        QVERIFY(san.values(QSsl::IpAddressEntry).contains("127.0.0.1"));
        QCOMPARE(first->sha256Fingerprint().size(), 32 * 3 - 1);

        auto second = TlsCredentials::loadOrGenerate(dir.path(), {"localhost"});
        QVERIFY(second);
        QVERIFY(!second->wasGenerated());
        QCOMPARE(second->sha256Fingerprint(), first->sha256Fingerprint());
    }

    void badFilesAreReported()
    {
        QTemporaryDir dir;
        QFile junk(dir.path() + "/junk.pem");
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("not a certificate");
        junk.close();
        auto missing = TlsCredentials::load(dir.path() + "/none.crt", dir.path() + "/none.key");
        QVERIFY(!missing);
        QVERIFY(missing.error().message.contains("none.crt"));
        auto garbage = TlsCredentials::load(junk.fileName(), junk.fileName());
        QVERIFY(!garbage);
    }

    void secureCallOverWss()
    {
        QVERIFY(QSslSocket::supportsSsl());
        QTemporaryDir dir;
        const QString crt = dir.path() + "/c.crt";
        const QString key = dir.path() + "/c.key";
        QVERIFY(!TlsCredentials::generateSelfSigned(crt, key, {"localhost", "127.0.0.1"}));

        CallStore store;
        MetricsRegistry metrics;
        PhoneServerConfig config;
        config.tlsCertPath = crt;
        config.tlsKeyPath = key;
        config.dashboardToken = "t";
        PhoneServer server(config, store, metrics);
        auto url = server.start();
        QVERIFY2(url, qPrintable(url.error().message));
        QCOMPARE(url->scheme(), QString("https"));
        QVERIFY(server.isSecure());
        QCOMPARE(server.tlsFingerprint(), TlsCredentials::load(crt, key)->sha256Fingerprint());

        // The client pins the server's certificate: no errors are ignored.
        TestClient phone;
        QSslConfiguration pinned = QSslConfiguration::defaultConfiguration();
        pinned.setCaCertificates(QSslCertificate::fromPath(crt));
        phone.socket().setSslConfiguration(pinned);
        phone.open(wsUrl(url.value(), "/ws/signal", "call_id=secure-1"));
        QVERIFY(phone.waitConnected());
        QCOMPARE(phone.socket().sslConfiguration().peerCertificate(),
                 QSslCertificate::fromPath(crt).constFirst());
        phone.sendJson({{"type", "call_initiated"}});
        QTRY_VERIFY(store.call("secure-1"));

        // A plain ws:// client cannot talk to the TLS listener.
        TestClient plain;
        QUrl insecure = wsUrl(url.value(), "/ws/signal", "call_id=plain");
        insecure.setScheme("ws");
        plain.open(insecure);
        QVERIFY(plain.waitDisconnected());
        QVERIFY(!store.call("plain"));
    }

    void nonLoopbackWithoutCertificateRefusesPlaintext()
    {
        // Off loopback, no certificate and no data dir: refuse rather than serve plaintext.
        CallStore store;
        MetricsRegistry metrics;
        PhoneServerConfig config;
        // TEST-NET address: never bound, because TLS setup fails before the server listens.
        config.address = QHostAddress(QStringLiteral("192.0.2.1"));
        PhoneServer server(config, store, metrics);
        auto url = server.start();
        QVERIFY(!url);
        QCOMPARE(url.error().code, QString("tls"));
    }
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
