/* xorshift.h: the fixed-seed generator of the e2e helper programs
 * (phrase_spans, stem_truth), so that what they pick is the same on every
 * run and machine. */
#ifndef XORSHIFT_H
#define XORSHIFT_H

#include <stdint.h>

static uint64_t rng = 88172645463325252ull;

/* A number from 0 to n - 1. */
static unsigned
rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

#endif
