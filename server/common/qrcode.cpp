#include "common/qrcode.h"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <limits>

namespace dispatch::qr {

namespace {

// Error correction level M, versions 1-10 (ISO/IEC 18004 table 9 and annex E).
struct VersionSpec
{
    int ecPerBlock;
    int group1Blocks;
    int group1Data;
    int group2Blocks;
    int group2Data;
    std::array<int, 3> alignment; // centre coordinates, 0 = unused
};

constexpr std::array<VersionSpec, 10> Versions{{
    {10, 1, 16, 0, 0, {0, 0, 0}},
    {16, 1, 28, 0, 0, {6, 18, 0}},
    {26, 1, 44, 0, 0, {6, 22, 0}},
    {18, 2, 32, 0, 0, {6, 26, 0}},
    {24, 2, 43, 0, 0, {6, 30, 0}},
    {16, 4, 27, 0, 0, {6, 34, 0}},
    {18, 4, 31, 0, 0, {6, 22, 38}},
    {22, 2, 38, 2, 39, {6, 24, 42}},
    {22, 3, 36, 2, 37, {6, 26, 46}},
    {26, 4, 43, 1, 44, {6, 28, 50}},
}};

int dataCodewords(const VersionSpec &v)
{
    return v.group1Blocks * v.group1Data + v.group2Blocks * v.group2Data;
}

int byteCapacity(int version)
{
    const int countBits = version <= 9 ? 8 : 16;
    return (dataCodewords(Versions[static_cast<size_t>(version - 1)]) * 8 - 4 - countBits) / 8;
}

// --- Reed-Solomon over GF(256), polynomial x^8 + x^4 + x^3 + x^2 + 1 ---------------------------

uint8_t gfMultiply(uint8_t a, uint8_t b)
{
    int r = 0;
    for (int i = 7; i >= 0; --i) {
        r = (r << 1) ^ ((r >> 7) * 0x11D);
        r ^= ((b >> i) & 1) * a;
    }
    return static_cast<uint8_t>(r);
}

std::vector<uint8_t> rsDivisor(int degree)
{
    std::vector<uint8_t> result(static_cast<size_t>(degree), 0);
    result.back() = 1;
    uint8_t root = 1;
    for (int i = 0; i < degree; ++i) {
        for (size_t j = 0; j < result.size(); ++j) {
            result[j] = gfMultiply(result[j], root);
            if (j + 1 < result.size())
                result[j] ^= result[j + 1];
        }
        root = gfMultiply(root, 0x02);
    }
    return result;
}

std::vector<uint8_t> rsRemainder(const std::vector<uint8_t> &data,
                                 const std::vector<uint8_t> &divisor)
{
    std::vector<uint8_t> result(divisor.size(), 0);
    for (uint8_t b : data) {
        const uint8_t factor = b ^ result.front();
        result.erase(result.begin());
        result.push_back(0);
        for (size_t i = 0; i < result.size(); ++i)
            result[i] ^= gfMultiply(divisor[i], factor);
    }
    return result;
}

// --- codewords --------------------------------------------------------------------------------

class BitBuffer
{
public:
    void append(uint32_t value, int bits)
    {
        for (int i = bits - 1; i >= 0; --i)
            m_bits.push_back(((value >> i) & 1) != 0);
    }
    size_t size() const { return m_bits.size(); }
    std::vector<uint8_t> bytes() const
    {
        std::vector<uint8_t> out(m_bits.size() / 8, 0);
        for (size_t i = 0; i < out.size() * 8; ++i)
            out[i / 8] = static_cast<uint8_t>(out[i / 8] | (m_bits[i] ? 0x80 >> (i % 8) : 0));
        return out;
    }

private:
    std::vector<bool> m_bits;
};

std::vector<uint8_t> codewords(const QByteArray &data, int version)
{
    const VersionSpec &spec = Versions[static_cast<size_t>(version - 1)];
    const size_t capacityBits = static_cast<size_t>(dataCodewords(spec)) * 8;
    BitBuffer bits;
    bits.append(0x4, 4); // byte mode
    bits.append(static_cast<uint32_t>(data.size()), version <= 9 ? 8 : 16);
    for (char c : data)
        bits.append(static_cast<uint8_t>(c), 8);
    bits.append(0, static_cast<int>(std::min<size_t>(4, capacityBits - bits.size())));
    bits.append(0, static_cast<int>((8 - bits.size() % 8) % 8));
    for (uint32_t pad = 0xEC; bits.size() < capacityBits; pad ^= 0xEC ^ 0x11)
        bits.append(pad, 8);
    const std::vector<uint8_t> dataBytes = bits.bytes();

    // Split into blocks, add error correction, interleave.
    std::vector<std::vector<uint8_t>> blocks;
    std::vector<std::vector<uint8_t>> ecBlocks;
    const std::vector<uint8_t> divisor = rsDivisor(spec.ecPerBlock);
    size_t offset = 0;
    for (int b = 0; b < spec.group1Blocks + spec.group2Blocks; ++b) {
        const size_t len =
            static_cast<size_t>(b < spec.group1Blocks ? spec.group1Data : spec.group2Data);
        std::vector<uint8_t> block(dataBytes.begin() + static_cast<std::ptrdiff_t>(offset),
                                   dataBytes.begin() + static_cast<std::ptrdiff_t>(offset + len));
        offset += len;
        ecBlocks.push_back(rsRemainder(block, divisor));
        blocks.push_back(std::move(block));
    }
    std::vector<uint8_t> result;
    const size_t longest = static_cast<size_t>(std::max(spec.group1Data, spec.group2Data));
    for (size_t i = 0; i < longest; ++i) {
        for (const auto &block : blocks) {
            if (i < block.size())
                result.push_back(block[i]);
        }
    }
    for (size_t i = 0; i < static_cast<size_t>(spec.ecPerBlock); ++i) {
        for (const auto &ec : ecBlocks)
            result.push_back(ec[i]);
    }
    return result;
}

// --- the symbol -------------------------------------------------------------------------------

class Symbol
{
public:
    explicit Symbol(int version)
        : m_version(version)
        , m_size(version * 4 + 17)
        , m_dark(static_cast<size_t>(m_size * m_size), false)
        , m_function(static_cast<size_t>(m_size * m_size), false)
    {
        drawFunctionPatterns();
    }

