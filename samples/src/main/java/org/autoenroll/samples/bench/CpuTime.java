package org.autoenroll.samples.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * CPU time of the benchmark thread, as JMH secondary results: {@code cpuMicros} (events: the
 * microseconds of CPU the thread used in the iteration) and {@code calls} (events: operations).
 * cpuMicros / calls is the CPU cost of one operation, which other processes on a shared machine do
 * not change the way they change wall-clock throughput; compare it between methods of one run.
 * GC and JIT threads are not counted. Two {@code getCurrentThreadCpuTime} calls per operation (about
 * a microsecond) are included in every method alike.
 */
@AuxCounters(AuxCounters.Type.EVENTS)
@State(Scope.Thread)
public class CpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public long cpuMicros;
    public long calls;
    private long startNanos;

    @Setup(Level.Iteration)
    public void reset() {
        if (!THREADS.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time");
        }
        cpuMicros = 0;
        calls = 0;
    }

    void start() {
        startNanos = THREADS.getCurrentThreadCpuTime();
    }

    void stop() {
        cpuMicros += (THREADS.getCurrentThreadCpuTime() - startNanos) / 1000;
        calls++;
    }
}
