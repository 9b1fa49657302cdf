#include "demodriver.h"

#include "calls/callstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>

Q_LOGGING_CATEGORY(lcDemo, "dispatch.app.demo")

namespace dispatch {

namespace {

constexpr int StaggerMs = 6000;      // a new caller every few seconds
constexpr int AssistAnswerMs = 8000; // long enough to see the answer clock run
constexpr int HangUpAfterS = 150;    // a caller nobody answers gives up then

QString findFirst(const QStringList &candidates)
{
    for (const QString &c : candidates) {
        if (QFileInfo::exists(c))
            return c;
    }
    return QString();
}

} // namespace

DemoDriver::DemoDriver(CallStore &store, QUrl server, Answering answering, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_server(std::move(server))
{
    if (answering == Answering::ByDispatcher)
        return;
    connect(&store, &CallStore::callAdded, this, [this](const QString &id) {
        if (!id.startsWith(QLatin1String("demo-")))
            return;
        QTimer::singleShot(AssistAnswerMs, this, [this, id] {
            const dispatch::Call *c = m_store.call(id);
            // Ringing (checked): answering cannot be refused. "demo" is a name in records, not
            // translated.
            if (c && c->state == CallState::Ringing)
                (void)m_store.answer(id, Actor::system(QStringLiteral("demo")));
        });
    });
}

DemoDriver::~DemoDriver()
{
    for (QProcess *p : std::as_const(m_processes)) {
        p->terminate();
        p->waitForFinished(2000);
    }
}

QList<DemoDriver::Call> DemoDriver::loadCalls(const QString &demoDir, QString *error)
{
    QFile file(demoDir + QStringLiteral("/calls.json"));
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("no demo calls in %1").arg(demoDir);
        return {};
    }
    QList<Call> calls;
    const QJsonArray list =
        QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("calls")).toArray();
    for (const QJsonValue &v : list) {
        const QJsonObject o = v.toObject();
        Call c;
        c.id = o.value(QLatin1String("id")).toString();
        c.wav = demoDir + QLatin1Char('/') + c.id + QStringLiteral(".wav");
        const QJsonArray loc = o.value(QLatin1String("location")).toArray();
        if (loc.size() >= 2)
            c.location = QStringLiteral("%1,%2,%3")
                             .arg(loc.at(0).toDouble(), 0, 'f', 6)
                             .arg(loc.at(1).toDouble(), 0, 'f', 6)
                             .arg(loc.at(2).toDouble(20));
        c.move = o.value(QLatin1String("move")).toBool();
        c.vitals = o.value(QLatin1String("vitals")).toBool();
        c.typed = o.value(QLatin1String("typed")).toString();
        if (!c.id.isEmpty() && QFileInfo::exists(c.wav))
            calls.append(c);
    }
    if (calls.isEmpty())
        *error = tr("the demo calls in %1 have no audio (were they built?)").arg(demoDir);
    return calls;
}

bool DemoDriver::start(QString *error)
{
    const QString appDir = QCoreApplication::applicationDirPath();
    m_callerBinary = findFirst({appDir + QStringLiteral("/dispatch-caller"),
                                appDir + QStringLiteral("/caller/dispatch-caller")});
    if (m_callerBinary.isEmpty()) {
        *error = tr("dispatch-caller was not found next to %1").arg(appDir);
        return false;
    }
    const QString demoDir =
        findFirst({appDir + QStringLiteral("/../resources/demo"),
                   QStandardPaths::locate(QStandardPaths::GenericDataLocation,
                                          QStringLiteral("dispatch-console/demo"),
                                          QStandardPaths::LocateDirectory)});
    if (demoDir.isEmpty()) {
        *error = tr("no demo calls are installed");
        return false;
    }
    m_calls = loadCalls(QDir(demoDir).canonicalPath(), error);
    if (m_calls.isEmpty())
        return false;
    qCInfo(lcDemo) << "placing" << m_calls.size() << "demo calls against" << m_server.toString();
    placeNext();
    return true;
}

void DemoDriver::placeNext()
{
    if (m_placed >= m_calls.size())
        return;
    const Call &c = m_calls.at(m_placed++);
    QStringList args{QStringLiteral("--server"),       m_server.toString(),
                     QStringLiteral("--call-id"),      c.id,
                     QStringLiteral("--wav"),          c.wav,
                     QStringLiteral("--hangup-after"), QString::number(HangUpAfterS)};
    if (m_server.scheme() == QLatin1String("https"))
        args << QStringLiteral("--insecure"); // our own server on loopback
    if (!c.location.isEmpty())
        args << QStringLiteral("--location") << c.location;
    if (c.move)
        args << QStringLiteral("--move");
    if (c.vitals)
        args << QStringLiteral("--vitals-demo");
    if (!c.typed.isEmpty())
        args << QStringLiteral("--text") << c.typed;
    auto *process = new QProcess(this);
    process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process->setStandardOutputFile(QProcess::nullDevice());
    m_processes.append(process);
    process->start(m_callerBinary, args);
    QTimer::singleShot(StaggerMs, this, &DemoDriver::placeNext);
}

} // namespace dispatch
