/*
 * timers-libevent: the timer benchmark (see timers.h) on libevent 2.1:
 * event_assign'ed pure timeout events, event_add / event_del, and
 * event_base_dispatch until no event is left.
 */
#include <event2/event.h>

#include "timers.h"

static struct event_base *base;
static char *events; /* n events of event_get_struct_event_size() bytes */
static size_t event_size;
static uint32_t *timeout_us;

static struct event *event_at(long i)
{
    return (struct event *)(events + (size_t)i * event_size);
}

static void on_timeout(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what, (void)arg;
    timers_fired++;
}

static void create(long i, uint32_t us)
{
    event_assign(event_at(i), base, -1, 0, on_timeout, NULL);
    timeout_us[i] = us;
}

static void add(long i)
{
    struct timeval tv = { .tv_sec = 0, .tv_usec = timeout_us[i] };
    event_add(event_at(i), &tv);
}

static void cancel(long i)
{
    event_del(event_at(i));
}

static void drain(void)
{
    event_base_dispatch(base);
}

static void setup(long n)
{
    base = event_base_new();
    event_size = event_get_struct_event_size();
    events = calloc((size_t)n, event_size);
    timeout_us = calloc((size_t)n, sizeof *timeout_us);
    if (!base || !events || !timeout_us)
        die("setup");
}

int main(int argc, char **argv)
{
    static const struct timer_ops ops = { "libevent", setup, create, NULL, add, cancel, drain };
    return timers_main(&ops, argc, argv);
}
