/* Shared definitions of spikeflow's freestanding wasm32 kernels (no libc; clang's own stdint.h). */
#ifndef SPIKEFLOW_KERNELS_H
#define SPIKEFLOW_KERNELS_H

#include <stdint.h>

/* Exports a function from the module under its own name. */
#define EXPORT(name) __attribute__((export_name(#name)))

#endif