    int size() const { return m_size; }
    bool dark(int x, int y) const { return m_dark[index(x, y)]; }

    void placeCodewords(const std::vector<uint8_t> &data)
    {
        size_t bit = 0;
        const size_t totalBits = data.size() * 8;
        for (int right = m_size - 1; right >= 1; right -= 2) {
            if (right == 6)
                right = 5; // skip the vertical timing pattern
            for (int vert = 0; vert < m_size; ++vert) {
                for (int j = 0; j < 2; ++j) {
                    const int x = right - j;
                    const bool upward = ((right + 1) & 2) == 0;
                    const int y = upward ? m_size - 1 - vert : vert;
                    if (m_function[index(x, y)])
                        continue;
                    if (bit < totalBits)
                        m_dark[index(x, y)] = ((data[bit / 8] >> (7 - bit % 8)) & 1) != 0;
                    ++bit; // remainder bits stay light
                }
            }
        }
    }

    void applyMask(int mask)
    {
        for (int y = 0; y < m_size; ++y) {
            for (int x = 0; x < m_size; ++x) {
                bool invert = false;
                switch (mask) {
                case 0:
                    invert = (x + y) % 2 == 0;
                    break;
                case 1:
                    invert = y % 2 == 0;
                    break;
                case 2:
                    invert = x % 3 == 0;
                    break;
                case 3:
                    invert = (x + y) % 3 == 0;
                    break;
                case 4:
                    invert = (x / 3 + y / 2) % 2 == 0;
                    break;
                case 5:
                    invert = x * y % 2 + x * y % 3 == 0;
                    break;
                case 6:
                    invert = (x * y % 2 + x * y % 3) % 2 == 0;
                    break;
                default:
                    invert = ((x + y) % 2 + x * y % 3) % 2 == 0;
                    break;
                }
                if (invert && !m_function[index(x, y)])
                    m_dark[index(x, y)] = !m_dark[index(x, y)];
            }
        }
    }

