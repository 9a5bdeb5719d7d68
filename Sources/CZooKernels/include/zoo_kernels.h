#ifndef ZOO_KERNELS_H
#define ZOO_KERNELS_H

#include <stdint.h>

/// Walks rows through one compiled tree (CompiledForest's layout: four words a node,
/// [key, feature, child, leaf], a split's children at child and child + 1, a leaf its own child
/// with a key no rank exceeds) for exactly `depth` levels and writes each row's leaf word to
/// keys[r]. Row r's ranks are ranks[r * p ..< r * p + p].
void zoo_forest_walk_tree(const uint32_t *root, int64_t depth, const int32_t *ranks, int64_t p, int64_t n,
                          uint32_t *keys);

/// Row r's rank of each feature f among that feature's sorted thresholds
/// (thresholds[offsets[f] ..< offsets[f + 1]]): the position of the first threshold not below the
/// value, so `x <= t_k` is `rank <= k`. x and ranks are row-major, p values a row.
void zoo_forest_ranks(const double *x, int64_t p, int64_t n, const double *thresholds, const int64_t *offsets,
                      int32_t *ranks);

/// Counts the double quotes, line feeds and carriage returns in p[0 ..< n] into counts[0], [1], [2].
void zoo_count_bytes(const uint8_t *p, int64_t n, int64_t counts[3]);

#endif
