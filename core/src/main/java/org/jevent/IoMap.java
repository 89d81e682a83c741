package org.jevent;

import java.nio.channels.SelectableChannel;
import java.util.Arrays;
import java.util.IdentityHashMap;

/**
 * Finds the {@link IoSlot} of a handle (an array indexed by descriptor, as libevent's evmap;
 * an identity map for NIO channels) and the slot of a backend token (an array indexed by
 * slot id). Slot ids are recycled; each reuse bumps the slot's generation.
 */
final class IoMap {
    private IoSlot[] byFd = new IoSlot[64];
    private final IdentityHashMap<SelectableChannel, IoSlot> byChannel = new IdentityHashMap<>();
    private IoSlot[] byId = new IoSlot[64];
    private int[] freeIds = new int[16];
    private int freeCount;
    private int nextId;
    private int live;

    /** The slot of {@code h}, or null. */
    IoSlot find(Pollable h) {
        int fd = h.fd();
        if (fd >= 0) return fd < byFd.length ? byFd[fd] : null;
        return byChannel.get(h.channel());
    }

    /** The slot of {@code h}, created when missing. */
    IoSlot obtain(Pollable h) {
        IoSlot slot = find(h);
        if (slot != null) return slot;
        int id = freeCount > 0 ? freeIds[--freeCount] : nextId++;
        if (id >= byId.length) byId = Arrays.copyOf(byId, Math.max(id + 1, byId.length * 2));
        slot = byId[id];
        if (slot == null) slot = byId[id] = new IoSlot(id);
        slot.generation++;
        slot.handle = h;
        int fd = h.fd();
        if (fd >= 0) {
            if (fd >= byFd.length) byFd = Arrays.copyOf(byFd, Math.max(fd + 1, byFd.length * 2));
            byFd[fd] = slot;
        } else {
            byChannel.put(h.channel(), slot);
        }
        live++;
        return slot;
    }

    /** Forgets an empty slot; its id may be reused with a new generation. */
    void release(IoSlot slot) {
        int fd = slot.handle.fd();
        if (fd >= 0) byFd[fd] = null;
        else byChannel.remove(slot.handle.channel());
        slot.handle = null;
        slot.interest = 0;
        slot.generation++;
        if (freeCount == freeIds.length) freeIds = Arrays.copyOf(freeIds, freeCount * 2);
        freeIds[freeCount++] = slot.id;
        live--;
    }

    /** The live slot a backend token names, or null when the token is stale. */
    IoSlot byToken(long token) {
        int id = (int) token;
        if (id < 0 || id >= nextId) return null;
        IoSlot slot = byId[id];
        return slot != null && slot.handle != null && slot.generation == (int) (token >>> 32) ? slot : null;
    }

    /** Number of handles watched. */
    int size() {
        return live;
    }

    /** Calls {@code visitor} with every live slot. */
    void forEach(java.util.function.Consumer<IoSlot> visitor) {
        for (int i = 0; i < nextId; i++) {
            IoSlot s = byId[i];
            if (s != null && s.handle != null) visitor.accept(s);
        }
    }
}
