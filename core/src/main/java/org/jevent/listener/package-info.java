/**
 * Accepting connections: {@link org.jevent.listener.ConnListener} (libevent's
 * {@code evconnlistener}, with EMFILE handling that does not spin) and two multi-loop server
 * models over an {@link org.jevent.EventBaseGroup}: {@link org.jevent.listener.AcceptHandoff}
 * and {@link org.jevent.listener.ReusePortServer}.
 */
package org.jevent.listener;
