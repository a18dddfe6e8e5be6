package org.autoenroll.samples.bench;

import java.util.concurrent.TimeUnit;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.kerberos.KerberosAcceptor;
import org.ietf.jgss.GSSException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * SPNEGO tokens validated per second, one thread: autoenroll's {@link KerberosAcceptor} against
 * the JDK's JGSS acceptor ({@code GSSManager.createContext(credential).acceptSecContext(token)}),
 * on the same pool of distinct valid tokens (AES256 tickets for {@code HTTP/localhost@EXAMPLE.COM},
 * MUTUAL_REQUIRED, so both build an AP-REP too). Neither refuses a token seen before: ours has a
 * replay cache that records nothing ({@link AlwaysFreshReplayCache}), the JDK's runs with
 * {@code sun.security.krb5.rcache=none}. Compare the two scores as a ratio from one run.
 *
 * <p>Each fork forges its pool at setup with the time of day as ctime: a fork must finish within
 * the 5 minutes of clock skew both acceptors allow (the defaults here take about 50 s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {
        // benchmark-only JVM state: the JDK acceptor needs a default realm and must accept a token twice
        "-Dsun.security.krb5.rcache=none",
        "-Djava.security.krb5.realm=" + BenchTokens.REALM,
        "-Djava.security.krb5.kdc=127.0.0.1",
        // no krb5.conf of the machine may change the JDK's enctypes or skew
        "-Djava.security.krb5.conf=/dev/null"})
public class AcceptorBenchmark {
    /** Distinct tokens, presented in turn. */
    @Param("20000")
    public int poolSize;

    private byte[][] tokens;
    private int next;
    private KerberosAcceptor autoenroll;
    private JdkAcceptor jdk;
    private final byte[][] jdkReply = new byte[1][];

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (!"none".equals(System.getProperty("sun.security.krb5.rcache"))) {
            throw new IllegalStateException("run with -Dsun.security.krb5.rcache=none (the @Fork arguments): "
                    + "the JDK acceptor would refuse the pool's second round as replays");
        }
        BenchTokens realm = new BenchTokens();
        tokens = realm.pool(poolSize);
        autoenroll = KerberosAcceptor.builder().addRealm(BenchTokens.REALM, realm.keytab)
                .replayCache(new AlwaysFreshReplayCache()).build();
        jdk = new JdkAcceptor(BenchTokens.SERVICE_PRINCIPAL, realm.keytabFile());
        // before measuring: both accept the same tokens as the same client, with a mutual-authentication reply
        for (int i = 0; i < Math.min(3, poolSize); i++) {
            AuthenticatedPrincipal ours = autoenroll.validate(tokens[i]);
            String theirs = jdk.accept(tokens[i], jdkReply);
            if (!ours.principal().equals(theirs) || ours.responseToken().isEmpty() || jdkReply[0] == null) {
                throw new IllegalStateException("the acceptors disagree on token " + i + ": " + ours.principal()
                        + " vs " + theirs);
            }
        }
    }

    private byte[] nextToken() {
        byte[] token = tokens[next];
        next = next + 1 == tokens.length ? 0 : next + 1;
        return token;
    }

    @Benchmark
    public AuthenticatedPrincipal autoenroll() throws EnrollmentException {
        return autoenroll.validate(nextToken());
    }

    @Benchmark
    public String jdk(Blackhole blackhole) throws GSSException {
        String client = jdk.accept(nextToken(), jdkReply);
        blackhole.consume(jdkReply[0]);
        return client;
    }
}
