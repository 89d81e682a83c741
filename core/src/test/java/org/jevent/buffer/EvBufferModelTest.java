package org.jevent.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random operations on an EvBuffer and on a plain byte array model, compared after every
 * step: adds, prepends, drains, removes, moves to and from a second buffer, references,
 * reservations and pullups, over 64-byte segments so every boundary case comes up.
 */
class EvBufferModelTest extends BufferTestSupport {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void randomOperationsMatchAByteArrayModel(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        EvBuffer b = buffer();
        EvBuffer side = buffer();
        byte[] model = new byte[0];
        byte[] sideModel = new byte[0];
        BufferVectors v = new BufferVectors(2);
        int counter = 0;
        for (int step = 0; step < 3000; step++) {
            int n = rnd.nextInt(rnd.nextBoolean() ? 100 : 3000);
            byte[] data = pattern(n, counter++);
            switch (rnd.nextInt(11)) {
                case 0, 1 -> {
                    b.add(data);
                    model = concat(model, data);
                }
                case 2 -> {
                    b.prepend(data);
                    model = concat(data, model);
                }
                case 3 -> {
                    b.drain(n);
                    model = Arrays.copyOfRange(model, Math.min(n, model.length), model.length);
                }
                case 4 -> {
                    byte[] out = new byte[n];
                    int got = b.remove(out);
                    assertThat(got).isEqualTo(Math.min(n, model.length));
                    assertThat(Arrays.copyOf(out, got)).isEqualTo(Arrays.copyOf(model, got));
                    model = Arrays.copyOfRange(model, got, model.length);
                }
                case 5 -> {
                    long moved = b.removeBuffer(side, n);
                    sideModel = concat(sideModel, Arrays.copyOf(model, (int) moved));
                    model = Arrays.copyOfRange(model, (int) moved, model.length);
                }
                case 6 -> {
                    if (rnd.nextBoolean()) {
                        b.addBuffer(side);
                        model = concat(model, sideModel);
                    } else {
                        b.prependBuffer(side);
                        model = concat(sideModel, model);
                    }
                    sideModel = new byte[0];
                }
                case 7 -> {
                    side.addBufferReference(b);
                    sideModel = concat(sideModel, model);
                }
                case 8 -> {
                    if (n == 0) {
                        break;
                    }
                    int extents = b.reserveSpace(n, 1 + rnd.nextInt(2), v);
                    int written = 0;
                    for (int i = 0; i < extents; i++) {
                        int k = (int) Math.min(v.length(i), n - written);
                        if (rnd.nextInt(4) == 0) {
                            k = rnd.nextInt(k + 1);
                        }
                        java.lang.foreign.MemorySegment.copy(data, written, v.segment(i),
                                java.lang.foreign.ValueLayout.JAVA_BYTE, 0, k);
                        v.setLength(i, k);
                        written += k;
                    }
                    b.commitSpace(v);
                    model = concat(model, Arrays.copyOf(data, written));
                }
                case 9 -> {
                    long len = Math.min(n, model.length);
                    byte[] view = b.pullup(len).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                    assertThat(view).isEqualTo(Arrays.copyOf(model, (int) len));
                }
                default -> {
                    if (model.length > 0) {
                        int from = rnd.nextInt(model.length);
                        int len = Math.min(1 + rnd.nextInt(4), model.length - from);
                        byte[] what = Arrays.copyOfRange(model, from, from + len);
                        assertThat(b.search(what, null)).isEqualTo(indexOf(model, what));
                    }
                }
            }
            assertThat(b.length()).isEqualTo(model.length);
            assertThat(side.length()).isEqualTo(sideModel.length);
            if (step % 50 == 0 || step == 2999) {
                assertThat(contents(b).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo(model);
                assertThat(contents(side).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo(sideModel);
            }
            if (sideModel.length > 50_000) {
                side.drain(side.length());
                sideModel = new byte[0];
            }
            if (model.length > 200_000) {
                b.drain(100_000);
                model = Arrays.copyOfRange(model, 100_000, model.length);
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static long indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
