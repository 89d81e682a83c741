package org.jevent;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Measures what the current thread allocates, through HotSpot's per-thread counter
 * ({@code com.sun.management.ThreadMXBean}). Looked up reflectively: the core module does not
 * read {@code jdk.management}, and tests should not change what it requires.
 */
public final class Allocation {
    private static final MethodHandle ALLOCATED;

    static {
        try {
            Module management = ModuleLayer.boot().findModule("jdk.management").orElseThrow();
            Allocation.class.getModule().addReads(management);
            Allocation.class.getModule().addReads(ModuleLayer.boot().findModule("java.management").orElseThrow());
            Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
            Object bean = factory.getMethod("getThreadMXBean").invoke(null);
            Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
            ALLOCATED = MethodHandles.publicLookup()
                    .findVirtual(hotspot, "getCurrentThreadAllocatedBytes", MethodType.methodType(long.class))
                    .bindTo(bean);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Allocation() {}

    /** Bytes allocated so far by the current thread. */
    public static long current() {
        try {
            return (long) ALLOCATED.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Bytes allocated by {@code work} on this thread. */
    public static long bytes(Runnable work) {
        try {
            long before = (long) ALLOCATED.invokeExact();
            work.run();
            return (long) ALLOCATED.invokeExact() - before;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
