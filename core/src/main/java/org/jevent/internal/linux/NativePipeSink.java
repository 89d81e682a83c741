package org.jevent.internal.linux;

/** The write end of a pipe(2). */
final class NativePipeSink extends FdHandle implements FdWritable {
    NativePipeSink(int fd) {
        super(fd);
    }
}
