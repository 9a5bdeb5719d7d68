#include "zoo_kernels.h"
#include "vector_kernel.h"
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

// Z[r, j] = B[j] + sum_i X[r, i] W[i, j] for the first `cols` columns (W's and Z's rows `ld` apart).
// Four rows times two vectors of outputs a block: 16 independent sums in flight (one row at a time
// left each sum's chain of adds waiting on the last). Defined for four-lane vectors (eight columns a
// block) and eight-lane ones (sixteen): each element's sum is the same whatever the block.
#define AFFINE_BODY(NAME, VT, L)                                                                                  \
    INLINE void NAME(int64_t rows, int64_t nIn, int64_t cols, int64_t ld, const double *X, const double *W,      \
                     const double *B, double *Z) {                                                               \
        int64_t r = 0;                                                                                           \
        for (; r + 4 <= rows; r += 4) {                                                                          \
            const double *x0 = X + r * nIn, *x1 = x0 + nIn, *x2 = x1 + nIn, *x3 = x2 + nIn;                      \
            int64_t j = 0;                                                                                       \
            for (; j + 2 * L <= cols; j += 2 * L) {                                                              \
                VT b0 = *(const VT *)(B + j), b1 = *(const VT *)(B + j + L);                                     \
                VT a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;               \
                for (int64_t i = 0; i < nIn; i++) {                                                              \
                    VT w0 = *(const VT *)(W + i * ld + j), w1 = *(const VT *)(W + i * ld + j + L);               \
                    VT s0 = x0[i] - (VT){}, s1 = x1[i] - (VT){}, s2 = x2[i] - (VT){}, s3 = x3[i] - (VT){};       \
                    a00 += s0 * w0; a01 += s0 * w1;                                                              \
                    a10 += s1 * w0; a11 += s1 * w1;                                                              \
                    a20 += s2 * w0; a21 += s2 * w1;                                                              \
                    a30 += s3 * w0; a31 += s3 * w1;                                                              \
                }                                                                                                \
                double *z = Z + r * ld + j;                                                                      \
                *(VT *)z = a00; *(VT *)(z + L) = a01;                                                            \
                *(VT *)(z + ld) = a10; *(VT *)(z + ld + L) = a11;                                                \
                *(VT *)(z + 2 * ld) = a20; *(VT *)(z + 2 * ld + L) = a21;                                        \
                *(VT *)(z + 3 * ld) = a30; *(VT *)(z + 3 * ld + L) = a31;                                        \
            }                                                                                                    \
            for (; j < cols; j++) {                                                                              \
                for (int64_t k = 0; k < 4; k++) {                                                                \
                    const double *x = X + (r + k) * nIn;                                                         \
                    double a = B[j];                                                                             \
                    for (int64_t i = 0; i < nIn; i++) a += x[i] * W[i * ld + j];                                 \
                    Z[(r + k) * ld + j] = a;                                                                     \
                }                                                                                                \
            }                                                                                                    \
        }                                                                                                        \
        for (; r < rows; r++) {                                                                                  \
            const double *x = X + r * nIn;                                                                       \
            for (int64_t j = 0; j < cols; j++) {                                                                 \
                double a = B[j];                                                                                 \
                for (int64_t i = 0; i < nIn; i++) a += x[i] * W[i * ld + j];                                     \
                Z[r * ld + j] = a;                                                                               \
            }                                                                                                    \
        }                                                                                                        \
    }
AFFINE_BODY(affine_body, v4, 4)
AFFINE_BODY(affine_body_wide, v8, 8)

