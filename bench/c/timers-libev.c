/*
 * timers-libev: the timer benchmark (see timers.h) on libev 4: one-shot
 * ev_timers (repeat 0) on an epoll loop, ev_timer_start / ev_timer_stop, and
 * ev_run until no watcher is left.
 */
#include <ev.h>

#include "timers.h"

static struct ev_loop *loop;
static ev_timer *timers;

static void on_timeout(struct ev_loop *l, ev_timer *w, int revents)
{
    (void)l, (void)w, (void)revents;
    timers_fired++;
}

static void setup(long n)
{
    loop = ev_loop_new(EVFLAG_NOENV | EVBACKEND_EPOLL);
    timers = calloc((size_t)n, sizeof *timers);
    if (!loop || !timers)
        die("setup");
}

static void create(long i, uint32_t us)
{
    ev_timer_init(&timers[i], on_timeout, us * 1e-6, 0.);
}

/* ev_timer_start counts from the loop's cached time, stale until refreshed. */
static void before_add(void)
{
    ev_now_update(loop);
}

static void add(long i)
{
    ev_timer_start(loop, &timers[i]);
}

static void cancel(long i)
{
    ev_timer_stop(loop, &timers[i]);
}

static void drain(void)
{
    ev_run(loop, 0);
}

int main(int argc, char **argv)
{
    static const struct timer_ops ops = { "libev", setup, create, before_add, add, cancel, drain };
    return timers_main(&ops, argc, argv);
}
