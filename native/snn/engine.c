/*
 * The event-driven scheduler of spikeflow's SNN engine for the common case: delta-synapse LIF populations, one
 * synaptic delay for the whole network (so a FIFO orders deliveries exactly by (time, insertion)), no learning.
 * It is the same algorithm as src/snn/network.ts + lifPopulation.ts + queue/fifoQueue.ts, step for step and
 * with the same floating-point operations in the same order, so both paths give bit-identical potentials.
 *
 * Everything lives in this module's linear memory, laid out by src/snn/wasm/wasmEngine.ts, which describes it
 * in `g` (globals) and in per-population / per-table descriptors. Every descriptor field is a double, so the
 * JS side writes them with one Float64Array and no struct layout can drift between the two languages.
 */

#include <wasm_simd128.h>

typedef unsigned char u8;
typedef int i32;

/* Math.exp from JS: the very function the JS path calls, so a decay-table miss gives the same double. */
__attribute__((import_module("env"), import_name("exp"))) double js_exp(double x);

enum {
  G_NPOP, G_POPS, G_TABLES, G_DELAY,
  G_QT, G_QP, G_QN, G_QMASK, G_QHEAD, G_QSIZE,
  G_OUTT, G_OUTN, G_OUTP, G_OUTCAP, G_OUTCOUNT,
  G_INT, G_INN, G_INCOUNT, G_INSOURCE, G_K,
  G_PREVIOUS, G_ROUNDS, G_UNTIL, G_MAXROUNDS,
  G_SYNAPTIC, G_SPIKES, G_NEED, G_ERRT, G_TOUCHED,
  G_COUNT
};

/* Per population (P_STRIDE doubles). Addresses are byte offsets in linear memory. */
enum {
  P_LIF, P_SIZE, P_V, P_TLAST, P_ACC, P_MARK, P_TOUCHED, P_SPIKED,
  P_TABLE, P_TABLELEN, P_TFIRST, P_TCOUNT, P_EMITS,
  P_TAU, P_VREST, P_THRESHOLD, P_VRESET, P_REFRACTORY,
  P_STRIDE = 24
};

/* Per synapse table (T_STRIDE doubles): the CSR rows and the population they feed. */
enum { T_ROWPTR, T_POST, T_W, T_TARGET, T_STRIDE = 4 };

enum { STATUS_DONE = 0, STATUS_NEED_ROOM = 1, STATUS_NO_SETTLE = 2, STATUS_YIELD = 3 };

/*
 * Synaptic events after which engine_run returns STATUS_YIELD (the caller simply calls again). V8 first runs
 * a wasm function as baseline (Liftoff) code and switches to the optimised code only at the next call, so one
 * call that simulates seconds would run unoptimised from start to end, 3-5 times slower.
 */
#define WORK_PER_CALL (1 << 20)

#define MAX_POPULATIONS 64
#define MAX_TABLES 256
#define SORT_BY_SWEEP 32
/* Dense mode when arrivals * DENSE_RATIO >= population size. */
#define DENSE_RATIO 8

typedef struct {
  i32 lif, size, tableLen, tFirst, tCount, emits, nTouched;
  /* Arrivals expected at the current timestamp, and whether they are many enough for the dense mode. */
  i32 expected, dense;
  double *v, *tLast, *acc, *table;
  u8 *mark;
  i32 *touched, *spiked;
  double tau, vRest, threshold, vReset, refractory;
} Pop;

typedef struct {
  const i32 *rowPtr, *post;
  const double *w;
  Pop *target;
} Table;

static double g[G_COUNT];
static Pop pops[MAX_POPULATIONS];
static Table tables[MAX_TABLES];

/* Queue and output state, loaded from g at entry and stored back at exit. */
static double *qt;
static i32 *qp, *qn;
static i32 qmask, qhead, qsize;
static double delay;

double *engine_globals(void) { return g; }
i32 engine_max_populations(void) { return MAX_POPULATIONS; }
i32 engine_max_tables(void) { return MAX_TABLES; }

static void *at(double address) { return (void *)(unsigned long)(unsigned)address; }