// G[i, j] += sum_r A[r, i] D[r, j] for the first `cols` columns (G's and D's rows `ld` apart), each
// element over r in order. Four rows of G times two vectors of columns a block.
#define OUTER_BODY(NAME, VT, L)                                                                                   \
    INLINE void NAME(int64_t rows, int64_t nIn, int64_t cols, int64_t ld, const double *A, const double *D,      \
                     double *G) {                                                                                \
        int64_t i = 0;                                                                                           \
        for (; i + 4 <= nIn; i += 4) {                                                                           \
            int64_t j = 0;                                                                                       \
            for (; j + 2 * L <= cols; j += 2 * L) {                                                              \
                double *g = G + i * ld + j;                                                                      \
                VT g00 = *(VT *)g, g01 = *(VT *)(g + L);                                                         \
                VT g10 = *(VT *)(g + ld), g11 = *(VT *)(g + ld + L);                                             \
                VT g20 = *(VT *)(g + 2 * ld), g21 = *(VT *)(g + 2 * ld + L);                                     \
                VT g30 = *(VT *)(g + 3 * ld), g31 = *(VT *)(g + 3 * ld + L);                                     \
                for (int64_t r = 0; r < rows; r++) {                                                             \
                    VT d0 = *(const VT *)(D + r * ld + j), d1 = *(const VT *)(D + r * ld + j + L);               \
                    const double *a = A + r * nIn + i;                                                           \
                    VT s0 = a[0] - (VT){}, s1 = a[1] - (VT){}, s2 = a[2] - (VT){}, s3 = a[3] - (VT){};           \
                    g00 += s0 * d0; g01 += s0 * d1;                                                              \
                    g10 += s1 * d0; g11 += s1 * d1;                                                              \
                    g20 += s2 * d0; g21 += s2 * d1;                                                              \
                    g30 += s3 * d0; g31 += s3 * d1;                                                              \
                }                                                                                                \
                *(VT *)g = g00; *(VT *)(g + L) = g01;                                                            \
                *(VT *)(g + ld) = g10; *(VT *)(g + ld + L) = g11;                                                \
                *(VT *)(g + 2 * ld) = g20; *(VT *)(g + 2 * ld + L) = g21;                                        \
                *(VT *)(g + 3 * ld) = g30; *(VT *)(g + 3 * ld + L) = g31;                                        \
            }                                                                                                    \
            for (; j < cols; j++) {                                                                              \
                for (int64_t k = 0; k < 4; k++) {                                                                \
                    double a = G[(i + k) * ld + j];                                                              \
                    for (int64_t r = 0; r < rows; r++) a += A[r * nIn + i + k] * D[r * ld + j];                  \
                    G[(i + k) * ld + j] = a;                                                                     \
                }                                                                                                \
            }                                                                                                    \
        }                                                                                                        \
        for (; i < nIn; i++) {                                                                                   \
            for (int64_t j = 0; j < cols; j++) {                                                                 \
                double a = G[i * ld + j];                                                                        \
                for (int64_t r = 0; r < rows; r++) a += A[r * nIn + i] * D[r * ld + j];                          \
                G[i * ld + j] = a;                                                                               \
            }                                                                                                    \
        }                                                                                                        \
    }
OUTER_BODY(outer_body, v4, 4)
OUTER_BODY(outer_body_wide, v8, 8)

static void affine_portable(int64_t rows, int64_t nIn, int64_t nOut, const double *X, const double *W, const double *B,
                            double *Z) {
    affine_body(rows, nIn, nOut, nOut, X, W, B, Z);
}
AVX2 static void affine_avx2(int64_t rows, int64_t nIn, int64_t nOut, const double *X, const double *W, const double *B,
                             double *Z) {
    affine_body(rows, nIn, nOut, nOut, X, W, B, Z);
}
// Sixteen columns a block, then the last nOut % 16 as the AVX2 path takes them.
AVX512 static void affine_avx512(int64_t rows, int64_t nIn, int64_t nOut, const double *X, const double *W,
                                 const double *B, double *Z) {
    int64_t wide = nOut - nOut % 16;
    affine_body_wide(rows, nIn, wide, nOut, X, W, B, Z);
    if (wide < nOut) affine_body(rows, nIn, nOut - wide, nOut, X, W + wide, B + wide, Z + wide);
}
static void outer_portable(int64_t rows, int64_t nIn, int64_t nOut, const double *A, const double *D, double *G) {
    outer_body(rows, nIn, nOut, nOut, A, D, G);
}
AVX2 static void outer_avx2(int64_t rows, int64_t nIn, int64_t nOut, const double *A, const double *D, double *G) {
    outer_body(rows, nIn, nOut, nOut, A, D, G);
}
AVX512 static void outer_avx512(int64_t rows, int64_t nIn, int64_t nOut, const double *A, const double *D, double *G) {
    int64_t wide = nOut - nOut % 16;
    outer_body_wide(rows, nIn, wide, nOut, A, D, G);
    if (wide < nOut) outer_body(rows, nIn, nOut - wide, nOut, A, D + wide, G + wide);
}

