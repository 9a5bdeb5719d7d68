#include "zoo_kernels.h"
#include "vector_kernel.h"
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

// Z[r, j] = B[j] + sum_i X[r, i] W[i, j]. Four rows times eight outputs a block: 16 independent
// sums in flight (one row at a time left each sum's chain of adds waiting on the last).
INLINE void affine_body(int64_t rows, int64_t nIn, int64_t nOut, const double *X, const double *W, const double *B,
                        double *Z) {
    int64_t r = 0;
    for (; r + 4 <= rows; r += 4) {
        const double *x0 = X + r * nIn, *x1 = x0 + nIn, *x2 = x1 + nIn, *x3 = x2 + nIn;
        int64_t j = 0;
        for (; j + 8 <= nOut; j += 8) {
            v4 b0 = *(const v4 *)(B + j), b1 = *(const v4 *)(B + j + 4);
            v4 a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
            for (int64_t i = 0; i < nIn; i++) {
                v4 w0 = *(const v4 *)(W + i * nOut + j), w1 = *(const v4 *)(W + i * nOut + j + 4);
                v4 s0 = (v4){x0[i], x0[i], x0[i], x0[i]}, s1 = (v4){x1[i], x1[i], x1[i], x1[i]};
                v4 s2 = (v4){x2[i], x2[i], x2[i], x2[i]}, s3 = (v4){x3[i], x3[i], x3[i], x3[i]};
                a00 += s0 * w0; a01 += s0 * w1;
                a10 += s1 * w0; a11 += s1 * w1;
                a20 += s2 * w0; a21 += s2 * w1;
                a30 += s3 * w0; a31 += s3 * w1;
            }
            double *z = Z + r * nOut + j;
            *(v4 *)z = a00; *(v4 *)(z + 4) = a01;
            *(v4 *)(z + nOut) = a10; *(v4 *)(z + nOut + 4) = a11;
            *(v4 *)(z + 2 * nOut) = a20; *(v4 *)(z + 2 * nOut + 4) = a21;
            *(v4 *)(z + 3 * nOut) = a30; *(v4 *)(z + 3 * nOut + 4) = a31;
        }
        for (; j < nOut; j++) {
            for (int64_t k = 0; k < 4; k++) {
                const double *x = X + (r + k) * nIn;
                double a = B[j];
                for (int64_t i = 0; i < nIn; i++) a += x[i] * W[i * nOut + j];
                Z[(r + k) * nOut + j] = a;
            }
        }
    }
    for (; r < rows; r++) {
        const double *x = X + r * nIn;
        for (int64_t j = 0; j < nOut; j++) {
            double a = B[j];
            for (int64_t i = 0; i < nIn; i++) a += x[i] * W[i * nOut + j];
            Z[r * nOut + j] = a;
        }
    }
}

// G[i, j] += sum_r A[r, i] D[r, j], each element over r in order. Four rows of G times eight
// columns a block.
INLINE void outer_body(int64_t rows, int64_t nIn, int64_t nOut, const double *A, const double *D, double *G) {
    int64_t i = 0;
    for (; i + 4 <= nIn; i += 4) {
        int64_t j = 0;
        for (; j + 8 <= nOut; j += 8) {
            double *g = G + i * nOut + j;
            v4 g00 = *(v4 *)g, g01 = *(v4 *)(g + 4);
            v4 g10 = *(v4 *)(g + nOut), g11 = *(v4 *)(g + nOut + 4);
            v4 g20 = *(v4 *)(g + 2 * nOut), g21 = *(v4 *)(g + 2 * nOut + 4);
            v4 g30 = *(v4 *)(g + 3 * nOut), g31 = *(v4 *)(g + 3 * nOut + 4);
            for (int64_t r = 0; r < rows; r++) {
                v4 d0 = *(const v4 *)(D + r * nOut + j), d1 = *(const v4 *)(D + r * nOut + j + 4);
                const double *a = A + r * nIn + i;
                v4 s0 = (v4){a[0], a[0], a[0], a[0]}, s1 = (v4){a[1], a[1], a[1], a[1]};
                v4 s2 = (v4){a[2], a[2], a[2], a[2]}, s3 = (v4){a[3], a[3], a[3], a[3]};
                g00 += s0 * d0; g01 += s0 * d1;
                g10 += s1 * d0; g11 += s1 * d1;
                g20 += s2 * d0; g21 += s2 * d1;
                g30 += s3 * d0; g31 += s3 * d1;
            }
            *(v4 *)g = g00; *(v4 *)(g + 4) = g01;
            *(v4 *)(g + nOut) = g10; *(v4 *)(g + nOut + 4) = g11;
            *(v4 *)(g + 2 * nOut) = g20; *(v4 *)(g + 2 * nOut + 4) = g21;
            *(v4 *)(g + 3 * nOut) = g30; *(v4 *)(g + 3 * nOut + 4) = g31;
        }
        for (; j < nOut; j++) {
            for (int64_t k = 0; k < 4; k++) {
                double a = G[(i + k) * nOut + j];
                for (int64_t r = 0; r < rows; r++) a += A[r * nIn + i + k] * D[r * nOut + j];
                G[(i + k) * nOut + j] = a;
            }
        }
    }
    for (; i < nIn; i++) {
        for (int64_t j = 0; j < nOut; j++) {
            double a = G[i * nOut + j];
            for (int64_t r = 0; r < rows; r++) a += A[r * nIn + i] * D[r * nOut + j];
            G[i * nOut + j] = a;
        }
    }
}

