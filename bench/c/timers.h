/*
 * The library-independent part of the timer benchmark: N one-shot timers with
 * timeouts drawn uniformly from [0, 1 s) (whole microseconds, splitmix64 with a
 * fixed seed, see common.h and bench/README.md) are added (timed), every
 * odd-numbered one is cancelled (timed), and once all the others are due the
 * loop runs until none is left (timed), which must fire exactly the
 * even-numbered ones. The whole procedure runs once untimed as a warm-up.
 *
 *   timers [-n 1000000] [-s 42]
 */
#ifndef JEVENT_BENCH_TIMERS_H
#define JEVENT_BENCH_TIMERS_H

#include "common.h"

/* What a program supplies: its loop's way to do each step. */
struct timer_ops {
    const char *lib;
    void (*setup)(long n);                       /* untimed: room for n timers */
    void (*create)(long i, uint32_t timeout_us); /* untimed: initialise timer i */
    void (*before_add)(void);                    /* untimed, may be NULL: e.g. refresh the clock */
    void (*add)(long i);
    void (*cancel)(long i);
    void (*drain)(void); /* runs the loop until no timer is left */
};

/* Incremented by every timer callback. */
static long timers_fired;

struct timer_times {
    uint64_t add, cancel, fire;
};

static void timers_usage(void)
{
    fprintf(stderr, "usage: timers [-n TIMERS] [-s SEED]\n");
    exit(2);
}

static struct timer_times timers_pass(const struct timer_ops *ops, long n, uint64_t seed)
{
    struct timer_times t;
    uint64_t state = seed;
    for (long i = 0; i < n; i++)
        ops->create(i, draw_timeout_us(&state));
    timers_fired = 0;
    if (ops->before_add)
        ops->before_add();
    uint64_t t0 = now_ns();
    for (long i = 0; i < n; i++)
        ops->add(i);
    uint64_t t1 = now_ns();
    for (long i = 1; i < n; i += 2)
        ops->cancel(i);
    uint64_t t2 = now_ns();
    t.add = t1 - t0;
    t.cancel = t2 - t1;
    /* Every deadline is under 1 s after its add; 20 ms covers coarse loop clocks. */
    struct timespec due = { .tv_sec = 1, .tv_nsec = 20000000 };
    while (nanosleep(&due, &due) < 0 && errno == EINTR)
        ;
    uint64_t t3 = now_ns();
    ops->drain();
    t.fire = now_ns() - t3;
    return t;
}

static int timers_main(const struct timer_ops *ops, int argc, char **argv)
{
    long n = 1000000;
    uint64_t seed = 42;
    int opt;
    while ((opt = getopt(argc, argv, "n:s:")) != -1) {
        switch (opt) {
        case 'n': n = atol(optarg); break;
        case 's': seed = strtoull(optarg, NULL, 0); break;
        default: timers_usage();
        }
    }
    if (optind != argc || n < 2)
        timers_usage();
    long cancelled = n / 2, expected = n - cancelled;
    ops->setup(n);
    timers_pass(ops, n, seed);
    struct timer_times t = timers_pass(ops, n, seed);
    printf("RESULT bench=timers lib=%s timers=%ld ns_per_add=%.1f ns_per_cancel=%.1f"
           " ns_per_fire=%.1f fired=%ld\n",
           ops->lib, n, (double)t.add / n, (double)t.cancel / cancelled,
           (double)t.fire / expected, timers_fired);
    if (timers_fired != expected) {
        fprintf(stderr, "error: %ld timers fired, expected %ld\n", timers_fired, expected);
        return 1;
    }
    return 0;
}

#endif