// Read once when the library loads, before any thread can ask (a lazily cached flag would be
// written by both training threads at once).
static int avx2 = 0, avx512 = 0;
#if defined(__x86_64__) || defined(__i386__)
__attribute__((constructor)) static void detect_avx2(void) {
    __builtin_cpu_init();
    avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
    avx512 = avx2 && __builtin_cpu_supports("avx512f") ? 1 : 0;
}
#endif
int zoo_has_avx2(void) { return avx2; }

// Which build of a dense kernel runs: `path` 0 asks for the widest the processor has, 1 for the
// portable one, 2 for AVX2 at most (tests run each; all give the same bits).
enum { PORTABLE = 0, WITH_AVX2 = 1, WITH_AVX512 = 2 };
static int dense_path(int path) {
    if (path == 1 || !avx2) return PORTABLE;
    return path == 0 && avx512 ? WITH_AVX512 : WITH_AVX2;
}

void zoo_affine(int64_t rows, int64_t nIn, int64_t nOut, const double *X, const double *W, const double *B, double *Z,
                int path) {
    switch (dense_path(path)) {
    case WITH_AVX512: affine_avx512(rows, nIn, nOut, X, W, B, Z); break;
    case WITH_AVX2: affine_avx2(rows, nIn, nOut, X, W, B, Z); break;
    default: affine_portable(rows, nIn, nOut, X, W, B, Z);
    }
}

void zoo_accumulate_outer(int64_t rows, int64_t nIn, int64_t nOut, const double *A, const double *D, double *G,
                          int path) {
    switch (dense_path(path)) {
    case WITH_AVX512: outer_avx512(rows, nIn, nOut, A, D, G); break;
    case WITH_AVX2: outer_avx2(rows, nIn, nOut, A, D, G); break;
    default: outer_portable(rows, nIn, nOut, A, D, G);
    }
}

// One Adam step over n parameters, elementwise, with Keras's bias-corrected rate lrT:
// g = G (+ l2 p where l2 > 0), m = b1 m + c1 g, v = b2 v + (c2 g) g, p = p - (lrT m) / (sqrt(v) + eps).
// Swift's SIMD square root is taken one lane at a time, and the loop spilled every vector (30% of
// hidden 64,64's training).
#define ADAM_BODY(NAME, VT, L)                                                                                    \
    INLINE void NAME(int64_t n, double *P, double *M, double *V, const double *G, double l2, double b1, double b2, \
                     double c1, double c2, double lrT, double eps) {                                             \
        int64_t k = 0;                                                                                           \
        const VT vb1 = b1 - (VT){}, vb2 = b2 - (VT){}, vc1 = c1 - (VT){}, vc2 = c2 - (VT){};                      \
        const VT vlr = lrT - (VT){}, veps = eps - (VT){}, vl2 = l2 - (VT){};                                     \
        for (; k + L <= n; k += L) {                                                                             \
            VT g = *(const VT *)(G + k);                                                                         \
            if (l2 > 0) g = g + vl2 * *(VT *)(P + k);                                                            \
            VT m = vb1 * *(VT *)(M + k) + vc1 * g;                                                               \
            VT v = vb2 * *(VT *)(V + k) + vc2 * g * g;                                                           \
            *(VT *)(M + k) = m;                                                                                  \
            *(VT *)(V + k) = v;                                                                                  \
            *(VT *)(P + k) = *(VT *)(P + k) - vlr * m / (__builtin_elementwise_sqrt(v) + veps);                  \
        }                                                                                                        \
        for (; k < n; k++) {                                                                                     \
            double g = l2 > 0 ? G[k] + l2 * P[k] : G[k];                                                         \
            M[k] = b1 * M[k] + c1 * g;                                                                           \
            V[k] = b2 * V[k] + c2 * g * g;                                                                       \
            P[k] = P[k] - lrT * M[k] / (__builtin_sqrt(V[k]) + eps);                                             \
        }                                                                                                        \
    }
