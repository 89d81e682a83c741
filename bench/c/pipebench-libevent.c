/*
 * pipebench-libevent: the pipe ping benchmark (see pipebench.h) on libevent 2.1,
 * one persistent EV_READ event per pair, loop run with EVLOOP_ONCE|EVLOOP_NONBLOCK.
 */
#include <event2/event.h>

#include "pipebench.h"

static struct pipebench pb;
static struct event_base *base;

static void on_readable(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    pipebench_on_readable(&pb, (int)(intptr_t)arg);
}

static void run_once(void)
{
    event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
}

int main(int argc, char **argv)
{
    pipebench_parse(&pb, argc, argv);
    pipebench_open(&pb);
    base = event_base_new();
    if (!base)
        die("event_base_new");
    if (strcmp(event_base_get_method(base), "epoll") != 0)
        fprintf(stderr, "warning: libevent backend is %s\n", event_base_get_method(base));
    struct event **evs = calloc((size_t)pb.pipes, sizeof *evs);
    for (int i = 0; i < pb.pipes; i++) {
        evs[i] = event_new(base, pb.rfd[i], EV_READ | EV_PERSIST, on_readable, (void *)(intptr_t)i);
        if (!evs[i] || event_add(evs[i], NULL) < 0)
            die("event_new/event_add");
    }
    pipebench_run(&pb, "libevent", run_once);
    for (int i = 0; i < pb.pipes; i++)
        event_free(evs[i]);
    free(evs);
    event_base_free(base);
    pipebench_close(&pb);
    return 0;
}