static void load(void) {
  const double *pd = at(g[G_POPS]);
  const double *td = at(g[G_TABLES]);
  i32 npop = (i32)g[G_NPOP];
  for (i32 p = 0; p < npop; p++) {
    const double *d = pd + p * P_STRIDE;
    Pop *q = &pops[p];
    q->lif = (i32)d[P_LIF];
    q->size = (i32)d[P_SIZE];
    q->v = at(d[P_V]);
    q->tLast = at(d[P_TLAST]);
    q->acc = at(d[P_ACC]);
    q->mark = at(d[P_MARK]);
    q->touched = at(d[P_TOUCHED]);
    q->spiked = at(d[P_SPIKED]);
    q->table = at(d[P_TABLE]);
    q->tableLen = (i32)d[P_TABLELEN];
    q->tFirst = (i32)d[P_TFIRST];
    q->tCount = (i32)d[P_TCOUNT];
    q->emits = (i32)d[P_EMITS];
    q->tau = d[P_TAU];
    q->vRest = d[P_VREST];
    q->threshold = d[P_THRESHOLD];
    q->vReset = d[P_VRESET];
    q->refractory = d[P_REFRACTORY];
    q->nTouched = 0;
    q->expected = 0;
    q->dense = 0;
  }
  i32 ntab = 0;
  for (i32 p = 0; p < npop; p++) ntab += pops[p].tCount;
  for (i32 i = 0; i < ntab; i++) {
    const double *d = td + i * T_STRIDE;
    tables[i].rowPtr = at(d[T_ROWPTR]);
    tables[i].post = at(d[T_POST]);
    tables[i].w = at(d[T_W]);
    tables[i].target = &pops[(i32)d[T_TARGET]];
  }
  qt = at(g[G_QT]);
  qp = at(g[G_QP]);
  qn = at(g[G_QN]);
  qmask = (i32)g[G_QMASK];
  qhead = (i32)g[G_QHEAD];
  qsize = (i32)g[G_QSIZE];
  delay = g[G_DELAY];
}

/* One entry per spike (the network has a single delay): room was checked before the round started. */
static inline void emit(i32 population, i32 neuron, double t) {
  i32 i = (qhead + qsize++) & qmask;
  qt[i] = t + delay;
  qp[i] = population;
  qn[i] = neuron;
}

/*
 * Fan-out of one spike: arrivals are summed per neuron into acc. Sparse mode lists each neuron once in
 * `touched` (branch-free append, but each step waits for the mark it loads); dense mode only marks, and
 * `updateDense` finds the marked neurons in one sequential sweep (ascending), which is cheaper once a good
 * part of the population receives input.
 */
static void deliver(const Pop *source, i32 neuron) {
  double synaptic = 0;
  for (i32 k = 0; k < source->tCount; k++) {
    const Table *tab = &tables[source->tFirst + k];
    i32 start = tab->rowPtr[neuron];
    i32 end = tab->rowPtr[neuron + 1];
    Pop *target = tab->target;
    double *acc = target->acc;
    u8 *mark = target->mark;
    const i32 *post = tab->post;
    const double *w = tab->w;
    if (target->dense) {
      for (i32 s = start; s < end; s++) {
        i32 j = post[s];
        acc[j] += w[s];
        mark[j] = 1;
      }
    } else {
      i32 *touched = target->touched;
      i32 nTouched = target->nTouched;
      for (i32 s = start; s < end; s++) {
        i32 j = post[s];
        acc[j] += w[s];
        touched[nTouched] = j;
        nTouched += 1 - mark[j];
        mark[j] = 1;
      }
      target->nTouched = nTouched;
    }
    synaptic += end - start;
  }
  g[G_SYNAPTIC] += synaptic;
}

/* Before delivering time t: counts the arrivals per target population and picks each one's mode. */
static void prepare(double t, i32 npop) {
  for (i32 i = 0; i < qsize; i++) {
    i32 e = (qhead + i) & qmask;
    if (qt[e] != t) break;
    const Pop *source = &pops[qp[e]];
    i32 neuron = qn[e];
    for (i32 k = 0; k < source->tCount; k++) {
      const Table *tab = &tables[source->tFirst + k];
      tab->target->expected += tab->rowPtr[neuron + 1] - tab->rowPtr[neuron];
    }
  }
  for (i32 p = 0; p < npop; p++) {
    Pop *q = &pops[p];
    q->dense = q->expected * DENSE_RATIO >= q->size;
    q->expected = 0;
  }
}

/* Insertion sort: the lists it gets are short or nearly sorted. */
static void sortAscending(i32 *a, i32 n) {
  for (i32 i = 1; i < n; i++) {
    i32 x = a[i], j = i - 1;
    while (j >= 0 && a[j] > x) { a[j + 1] = a[j]; j--; }
    a[j + 1] = x;
  }
}