ADAM_BODY(adam_body, v4, 4)
ADAM_BODY(adam_body_wide, v8, 8)

static void adam_portable(int64_t n, double *P, double *M, double *V, const double *G, double l2, double b1, double b2,
                          double c1, double c2, double lrT, double eps) {
    adam_body(n, P, M, V, G, l2, b1, b2, c1, c2, lrT, eps);
}
AVX2 static void adam_avx2(int64_t n, double *P, double *M, double *V, const double *G, double l2, double b1, double b2,
                           double c1, double c2, double lrT, double eps) {
    adam_body(n, P, M, V, G, l2, b1, b2, c1, c2, lrT, eps);
}
AVX512 static void adam_avx512(int64_t n, double *P, double *M, double *V, const double *G, double l2, double b1,
                               double b2, double c1, double c2, double lrT, double eps) {
    adam_body_wide(n, P, M, V, G, l2, b1, b2, c1, c2, lrT, eps);
}

// The step runs with subnormals flushed to zero (MXCSR's FTZ and DAZ, restored after; TensorFlow
// trains with them set throughout). A dead ReLU unit's gradients are exact zeros, so its moments
// decay by b1 and b2 every step into the subnormal range, and on Intel every operation on or giving
// a subnormal takes a microcode assist: hidden 64,64 on BMI spent 57% of its training in this loop
// on a Xeon (2.67 s; the same build on an AMD EPYC, which has no such assist, 1.0 s). A moment below
// 2.2e-308 moves a weight by under 1e-300, far below any weight's last bit, so the trained weights
// are the same; only such moments themselves read as 0.
void zoo_adam_step(int64_t n, double *P, double *M, double *V, const double *G, double l2, double b1, double b2,
                   double lrT, double eps, int path) {
#if defined(__x86_64__) || defined(__i386__)
    const unsigned int saved = _mm_getcsr();
    _mm_setcsr(saved | 0x8040); // FTZ (bit 15) | DAZ (bit 6)
#endif
    switch (dense_path(path)) {
    case WITH_AVX512: adam_avx512(n, P, M, V, G, l2, b1, b2, 1 - b1, 1 - b2, lrT, eps); break;
    case WITH_AVX2: adam_avx2(n, P, M, V, G, l2, b1, b2, 1 - b1, 1 - b2, lrT, eps); break;
    default: adam_portable(n, P, M, V, G, l2, b1, b2, 1 - b1, 1 - b2, lrT, eps);
    }
#if defined(__x86_64__) || defined(__i386__)
    _mm_setcsr(saved);
#endif
}

// Swift's VectorKernels.dot, bit for bit: two four-lane sums over blocks of eight, added lane-wise,
// the lanes summed in order from -0 (as the standard library's SIMD sum() does; DenseKernelTests
// would catch a change there), then the tail one by one.
INLINE double dot_finish(const v4 *s0, const v4 *s1, const double *x, const double *y, int64_t k, int64_t n) {
    v4 t = *s0 + *s1;
    double s = -0.0;
    s += t[0];
    s += t[1];
    s += t[2];
    s += t[3];
    for (; k < n; k++) s += x[k] * y[k];
    return s;
}

// Swift's VectorKernels.dot: the same order, so the same bits (one row of the deltas carried back;
// zoo_dot below, for the logistic Hessian's long sums over rows).
INLINE double dot_body(int64_t n, const double *x, const double *y) {
    v4 a = {0, 0, 0, 0}, b = {0, 0, 0, 0};
    int64_t k = 0;
    for (; k + 8 <= n; k += 8) {
        a += *(const v4 *)(x + k) * *(const v4 *)(y + k);
        b += *(const v4 *)(x + k + 4) * *(const v4 *)(y + k + 4);
    }
    return dot_finish(&a, &b, x, y, k, n);
}

