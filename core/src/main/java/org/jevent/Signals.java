package org.jevent;

/**
 * Linux signal numbers for {@link EventBase#newSignal} ({@code evsignal_new}), and their names.
 *
 * <p>The JVM reserves some signals for itself (typically SIGQUIT for thread dumps and SIGUSR2
 * on Linux, plus SIGSEGV, SIGBUS, SIGFPE, SIGILL and, unless -Xrs, SIGINT/SIGTERM/SIGHUP are
 * shared with its shutdown hooks: jevent takes them over while events watch them and gives
 * them back when the last such event is deleted). Watching a reserved one fails with an
 * {@link IllegalArgumentException}.
 */
public final class Signals {
    public static final int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGUSR1 = 10, SIGUSR2 = 12,
            SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15, SIGCHLD = 17, SIGCONT = 18, SIGTSTP = 20,
            SIGTTIN = 21, SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26,
            SIGPROF = 27, SIGWINCH = 28, SIGIO = 29, SIGPWR = 30, SIGSYS = 31;

    /** Highest signal number accepted (real-time signals are not offered by the JVM). */
    static final int MAX = 31;

    private Signals() {}

    /** The name without "SIG" as {@code sun.misc.Signal} wants it, e.g. "INT"; null if unknown. */
    public static String name(int signo) {
        return switch (signo) {
            case SIGHUP -> "HUP"; case SIGINT -> "INT"; case SIGQUIT -> "QUIT"; case SIGUSR1 -> "USR1";
            case SIGUSR2 -> "USR2"; case SIGPIPE -> "PIPE"; case SIGALRM -> "ALRM"; case SIGTERM -> "TERM";
            case SIGCHLD -> "CHLD"; case SIGCONT -> "CONT"; case SIGTSTP -> "TSTP"; case SIGTTIN -> "TTIN";
            case SIGTTOU -> "TTOU"; case SIGURG -> "URG"; case SIGXCPU -> "XCPU"; case SIGXFSZ -> "XFSZ";
            case SIGVTALRM -> "VTALRM"; case SIGPROF -> "PROF"; case SIGWINCH -> "WINCH"; case SIGIO -> "IO";
            case SIGPWR -> "PWR"; case SIGSYS -> "SYS";
            default -> null;
        };
    }
}
