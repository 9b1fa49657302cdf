#pragma once

#include <QString>

#include <optional>
#include <utility>

namespace dispatch {

// Why a wire message was refused. `code` is stable and machine-readable (it goes into error
// replies and metrics labels); `message` is for people and logs.
struct ProtocolError
{
    QString code;
    QString message;
};

// The result of every parse function in the engine: a value or a ProtocolError, never both.
template<typename T> class [[nodiscard]] Parsed
{
public:
    Parsed(T value)
        : m_value(std::move(value))
    {} // NOLINT(google-explicit-constructor)
    Parsed(ProtocolError error)
        : m_error(std::move(error))
    {} // NOLINT(google-explicit-constructor)

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &value() const { return *m_value; }
    T &value() { return *m_value; }
    const T *operator->() const { return &*m_value; }
    const ProtocolError &error() const { return m_error; }

private:
    std::optional<T> m_value;
    ProtocolError m_error;
};

} // namespace dispatch
