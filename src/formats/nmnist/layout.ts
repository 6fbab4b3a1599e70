/** N-MNIST / N-Caltech101 binary layout (tonic `read_mnist_file`, slayerPytorch `read2Dspikes`). */
export const RECORD_BYTES = 5;
/** A record with this y is tonic's timestamp-overflow marker, not an event. */
export const OVERFLOW_Y = 240;
/** What each overflow marker adds to the timestamps of all later events. */
export const OVERFLOW_STEP_US = 8192;
/** The timestamp field is 23 bits. */
export const MAX_TS_FIELD = (1 << 23) - 1;
export const NMNIST_WIDTH = 34;
export const NMNIST_HEIGHT = 34;