static void affine_portable(int64_t rows, int64_t nIn, int64_t nOut, const double *X, const double *W, const double *B,
                            double *Z) {
    affine_body(rows, nIn, nOut, X, W, B, Z);
}
AVX2 static void affine_avx2(int64_t rows, int64_t nIn, int64_t nOut, const double *X, const double *W, const double *B,
                             double *Z) {
    affine_body(rows, nIn, nOut, X, W, B, Z);
}
static void outer_portable(int64_t rows, int64_t nIn, int64_t nOut, const double *A, const double *D, double *G) {
    outer_body(rows, nIn, nOut, A, D, G);
}
AVX2 static void outer_avx2(int64_t rows, int64_t nIn, int64_t nOut, const double *A, const double *D, double *G) {
    outer_body(rows, nIn, nOut, A, D, G);
}

// Read once when the library loads, before any thread can ask (a lazily cached flag would be
// written by both training threads at once).
static int avx2 = 0;
#if defined(__x86_64__) || defined(__i386__)
__attribute__((constructor)) static void detect_avx2(void) {
    __builtin_cpu_init();
    avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
}
#endif
int zoo_has_avx2(void) { return avx2; }

void zoo_affine(int64_t rows, int64_t nIn, int64_t nOut, const double *X, const double *W, const double *B, double *Z,
                int portable) {
    if (!portable && zoo_has_avx2()) affine_avx2(rows, nIn, nOut, X, W, B, Z);
    else affine_portable(rows, nIn, nOut, X, W, B, Z);
}

void zoo_accumulate_outer(int64_t rows, int64_t nIn, int64_t nOut, const double *A, const double *D, double *G,
                          int portable) {
    if (!portable && zoo_has_avx2()) outer_avx2(rows, nIn, nOut, A, D, G);
    else outer_portable(rows, nIn, nOut, A, D, G);
}

// One Adam step over n parameters, elementwise, with Keras's bias-corrected rate lrT:
// m = b1 m + c1 g, v = b2 v + (c2 g) g, p = p - (lrT m) / (sqrt(v) + eps). Swift's SIMD square root
// is taken one lane at a time, and the loop spilled every vector (30% of hidden 64,64's training).
INLINE void adam_body(int64_t n, double *P, double *M, double *V, const double *G, double b1, double b2, double c1,
                      double c2, double lrT, double eps) {
    int64_t k = 0;
    const v4 vb1 = {b1, b1, b1, b1}, vb2 = {b2, b2, b2, b2}, vc1 = {c1, c1, c1, c1}, vc2 = {c2, c2, c2, c2};
    const v4 vlr = {lrT, lrT, lrT, lrT}, veps = {eps, eps, eps, eps};
    for (; k + 4 <= n; k += 4) {
        v4 g = *(const v4 *)(G + k);
        v4 m = vb1 * *(v4 *)(M + k) + vc1 * g;
        v4 v = vb2 * *(v4 *)(V + k) + vc2 * g * g;
        *(v4 *)(M + k) = m;
        *(v4 *)(V + k) = v;
        *(v4 *)(P + k) = *(v4 *)(P + k) - vlr * m / (__builtin_elementwise_sqrt(v) + veps);
    }
    for (; k < n; k++) {
        double g = G[k];
        M[k] = b1 * M[k] + c1 * g;
        V[k] = b2 * V[k] + c2 * g * g;
        P[k] = P[k] - lrT * M[k] / (__builtin_sqrt(V[k]) + eps);
    }
}

static void adam_portable(int64_t n, double *P, double *M, double *V, const double *G, double b1, double b2, double c1,
                          double c2, double lrT, double eps) {
    adam_body(n, P, M, V, G, b1, b2, c1, c2, lrT, eps);
}
AVX2 static void adam_avx2(int64_t n, double *P, double *M, double *V, const double *G, double b1, double b2, double c1,
                           double c2, double lrT, double eps) {
    adam_body(n, P, M, V, G, b1, b2, c1, c2, lrT, eps);
}

// The step runs with subnormals flushed to zero (MXCSR's FTZ and DAZ, restored after; TensorFlow
// trains with them set throughout). A dead ReLU unit's gradients are exact zeros, so its moments
// decay by b1 and b2 every step into the subnormal range, and on Intel every operation on or giving
// a subnormal takes a microcode assist: hidden 64,64 on BMI spent 57% of its training in this loop
// on a Xeon (2.67 s; the same build on an AMD EPYC, which has no such assist, 1.0 s). A moment below
// 2.2e-308 moves a weight by under 1e-300, far below any weight's last bit, so the trained weights
// are the same; only such moments themselves read as 0.
void zoo_adam_step(int64_t n, double *P, double *M, double *V, const double *G, double b1, double b2, double lrT,
                   double eps, int portable) {
#if defined(__x86_64__) || defined(__i386__)
    const unsigned int saved = _mm_getcsr();
    _mm_setcsr(saved | 0x8040); // FTZ (bit 15) | DAZ (bit 6)
#endif
    if (!portable && zoo_has_avx2()) adam_avx2(n, P, M, V, G, b1, b2, 1 - b1, 1 - b2, lrT, eps);
    else adam_portable(n, P, M, V, G, b1, b2, 1 - b1, 1 - b2, lrT, eps);
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

void zoo_backprop_deltas(int64_t rows, int64_t nIn, int64_t nOut, const double *D, const double *W, double *prev,
                         int portable) {
    if (!portable && zoo_has_avx2()) back_avx2(rows, nIn, nOut, D, W, prev);
    else back_portable(rows, nIn, nOut, D, W, prev);
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
