#include "zoo_kernels.h"

// One level of the walk for lane l of a block: a split's children sit side by side, so the next
// node is computed, not chosen (a choice becomes a branch, and which child comes next is a coin toss
// to its predictor). The node's feature word is the feature times 8, so lane l's rank is at
// block[word + l]: one base register for all eight lanes (eight row pointers spilled to the stack).
// `i` is the node's word offset (4 × its index) and a child link is one too, so a node's address is
// root + i in one scaled addressing mode and the right child is child + 4 in one `lea`: 7
// instructions a lane a level instead of 10 (a zero-extend and a shift of a node index, and the
// lane's +l added to the feature word in 32 bits instead of folded into the load's displacement).
static inline uint64_t step(const uint32_t *root, uint64_t i, const int32_t *block, int l) {
    const uint32_t *node = root + i;
    return (uint64_t)node[2] + 4 * (uint64_t)(block[(int64_t)node[1] + l] > (int32_t)node[0]);
}

void zoo_forest_walk_tree(const uint32_t *root, int64_t depth, const int32_t *ranks, int64_t p, int64_t n,
                          uint32_t *keys) {
    // Eight rows in lockstep keep eight independent chains of loads in flight. Measured on
    // 1,000,000 BMI rows through a 100-tree forest: 8 rows beat 16 (register spills), and AVX-512
    // gathers of 64 rows were 1.7x slower than this on the AMD EPYC (Zen 4) we run on.
    for (int64_t r = 0; r < n; r += 8) {
        const int32_t *block = ranks + r * p;
        uint64_t i[8] = {0};
        for (int64_t d = 0; d < depth; d++) {
            for (int l = 0; l < 8; l++) i[l] = step(root, i[l], block, l);
            // Every fourth level: stop once all eight rows stand on leaves (only leaves have the key
            // INT32_MAX: a split's key indexes its feature's thresholds, checked when the file is
            // read). Rows walk to the deepest of eight leaves, not the tree's depth: 1,000,000 BMI
            // rows, 100 trees: regressor 1.41-1.49 -> 1.32-1.34 s, classifier 1.01-1.06 -> 0.89 s.
            if ((d & 3) == 3) {
                int32_t open = 0;
                for (int l = 0; l < 8; l++) open |= (int32_t)root[i[l]] ^ INT32_MAX;
                if (open == 0) break;
            }
        }
        for (int l = 0; l < 8; l++) keys[r + l] = root[i[l] + 3];
    }
}

// The first index in t[0 ..< m] whose value is not below v (m when none is): a fixed number of
// halvings, each an add of 0 or half rather than a branch on an unpredictable comparison (the
// branching search was 7% of a 100-tree forest's prediction, this one is ~2%). NaN compares below
// nothing, so its rank is 0, as with the branching search.
static inline int32_t lower_bound(const double *t, int64_t m, double v) {
    if (m == 0) return 0;
    const double *base = t;
    while (m > 1) {
        int64_t half = m / 2;
        base += (int64_t)(base[half] < v) * half;
        m -= half;
    }
    return (int32_t)(base - t) + (*base < v);
}

// The rank of v with a guide: the bucket of v's place between the first and last threshold gives
// a short range of thresholds to search (a continuous feature has thousands: BMI's weight ~3,000, a
// dozen dependent halvings per row); then exact whatever the bucket's rounding, by stepping to the
// first threshold not below v.
static inline int32_t guided_rank(const double *t, int64_t m, const int32_t *guide, int64_t buckets, double lo, double scale,
                                  double v) {
    if (!(v > t[0])) return 0;  // NaN too, as lower_bound gives
    if (v > t[m - 1]) return (int32_t)m;
    int64_t b = (int64_t)((v - lo) * scale);
    b = b < 0 ? 0 : (b >= buckets ? buckets - 1 : b);
    int64_t r = guide[b];
    r += lower_bound(t + r, guide[b + 1] - r, v);
    while (r < m && t[r] < v) r++;
    while (r > 0 && t[r - 1] >= v) r--;
    return (int32_t)r;
}

void zoo_forest_ranks(const double *x, int64_t p, int64_t n, const double *thresholds, const int64_t *offsets,
                      const zoo_rank_guide *guides, const int32_t *guide_bounds, int32_t *ranks) {
    int64_t padded = (n + 7) & ~(int64_t)7;
    for (int64_t f = 0; f < p; f++) {
        const double *t = thresholds + offsets[f];
        int64_t m = offsets[f + 1] - offsets[f];
        const zoo_rank_guide g = guides[f];
        int32_t *out = ranks + f * 8;
        if (g.buckets > 0) {
            const int32_t *guide = guide_bounds + g.offset;
            for (int64_t r = 0; r < n; r++)
                out[(r >> 3) * 8 * p + (r & 7)] = guided_rank(t, m, guide, g.buckets, g.lo, g.scale, x[r * p + f]);
        } else {
            for (int64_t r = 0; r < n; r++) out[(r >> 3) * 8 * p + (r & 7)] = lower_bound(t, m, x[r * p + f]);
        }
        for (int64_t r = n; r < padded; r++) out[(r >> 3) * 8 * p + (r & 7)] = 0;
    }
}

void zoo_forest_rank_guide(const double *t, int64_t m, int64_t buckets, double lo, double scale, int32_t *guide) {
    guide[0] = 0;
    for (int64_t b = 1; b < buckets; b++) guide[b] = lower_bound(t, m, lo + (double)b / scale);
    guide[buckets] = (int32_t)m;
}

// One tree's leaf distributions added to each row's k sums; inlined with a constant k below so the
// compiler unrolls the inner loop (over a run-time k it was 11% of a 3-class forest's prediction).
static inline __attribute__((always_inline)) void add_leaf_rows(const uint32_t *keys, int64_t n,
                                                                const double *distributions, int64_t k, double *out) {
    for (int64_t r = 0; r < n; r++) {
        const double *d = distributions + (int64_t)keys[r] * k;
        for (int64_t c = 0; c < k; c++) out[r * k + c] += d[c];
    }
}

void zoo_forest_add_leaf_rows(const uint32_t *keys, int64_t n, const double *distributions, int64_t k, double *out) {
    switch (k) {
    case 2: add_leaf_rows(keys, n, distributions, 2, out); return;
    case 3: add_leaf_rows(keys, n, distributions, 3, out); return;
    case 4: add_leaf_rows(keys, n, distributions, 4, out); return;
    default: add_leaf_rows(keys, n, distributions, k, out);
    }
}

void zoo_prefetch(const void *p, int64_t bytes) {
    const char *c = (const char *)p;
    for (int64_t k = 0; k < bytes; k += 64) __builtin_prefetch(c + k, 0, 2);
}
