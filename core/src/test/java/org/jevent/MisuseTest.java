package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;

/** Debug mode and misuse: clear exceptions instead of corrupted state. */
class MisuseTest {

    @BeforeAll
    static void debug() {
        EventBase.enableDebugMode();
    }

    @AllBackends
    void addingAClosedEventFailsAndShowsWhereItWasClosed(String method) {
        try (Harness h = new Harness(method)) {
            Event e = h.base.newTimer((ev, w) -> {});
            e.close();
            assertThatThrownBy(e::add).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed event").hasRootCauseMessage("the event was closed here");
            assertThatThrownBy(() -> e.activate(Event.TIMEOUT)).isInstanceOf(IllegalStateException.class);
            e.del(); // deleting a closed event is harmless
            e.close();
        }
    }

    @AllBackends
    void reinitialisingAPendingEventFails(String method) {
        try (Harness h = new Harness(method)) {
            Event e = h.base.newTimer((ev, w) -> {});
            e.add(Duration.ofHours(1));
            assertThatThrownBy(() -> e.assign(null, 0, (ev, w) -> {})).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("pending");
            e.del();
            e.assign(null, Event.PERSIST, (ev, w) -> {});
            assertThat(e.events()).isEqualTo(Event.PERSIST);
        }
    }

    @AllBackends
    void movingAPendingEventToAnotherBaseFails(String method) {
        try (Harness h = new Harness(method); Harness other = new Harness(method)) {
            Event e = h.base.newTimer((ev, w) -> {});
            e.add(Duration.ofHours(1));
            assertThatThrownBy(() -> e.setBase(other.base)).isInstanceOf(IllegalStateException.class);
            e.del();
            e.setBase(other.base);
            assertThat(e.base()).isSameAs(other.base);
        }
    }

    @AllBackends
    void eventOfAClosedBaseIsRejected(String method) {
        Harness h = new Harness(method);
        Event e = h.base.newTimer((ev, w) -> {});
        h.close();
        assertThatThrownBy(() -> e.add(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("base is closed");
    }

    @AllBackends
    void ioEventWithoutHandleOrSignalWithIoIsRefused(String method) {
        try (Harness h = new Harness(method)) {
            assertThatThrownBy(() -> h.base.newEvent((Pollable) null, Event.READ, (e, w) -> {}))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Pollable.of(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @AllBackends
    void wrongKindOfHandleForTheBackendIsAClearError(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            Pollable wrong;
            java.nio.channels.Pipe pipe = null;
            if (method.equals("nio")) {
                wrong = Pollable.of(0);
            } else {
                pipe = java.nio.channels.Pipe.open();
                wrong = Pollable.of(pipe.source());
            }
            Event e = h.base.newEvent(wrong, Event.READ, (ev, w) -> {});
            assertThatThrownBy(e::add).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining(method);
            assertThat(h.base.watchedHandles()).isZero();
            if (pipe != null) {
                pipe.source().close();
                pipe.sink().close();
            }
        }
    }

    @AllBackends
    void foreachAndDumpListPendingAndActiveEvents(String method) throws Exception {
        try (Harness h = new Harness(method)) {
            Harness.Pair p = h.pair();
            Event io = h.base.newEvent(p.a(), Event.READ, (e, w) -> {});
            Event timer = h.base.newTimer((e, w) -> {});
            Event act = h.base.newTimer((e, w) -> {});
            io.add(Duration.ofHours(1));
            timer.add(Duration.ofHours(1));
            act.activate(Event.WRITE);
            List<Event> seen = new ArrayList<>();
            h.base.forEachEvent(seen::add);
            assertThat(seen).containsExactlyInAnyOrder(io, timer, act);
            StringWriter out = new StringWriter();
            h.base.dumpEvents(out);
            assertThat(out.toString()).contains("READ", "timer", "active WRITE");
            io.del();
            timer.del();
            act.del();
        }
    }
}
