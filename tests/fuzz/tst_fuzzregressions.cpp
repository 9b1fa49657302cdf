// Replays every committed fuzz input through its target in the normal (gcc) build: the seeds in
// corpus/<target>/ and the inputs that once crashed in regressions/<target>/. A crash or a
// violated oracle aborts this test, so CI catches a regression without clang or libFuzzer.

#include "fuzztarget.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QTest>

namespace {

struct Input
{
    QString target;
    QString path;
};

QString fuzzDir()
{
    return QStringLiteral(DISPATCH_FUZZ_DIR);
}

dispatch::fuzz::TargetFunction find(const QString &name)
{
    std::size_t count = 0;
    const dispatch::fuzz::Target *t = dispatch::fuzz::targets(&count);
    for (std::size_t i = 0; i < count; ++i) {
        if (name == QLatin1String(t[i].name))
            return t[i].run;
    }
    return nullptr;
}

QStringList targetNames()
{
    std::size_t count = 0;
    const dispatch::fuzz::Target *t = dispatch::fuzz::targets(&count);
    QStringList names;
    for (std::size_t i = 0; i < count; ++i)
        names.append(QLatin1String(t[i].name));
    names.sort();
    return names;
}

QStringList filesUnder(const QString &dir)
{
    QStringList out;
    const QDir d(dir);
    for (const QString &f : d.entryList(QDir::Files, QDir::Name))
        out.append(d.filePath(f));
    return out;
}

} // namespace

class TestFuzzRegressions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyTargetHasSeeds()
    {
        const QStringList names = targetNames();
        QVERIFY(names.size() >= 8);
        for (const QString &name : names) {
            if (filesUnder(fuzzDir() + QStringLiteral("/corpus/") + name).isEmpty())
                QFAIL(qPrintable(QStringLiteral("no seeds in corpus/%1").arg(name)));
        }
        // A directory without a target would silently never run.
        for (const QString &kind : {QStringLiteral("corpus"), QStringLiteral("regressions")}) {
            const QDir d(fuzzDir() + QLatin1Char('/') + kind);
            for (const QString &sub : d.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
                if (!names.contains(sub))
                    QFAIL(qPrintable(QStringLiteral("%1/%2 has no fuzz target").arg(kind, sub)));
            }
        }
    }

    void replay_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("path");
        for (const QString &name : targetNames()) {
            for (const QString &kind : {QStringLiteral("corpus"), QStringLiteral("regressions")}) {
                for (const QString &path :
                     filesUnder(fuzzDir() + QLatin1Char('/') + kind + QLatin1Char('/') + name))
                    QTest::newRow(qPrintable(kind + QLatin1Char('/') + name + QLatin1Char('/') +
                                             QFileInfo(path).fileName()))
                        << name << path;
            }
        }
    }

    void replay()
    {
        QFETCH(QString, target);
        QFETCH(QString, path);
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        const QByteArray input = file.readAll();
        const auto run = find(target);
        QVERIFY(run);
        // Names the input before a crash can take the process down.
        std::fprintf(stderr, "replaying %s (%lld bytes)\n", qPrintable(path),
                     static_cast<long long>(input.size()));
        QCOMPARE(run(reinterpret_cast<const std::uint8_t *>(input.constData()),
                     static_cast<std::size_t>(input.size())),
                 0);
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_fuzzregressions.moc"
