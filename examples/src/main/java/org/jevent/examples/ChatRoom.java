package org.jevent.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jevent.buffer.EolStyle;
import org.jevent.bufferevent.BufferEvent;
import org.jevent.bufferevent.DataCallback;
import org.jevent.bufferevent.StatusCallback;

/**
 * The chat room of {@link Chat}: its members by connection, on one loop thread. Each member's
 * write high watermark ({@code bufferevent_setwatermark(EV_WRITE)}) is the most output the
 * room queues for it; a member a broadcast would push past it is disconnected.
 */
final class ChatRoom implements Service {
    /** Default most bytes queued for one member. */
    static final int MAX_BACKLOG = 256 * 1024;

    private final Connections connections;
    private final long maxBacklog;
    private final Map<BufferEvent, String> members = new LinkedHashMap<>();
    private final DataCallback say = this::say;
    private final StatusCallback hangUp = this::hangUp;
    private int joined;

    ChatRoom(Connections connections, long maxBacklog) {
        this.connections = connections;
        this.maxBacklog = maxBacklog;
    }

    @Override
    public void serve(BufferEvent bev) {
        String name = "client-" + ++joined;
        bev.setWatermark(BufferEvent.WRITE, 0, maxBacklog);
        bev.setCallbacks(say, null, hangUp);
        bev.enable(BufferEvent.READ | BufferEvent.WRITE);
        bev.write(("you are " + name + "\n").getBytes(StandardCharsets.UTF_8));
        broadcast(null, name + " joined");
        members.put(bev, name);
    }

    private void say(BufferEvent bev) {
        String name = members.get(bev);
        for (String line; (line = bev.getInput().readLine(EolStyle.CRLF)) != null; ) {
            broadcast(bev, name + ": " + line);
            if (!members.containsKey(bev)) return; // it left meanwhile
        }
    }

    private void hangUp(BufferEvent bev, int events, IOException error) {
        leave(bev, "");
    }

    /** Sends {@code message} and a newline to every member but {@code from}. */
    private void broadcast(BufferEvent from, String message) {
        byte[] line = (message + "\n").getBytes(StandardCharsets.UTF_8);
        List<BufferEvent> tooSlow = new ArrayList<>();
        for (BufferEvent member : members.keySet()) {
            if (member == from) continue;
            if (member.getOutput().length() + line.length > member.highWatermark(BufferEvent.WRITE)) {
                tooSlow.add(member);
            } else {
                member.getOutput().add(line);
            }
        }
        for (BufferEvent member : tooSlow) leave(member, " (too slow)");
    }

    private void leave(BufferEvent bev, String why) {
        String name = members.remove(bev);
        connections.close(bev);
        if (name != null) broadcast(null, name + " left" + why);
    }
}
