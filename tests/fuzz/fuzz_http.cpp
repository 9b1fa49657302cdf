// The one thing the HTTP edge parses itself: the bearer token, from "Authorization: Bearer T" or
// "?access_token=T" (AccessPolicy::presentedToken), then authenticate(). Request lines, headers
// and paths are parsed by Qt (QAbstractHttpServer); HttpFrontend only compares the decoded path
// with its route table.
//
// Input layout: the Authorization header value, a newline, then the request URL.

#include "auth/accesspolicy.h"
#include "fuzztarget.h"

#include <QUrl>

using namespace dispatch;

namespace {

const QByteArray AdminToken = QByteArrayLiteral("fuzz-admin-token-0123456789abcdef");

} // namespace

DISPATCH_FUZZ_TARGET(http)
{
    const QByteArray input = fuzz::bytes(data, size);
    const qsizetype newline = input.indexOf('\n');
    const QByteArray header = newline < 0 ? input : input.left(newline);
    const QUrl url(newline < 0 ? QString() : QString::fromUtf8(input.mid(newline + 1)));

    const QByteArray token = AccessPolicy::presentedToken(header, url);
    const QByteArray trimmed = header.trimmed();
    if (trimmed.startsWith("Bearer ") || trimmed.startsWith("bearer "))
        FUZZ_CHECK(token == trimmed.mid(7).trimmed(), "header token altered");
    FUZZ_CHECK(token.size() <= input.size() * 3, "token larger than the request");

    static const AccessPolicy policy(AdminToken, {}, 4);
    const AccessPolicy::Authentication auth = policy.authenticate(token);
    const bool admin = auth.principal && auth.principal->role == Role::Admin;
    FUZZ_CHECK(admin == (token == AdminToken), "authentication verdict");
    FUZZ_CHECK(auth.principal.has_value() != !auth.refusal.isEmpty(),
               "needs exactly one of a principal and a refusal");
    return 0;
}