// prev[r, i] = dot(D[r, 0..<nOut], W[i, 0..<nOut]) for every row r and input i (a layer's deltas
// carried back through its weights). Four rows share each load of W's row.
INLINE void back_body(int64_t rows, int64_t nIn, int64_t nOut, const double *D, const double *W, double *prev) {
    int64_t r = 0;
    const v4 zero = {0, 0, 0, 0};
    for (; r + 4 <= rows; r += 4) {
        const double *d0 = D + r * nOut, *d1 = d0 + nOut, *d2 = d1 + nOut, *d3 = d2 + nOut;
        for (int64_t i = 0; i < nIn; i++) {
            const double *w = W + i * nOut;
            v4 a0 = zero, b0 = zero, a1 = zero, b1 = zero, a2 = zero, b2 = zero, a3 = zero, b3 = zero;
            int64_t k = 0;
            for (; k + 8 <= nOut; k += 8) {
                v4 w0 = *(const v4 *)(w + k), w1 = *(const v4 *)(w + k + 4);
                a0 += *(const v4 *)(d0 + k) * w0; b0 += *(const v4 *)(d0 + k + 4) * w1;
                a1 += *(const v4 *)(d1 + k) * w0; b1 += *(const v4 *)(d1 + k + 4) * w1;
                a2 += *(const v4 *)(d2 + k) * w0; b2 += *(const v4 *)(d2 + k + 4) * w1;
                a3 += *(const v4 *)(d3 + k) * w0; b3 += *(const v4 *)(d3 + k + 4) * w1;
            }
            prev[r * nIn + i] = dot_finish(&a0, &b0, d0, w, k, nOut);
            prev[(r + 1) * nIn + i] = dot_finish(&a1, &b1, d1, w, k, nOut);
            prev[(r + 2) * nIn + i] = dot_finish(&a2, &b2, d2, w, k, nOut);
            prev[(r + 3) * nIn + i] = dot_finish(&a3, &b3, d3, w, k, nOut);
        }
    }
    for (; r < rows; r++) {
        for (int64_t i = 0; i < nIn; i++) prev[r * nIn + i] = dot_body(nOut, D + r * nOut, W + i * nOut);
    }
}

static void back_portable(int64_t rows, int64_t nIn, int64_t nOut, const double *D, const double *W, double *prev) {
    back_body(rows, nIn, nOut, D, W, prev);
}
AVX2 static void back_avx2(int64_t rows, int64_t nIn, int64_t nOut, const double *D, const double *W, double *prev) {
    back_body(rows, nIn, nOut, D, W, prev);
}

// back_body with each pair of four-lane sums (a over k..k+3 of a block of eight, b over k+4..k+7)
// in the halves of one eight-lane vector, finished as dot_finish finishes them (the same bits), for
// four rows and two inputs at a time: eight independent sums in flight.
INLINE double finish_wide(const v8 *q, const double *x, const double *y, int64_t k, int64_t n) {
    v4 a = __builtin_shufflevector(*q, *q, 0, 1, 2, 3), b = __builtin_shufflevector(*q, *q, 4, 5, 6, 7);
    return dot_finish(&a, &b, x, y, k, n);
}

