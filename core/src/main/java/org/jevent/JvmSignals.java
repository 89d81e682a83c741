package org.jevent;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
import java.util.function.IntConsumer;

/**
 * The JVM's signal hook, {@code sun.misc.Signal} (module jdk.unsupported), reached through
 * method handles. Linking it by name rather than by import keeps javac's unsuppressible
 * "internal proprietary API" warning out of the build and the Javadoc; the calls are the same.
 */
final class JvmSignals {
    private static final MethodHandle NEW_SIGNAL, HANDLE, NUMBER;
    private static final Class<?> HANDLER;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Class<?> signal = Class.forName("sun.misc.Signal");
            HANDLER = Class.forName("sun.misc.SignalHandler");
            NEW_SIGNAL = lookup.findConstructor(signal, MethodType.methodType(void.class, String.class));
            HANDLE = lookup.findStatic(signal, "handle", MethodType.methodType(HANDLER, signal, HANDLER));
            NUMBER = lookup.findVirtual(signal, "getNumber", MethodType.methodType(int.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private JvmSignals() {}

    /** A handler object that passes each signal's number to {@code onSignal}. */
    static Object handler(IntConsumer onSignal) {
        return Proxy.newProxyInstance(HANDLER.getClassLoader(), new Class<?>[] {HANDLER}, (proxy, method, args) -> {
            if (method.getName().equals("handle")) {
                onSignal.accept((int) NUMBER.invoke(args[0]));
                return null;
            }
            return switch (method.getName()) { // Object's methods, should anyone call them
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> "jevent signal handler";
            };
        });
    }

    /**
     * {@code Signal.handle(new Signal(name), handler)}: installs {@code handler} and returns
     * the previous one, to give back later.
     *
     * @throws IllegalArgumentException when the JVM keeps the signal for itself
     */
    static Object install(String name, Object handler) {
        try {
            return HANDLE.invoke(NEW_SIGNAL.invoke(name), handler);
        } catch (IllegalArgumentException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot install a handler for SIG" + name, t);
        }
    }
}
