/*
 * The library-independent part of the pipe ping benchmark (after libevent's
 * test/bench.c): argument parsing, the descriptor pairs, the read callback's
 * work and the timed rounds. A program supplies the loop: one persistent read
 * event per pair that calls pipebench_on_readable(), and a function running
 * the loop once without blocking.
 *
 *   pipe-bench -p PIPES -a ACTIVE [-w WRITES=PIPES] [-r ROUNDS] [-t socketpair|pipe]
 */
#ifndef JEVENT_BENCH_PIPEBENCH_H
#define JEVENT_BENCH_PIPEBENCH_H

#include <fcntl.h>
#include <sys/socket.h>

#include "common.h"

struct pipebench {
    int pipes, active, writes, rounds;
    const char *kind;
    int *rfd, *wfd;    /* read and write end of pair i */
    long budget, read; /* writes still allowed, bytes read in this round */
};

static void pipebench_usage(void)
{
    fprintf(stderr, "usage: pipe-bench -p PIPES -a ACTIVE [-w WRITES] [-r ROUNDS]"
                    " [-t socketpair|pipe]\n");
    exit(2);
}

static void pipebench_parse(struct pipebench *pb, int argc, char **argv)
{
    *pb = (struct pipebench){ .pipes = 100, .active = 1, .writes = -1, .rounds = -1,
                              .kind = "socketpair" };
    int opt;
    while ((opt = getopt(argc, argv, "p:a:w:r:t:")) != -1) {
        switch (opt) {
        case 'p': pb->pipes = atoi(optarg); break;
        case 'a': pb->active = atoi(optarg); break;
        case 'w': pb->writes = atoi(optarg); break;
        case 'r': pb->rounds = atoi(optarg); break;
        case 't': pb->kind = optarg; break;
        default: pipebench_usage();
        }
    }
    if (pb->writes < 0)
        pb->writes = pb->pipes;
    if (pb->rounds < 0) {
        int r = 500000 / (pb->active + pb->writes);
        pb->rounds = r > 25 ? r : 25;
    }
    int socketpairs = strcmp(pb->kind, "socketpair") == 0;
    if (optind != argc || pb->pipes < 1 || pb->active < 1 || pb->active > pb->pipes
        || pb->rounds < 1 || (!socketpairs && strcmp(pb->kind, "pipe") != 0))
        pipebench_usage();
}

/* Creates the nonblocking pairs (untimed setup). */
static void pipebench_open(struct pipebench *pb)
{
    raise_nofile();
    pb->rfd = calloc((size_t)pb->pipes, sizeof(int));
    pb->wfd = calloc((size_t)pb->pipes, sizeof(int));
    if (!pb->rfd || !pb->wfd)
        die("calloc");
    int socketpairs = strcmp(pb->kind, "socketpair") == 0;
    for (int i = 0; i < pb->pipes; i++) {
        int fds[2];
        if (socketpairs ? socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds)
                        : pipe2(fds, O_NONBLOCK))
            die(socketpairs ? "socketpair" : "pipe2");
        pb->rfd[i] = fds[0];
        pb->wfd[i] = fds[1];
    }
}

static void pipebench_write(struct pipebench *pb, int i)
{
    if (write(pb->wfd[i], "e", 1) != 1)
        die("write");
}

/* The read callback's work: take one byte, pass one on to the next pair while budget lasts. */
static inline void pipebench_on_readable(struct pipebench *pb, int i)
{
    char ch;
    if (read(pb->rfd[i], &ch, 1) != 1)
        return; /* spurious wake-up */
    pb->read++;
    if (pb->budget > 0) {
        pb->budget--;
        pipebench_write(pb, i + 1 == pb->pipes ? 0 : i + 1);
    }
}

/* One round; returns its timed part in nanoseconds. */
static uint64_t pipebench_round(struct pipebench *pb, void (*run_once)(void))
{
    int stride = pb->pipes / pb->active;
    for (int i = 0; i < pb->active; i++)
        pipebench_write(pb, i * stride);
    pb->budget = pb->writes;
    pb->read = 0;
    long expected = (long)pb->active + pb->writes;
    uint64_t t0 = now_ns();
    while (pb->read < expected)
        run_once();
    return now_ns() - t0;
}

/* Two warm-up rounds, then the measured ones; prints the RESULT line. */
static void pipebench_run(struct pipebench *pb, const char *lib, void (*run_once)(void))
{
    pipebench_round(pb, run_once);
    pipebench_round(pb, run_once);
    uint64_t total = 0;
    for (int r = 0; r < pb->rounds; r++)
        total += pipebench_round(pb, run_once);
    double us_per_round = (double)total / pb->rounds / 1e3;
    printf("RESULT bench=pipeping lib=%s kind=%s pipes=%d active=%d writes=%d rounds=%d"
           " us_per_round=%.2f ns_per_event=%.1f\n",
           lib, pb->kind, pb->pipes, pb->active, pb->writes, pb->rounds, us_per_round,
           us_per_round * 1e3 / (pb->active + pb->writes));
}

static void pipebench_close(struct pipebench *pb)
{
    for (int i = 0; i < pb->pipes; i++) {
        close(pb->rfd[i]);
        close(pb->wfd[i]);
    }
    free(pb->rfd);
    free(pb->wfd);
}

#endif