// Four rows' finishes at once when there is no tail (nOut a multiple of eight): each row's two
// halves added, the four sums transposed so that lane q holds row q's lanes, then added lane 0 + 1
// + 2 + 3 in vectors: dot_finish's order (its -0 start adds nothing), a quarter of the shuffles.
INLINE void finish_four(const v8 *q0, const v8 *q1, const v8 *q2, const v8 *q3, double *out, int64_t stride) {
    v4 t0 = __builtin_shufflevector(*q0, *q0, 0, 1, 2, 3) + __builtin_shufflevector(*q0, *q0, 4, 5, 6, 7);
    v4 t1 = __builtin_shufflevector(*q1, *q1, 0, 1, 2, 3) + __builtin_shufflevector(*q1, *q1, 4, 5, 6, 7);
    v4 t2 = __builtin_shufflevector(*q2, *q2, 0, 1, 2, 3) + __builtin_shufflevector(*q2, *q2, 4, 5, 6, 7);
    v4 t3 = __builtin_shufflevector(*q3, *q3, 0, 1, 2, 3) + __builtin_shufflevector(*q3, *q3, 4, 5, 6, 7);
    v4 a = __builtin_shufflevector(t0, t1, 0, 4, 2, 6), b = __builtin_shufflevector(t0, t1, 1, 5, 3, 7);
    v4 c = __builtin_shufflevector(t2, t3, 0, 4, 2, 6), d = __builtin_shufflevector(t2, t3, 1, 5, 3, 7);
    v4 sum = __builtin_shufflevector(a, c, 0, 1, 4, 5) + __builtin_shufflevector(b, d, 0, 1, 4, 5);
    sum += __builtin_shufflevector(a, c, 2, 3, 6, 7);
    sum += __builtin_shufflevector(b, d, 2, 3, 6, 7);
    out[0] = sum[0];
    out[stride] = sum[1];
    out[2 * stride] = sum[2];
    out[3 * stride] = sum[3];
}

AVX512 static void back_avx512(int64_t rows, int64_t nIn, int64_t nOut, const double *D, const double *W, double *prev) {
    int64_t r = 0;
    const v8 zero = {0, 0, 0, 0, 0, 0, 0, 0};
    for (; r + 4 <= rows; r += 4) {
        const double *d[4] = {D + r * nOut, D + (r + 1) * nOut, D + (r + 2) * nOut, D + (r + 3) * nOut};
        int64_t i = 0;
        for (; i + 2 <= nIn; i += 2) {
            const double *w0 = W + i * nOut, *w1 = w0 + nOut;
            v8 p00 = zero, p01 = zero, p10 = zero, p11 = zero, p20 = zero, p21 = zero, p30 = zero, p31 = zero;
            int64_t k = 0;
            for (; k + 8 <= nOut; k += 8) {
                v8 u = *(const v8 *)(w0 + k), v = *(const v8 *)(w1 + k);
                v8 e0 = *(const v8 *)(d[0] + k), e1 = *(const v8 *)(d[1] + k);
                v8 e2 = *(const v8 *)(d[2] + k), e3 = *(const v8 *)(d[3] + k);
                p00 += e0 * u; p01 += e0 * v;
                p10 += e1 * u; p11 += e1 * v;
                p20 += e2 * u; p21 += e2 * v;
                p30 += e3 * u; p31 += e3 * v;
            }
            if (k == nOut) {
                finish_four(&p00, &p10, &p20, &p30, prev + r * nIn + i, nIn);
                finish_four(&p01, &p11, &p21, &p31, prev + r * nIn + i + 1, nIn);
                continue;
            }
            prev[r * nIn + i] = finish_wide(&p00, d[0], w0, k, nOut);
            prev[r * nIn + i + 1] = finish_wide(&p01, d[0], w1, k, nOut);
            prev[(r + 1) * nIn + i] = finish_wide(&p10, d[1], w0, k, nOut);
            prev[(r + 1) * nIn + i + 1] = finish_wide(&p11, d[1], w1, k, nOut);
            prev[(r + 2) * nIn + i] = finish_wide(&p20, d[2], w0, k, nOut);
            prev[(r + 2) * nIn + i + 1] = finish_wide(&p21, d[2], w1, k, nOut);
            prev[(r + 3) * nIn + i] = finish_wide(&p30, d[3], w0, k, nOut);
            prev[(r + 3) * nIn + i + 1] = finish_wide(&p31, d[3], w1, k, nOut);
        }
        for (; i < nIn; i++) {
            for (int64_t q = 0; q < 4; q++) prev[(r + q) * nIn + i] = dot_body(nOut, d[q], W + i * nOut);
        }
    }
    for (; r < rows; r++) {
        for (int64_t i = 0; i < nIn; i++) prev[r * nIn + i] = dot_body(nOut, D + r * nOut, W + i * nOut);
    }
}

