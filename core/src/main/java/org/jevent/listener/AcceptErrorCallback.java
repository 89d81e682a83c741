package org.jevent.listener;

import java.io.IOException;

/**
 * Told when {@code accept(2)} fails ({@code evconnlistener_errorcb}); runs on the listener's
 * loop thread. See {@link ConnListener} for what the listener does about the failure and how
 * often it reports it.
 */
@FunctionalInterface
public interface AcceptErrorCallback {
    /**
     * @param error the failure: an {@link org.jevent.net.ErrnoException} on native sockets
     *              (e.g. EMFILE), the JDK's {@link IOException} on NIO
     */
    void onError(ConnListener listener, IOException error);
}
