package io.nativesidecar.conversion;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte buffer that a thread reuses from one write to the next, for JSON written on the admission
 * path. Jackson's {@code ByteArrayBuilder}, behind {@code writeValueAsBytes}, takes only its first block from
 * the recycler and allocates every further block anew, in the patch and in the answer (its share of the
 * allocation: bench/README.md). Each owner keeps its own instances ({@link #perThread()}), so that one write never
 * runs inside another on the same buffer. A buffer grown past {@value #MAX_KEPT} bytes (a 1 MiB pod) is
 * dropped after its write rather than kept by the thread.
 */
public final class ReusableOutput extends OutputStream {

    static final int MAX_KEPT = 256 * 1024;
    private static final int INITIAL = 8 * 1024;

    private byte[] buffer = new byte[INITIAL];
    private int size;

    /** One buffer per thread, for one owner. */
    public static ThreadLocal<ReusableOutput> perThread() {
        return ThreadLocal.withInitial(ReusableOutput::new);
    }

    /** This thread's buffer of {@code owner}, emptied. */
    public static ReusableOutput take(ThreadLocal<ReusableOutput> owner) {
        ReusableOutput out = owner.get();
        out.size = 0;
        return out;
    }

    @Override
    public void write(int b) {
        ensure(1);
        buffer[size++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
    }

    /** What was written, in an array of its own. */
    public byte[] toByteArray() {
        byte[] copy = Arrays.copyOf(buffer, size);
        if (buffer.length > MAX_KEPT) {
            buffer = new byte[INITIAL];
        }
        size = 0;
        return copy;
    }

    int capacity() {
        return buffer.length;
    }

    private void ensure(int more) {
        int needed = size + more;
        if (needed < 0) {
            throw new OutOfMemoryError("a write over 2 GiB");
        }
        if (needed > buffer.length) {
            int doubled = (int) Math.min(Integer.MAX_VALUE - 8, 2L * buffer.length);
            buffer = Arrays.copyOf(buffer, Math.max(needed, doubled));
        }
    }
}
