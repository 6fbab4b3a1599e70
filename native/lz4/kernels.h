/* Shared definitions of spikeflow's freestanding wasm32 kernels (no libc). */
#ifndef SPIKEFLOW_KERNELS_H
#define SPIKEFLOW_KERNELS_H

typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef int int32_t;
typedef long long int64_t;
typedef unsigned long uintptr_t;

/* Exports a function from the module under its own name. */
#define EXPORT(name) __attribute__((export_name(#name)))

#endif
