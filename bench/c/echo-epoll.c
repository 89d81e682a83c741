/*
 * echo-epoll: TCP echo server on raw epoll, the "physical limit" reference.
 *
 *   echo-epoll PORT
 *
 * One thread, level-triggered epoll. Per readiness exactly one read() and one
 * write(): bytes a short write leaves behind stay in the connection's buffer,
 * reading stops and the connection waits for EPOLLOUT until they are gone.
 * SIGINT/SIGTERM arrive through a signalfd and end the loop cleanly.
 * Prints "LISTENING <port>" once it accepts connections.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"

#define BUFSZ 65536
#define MAXEV 256

struct conn {
    int fd;
    size_t off, len; /* unsent bytes are buf[off, len) */
    char buf[BUFSZ];
};

static int ep;

static void ctl(int op, int fd, uint32_t events, void *ptr)
{
    struct epoll_event ev = { .events = events, .data.ptr = ptr };
    if (epoll_ctl(ep, op, fd, &ev) < 0)
        die("epoll_ctl");
}

static void conn_close(struct conn *c)
{
    close(c->fd); /* also removes it from the epoll set */
    free(c);
}

/* Writes once; returns -1 on error, otherwise whether bytes remain. */
static int conn_flush(struct conn *c)
{
    ssize_t n = write(c->fd, c->buf + c->off, c->len - c->off);
    if (n < 0)
        return errno == EAGAIN ? 1 : -1;
    c->off += (size_t)n;
    if (c->off < c->len)
        return 1;
    c->off = c->len = 0;
    return 0;
}

static void on_readable(struct conn *c)
{
    ssize_t n = read(c->fd, c->buf, BUFSZ);
    if (n <= 0) {
        if (n < 0 && errno == EAGAIN)
            return;
        conn_close(c);
        return;
    }
    c->len = (size_t)n;
    int left = conn_flush(c);
    if (left < 0)
        conn_close(c);
    else if (left)
        ctl(EPOLL_CTL_MOD, c->fd, EPOLLOUT, c);
}

static void on_writable(struct conn *c)
{
    int left = conn_flush(c);
    if (left < 0)
        conn_close(c);
    else if (!left)
        ctl(EPOLL_CTL_MOD, c->fd, EPOLLIN, c);
}

static void on_accept(int lfd)
{
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
                perror("accept4");
            return;
        }
        set_nodelay(fd);
        struct conn *c = malloc(sizeof *c);
        if (!c)
            die("malloc");
        c->fd = fd;
        c->off = c->len = 0;
        ctl(EPOLL_CTL_ADD, fd, EPOLLIN, c);
    }
}

int main(int argc, char **argv)
{
    int port = parse_port(argc, argv);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop, NULL);
    int sfd = signalfd(-1, &stop, SFD_NONBLOCK | SFD_CLOEXEC);
    int lfd = listen_socket(port);
    ep = epoll_create1(EPOLL_CLOEXEC);
    if (sfd < 0 || ep < 0)
        die("signalfd/epoll_create1");
    /* The listener and the signalfd are told apart by these two markers. */
    static char listener_tag, signal_tag;
    ctl(EPOLL_CTL_ADD, lfd, EPOLLIN, &listener_tag);
    ctl(EPOLL_CTL_ADD, sfd, EPOLLIN, &signal_tag);
    announce(port);

    struct epoll_event evs[MAXEV];
    for (;;) {
        int n = epoll_wait(ep, evs, MAXEV, -1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            die("epoll_wait");
        }
        for (int i = 0; i < n; i++) {
            void *p = evs[i].data.ptr;
            if (p == &signal_tag)
                goto out;
            if (p == &listener_tag) {
                on_accept(lfd);
                continue;
            }
            struct conn *c = p;
            /* Errors and hang-ups surface as a failing read or write. */
            if (c->len > c->off)
                on_writable(c);
            else
                on_readable(c);
        }
    }
out:
    close(lfd);
    close(ep);
    close(sfd);
    return 0;
}