void zoo_backprop_deltas(int64_t rows, int64_t nIn, int64_t nOut, const double *D, const double *W, double *prev,
                         int path) {
    switch (dense_path(path)) {
    case WITH_AVX512: back_avx512(rows, nIn, nOut, D, W, prev); break;
    case WITH_AVX2: back_avx2(rows, nIn, nOut, D, W, prev); break;
    default: back_portable(rows, nIn, nOut, D, W, prev);
    }
}

// zoo_dot: long vectors (the logistic Hessian's sums over rows) with AVX2 where the processor has it
// (Swift's own loop is built for SSE2; breast cancer's Newton fit: see LogisticRegression.swift).
static double dot_portable(int64_t n, const double *x, const double *y) { return dot_body(n, x, y); }
AVX2 static double dot_avx2(int64_t n, const double *x, const double *y) { return dot_body(n, x, y); }

double zoo_dot(int64_t n, const double *x, const double *y, int portable) {
    return !portable && zoo_has_avx2() ? dot_avx2(n, x, y) : dot_portable(n, x, y);
}

// zoo_dot2x2: the four dots x_a . y_b (a, b in 0, 1) in one pass, each summed exactly as dot_body
// sums it (the same bits as four zoo_dot calls), with each load of x_a and y_b shared by two dots:
// a long dot is bound by its two loads per multiply-add, and the logistic Hessian's upper triangle
// is q(q+1)/2 of them (breast cancer: 496 dots of 455 rows an evaluation).
INLINE void dot2x2_body(int64_t n, const double *x0, const double *x1, const double *y0, const double *y1, double *out) {
    const v4 zero = {0, 0, 0, 0};
    v4 a00 = zero, b00 = zero, a01 = zero, b01 = zero, a10 = zero, b10 = zero, a11 = zero, b11 = zero;
    int64_t k = 0;
    for (; k + 8 <= n; k += 8) {
        v4 p0 = *(const v4 *)(x0 + k), q0 = *(const v4 *)(x0 + k + 4);
        v4 p1 = *(const v4 *)(x1 + k), q1 = *(const v4 *)(x1 + k + 4);
        v4 u0 = *(const v4 *)(y0 + k), w0 = *(const v4 *)(y0 + k + 4);
        v4 u1 = *(const v4 *)(y1 + k), w1 = *(const v4 *)(y1 + k + 4);
        a00 += p0 * u0; b00 += q0 * w0;
        a01 += p0 * u1; b01 += q0 * w1;
        a10 += p1 * u0; b10 += q1 * w0;
        a11 += p1 * u1; b11 += q1 * w1;
    }
    out[0] = dot_finish(&a00, &b00, x0, y0, k, n);
    out[1] = dot_finish(&a01, &b01, x0, y1, k, n);
    out[2] = dot_finish(&a10, &b10, x1, y0, k, n);
    out[3] = dot_finish(&a11, &b11, x1, y1, k, n);
}

static void dot2x2_portable(int64_t n, const double *x0, const double *x1, const double *y0, const double *y1, double *out) {
    dot2x2_body(n, x0, x1, y0, y1, out);
}
AVX2 static void dot2x2_avx2(int64_t n, const double *x0, const double *x1, const double *y0, const double *y1, double *out) {
    dot2x2_body(n, x0, x1, y0, y1, out);
}

void zoo_dot2x2(int64_t n, const double *x0, const double *x1, const double *y0, const double *y1, double *out, int portable) {
    if (!portable && zoo_has_avx2()) dot2x2_avx2(n, x0, x1, y0, y1, out);
    else dot2x2_portable(n, x0, x1, y0, y1, out);
}

