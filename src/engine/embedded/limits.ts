/** The embedded engine's limits, in a module of their own so that the CLI can check flags without loading llama.cpp. */

/** Most sequences llama.cpp holds in one context (LLAMA_MAX_SEQ): the embedded engine's highest maxParallel. */
export const MAX_PARALLEL_SEQUENCES = 256;