/*
 * One neuron at time t given its decay factor, as lifPopulation.ts does it. dt < 0: refractory, the input is
 * discarded and nothing changes; dt == 0: no decay at all (not a multiplication by table[0]). Returns 1 when
 * it spikes. Both tests are plain branches: they are rarely taken, so predicted, and measured faster than
 * selects.
 */
typedef struct {
  double *v, *tLast;
  double vRest, threshold, vReset, refractory;
} Lif;

/* The fields `step` reads, copied out of the Pop: through a Pop pointer the compiler must reload each of them
   after every store to the state arrays (a byte store to `mark` may alias anything). */
static inline Lif lifOf(const Pop *q) {
  Lif l = { q->v, q->tLast, q->vRest, q->threshold, q->vReset, q->refractory };
  return l;
}

static inline i32 step(const Lif l, i32 j, double t, double dt, double factor, double input) {
  double *v = l.v, *tLast = l.tLast;
  const double vj = v[j];
  const double decayed = l.vRest + (vj - l.vRest) * factor;
  const double x = (dt > 0 ? decayed : vj) + input;
  if (dt < 0) return 0;
  if (x > l.threshold) {
    v[j] = l.vReset;
    tLast[j] = t + l.refractory;
    return 1;
  }
  v[j] = x;
  tLast[j] = t;
  return 0;
}

/*
 * Table index of an integer-valued dt in [0, 2^31): adding 1.5 * 2^52 leaves the integer in the low mantissa
 * bits, two instructions instead of V8's checked float-to-int conversion. The caller has excluded dt < 0
 * (refractory) and dt >= the table's length.
 */
static inline i32 tableIndex(double dt) {
  union { double d; long long i; } u;
  u.d = dt + 6755399441055744.0;
  return (i32)u.i;
}

/* Sparse mode: threshold test of every neuron in `touched` at time t; the spikers end up ascending in `spiked`. */
static i32 updateSparse(Pop *q, double t) {
  const double *tLast = q->tLast, *table = q->table;
  double *acc = q->acc;
  u8 *mark = q->mark;
  i32 *touched = q->touched;
  i32 *spiked = q->spiked;
  const double tableLen = q->tableLen;
  const Lif lif = lifOf(q);
  const double tau = q->tau;
  i32 n = q->nTouched, nSpiked = 0, nSlow = 0;
  /* Gaps past the table need Math.exp, a call into JS: those neurons are moved to the front of `touched`
     (never past the entry being read) and done in a second loop, so that the hot loop has no call in it. */
  for (i32 k = 0; k < n; k++) {
    const i32 j = touched[k];
    const double dt = t - tLast[j];
    if (dt >= tableLen) {
      touched[nSlow++] = j;
      continue;
    }
    const double input = acc[j];
    acc[j] = 0;
    mark[j] = 0;
    /* Refractory: the input is discarded (step would return 0 too; testing first keeps the index in range). */
    if (dt < 0) continue;
    const i32 spike = step(lif, j, t, dt, table[tableIndex(dt)], input);
    spiked[nSpiked] = j;
    nSpiked += spike;
  }
  for (i32 k = 0; k < nSlow; k++) {
    const i32 j = touched[k];
    const double dt = t - tLast[j];
    const double input = acc[j];
    acc[j] = 0;
    mark[j] = 0;
    const i32 spike = step(lif, j, t, dt, js_exp(-dt / tau), input);
    spiked[nSpiked] = j;
    nSpiked += spike;
  }
  q->nTouched = 0;
  if (nSpiked <= SORT_BY_SWEEP) {
    sortAscending(spiked, nSpiked);
  } else {
    /* Many spikers: flag them (marks are all clear now) and sweep the population in index order. */
    for (i32 i = 0; i < nSpiked; i++) mark[spiked[i]] = 1;
    i32 m = 0;
    const i32 size = q->size;
    for (i32 j = 0; j < size; j++) if (mark[j]) { mark[j] = 0; spiked[m++] = j; }
  }
  return nSpiked;
}

/* A neuron of updateDense off its fast path: refractory (input discarded), dt == 0 (no decay) or a gap past
   the decay table (Math.exp). Returns 1 when it spikes. */
static __attribute__((noinline)) i32 rareStep(const Pop *q, i32 j, double t, double input) {
  const double dt = t - q->tLast[j];
  if (dt < 0) return 0;
  const double factor = dt < q->tableLen ? q->table[tableIndex(dt)] : js_exp(-dt / q->tau);
  return step(lifOf(q), j, t, dt, factor, input);
}

