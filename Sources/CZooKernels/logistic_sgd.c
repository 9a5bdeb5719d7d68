#include <math.h>
#include <string.h>
#include "zoo_kernels.h"
#include "vector_kernel.h"

// sum x_i w_i in four partial sums by i mod 4, the tail into the first, then ((s0 + s1) + (s2 + s3)):
// the order of the Swift per-sample loop this replaces (PerSampleStep.single).
INLINE double dot4(int64_t n, const double *x, const double *w) {
    v4 s = {0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 4 <= n; i += 4) s += *(const v4 *)(x + i) * *(const v4 *)(w + i);
    double s0 = s[0];
    for (; i < n; i++) s0 += x[i] * w[i];
    return (s0 + s[1]) + (s[2] + s[3]);
}

// e^x for x <= 0 as NegativeExp.exp computes one lane (Swift, NegativeExp.swift): 2^k 2^(j/32) e^r.
INLINE double negative_exp(double x, const double *T) {
    const double shifter = 0x1.8p52, ln2_hi = 6.93147180369123816490e-01 / 32, ln2_lo = 1.90821492927058770002e-10 / 32;
    double clamped = x < -708 ? -708 : x;
    double t = clamped * (32 / M_LN2) + shifter;
    double n = t - shifter;
    double r = (clamped - n * ln2_hi) - n * ln2_lo;
    double r2 = r * r;
    double p01 = r + r2 * 0.5;
    double p23 = r2 * r * (1.0 / 6 + r * (1.0 / 24));
    double p45 = r2 * r2 * r * (1.0 / 120 + r * (1.0 / 720));
    double poly = p01 + (p23 + p45);
    int64_t bits, shifted;
    memcpy(&bits, &t, 8);
    memcpy(&shifted, &shifter, 8);
    bits -= shifted;
    int64_t j = bits & 31, k = bits >> 5;
    int64_t scale_bits = (int64_t)((uint64_t)(k + 1023) << 52);
    double table = T[j], scale;
    memcpy(&scale, &scale_bits, 8);
    double y = (table + table * poly) * scale;
    return x < -708 ? 0 : y;
}

INLINE double sigmoid(double z, const double *T) {
    double e = negative_exp(-fabs(z), T);
    return z >= 0 ? 1 / (1 + e) : e / (1 + e);
}

// A product of probabilities as a mantissa in [0.5, 1) and a binary exponent (LogProduct in Swift).
INLINE void multiply(double *m, int64_t *e, double p) {
    double product = *m * p;
    if (!isnormal(product)) {  // NaN from a diverged fit: the log is NaN, for the caller to see
        *m = NAN;
        return;
    }
    uint64_t bits;
    memcpy(&bits, &product, 8);
    *e += (int64_t)((bits >> 52) & 0x7ff) - 1022;
    bits = (bits & ~((uint64_t)0x7ff << 52)) | ((uint64_t)1022 << 52);
    memcpy(m, &bits, 8);
}

INLINE void update(int64_t n, const double *x, double *W, double *A, double lr, double d) {
    const v4 vd = {d, d, d, d}, vlr = {lr, lr, lr, lr}, zero = {0, 0, 0, 0};
    int64_t i = 0;
    if (A) {
        for (; i + 4 <= n; i += 4) {
            v4 w = *(v4 *)(W + i) - vlr * (zero + *(const v4 *)(x + i) * vd);
            *(v4 *)(W + i) = w;
            *(v4 *)(A + i) += w;
        }
        for (; i < n; i++) {
            W[i] = W[i] - lr * (0 + x[i] * d);
            A[i] += W[i];
        }
        W[n] -= lr * (0 + 1 * d);
        A[n] += W[n];
    } else {
        for (; i + 4 <= n; i += 4) *(v4 *)(W + i) = *(v4 *)(W + i) - vlr * (zero + *(const v4 *)(x + i) * vd);
        for (; i < n; i++) W[i] -= lr * (0 + x[i] * d);
        W[n] -= lr * (0 + 1 * d);
    }
}

// Each row's z waits on the last row's delta through three operations instead of through the
// update, a store and a 30-term dot (breast cancer: ~145 cycles a row, latency-bound).
INLINE double epoch_body(int64_t n, const double *X, const double *Y, const int64_t *order, int64_t count, double *W,
                         double *A, double lr, double scale, const double *T) {
    if (count <= 0) return 0;
    double m = 1;
    int64_t e = 0;
    const double *x = X + order[0] * n;
    double z = W[n] + dot4(n, x, W);
    for (int64_t k = 0; k < count; k++) {
        const double *next = k + 1 < count ? X + order[k + 1] * n : x;
        double ahead = W[n] + dot4(n, next, W), overlap = 1 + dot4(n, next, x);
        int positive = Y[order[k]] == 1;
        double p = sigmoid(z, T), q = positive ? p : 1 - p;
        multiply(&m, &e, 1e-300 >= q ? 1e-300 : q);
        double d = scale * (p - (positive ? 1 : 0));
        update(n, x, W, A, lr, d);
        z = ahead - lr * d * overlap;
        x = next;
    }
    if (isnan(m)) return NAN;
    return -(log(m) + (double)e * M_LN2);
}

static double epoch_portable(int64_t n, const double *X, const double *Y, const int64_t *order, int64_t count, double *W,
                             double *A, double lr, double scale, const double *T) {
    return epoch_body(n, X, Y, order, count, W, A, lr, scale, T);
}
AVX2 static double epoch_avx2(int64_t n, const double *X, const double *Y, const int64_t *order, int64_t count,
                              double *W, double *A, double lr, double scale, const double *T) {
    return epoch_body(n, X, Y, order, count, W, A, lr, scale, T);
}

double zoo_logistic_epoch(int64_t n, const double *X, const double *Y, const int64_t *order, int64_t count, double *W,
                          double *A, double lr, double scale, const double *T, int portable) {
    return !portable && zoo_has_avx2() ? epoch_avx2(n, X, Y, order, count, W, A, lr, scale, T)
                                       : epoch_portable(n, X, Y, order, count, W, A, lr, scale, T);
}
