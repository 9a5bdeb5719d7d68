#include "zoo_kernels.h"
#include "vector_kernel.h"

// Blocks of at most 255 bytes keep the per-lane counters in bytes, which clang vectorises to
// compares and subtracts over 16 (SSE2) or 32 (AVX2) bytes at a time.
INLINE void count_body(const uint8_t *p, int64_t n, int64_t counts[5]) {
    int64_t quotes = 0, lf = 0, cr = 0, crlf = 0, blanks = 0;
    for (int64_t at = 0; at < n; at += 255) {
        int64_t m = n - at < 255 ? n - at : 255;
        // A pair's second byte may lie past the block, never past p[n - 1].
        int64_t pairs = at + m < n ? m : m - 1;
        uint8_t q = 0, l = 0, c = 0, cl = 0, b = 0;
        for (int64_t i = 0; i < m; i++) {
            uint8_t x = p[at + i];
            q += x == 34;
            l += x == 10;
            c += x == 13;
            b += (x == 32) | (x == 9);
        }
        // Most files have no carriage return: the pairs are looked for only in blocks with one.
        if (c > 0)
            for (int64_t i = 0; i < pairs; i++) cl += (p[at + i] == 13) & (p[at + i + 1] == 10);
        quotes += q;
        lf += l;
        cr += c;
        crlf += cl;
        blanks += b;
    }
    counts[0] = quotes;
    counts[1] = lf;
    counts[2] = cr;
    counts[3] = crlf;
    counts[4] = blanks;
}

static void count_portable(const uint8_t *p, int64_t n, int64_t counts[5]) { count_body(p, n, counts); }
AVX2 static void count_avx2(const uint8_t *p, int64_t n, int64_t counts[5]) { count_body(p, n, counts); }

void zoo_count_bytes(const uint8_t *p, int64_t n, int64_t counts[5]) {
    if (zoo_has_avx2()) count_avx2(p, n, counts);
    else count_portable(p, n, counts);
}
