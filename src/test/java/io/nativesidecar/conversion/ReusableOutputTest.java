package io.nativesidecar.conversion;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ReusableOutputTest {

    @Test
    void eachTakeStartsEmptyAndReusesTheThreadsBuffer() {
        ThreadLocal<ReusableOutput> owner = ReusableOutput.perThread();
        ReusableOutput first = ReusableOutput.take(owner);
        first.write("a longer first answer".getBytes(StandardCharsets.UTF_8), 0, 21);
        assertThat(new String(first.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("a longer first answer");

        ReusableOutput second = ReusableOutput.take(owner);
        second.write('{');
        second.write('}');
        assertThat(second).isSameAs(first);
        assertThat(second.toByteArray()).containsExactly('{', '}');
    }

    @Test
    void itGrowsKeepingWhatWasWrittenAndDropsABufferGrownPastTheLimit() {
        ThreadLocal<ReusableOutput> owner = ReusableOutput.perThread();
        ReusableOutput out = ReusableOutput.take(owner);
        byte[] chunk = new byte[10_000];
        for (int i = 0; i < 40; i++) {
            Arrays.fill(chunk, (byte) i);
            out.write(chunk, 0, chunk.length);
        }
        out.write(7);
        assertThat(out.capacity()).isGreaterThan(ReusableOutput.MAX_KEPT);

        byte[] written = out.toByteArray();
        assertThat(written).hasSize(400_001);
        assertThat(written[0]).isEqualTo((byte) 0);
        assertThat(written[399_999]).isEqualTo((byte) 39);
        assertThat(written[400_000]).isEqualTo((byte) 7);
        assertThat(ReusableOutput.take(owner).capacity()).isLessThanOrEqualTo(ReusableOutput.MAX_KEPT);
    }

    @Test
    void aBufferUnderTheLimitIsKept() {
        ThreadLocal<ReusableOutput> owner = ReusableOutput.perThread();
        ReusableOutput out = ReusableOutput.take(owner);
        out.write(new byte[100_000], 0, 100_000);
        int grown = out.capacity();
        out.toByteArray();
        assertThat(grown).isGreaterThanOrEqualTo(100_000);
        assertThat(ReusableOutput.take(owner).capacity()).isEqualTo(grown);
    }

    @Test
    void theOwnersOfOneThreadDoNotShareABuffer() {
        assertThat(ReusableOutput.take(ReusableOutput.perThread())).isNotSameAs(ReusableOutput.take(ReusableOutput.perThread()));
    }
}
