#pragma once

#include <QByteArray>
#include <QStringList>

namespace dispatch {

// A small emergency-domain trigram language model, built at run time from the rules' phrases
// (never from evaluation calls), to be interpolated with the general model so the recognizer
// prefers "not breathing" over "nod breeding". Pure functions.

// Sentences for the domain: each phrase alone and inside a few carrier templates ("my husband
// is ...", "he ...", "... please hurry"), lowercase, one per line, no punctuation.
QStringList domainSentences(const QStringList &phrases, const QStringList &subjects);

// A trigram model in ARPA format over the sentences (<s> ... </s>): absolute discounting
// (D = 0.5) with backoff weights that keep every distribution normalized; unigrams add-one.
QByteArray buildArpa(const QStringList &sentences);

} // namespace dispatch
