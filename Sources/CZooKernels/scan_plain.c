#include "zoo_kernels.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// Bit i set where p[i] is the delimiter, a line feed, a carriage return or NUL (64 readable bytes).
static inline uint64_t structure64(const uint8_t *p, uint8_t d) {
#if defined(__SSE2__)
    const __m128i vd = _mm_set1_epi8((char)d), lf = _mm_set1_epi8(10), cr = _mm_set1_epi8(13), z = _mm_setzero_si128();
    uint64_t m = 0;
    for (int k = 0; k < 4; k++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        __m128i h = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, vd), _mm_cmpeq_epi8(x, lf)),
                                 _mm_or_si128(_mm_cmpeq_epi8(x, cr), _mm_cmpeq_epi8(x, z)));
        m |= (uint64_t)(uint16_t)_mm_movemask_epi8(h) << (16 * k);
    }
    return m;
#else
    uint64_t m = 0;
    for (int i = 0; i < 64; i++) {
        uint8_t b = p[i];
        m |= (uint64_t)(b == d || b == 10 || b == 13 || b == 0) << i;
    }
    return m;
#endif
}

static inline uint64_t structure_tail(const uint8_t *p, int64_t n, uint8_t d) {
    uint64_t m = 0;
    for (int64_t i = 0; i < n; i++) {
        uint8_t b = p[i];
        m |= (uint64_t)(b == d || b == 10 || b == 13 || b == 0) << i;
    }
    return m;
}

static inline int is_blank(uint8_t b, int trim_tab) { return b == 32 || (trim_tab && b == 9); }

// `trim` is a constant in each of the two builds below: bytes without blanks skip the trimming's
// two loads and four compares a field (read + scan of 1,000,000 BMI rows: see docs/benchmarks.md).
static inline __attribute__((always_inline)) int64_t
scan_body(const uint8_t *p, int64_t from, int64_t to, uint8_t delimiter, int64_t columns, int64_t line,
          const uint8_t *null_token, int64_t null_length, int32_t *starts, int32_t *ends, int32_t *record_starts,
          int32_t *record_ends, int32_t *lines, int64_t capacity, const int trim) {
    if (to > INT32_MAX || columns < 1 || from > to) return -1;
    const int trim_tab = delimiter != 9;
    int64_t records = 0, field = 0, field_start = from, record_start = from, skip = -1;
    int first_empty = 0;
    for (int64_t base = from;; base += 64) {
        // Past the last byte, one more round ends a record that has no line end.
        int final = base >= to;
        uint64_t m = final ? 1 : to - base >= 64 ? structure64(p + base, delimiter) : structure_tail(p + base, to - base, delimiter);
        while (m) {
            int64_t s = final ? to : base + __builtin_ctzll(m);
            m &= m - 1;
            if (s == skip) continue;  // the line feed of a CR LF: its record ended at the CR
            uint8_t b = final ? 10 : p[s];
            if (b == 0) return -1;
            if (final && record_start >= to) return records;  // the bytes ended with a line end
            int64_t a = field_start, e = s;
            if (trim) {
                while (a < e && is_blank(p[a], trim_tab)) a++;
                while (e > a && is_blank(p[e - 1], trim_tab)) e--;
            }
            if (null_length > 0 && e - a == null_length && memcmp(p + a, null_token, (size_t)null_length) == 0) e = a;
            if (field == 0) first_empty = a == e;
            if (field < columns && records < capacity) {
                starts[records * columns + field] = (int32_t)a;
                ends[records * columns + field] = (int32_t)e;
            }
            field++;
            if (b == delimiter) {
                field_start = s + 1;
                continue;
            }
            if (b == 13 && s + 1 < to && p[s + 1] == 10) skip = s + 1;
            int64_t next = s == skip - 1 ? s + 2 : s + 1;
            int blank = field == 1 && first_empty;
            for (int64_t k = record_start; blank && k < s; k++) blank = is_blank(p[k], 1);
            if (!blank) {
                if (field != columns || records >= capacity) return -1;
                record_starts[records] = (int32_t)record_start;
                record_ends[records] = (int32_t)s;
                lines[records] = (int32_t)line;
                records++;
            }
            line++;
            field = 0;
            field_start = record_start = next;
            if (final) return records;
        }
    }
}

int64_t zoo_scan_plain(const uint8_t *p, int64_t from, int64_t to, uint8_t delimiter, int64_t columns, int64_t line,
                       const uint8_t *null_token, int64_t null_length, int32_t *starts, int32_t *ends,
                       int32_t *record_starts, int32_t *record_ends, int32_t *lines, int64_t capacity, int blanks) {
    if (blanks)
        return scan_body(p, from, to, delimiter, columns, line, null_token, null_length, starts, ends, record_starts,
                         record_ends, lines, capacity, 1);
    return scan_body(p, from, to, delimiter, columns, line, null_token, null_length, starts, ends, record_starts,
                     record_ends, lines, capacity, 0);
}