/*
 * Dense mode, after delivering: the marks are read 64 at a time as a bit mask (four 16-byte compares) and
 * each marked neuron is updated in place, lowest index first, so the spikers come out ascending. The work
 * follows the marked neurons, with no list of them in between; marks and acc are cleared in bulk.
 *
 * The fast path is a gap of 1 .. tableLen-1 µs, tested with one unsigned compare on the gap's integer. The
 * other neurons (refractory, dt == 0, long gaps) are rare: they are listed in `touched` and done after the
 * sweep, because a call in the loop (rareStep may call Math.exp) makes V8 spill the loop's registers; and the
 * function is not inlined, so that V8 allocates registers for this loop alone. Measured
 * against listing the marked neurons first and updating from the list: about 17 % less CPU time on the big
 * workload.
 */
static __attribute__((noinline)) i32 updateDense(Pop *q, double t) {
  u8 *mark = q->mark;
  double *v = q->v, *tLast = q->tLast;
  const double *acc = q->acc, *table = q->table;
  i32 *spiked = q->spiked;
  i32 *slow = q->touched;
  const double vRest = q->vRest, threshold = q->threshold, vReset = q->vReset;
  const double tEnd = t + q->refractory;
  const unsigned long long fastGaps = (unsigned long long)(q->tableLen - 1);
  const i32 size = q->size;
  const v128_t zero = wasm_i8x16_splat(0);
  i32 nSpiked = 0, nSlow = 0;
  for (i32 base = 0; base < size; base += 64) {
    /* wasmEngine.ts gives every array a multiple of 64 bytes, so the last block stays inside `mark`'s own
       allocation; its bits past `size` are dropped. */
    const v128_t m0 = wasm_v128_load(mark + base), m1 = wasm_v128_load(mark + base + 16);
    const v128_t m2 = wasm_v128_load(mark + base + 32), m3 = wasm_v128_load(mark + base + 48);
    unsigned long long bits =
        (unsigned long long)(unsigned)wasm_i8x16_bitmask(wasm_i8x16_ne(m0, zero)) |
        (unsigned long long)(unsigned)wasm_i8x16_bitmask(wasm_i8x16_ne(m1, zero)) << 16 |
        (unsigned long long)(unsigned)wasm_i8x16_bitmask(wasm_i8x16_ne(m2, zero)) << 32 |
        (unsigned long long)(unsigned)wasm_i8x16_bitmask(wasm_i8x16_ne(m3, zero)) << 48;
    if (size - base < 64) bits &= (1ull << (size - base)) - 1;
    wasm_v128_store(mark + base, zero);
    wasm_v128_store(mark + base + 16, zero);
    wasm_v128_store(mark + base + 32, zero);
    wasm_v128_store(mark + base + 48, zero);
    while (bits) {
      const i32 j = base + __builtin_ctzll(bits);
      bits &= bits - 1;
      const double dt = t - tLast[j];
      /* As tableIndex, kept 64-bit: gap - 1 wraps to a huge value for dt <= 0, and |dt| >= 2^51 changes the
         exponent, so no gap outside 1 .. tableLen-1 passes the test. */
      union { double d; unsigned long long i; } u;
      u.d = dt + 6755399441055744.0;
      const unsigned long long gap1 = u.i - 0x4338000000000001ull;
      if (gap1 >= fastGaps) {
        slow[nSlow] = j;
        nSlow += dt >= 0;
        continue;
      }
      /* The operations and their order of step(): vRest + (v - vRest) * factor, plus the summed input. */
      const double x = vRest + (v[j] - vRest) * table[gap1 + 1] + acc[j];
      v[j] = x;
      tLast[j] = t;
      if (x > threshold) {
        v[j] = vReset;
        tLast[j] = tEnd;
        spiked[nSpiked++] = j;
      }
    }
  }
  if (nSlow > 0) {
    const i32 before = nSpiked;
    for (i32 k = 0; k < nSlow; k++) {
      const i32 j = slow[k];
      spiked[nSpiked] = j;
      nSpiked += rareStep(q, j, t, acc[j]);
    }
    if (nSpiked > before) sortAscending(spiked, nSpiked);
  }
  __builtin_memset(q->acc, 0, (unsigned long)size * sizeof(double));
  q->dense = 0;
  return nSpiked;
}

/*
 * After delivering: reads one word of every cache line of the rows due at the queue's new head time (the next
 * round). The rows sit at random places in tables far larger than the cache; these loads are independent, so
 * the processor fetches the lines together and while this round's neurons are updated, instead of waiting
 * for each row in turn when it is delivered (wasm has no prefetch instruction; the sum keeps the loads alive).
 */
