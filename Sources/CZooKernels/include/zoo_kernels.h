#ifndef ZOO_KERNELS_H
#define ZOO_KERNELS_H

#include <stdint.h>

/// Walks rows through one compiled tree (CompiledForest's layout: four words a node,
/// [key, 8 * feature, child, leaf], a split's children at child and child + 1, a leaf its own child
/// with a key no rank exceeds) for at most `depth` levels and writes each row's leaf word to
/// keys[r]. Rows go in blocks of eight (keys holds n rounded up to a multiple of 8): row r's rank of
/// feature f is ranks[(r / 8) * 8 * p + 8 * f + r % 8], as zoo_forest_ranks writes them.
void zoo_forest_walk_tree(const uint32_t *root, int64_t depth, const int32_t *ranks, int64_t p, int64_t n,
                          uint32_t *keys);

/// A feature's guide to its thresholds (see zoo_forest_rank_guide): `buckets` equal slices of
/// [lo, lo + buckets / scale), bucket b's thresholds from guide_bounds[offset + b]; 0 buckets: none.
typedef struct {
    double lo, scale;
    int64_t offset, buckets;
} zoo_rank_guide;

/// Row r's rank of each feature f among that feature's sorted thresholds
/// (thresholds[offsets[f] ..< offsets[f + 1]]): the position of the first threshold not below the
/// value, so `x <= t_k` is `rank <= k`. x is row-major, p values a row; ranks go in blocks of eight
/// rows, feature-major within a block (see zoo_forest_walk_tree), n rounded up to a multiple of 8
/// with rank 0 in the padding. A feature with a guide (guides[f].buckets > 0) searches only its
/// value's bucket; the ranks are the same.
void zoo_forest_ranks(const double *x, int64_t p, int64_t n, const double *thresholds, const int64_t *offsets,
                      const zoo_rank_guide *guides, const int32_t *guide_bounds, int32_t *ranks);

/// guide[b] for b in 0 ... buckets: how many of the m sorted thresholds t lie below lo + b / scale
/// (0 and m at the ends). A value's bucket then bounds its rank's search.
void zoo_forest_rank_guide(const double *t, int64_t m, int64_t buckets, double lo, double scale, int32_t *guide);

/// Counts the double quotes, line feeds, carriage returns, carriage returns followed by a line
/// feed, and blanks (spaces and tabs) in p[0 ..< n] into counts[0], [1], [2], [3], [4].
void zoo_count_bytes(const uint8_t *p, int64_t n, int64_t counts[5]);

/// Scans the CSV records in p[from ..< to], which holds no double quote, starts at a record and
/// ends after a line end or at the end of the input: CSVScanner's rules for unquoted fields
/// (LF, CR LF or CR end a record; blanks around a field trimmed, tabs too unless the delimiter is a
/// tab; a field equal to the null token is empty; blank lines skipped). Record r's cells go to
/// starts/ends[r * columns ...], its span to record_starts/ends[r], its first line to lines[r]
/// (`line` is the first's). Returns the record count, or -1 where the scanner reports an error or
/// the records outnumber `capacity` (a NUL byte, a record with the wrong field count, an offset
/// over INT32_MAX): the caller scans again with CSVScanner for the exact error. `blanks` 0 promises
/// that the bytes hold no space or tab (zoo_count_bytes), so no field is trimmed.
int64_t zoo_scan_plain(const uint8_t *p, int64_t from, int64_t to, uint8_t delimiter, int64_t columns, int64_t line,
                       const uint8_t *null_token, int64_t null_length, int32_t *starts, int32_t *ends,
                       int32_t *record_starts, int32_t *record_ends, int32_t *lines, int64_t capacity, int blanks);

/// Z[r, j] = B[j] + sum_i X[r, i] W[i, j] for `rows` rows (row-major X: rows x nIn, W: nIn x nOut),
/// each element summed over i in order with separately rounded products and sums. `path` picks the
/// build for tests: 0 the widest vectors the processor runs (AVX-512, AVX2), 1 the portable build,
/// 2 AVX2 at most; the same bits on every path. The dense kernels below take it too.
void zoo_affine(int64_t rows, int64_t nIn, int64_t nOut, const double *X, const double *W, const double *B, double *Z,
                int path);

