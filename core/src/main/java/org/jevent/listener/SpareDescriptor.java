package org.jevent.listener;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.jevent.Pollable;
import org.jevent.internal.linux.LibC;

/**
 * One descriptor-table slot kept in reserve, to give up when {@code accept(2)} fails for
 * lack of descriptors (libev's advice on EMFILE): releasing it lets one pending connection be
 * accepted and closed at once, and {@link #acquire} takes the slot back.
 *
 * <p>Native listeners reserve {@code /dev/null} through {@link LibC}; NIO listeners a
 * {@link FileChannel} on the null device, since the JDK offers no bare descriptor.
 */
abstract sealed class SpareDescriptor implements AutoCloseable {

    /** A spare of the kind that suits {@code listening}, already held if a slot is free. */
    static SpareDescriptor forHandle(Pollable listening) {
        SpareDescriptor spare = listening.fd() >= 0 ? new Native() : new Nio();
        spare.acquire();
        return spare;
    }

    /** Whether the slot is held now. */
    abstract boolean held();

    /** Takes a slot if none is held; false when the table is still full. */
    abstract boolean acquire();

    /** Gives the slot back to the process; does nothing when none is held. */
    abstract void release();

    @Override
    public final void close() {
        release();
    }

    private static final class Native extends SpareDescriptor {
        private int fd = -1;

        @Override boolean held() { return fd >= 0; }

        @Override
        boolean acquire() {
            if (fd < 0) {
                try {
                    fd = LibC.openNullDevice();
                } catch (IOException full) {
                    return false;
                }
            }
            return true;
        }

        @Override
        void release() {
            if (fd < 0) return;
            LibC.closeQuietly(fd);
            fd = -1;
        }
    }

    private static final class Nio extends SpareDescriptor {
        private static final Path NULL_DEVICE =
                Path.of(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
        private FileChannel channel;

        @Override boolean held() { return channel != null; }

        @Override
        boolean acquire() {
            if (channel == null) {
                try {
                    channel = FileChannel.open(NULL_DEVICE);
                } catch (IOException full) {
                    return false;
                }
            }
            return true;
        }

        @Override
        void release() {
            if (channel == null) return;
            try {
                channel.close();
            } catch (IOException ignored) {
                // the slot is free either way
            }
            channel = null;
        }
    }
}
