/* stored_tags.c: Xapian's tags written as they are, not deflated.
 *
 * Xapian's glass backend deflates each termlist and each document's data
 * with zlib at its default level, and has no setting to change that.  With
 * one Xapian document per paragraph (688,389 on the treaties) that is 1.4
 * million deflates of a few hundred bytes, and at that size zlib's cost is
 * per call (Huffman trees built and sent for every tag), not per byte:
 * level 1 was no faster than level 6.  It was a fifth of cmindex's CPU.
 *
 * So cmindex defines zlib's deflateInit2_() (what deflateInit2() expands
 * to), which the dynamic linker finds before libz's for every library of
 * the process, and passes the call on with level 0, stored blocks, and
 * the smallest hash table (its only cost is clearing it, for each tag).
 * A stored tag is never smaller than the input, so Xapian's compression
 * gives up and keeps the tag uncompressed: its own path for data that
 * does not compress, which every reader of a Xapian index reads as
 * usual.  Measured on the treaties (bench/README.md): a fifth less time,
 * a larger termlist and document data.
 *
 * Nothing else in cmindex deflates.  cmsearch and the library's tests do
 * not link this file: what they write is compressed as Xapian does it.
 */
#define _GNU_SOURCE
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <zlib.h>

typedef int (*deflate_init2_fn)(z_streamp, int, int, int, int, int,
                                const char *, int);

static deflate_init2_fn next_init2;
static pthread_once_t next_once = PTHREAD_ONCE_INIT;

static void
find_next(void)
{
    next_init2 = (deflate_init2_fn)dlsym(RTLD_NEXT, "deflateInit2_");
}

/* Visible, unlike the rest of cmindex (-fvisibility=hidden): libxapian's
 * reference to it must find it. */
__attribute__((visibility("default"))) int
deflateInit2_(z_streamp strm, int level, int method, int window_bits,
              int mem_level, int strategy, const char *version,
              int stream_size)
{
    (void)level;
    (void)mem_level;
    if (pthread_once(&next_once, find_next) != 0 || next_init2 == NULL)
        return Z_VERSION_ERROR;
    return next_init2(strm, Z_NO_COMPRESSION, method, window_bits, 1,
                      strategy, version, stream_size);
}
