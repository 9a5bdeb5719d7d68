// What the kernels with an AVX2 and a portable build share (dense.c, logistic_sgd.c).
#ifndef ZOO_VECTOR_KERNEL_H
#define ZOO_VECTOR_KERNEL_H

// Each output element is summed exactly as the plain loop `a = start; for k: a += x_k * w_k` would,
// in the same order, with a rounded product and a rounded sum each step: no fused multiply-add,
// so results are the same bits with and without AVX2 (and as the Swift loops these replace). The
// pragma matters where FMA is always there (arm64); it would be overridden by -ffp-contract=fast,
// -ffast-math or -Ofast, which this package never passes.
#pragma clang fp contract(off)

typedef double v4 __attribute__((vector_size(32), aligned(8)));
typedef double v8 __attribute__((vector_size(64), aligned(8)));

#if defined(__x86_64__) || defined(__i386__)
#define AVX2 __attribute__((target("avx2")))
#define AVX512 __attribute__((target("avx512f")))
#else
#define AVX2
#define AVX512
#endif
#define INLINE static inline __attribute__((always_inline))

#endif
