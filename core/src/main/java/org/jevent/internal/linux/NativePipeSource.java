package org.jevent.internal.linux;

/** The read end of a pipe(2). */
final class NativePipeSource extends FdHandle implements FdReadable {
    NativePipeSource(int fd) {
        super(fd);
    }
}
