package org.jevent.net;

/**
 * Linux errno numbers jevent reacts to, and the names used in {@link ErrnoException}: what
 * libevent code compares {@code EVUTIL_SOCKET_ERROR()} with ({@code EAGAIN}, {@code EINTR}...).
 */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6,
            E2BIG = 7, EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13,
            EFAULT = 14, EBUSY = 16, EEXIST = 17, ENODEV = 19, ENOTDIR = 20, EISDIR = 21,
            EINVAL = 22, ENFILE = 23, EMFILE = 24, ENOSPC = 28, ESPIPE = 29, EPIPE = 32,
            ERANGE = 34, ENOSYS = 38, ENOTSOCK = 88, EDESTADDRREQ = 89, EMSGSIZE = 90,
            EPROTOTYPE = 91, ENOPROTOOPT = 92, EPROTONOSUPPORT = 93, EOPNOTSUPP = 95,
            EAFNOSUPPORT = 97, EADDRINUSE = 98, EADDRNOTAVAIL = 99, ENETDOWN = 100,
            ENETUNREACH = 101, ECONNABORTED = 103, ECONNRESET = 104, ENOBUFS = 105,
            EISCONN = 106, ENOTCONN = 107, ETIMEDOUT = 110, ECONNREFUSED = 111,
            EHOSTUNREACH = 113, EALREADY = 114, EINPROGRESS = 115;

    private Errno() {}

    /** The symbolic name of {@code errno}, or "errno N" when it is not one of the above. */
    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM"; case ENOENT -> "ENOENT"; case ESRCH -> "ESRCH";
            case EINTR -> "EINTR"; case EIO -> "EIO"; case ENXIO -> "ENXIO"; case E2BIG -> "E2BIG";
            case EBADF -> "EBADF"; case ECHILD -> "ECHILD"; case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM"; case EACCES -> "EACCES"; case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY"; case EEXIST -> "EEXIST"; case ENODEV -> "ENODEV";
            case ENOTDIR -> "ENOTDIR"; case EISDIR -> "EISDIR"; case EINVAL -> "EINVAL";
            case ENFILE -> "ENFILE"; case EMFILE -> "EMFILE"; case ENOSPC -> "ENOSPC";
            case ESPIPE -> "ESPIPE"; case EPIPE -> "EPIPE"; case ERANGE -> "ERANGE";
            case ENOSYS -> "ENOSYS"; case ENOTSOCK -> "ENOTSOCK"; case EDESTADDRREQ -> "EDESTADDRREQ";
            case EMSGSIZE -> "EMSGSIZE"; case EPROTOTYPE -> "EPROTOTYPE";
            case ENOPROTOOPT -> "ENOPROTOOPT"; case EPROTONOSUPPORT -> "EPROTONOSUPPORT";
            case EOPNOTSUPP -> "EOPNOTSUPP"; case EAFNOSUPPORT -> "EAFNOSUPPORT";
            case EADDRINUSE -> "EADDRINUSE"; case EADDRNOTAVAIL -> "EADDRNOTAVAIL";
            case ENETDOWN -> "ENETDOWN"; case ENETUNREACH -> "ENETUNREACH";
            case ECONNABORTED -> "ECONNABORTED"; case ECONNRESET -> "ECONNRESET";
            case ENOBUFS -> "ENOBUFS"; case EISCONN -> "EISCONN"; case ENOTCONN -> "ENOTCONN";
            case ETIMEDOUT -> "ETIMEDOUT"; case ECONNREFUSED -> "ECONNREFUSED";
            case EHOSTUNREACH -> "EHOSTUNREACH"; case EALREADY -> "EALREADY";
            case EINPROGRESS -> "EINPROGRESS";
            default -> "errno " + errno;
        };
    }
}