// The elementwise steps around the dense kernels, which Swift built for two-lane vectors (8% of
// hidden 64,64's training on BMI): a ReLU where it is (z > 0 ? z : +0, NaN to +0), its derivative
// times the deltas (d * (a > 0 ? 1 : 0), a product as Swift's loop takes it), and the bias gradient
// (g[k] += D[r, k] over the rows in order).
typedef long long m4 __attribute__((vector_size(32), aligned(8)));
typedef long long m8 __attribute__((vector_size(64), aligned(8)));
#define ELEMENTWISE_BODIES(SUFFIX, VT, MT, L)                                                                    \
    INLINE void relu_##SUFFIX(int64_t n, double *a) {                                                          \
        int64_t k = 0;                                                                                         \
        for (; k + L <= n; k += L) {                                                                           \
            VT z = *(VT *)(a + k);                                                                             \
            *(VT *)(a + k) = (VT)((MT)(z > (VT){}) & (MT)z);                                                   \
        }                                                                                                      \
        for (; k < n; k++) a[k] = a[k] > 0 ? a[k] : 0;                                                         \
    }                                                                                                          \
    INLINE void relu_deltas_##SUFFIX(int64_t n, double *d, const double *a) {                                  \
        int64_t k = 0;                                                                                         \
        const VT one = 1 - (VT){};                                                                             \
        for (; k + L <= n; k += L) {                                                                           \
            VT gate = (VT)((MT)(*(const VT *)(a + k) > (VT){}) & (MT)one);                                     \
            *(VT *)(d + k) = *(VT *)(d + k) * gate;                                                            \
        }                                                                                                      \
        for (; k < n; k++) d[k] *= a[k] > 0 ? 1 : 0;                                                           \
    }                                                                                                          \
    INLINE void add_rows_##SUFFIX(int64_t rows, int64_t n, const double *D, double *g) {                      \
        int64_t k = 0;                                                                                         \
        for (; k + L <= n; k += L) {                                                                           \
            VT s = *(VT *)(g + k);                                                                             \
            for (int64_t r = 0; r < rows; r++) s += *(const VT *)(D + r * n + k);                              \
            *(VT *)(g + k) = s;                                                                                \
        }                                                                                                      \
        for (; k < n; k++) {                                                                                   \
            double s = g[k];                                                                                   \
            for (int64_t r = 0; r < rows; r++) s += D[r * n + k];                                              \
            g[k] = s;                                                                                          \
        }                                                                                                      \
    }
ELEMENTWISE_BODIES(v4, v4, m4, 4)
ELEMENTWISE_BODIES(v8, v8, m8, 8)

static void relu_portable(int64_t n, double *a) { relu_v4(n, a); }
AVX2 static void relu_avx2(int64_t n, double *a) { relu_v4(n, a); }
AVX512 static void relu_avx512(int64_t n, double *a) { relu_v8(n, a); }
static void relu_deltas_portable(int64_t n, double *d, const double *a) { relu_deltas_v4(n, d, a); }
AVX2 static void relu_deltas_avx2(int64_t n, double *d, const double *a) { relu_deltas_v4(n, d, a); }
AVX512 static void relu_deltas_avx512(int64_t n, double *d, const double *a) { relu_deltas_v8(n, d, a); }
static void add_rows_portable(int64_t rows, int64_t n, const double *D, double *g) { add_rows_v4(rows, n, D, g); }
AVX2 static void add_rows_avx2(int64_t rows, int64_t n, const double *D, double *g) { add_rows_v4(rows, n, D, g); }
AVX512 static void add_rows_avx512(int64_t rows, int64_t n, const double *D, double *g) { add_rows_v8(rows, n, D, g); }

void zoo_relu(int64_t n, double *a, int path) {
    switch (dense_path(path)) {
    case WITH_AVX512: relu_avx512(n, a); break;
    case WITH_AVX2: relu_avx2(n, a); break;
    default: relu_portable(n, a);
    }
}

void zoo_relu_deltas(int64_t n, double *d, const double *a, int path) {
    switch (dense_path(path)) {
    case WITH_AVX512: relu_deltas_avx512(n, d, a); break;
    case WITH_AVX2: relu_deltas_avx2(n, d, a); break;
    default: relu_deltas_portable(n, d, a);
    }
}

void zoo_add_rows(int64_t rows, int64_t n, const double *D, double *g, int path) {
    switch (dense_path(path)) {
    case WITH_AVX512: add_rows_avx512(rows, n, D, g); break;
    case WITH_AVX2: add_rows_avx2(rows, n, D, g); break;
    default: add_rows_portable(rows, n, D, g);
    }
}