    void drawFormatBits(int mask)
    {
        const uint32_t data = static_cast<uint32_t>(mask); // level M is 0b00
        uint32_t rem = data;
        for (int i = 0; i < 10; ++i)
            rem = (rem << 1) ^ ((rem >> 9) * 0x537);
        const uint32_t bits = ((data << 10) | rem) ^ 0x5412;
        auto bit = [bits](int i) { return ((bits >> i) & 1) != 0; };
        for (int i = 0; i <= 5; ++i)
            set(8, i, bit(i));
        set(8, 7, bit(6));
        set(8, 8, bit(7));
        set(7, 8, bit(8));
        for (int i = 9; i < 15; ++i)
            set(14 - i, 8, bit(i));
        for (int i = 0; i < 8; ++i)
            set(m_size - 1 - i, 8, bit(i));
        for (int i = 8; i < 15; ++i)
            set(8, m_size - 15 + i, bit(i));
        set(8, m_size - 8, true); // the dark module
    }

    long penalty() const
    {
        long result = 0;
        for (int line = 0; line < m_size; ++line) {
            result += linePenalty([&](int i) { return dark(i, line); });
            result += linePenalty([&](int i) { return dark(line, i); });
        }
        for (int y = 0; y < m_size - 1; ++y) {
            for (int x = 0; x < m_size - 1; ++x) {
                const bool c = dark(x, y);
                if (c == dark(x + 1, y) && c == dark(x, y + 1) && c == dark(x + 1, y + 1))
                    result += 3;
            }
        }
        long darkCount = 0;
        for (bool d : m_dark)
            darkCount += d ? 1 : 0;
        const long total = static_cast<long>(m_size) * m_size;
        // Smallest k with (45 - 5k)% <= dark <= (55 + 5k)%.
        const long k = (std::labs(darkCount * 20 - total * 10) + total - 1) / total - 1;
        result += k * 10;
        return result;
    }

private:
    size_t index(int x, int y) const { return static_cast<size_t>(y * m_size + x); }

    void set(int x, int y, bool dark)
    {
        m_dark[index(x, y)] = dark;
        m_function[index(x, y)] = true;
    }

    void drawFunctionPatterns()
    {
        for (int i = 0; i < m_size; ++i) {
            set(6, i, i % 2 == 0);
            set(i, 6, i % 2 == 0);
        }
        drawFinder(3, 3);
        drawFinder(m_size - 4, 3);
        drawFinder(3, m_size - 4);
        const auto &align = Versions[static_cast<size_t>(m_version - 1)].alignment;
        for (int cy : align) {
            for (int cx : align) {
                if (cx == 0 || cy == 0)
                    continue;
                const bool nearFinder = (cx == 6 && cy == 6) || (cx == 6 && cy == m_size - 7) ||
                                        (cx == m_size - 7 && cy == 6);
                if (nearFinder)
                    continue;
                for (int dy = -2; dy <= 2; ++dy) {
                    for (int dx = -2; dx <= 2; ++dx)
                        set(cx + dx, cy + dy, std::max(std::abs(dx), std::abs(dy)) != 1);
                }
            }
        }
        drawFormatBits(0); // reserves the format areas; redrawn with the real mask
        if (m_version >= 7) {
            uint32_t rem = static_cast<uint32_t>(m_version);
            for (int i = 0; i < 12; ++i)
                rem = (rem << 1) ^ ((rem >> 11) * 0x1F25);
            const uint32_t bits = (static_cast<uint32_t>(m_version) << 12) | rem;
            for (int i = 0; i < 18; ++i) {
                const bool d = ((bits >> i) & 1) != 0;
                const int a = m_size - 11 + i % 3;
                const int b = i / 3;
                set(a, b, d);
                set(b, a, d);
            }
        }
    }

