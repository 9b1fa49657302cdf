#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "host/phoneserver.h"
#include "net/tlscredentials.h"
#include "testclient.h"

#include <QFile>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

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

    // Only TLS 1.3 and TLS 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305: a client that offers
    // nothing but CBC suites (as an old or downgraded client would) is refused.
    void onlyForwardSecretAeadSuitesAreOffered()
    {
        QTemporaryDir dir;
        CallStore store;
        MetricsRegistry metrics;
        PhoneServerConfig config;
        config.forceTls = true;
        config.dataDir = dir.path();
        PhoneServer server(config, store, metrics);
        auto url = server.start();
        QVERIFY2(url, qPrintable(url.error().message));
        const quint16 port = quint16(url->port());

        QList<QSslCipher> cbc;
        for (const QSslCipher &c : QSslConfiguration::supportedCiphers()) {
            const QString name = c.name();
            if (c.protocol() != QSsl::TlsV1_3 && name.startsWith("ECDHE-") &&
                !name.contains("GCM") && !name.contains("CHACHA20") && !name.contains("PSK"))
                cbc << c;
        }
        QVERIFY(!cbc.isEmpty());
        auto handshake = [port](QSsl::SslProtocol protocol, const QList<QSslCipher> &ciphers) {
            auto socket = std::make_unique<QSslSocket>();
            QSslConfiguration client = QSslConfiguration::defaultConfiguration();
            client.setProtocol(protocol);
            if (!ciphers.isEmpty())
                client.setCiphers(ciphers);
            client.setPeerVerifyMode(QSslSocket::VerifyNone);
            socket->setSslConfiguration(client);
            socket->bind(QHostAddress(QStringLiteral("127.0.0.2")));
            socket->connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
            (void)QTest::qWaitFor(
                [&] {
                    return socket->isEncrypted() ||
                           socket->state() == QAbstractSocket::UnconnectedState;
                },
                5000);
            return socket;
        };
        auto refused = handshake(QSsl::TlsV1_2, cbc);
        QVERIFY2(!refused->isEncrypted(), qPrintable(refused->sessionCipher().name()));

        // A TLS 1.2 client with its defaults gets an AEAD suite with forward secrecy ...
        auto tls12 = handshake(QSsl::TlsV1_2, {});
        QVERIFY2(tls12->isEncrypted(), qPrintable(tls12->errorString()));
        const QString name = tls12->sessionCipher().name();
        QVERIFY2(name.startsWith("ECDHE-") && (name.contains("GCM") || name.contains("CHACHA20")),
                 qPrintable(name));
        // ... and a TLS 1.3 client a TLS 1.3 suite.
        auto tls13 = handshake(QSsl::TlsV1_3, {});
        QVERIFY2(tls13->isEncrypted(), qPrintable(tls13->errorString()));
        QCOMPARE(tls13->sessionProtocol(), QSsl::TlsV1_3);
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
