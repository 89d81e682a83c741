/* Helpers shared by the C peer programs of the jevent benchmarks. */
#ifndef JEVENT_BENCH_COMMON_H
#define JEVENT_BENCH_COMMON_H

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static inline void die(const char *what)
{
    perror(what);
    exit(1);
}

static inline int parse_port(int argc, char **argv)
{
    int port = argc == 2 ? atoi(argv[1]) : 0;
    if (port <= 0 || port > 65535) {
        fprintf(stderr, "usage: %s PORT\n", argv[0]);
        exit(2);
    }
    return port;
}

/* A nonblocking listening socket on 127.0.0.1:port with SO_REUSEADDR. */
static inline int listen_socket(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0)
        die("socket");
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 4096) < 0)
        die("bind/listen");
    return fd;
}

/* Every server (Netty's default too) sends small echoes without Nagle delay. */
static inline void set_nodelay(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* The harness waits for this line before it starts the load. */
static inline void announce(int port)
{
    printf("LISTENING %d\n", port);
    fflush(stdout);
}

/* Raises the soft RLIMIT_NOFILE to the hard limit (10k socketpairs need 20k fds). */
static inline void raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
            die("setrlimit");
    }
}

static inline uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * splitmix64 (Steele, Lea, Flood 2014), the timer benchmarks' PRNG; the exact
 * steps are written out in bench/README.md for the Java port.
 */
static inline uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* Uniform whole microseconds in [0, 1e6): the high 64 bits of x * 1e6. */
static inline uint32_t draw_timeout_us(uint64_t *state)
{
    return (uint32_t)(((unsigned __int128)splitmix64(state) * 1000000u) >> 64);
}

#endif