/// G[i, j] += sum_r A[r, i] D[r, j] (A: rows x nIn, D: rows x nOut), each element over r in order.
void zoo_accumulate_outer(int64_t rows, int64_t nIn, int64_t nOut, const double *A, const double *D, double *G,
                          int path);

/// One Adam step (Keras's bias-corrected rate `lrT`) over n parameters P with moments M, V and
/// gradient G: g = G, or G + l2 P where l2 > 0 (an L2 penalty), M = b1 M + (1 - b1) g,
/// V = b2 V + ((1 - b2) g) g, P = P - (lrT M) / (sqrt(V) + eps), elementwise, rounded step by step as
/// written, with subnormals read and written as zero (x86).
void zoo_adam_step(int64_t n, double *P, double *M, double *V, const double *G, double l2, double b1, double b2,
                   double lrT, double eps, int path);

/// prev[r, i] = sum_k D[r, k] W[i, k] (D: rows x nOut, W: nIn x nOut), each sum in the order of
/// Swift's VectorKernels.dot (two four-lane sums over blocks of eight, their lanes, then the tail).
void zoo_backprop_deltas(int64_t rows, int64_t nIn, int64_t nOut, const double *D, const double *W, double *prev,
                         int path);

/// a[k] = a[k] > 0 ? a[k] : +0 for k < n (a ReLU in place; NaN becomes +0).
void zoo_relu(int64_t n, double *a, int path);
/// d[k] = d[k] * (a[k] > 0 ? 1 : 0) for k < n (deltas through a ReLU whose outputs are a).
void zoo_relu_deltas(int64_t n, double *d, const double *a, int path);
/// g[k] += D[r, k] for r = 0, 1, ... rows - 1 in order, k < n (D: rows x n; a bias gradient).
void zoo_add_rows(int64_t rows, int64_t n, const double *D, double *g, int path);

/// sum_k x[k] y[k] for k < n, in the order of Swift's VectorKernels.dot (the same bits).
double zoo_dot(int64_t n, const double *x, const double *y, int portable);
/// out = [x0.y0, x0.y1, x1.y0, x1.y1], each with zoo_dot's bits.
void zoo_dot2x2(int64_t n, const double *x0, const double *x1, const double *y0, const double *y1, double *out, int portable);

/// 1 when the processor runs AVX2 (read once when the library loads), else 0.
int zoo_has_avx2(void);

/// One epoch of per-sample logistic SGD on one sigmoid unit, unweighted rows: for each row
/// X[order[k] * n ...] with label Y[order[k]] (1 is the positive class), p = sigma(z) with
/// NegativeExp's exp (table T of 2^(j/32)), d = scale (p - y), then w_i -= lr (0 + x_i d) and the
/// bias W[n] -= lr (0 + d); with A non-null, the weights after each update are added into A (same
/// layout). Returns the rows' summed log-loss (-sum log max(p of the row's class, 1e-300)), NaN when
/// it is not finite. The next row's z comes from the weights before this row's update:
/// z' = (b + x'.w) - lr d (1 + x'.x), so it does not wait on the update (equal to rounding).
double zoo_logistic_epoch(int64_t n, const double *X, const double *Y, const int64_t *order, int64_t count, double *W,
                          double *A, double lr, double scale, const double *T, int portable);

/// Asks for bytes p[0 ..< bytes] to be brought into cache (a prefetch every 64 bytes).
void zoo_prefetch(const void *p, int64_t bytes);

/// out[r * k + c] += distributions[keys[r] * k + c] for r < n, c < k: one tree's leaf class
/// distributions added to each row's sums.
void zoo_forest_add_leaf_rows(const uint32_t *keys, int64_t n, const double *distributions, int64_t k, double *out);

#endif
