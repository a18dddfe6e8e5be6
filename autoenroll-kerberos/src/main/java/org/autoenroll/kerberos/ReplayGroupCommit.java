package org.autoenroll.kerberos;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Group commit for {@link JdbcReplayCache}: concurrent {@code record} calls of one instance are
 * written in one transaction, and each caller returns only once its batch is committed (or has
 * failed), so an accepted token is always in the shared table before the acceptor accepts it.
 * Leaders and followers, no thread of its own: a caller that finds fewer than
 * {@value #MAX_IN_FLIGHT} batches being written takes the queued calls (at most
 * {@value #MAX_BATCH}) and writes them; the others wait, and one of them leads the next batch,
 * made of whatever queued meanwhile. Under load the batches grow with the database's commit time;
 * with few callers, each call is its own batch.
 *
 * <p>A batch is one batched statement and one commit: per call, an INSERT that inserts nothing
 * when the client's share is used up (its live rows, those of the batch included, plus the calls
 * of the other batches in flight). Should a row meet a duplicate key (a replay, within the batch or
 * across instances, or a stale row to take over), the transaction is rolled back and every call
 * of the batch is recorded alone, as without batching: the duplicate key then decides.
 *
 * <p>Thread-safe: the queue is guarded by its own lock.
 */
final class ReplayGroupCommit {
    static final int MAX_BATCH = 256;
    /**
     * Batches written at the same time by one instance: as many callers as this write alone (as
     * without batching, the database's own commit grouping applies); the callers beyond wait and
     * go in the next batch together.
     */
    static final int MAX_IN_FLIGHT = 4;

    /** One call waiting for its batch. */
    static final class Pending {
        final String hash;
        final String clientHash;
        final long expiryMillis;
        ReplayCache.Outcome outcome;
        SQLException error;
        /** In a batch being written. */
        boolean taken;
        boolean done;

        Pending(String hash, String clientHash, long expiryMillis) {
            this.hash = hash;
            this.clientHash = clientHash;
            this.expiryMillis = expiryMillis;
        }
    }

    /** What a batch needs from the cache: its SQL, its share, its single-call path, its purge. */
    interface Table {
        String name();

        int maxPerPrincipal();

        /**
         * Records one call alone, in its own autocommitted statements (the path without batching),
         * counting {@code othersInFlight} uncommitted calls of its client against its share.
         */
        ReplayCache.Outcome recordAlone(Connection connection, Pending pending, int othersInFlight, long nowMillis)
                throws SQLException;

        /** An INSERT of one row that inserts nothing when the client's share is used up. */
        String conditionalInsertSql();

        /** Binds {@link #conditionalInsertSql()} for {@code pending}. */
        void bindConditionalInsert(PreparedStatement insert, Pending pending, int othersInFlight, long nowMillis)
                throws SQLException;

        /** Deletes expired rows when due (bounded, indexed). */
        void maybePurge(Connection connection, long nowMillis) throws SQLException;
    }

    private final DataSource dataSource;
    private final Table table;
    private final Object lock = new Object();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Batches being written now, at most {@link #MAX_IN_FLIGHT}. */
    private int flushing;
    /**
     * Calls per client in the batches being written, reserved before their share is read from the
     * database and released once written: a batch counts the others' uncommitted rows, so that
     * concurrent batches of one instance never pass a client's share together (at worst a row is
     * counted twice for a moment, refusing early: the safe side).
     */
    private final Map<String, Integer> inFlight = new HashMap<>();
    /** The most calls one batch has held (for tests and metrics). */
    private final java.util.concurrent.atomic.AtomicInteger largestBatch = new java.util.concurrent.atomic.AtomicInteger();

    ReplayGroupCommit(DataSource dataSource, Table table) {
        this.dataSource = dataSource;
        this.table = table;
    }

    /** Waits until {@code pending} is committed with its batch; its outcome, or the batch's error. */
    ReplayCache.Outcome record(Pending pending, java.util.function.LongSupplier clock) throws SQLException {
        synchronized (lock) {
            queue.add(pending);
        }
        return await(pending, clock);
    }

    private ReplayCache.Outcome await(Pending pending, java.util.function.LongSupplier clock) throws SQLException {
        boolean interrupted = false;
        while (true) {
            List<Pending> batch;
            synchronized (lock) {
                while (!pending.done && (flushing >= MAX_IN_FLIGHT || pending.taken)) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // keep waiting: the batch holding this call decides its outcome; the flag is restored after
                        interrupted = true;
                    }
                }
                if (pending.done) {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                    if (pending.error != null) {
                        throw pending.error;
                    }
                    return pending.outcome;
                }
                flushing++;
                batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
                while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
                    Pending next = queue.poll();
                    next.taken = true;
                    batch.add(next);
                }
            }
            largestBatch.accumulateAndGet(batch.size(), Math::max);
            try {
                flush(batch, clock.getAsLong());
            } catch (SQLException | RuntimeException e) {
                SQLException error = e instanceof SQLException sql ? sql : new SQLException(e.getMessage(), e);
                for (Pending each : batch) {
                    if (!each.done) {
                        each.error = error;
                    }
                }
            } finally {
                synchronized (lock) {
                    for (Pending each : batch) {
                        each.done = true;
                    }
                    flushing--;
                    lock.notifyAll();
                }
            }
        }
    }

    int largestBatch() {
        return largestBatch.get();
    }

    private void flush(List<Pending> batch, long now) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            table.maybePurge(connection, now);
            Map<String, Integer> others = reserve(batch);
            try {
                if (batch.size() == 1) {
                    Pending alone = batch.get(0);
                    alone.outcome = table.recordAlone(connection, alone, others.get(alone.clientHash), now);
                } else {
                    flushBatch(connection, batch, others, now);
                }
            } finally {
                release(batch);
            }
        }
    }

    /** Adds the batch's calls to {@link #inFlight}; returns the other batches' calls of the same clients. */
    private Map<String, Integer> reserve(List<Pending> batch) {
        Map<String, Integer> others = new HashMap<>();
        synchronized (lock) {
            for (Pending pending : batch) {
                others.putIfAbsent(pending.clientHash, inFlight.getOrDefault(pending.clientHash, 0));
            }
            batch.forEach(pending -> inFlight.merge(pending.clientHash, 1, Integer::sum));
        }
        return others;
    }

    private void release(List<Pending> batch) {
        synchronized (lock) {
            batch.forEach(pending -> inFlight.computeIfPresent(pending.clientHash, (client, n) -> n == 1 ? null : n - 1));
        }
    }

    private void flushBatch(Connection connection, List<Pending> batch, Map<String, Integer> others, long now)
            throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        boolean committed = false;
        try {
            // one conditional INSERT per call: a row only while its client's live rows (this
            // transaction's included) and the other batches' calls stay below the share
            try (PreparedStatement insert = connection.prepareStatement(table.conditionalInsertSql())) {
                for (Pending pending : batch) {
                    table.bindConditionalInsert(insert, pending, others.get(pending.clientHash), now);
                    insert.addBatch();
                }
                int[] counts = insert.executeBatch();
                for (int i = 0; i < batch.size(); i++) {
                    if (counts[i] != 0 && counts[i] != 1) {
                        throw new SQLException("the driver did not count the batch's rows", "23000");
                    }
                    batch.get(i).outcome = counts[i] == 1 ? ReplayCache.Outcome.RECORDED : ReplayCache.Outcome.SHARE_EXHAUSTED;
                }
            }
            connection.commit();
            committed = true;
        } catch (SQLException e) {
            connection.rollback();
            if (!JdbcReplayCache.isDuplicateKey(e)) {
                throw e;
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        if (!committed) {
            // a duplicate (a replay, or a stale row to take over): each call alone, where the unique
            // key decides; the calls of this batch already written count against their client's share
            Map<String, Integer> written = new HashMap<>(others);
            for (Pending pending : batch) {
                pending.outcome = table.recordAlone(connection, pending, written.get(pending.clientHash), now);
                if (pending.outcome == ReplayCache.Outcome.RECORDED) {
                    written.merge(pending.clientHash, 1, Integer::sum);
                }
            }
        }
    }
}
