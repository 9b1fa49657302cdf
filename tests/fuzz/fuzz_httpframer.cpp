// HttpFramer reads every byte an unauthenticated peer sends before Qt does. Whatever arrives, and
// however the network splits it, it must come to the same verdict: the whole input in one feed,
// in two feeds split at a point the input chooses, and byte by byte.
//
// Input layout: one byte that picks the split point, then the connection's bytes.

#include "fuzztarget.h"
#include "net/httpframer.h"

using namespace dispatch;

namespace {

struct Verdict
{
    HttpFramer::Refusal refusal;
    int begun;
    bool upgraded;
    bool inRequest;
    bool operator==(const Verdict &o) const
    {
        return refusal == o.refusal && begun == o.begun && upgraded == o.upgraded &&
               inRequest == o.inRequest;
    }
};

Verdict verdictOf(const HttpFramer &f)
{
    return {f.refusal(), f.requestsBegun(), f.upgraded(), f.inRequest()};
}

} // namespace

DISPATCH_FUZZ_TARGET(httpframer)
{
    if (size == 0)
        return 0;
    const QByteArray input = fuzz::bytes(data + 1, size - 1);
    const HttpFramer::Limits limits{256, 16}; // small, so the fuzzer reaches every limit

    HttpFramer whole(limits);
    const HttpFramer::Refusal first = whole.feed(input);
    FUZZ_CHECK(first == whole.refusal(), "feed() and refusal() disagree");
    if (first != HttpFramer::Refusal::None) {
        const int status = HttpFramer::statusOf(first);
        FUZZ_CHECK(status == 400 || status == 413 || status == 431, "refusal without a 4xx");
        FUZZ_CHECK(HttpFramer::codeOf(first) && *HttpFramer::codeOf(first), "refusal code empty");
    }

    const qsizetype cut = input.isEmpty() ? 0 : data[0] % (input.size() + 1);
    HttpFramer split(limits);
    split.feed(QByteArrayView(input).first(cut));
    split.feed(QByteArrayView(input).sliced(cut));
    FUZZ_CHECK(verdictOf(split) == verdictOf(whole), "the verdict depends on where bytes split");

    HttpFramer bytewise(limits);
    for (qsizetype i = 0; i < input.size(); ++i)
        bytewise.feed(QByteArrayView(input).sliced(i, 1));
    FUZZ_CHECK(verdictOf(bytewise) == verdictOf(whole), "byte-by-byte verdict differs");

    // Once refused, nothing revives the connection.
    if (whole.refusal() != HttpFramer::Refusal::None) {
        whole.feed("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        FUZZ_CHECK(whole.refusal() == first, "a refused framer changed its verdict");
    }
    return 0;
}