    void drawFinder(int cx, int cy)
    {
        for (int dy = -4; dy <= 4; ++dy) {
            for (int dx = -4; dx <= 4; ++dx) {
                const int x = cx + dx;
                const int y = cy + dy;
                if (x < 0 || y < 0 || x >= m_size || y >= m_size)
                    continue;
                const int dist = std::max(std::abs(dx), std::abs(dy));
                set(x, y, dist != 2 && dist != 4);
            }
        }
    }

    // Rules N1 (runs of five or more) and N3 (1:1:3:1:1 finder-like patterns with four light
    // modules on one side; the area outside the symbol counts as light) for one row or column.
    template<typename Module> long linePenalty(Module module) const
    {
        long result = 0;
        std::array<int, 7> history{};
        auto addHistory = [&](int run) {
            if (history[0] == 0)
                run += m_size; // the light border before the line
            for (size_t i = history.size() - 1; i > 0; --i)
                history[i] = history[i - 1];
            history[0] = run;
        };
        auto countPatterns = [&] {
            const int n = history[1];
            const bool core = n > 0 && history[2] == n && history[3] == n * 3 && history[4] == n &&
                              history[5] == n;
            return (core && history[0] >= n * 4 && history[6] >= n ? 1 : 0) +
                   (core && history[6] >= n * 4 && history[0] >= n ? 1 : 0);
        };
        bool runDark = false;
        int run = 0;
        for (int i = 0; i < m_size; ++i) {
            if (module(i) == runDark) {
                ++run;
                if (run == 5)
                    result += 3;
                else if (run > 5)
                    ++result;
            } else {
                addHistory(run);
                if (!runDark)
                    result += countPatterns() * 40;
                runDark = module(i);
                run = 1;
            }
        }
        if (runDark) {
            addHistory(run);
            run = 0;
        }
        addHistory(run + m_size); // the light border after the line
        result += countPatterns() * 40;
        return result;
    }

    int m_version;
    int m_size;
    std::vector<bool> m_dark;
    std::vector<bool> m_function;
};

} // namespace

std::optional<QrMatrix> encode(const QByteArray &data, int forceMask)
{
    int version = 1;
    while (version <= 10 && byteCapacity(version) < data.size())
        ++version;
    if (version > 10)
        return std::nullopt;

    Symbol base(version);
    base.placeCodewords(codewords(data, version));
    int bestMask = forceMask;
    if (bestMask < 0 || bestMask > 7) {
        long bestPenalty = std::numeric_limits<long>::max();
        for (int mask = 0; mask < 8; ++mask) {
            Symbol candidate = base;
            candidate.applyMask(mask);
            candidate.drawFormatBits(mask);
            const long p = candidate.penalty();
            if (p < bestPenalty) {
                bestPenalty = p;
                bestMask = mask;
            }
        }
    }
    Symbol chosen = base;
    chosen.applyMask(bestMask);
    chosen.drawFormatBits(bestMask);

    QrMatrix matrix;
    matrix.version = version;
    matrix.mask = bestMask;
    matrix.size = chosen.size();
    matrix.modules.resize(static_cast<size_t>(matrix.size * matrix.size));
    for (int y = 0; y < matrix.size; ++y) {
        for (int x = 0; x < matrix.size; ++x)
            matrix.modules[static_cast<size_t>(y * matrix.size + x)] = chosen.dark(x, y);
    }
    return matrix;
}

QByteArray toSvg(const QrMatrix &matrix, int border, int moduleSize)
{
    const int side = (matrix.size + 2 * border) * moduleSize;
    QByteArray path;
    for (int y = 0; y < matrix.size; ++y) {
        for (int x = 0; x < matrix.size; ++x) {
            if (matrix.at(x, y))
                path += "M" + QByteArray::number(x + border) + "," +
                        QByteArray::number(y + border) + "h1v1h-1z";
        }
    }
    const QByteArray viewBox = QByteArray::number(matrix.size + 2 * border);
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" +
           QByteArray::number(side) + "\" height=\"" + QByteArray::number(side) +
           "\" viewBox=\"0 0 " + viewBox + " " + viewBox +
           "\" shape-rendering=\"crispEdges\">\n"
           "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
           "<path fill=\"#000000\" d=\"" +
           path + "\"/>\n</svg>\n";
}

} // namespace dispatch::qr
