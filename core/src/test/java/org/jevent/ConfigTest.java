package org.jevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Choosing a backend: config, required features, the environment (event_config and EVENT_NO*). */
class ConfigTest {

    @Test
    void defaultIsTheBestMethod() {
        try (EventBase base = EventBase.create()) {
            assertThat(base.method()).isEqualTo(EventBase.supportedMethods().getFirst());
        }
        assertThat(EventBase.supportedMethods()).containsExactly("epoll", "poll", "select", "nio");
    }

    @Test
    void avoidingMethodsFallsBackInOrder() {
        EventBaseConfig config = EventBaseConfig.builder().avoidMethod("epoll").avoidMethod("poll").ignoreEnvironment().build();
        try (EventBase base = EventBase.create(config)) {
            assertThat(base.method()).isEqualTo("select");
        }
    }

    @Test
    void requiredFeaturesPickAMethodThatHasThem() {
        EventBaseConfig et = EventBaseConfig.builder().avoidMethod("epoll").requireFeatures(Feature.FDS).build();
        try (EventBase base = EventBase.create(et)) {
            assertThat(base.method()).isEqualTo("poll");
            assertThat(base.features()).contains(Feature.FDS);
        }
        EventBaseConfig o1 = EventBaseConfig.builder().avoidMethod("epoll").requireFeatures(Feature.O1).build();
        try (EventBase base = EventBase.create(o1)) {
            assertThat(base.method()).isEqualTo("nio");
        }
    }

    @Test
    void impossibleRequirementsSayWhy() {
        EventBaseConfig config = EventBaseConfig.builder().method("nio").requireFeatures(Feature.EDGE_TRIGGERED).build();
        assertThatThrownBy(() -> EventBase.create(config)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nio (lacks [EDGE_TRIGGERED])").hasMessageContaining("epoll (avoided)");
    }

    @Test
    void priorityCountIsChecked() {
        assertThatThrownBy(() -> EventBaseConfig.builder().priorities(0).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventBaseConfig.builder().priorities(257).build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void environmentAvoidsMethodsAndShowsTheChoice() throws Exception {
        String out = runChild("JEVENT_NOEPOLL", "JEVENT_SHOW_METHOD");
        assertThat(out).contains("[jevent] using poll").contains("method=poll");
    }

    @Test
    void ignoredEnvironmentKeepsTheDefault() throws Exception {
        String out = runChild("JEVENT_NOEPOLL", "JEVENT_SHOW_METHOD", "IGNORE");
        assertThat(out).contains("method=epoll").doesNotContain("[jevent] using");
    }

    /** Runs {@link ShowMethod} in a child JVM with the given variables set to 1. */
    private static String runChild(String... env) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), ShowMethod.class.getName()).redirectErrorStream(true);
        for (String name : env) pb.environment().put(name, "1");
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Child process: prints the method a default base picks. */
    static final class ShowMethod {
        public static void main(String[] args) {
            EventBaseConfig.Builder config = EventBaseConfig.builder();
            if (System.getenv("IGNORE") != null) config.ignoreEnvironment();
            try (EventBase base = EventBase.create(config.build())) {
                System.out.println("method=" + base.method());
            }
        }
    }

}
