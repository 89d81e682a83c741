/*
 * echo-libev: TCP echo server on libev 4 (ev_io accept + per-connection ev_io).
 *
 *   echo-libev PORT
 *
 * One default loop, one thread. Each connection owns a small output buffer:
 * a read fills it, an immediate write drains it; whatever a short write
 * leaves behind switches the connection from its read watcher to its write
 * watcher until the buffer is empty. SIGINT/SIGTERM break the loop cleanly.
 * Prints "LISTENING <port>" once it accepts connections.
 */
#include <ev.h>
#include <signal.h>
#include <stddef.h>
#include <sys/socket.h>

#include "common.h"

#define BUFSZ 16384

struct conn {
    ev_io rd, wr;
    size_t off, len; /* unsent bytes are buf[off, len) */
    char buf[BUFSZ];
};

static void conn_close(struct ev_loop *loop, struct conn *c)
{
    ev_io_stop(loop, &c->rd);
    ev_io_stop(loop, &c->wr);
    close(c->rd.fd);
    free(c);
}

/* Writes what is buffered; returns -1 on error, otherwise whether bytes remain. */
static int conn_flush(struct conn *c)
{
    ssize_t n = write(c->wr.fd, c->buf + c->off, c->len - c->off);
    if (n < 0)
        return errno == EAGAIN ? 1 : -1;
    c->off += (size_t)n;
    if (c->off < c->len)
        return 1;
    c->off = c->len = 0;
    return 0;
}

static void on_writable(struct ev_loop *loop, ev_io *w, int revents)
{
    (void)revents;
    struct conn *c = (struct conn *)((char *)w - offsetof(struct conn, wr));
    int left = conn_flush(c);
    if (left < 0) {
        conn_close(loop, c);
    } else if (!left) {
        ev_io_stop(loop, &c->wr);
        ev_io_start(loop, &c->rd);
    }
}

static void on_readable(struct ev_loop *loop, ev_io *w, int revents)
{
    (void)revents;
    struct conn *c = (struct conn *)w; /* rd is the first member */
    ssize_t n = read(w->fd, c->buf, BUFSZ);
    if (n <= 0) {
        if (n < 0 && errno == EAGAIN)
            return;
        conn_close(loop, c);
        return;
    }
    c->len = (size_t)n;
    int left = conn_flush(c);
    if (left < 0) {
        conn_close(loop, c);
    } else if (left) {
        ev_io_stop(loop, &c->rd);
        ev_io_start(loop, &c->wr);
    }
}

static void on_accept(struct ev_loop *loop, ev_io *w, int revents)
{
    (void)revents;
    for (;;) {
        int fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
                perror("accept4");
            return;
        }
        set_nodelay(fd);
        struct conn *c = malloc(sizeof *c);
        if (!c)
            die("malloc");
        c->off = c->len = 0;
        ev_io_init(&c->rd, on_readable, fd, EV_READ);
        ev_io_init(&c->wr, on_writable, fd, EV_WRITE);
        ev_io_start(loop, &c->rd);
    }
}

static void on_signal(struct ev_loop *loop, ev_signal *w, int revents)
{
    (void)w, (void)revents;
    ev_break(loop, EVBREAK_ALL);
}

int main(int argc, char **argv)
{
    int port = parse_port(argc, argv);
    struct ev_loop *loop = ev_default_loop(EVFLAG_NOENV | EVBACKEND_EPOLL);
    if (!loop)
        die("ev_default_loop");
    ev_io accept_w;
    ev_signal sigint_w, sigterm_w;
    ev_io_init(&accept_w, on_accept, listen_socket(port), EV_READ);
    ev_io_start(loop, &accept_w);
    ev_signal_init(&sigint_w, on_signal, SIGINT);
    ev_signal_init(&sigterm_w, on_signal, SIGTERM);
    ev_signal_start(loop, &sigint_w);
    ev_signal_start(loop, &sigterm_w);
    announce(port);

    ev_run(loop, 0);

    /* Connections still open at exit are reclaimed by the kernel. */
    ev_io_stop(loop, &accept_w);
    close(accept_w.fd);
    ev_loop_destroy(loop);
    return 0;
}
