/*
 * pipebench-libev: the pipe ping benchmark (see pipebench.h) on libev 4,
 * one ev_io per pair on an epoll loop (EVFLAG_NOENV|EVBACKEND_EPOLL), run with
 * ev_run(EVRUN_NOWAIT).
 */
#include <ev.h>

#include "pipebench.h"

static struct pipebench pb;
static struct ev_loop *loop;

static void on_readable(struct ev_loop *l, ev_io *w, int revents)
{
    (void)l, (void)revents;
    pipebench_on_readable(&pb, (int)(intptr_t)w->data);
}

static void run_once(void)
{
    ev_run(loop, EVRUN_NOWAIT);
}

int main(int argc, char **argv)
{
    pipebench_parse(&pb, argc, argv);
    pipebench_open(&pb);
    loop = ev_loop_new(EVFLAG_NOENV | EVBACKEND_EPOLL);
    if (!loop)
        die("ev_loop_new");
    ev_io *ws = calloc((size_t)pb.pipes, sizeof *ws);
    if (!ws)
        die("calloc");
    for (int i = 0; i < pb.pipes; i++) {
        ev_io_init(&ws[i], on_readable, pb.rfd[i], EV_READ);
        ws[i].data = (void *)(intptr_t)i;
        ev_io_start(loop, &ws[i]);
    }
    pipebench_run(&pb, "libev", run_once);
    for (int i = 0; i < pb.pipes; i++)
        ev_io_stop(loop, &ws[i]);
    free(ws);
    ev_loop_destroy(loop);
    pipebench_close(&pb);
    return 0;
}
