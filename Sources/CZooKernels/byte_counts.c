#include "zoo_kernels.h"

void zoo_count_bytes(const uint8_t *p, int64_t n, int64_t counts[4]) {
    // Blocks of at most 255 bytes keep the per-lane counters in bytes, which clang vectorises to
    // compares and subtracts over 16-64 bytes at a time.
    int64_t quotes = 0, lf = 0, cr = 0, crlf = 0;
    for (int64_t at = 0; at < n; at += 255) {
        int64_t m = n - at < 255 ? n - at : 255;
        // A pair's second byte may lie past the block, never past p[n - 1].
        int64_t pairs = at + m < n ? m : m - 1;
        uint8_t q = 0, l = 0, c = 0, cl = 0;
        for (int64_t i = 0; i < m; i++) {
            uint8_t b = p[at + i];
            q += b == 34;
            l += b == 10;
            c += b == 13;
        }
        // Most files have no carriage return: the pairs are looked for only in blocks with one.
        if (c > 0)
            for (int64_t i = 0; i < pairs; i++) cl += (p[at + i] == 13) & (p[at + i + 1] == 10);
        quotes += q;
        lf += l;
        cr += c;
        crlf += cl;
    }
    counts[0] = quotes;
    counts[1] = lf;
    counts[2] = cr;
    counts[3] = crlf;
}
