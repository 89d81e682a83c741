package org.jevent.examples;

/**
 * A line chat: every line a client sends goes to every other client as
 * {@code client-N: line}, with notices when clients join and leave ({@link ChatRoom}). Try
 * two or three {@code nc 127.0.0.1 9997}.
 *
 * <p>The lesson: write watermarks protect a server from slow readers. A broadcast queues data
 * for clients that may not be reading; one whose output would pass the write high watermark
 * ({@code --max-backlog}) is disconnected as "too slow" instead of costing memory for ever.
 * All clients share one loop, so the room needs no locks.
 */
final class Chat extends ServerExample {
    @Override public String name() { return "chat"; }
    @Override public String summary() { return "multi-client line chat; slow readers are disconnected"; }
    @Override public String usage() {
        return "[--port 9997] [--max-backlog " + ChatRoom.MAX_BACKLOG + "] [--backend epoll|poll|select|nio]";
    }
    @Override int defaultPort() { return 9997; }

    @Override
    Service service(Args args, Connections connections) {
        return new ChatRoom(connections, args.integer("max-backlog", ChatRoom.MAX_BACKLOG));
    }
}
