// The project's only window onto libstemmer (Snowball's stemmers, Debian's libstemmer-dev).
// Its four functions import into Swift as they are; only `TextTrends/FrenchStemmer.swift` calls them.
#ifndef CSTEMMER_H
#define CSTEMMER_H

#include <libstemmer.h>

#endif
