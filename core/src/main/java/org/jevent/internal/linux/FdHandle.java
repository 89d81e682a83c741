package org.jevent.internal.linux;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import org.jevent.net.ErrnoException;
import org.jevent.net.IoHandle;

/**
 * A descriptor jevent owns: closed exactly once, and never used after closing, since the
 * number may already belong to another file.
 */
abstract class FdHandle implements IoHandle {
    private static final VarHandle OPEN;

    static {
        try {
            OPEN = MethodHandles.lookup().findVarHandle(FdHandle.class, "open", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int fd;
    @SuppressWarnings("unused") // through OPEN
    private volatile boolean open = true;

    FdHandle(int fd) {
        this.fd = fd;
    }

    @Override
    public final int fd() {
        return fd;
    }

    @Override
    public final SelectableChannel channel() {
        return null;
    }

    @Override
    public final boolean isOpen() {
        return open;
    }

    /** The descriptor, checked to be still open. */
    public final int liveFd() throws ClosedChannelException {
        if (!open) throw new ClosedChannelException();
        return fd;
    }

    @Override
    public final void close() throws ErrnoException {
        if (OPEN.compareAndSet(this, true, false)) LibC.close(fd);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[fd " + fd + (open ? "]" : ", closed]");
    }
}