static void touchAhead(void) {
  i32 touchSum = 0;
  if (qsize == 0) return;
  const double t = qt[qhead];
  for (i32 i = 0; i < qsize; i++) {
    i32 e = (qhead + i) & qmask;
    if (qt[e] != t) break;
    const Pop *source = &pops[qp[e]];
    i32 neuron = qn[e];
    for (i32 k = 0; k < source->tCount; k++) {
      const Table *tab = &tables[source->tFirst + k];
      i32 start = tab->rowPtr[neuron], end = tab->rowPtr[neuron + 1];
      for (i32 s = start; s < end; s += 16) touchSum += tab->post[s];
      for (i32 s = start; s < end; s += 8) touchSum += (i32)(tab->w[s] != 0);
    }
  }
  g[G_TOUCHED] += touchSum;
}

/*
 * Runs from the saved position (input index k) until `until`. Returns STATUS_NEED_ROOM before a round whose
 * worst case could overflow the queue or the output (g[G_NEED] = queue entries it may need); the caller makes
 * room and calls again, nothing of that round having happened yet. STATUS_YIELD: call again as it is.
 */
i32 engine_run(void) {
  load();
  const double *inT = at(g[G_INT]);
  const i32 *inN = at(g[G_INN]);
  const i32 n = (i32)g[G_INCOUNT];
  const i32 source = (i32)g[G_INSOURCE];
  const i32 npop = (i32)g[G_NPOP];
  const double until = g[G_UNTIL];
  const i32 maxRounds = (i32)g[G_MAXROUNDS];
  double *outT = at(g[G_OUTT]);
  i32 *outN = at(g[G_OUTN]), *outP = at(g[G_OUTP]);
  const i32 outCap = (i32)g[G_OUTCAP];
  i32 outCount = (i32)g[G_OUTCOUNT];
  i32 k = (i32)g[G_K];
  double previous = g[G_PREVIOUS];
  i32 rounds = (i32)g[G_ROUNDS];
  i32 totalLif = 0;
  for (i32 p = 0; p < npop; p++) if (pops[p].lif) totalLif += pops[p].size;
  const i32 sourceEmits = pops[source].emits;
  i32 status = STATUS_DONE;
  double spikes = 0;
  const double workStart = g[G_SYNAPTIC];
  for (;;) {
    const double tq = qsize > 0 ? qt[qhead] : __builtin_inf();
    const double ti = k < n ? inT[k] : __builtin_inf();
    const double t = tq < ti ? tq : ti;
    if (!(t < until)) break;
    if (g[G_SYNAPTIC] - workStart >= WORK_PER_CALL) {
      status = STATUS_YIELD;
      break;
    }
    i32 nIn = 0;
    while (k + nIn < n && inT[k + nIn] == t) nIn++;
    if (qsize + nIn + totalLif > qmask + 1 || outCount + totalLif > outCap) {
      g[G_NEED] = qsize + nIn + totalLif;
      status = STATUS_NEED_ROOM;
      break;
    }
    rounds = t == previous ? rounds + 1 : 0;
    previous = t;
    if (rounds > maxRounds) {
      g[G_ERRT] = t;
      status = STATUS_NO_SETTLE;
      break;
    }
    if (sourceEmits) for (i32 i = 0; i < nIn; i++) emit(source, inN[k + i], t);
    k += nIn;
    prepare(t, npop);
    while (qsize > 0 && qt[qhead] == t) {
      i32 p = qp[qhead], j = qn[qhead];
      qhead = (qhead + 1) & qmask;
      qsize--;
      deliver(&pops[p], j);
    }
    touchAhead();
    for (i32 p = 0; p < npop; p++) {
      Pop *q = &pops[p];
      if (!q->lif) continue;
      i32 count;
      if (q->dense) {
        count = updateDense(q, t);
      } else {
        if (q->nTouched == 0) continue;
        count = updateSparse(q, t);
      }
      for (i32 s = 0; s < count; s++) {
        i32 j = q->spiked[s];
        outT[outCount] = t;
        outN[outCount] = j;
        outP[outCount] = p;
        outCount++;
        if (q->emits) emit(p, j, t);
      }
      spikes += count;
    }
  }
  g[G_SPIKES] += spikes;
  g[G_OUTCOUNT] = outCount;
  g[G_K] = k;
  g[G_PREVIOUS] = previous;
  g[G_ROUNDS] = rounds;
  g[G_QHEAD] = qhead;
  g[G_QSIZE] = qsize;
  return status;
}
