package org.autoenroll.server;

import org.autoenroll.server.internal.TlsContexts;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.google.inject.name.Named;
import com.google.inject.util.Modules;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.handlers.GracefulShutdownHandler;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.autoenroll.server.config.ServerConfig;
import org.autoenroll.server.http.CaPublication;
import org.autoenroll.server.http.ConfigReloading;
import org.autoenroll.server.http.ConnectionLimit;
import org.autoenroll.server.http.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;
import org.xnio.Sequence;

/**
 * The reference server: Undertow over HTTPS only (TLS 1.2/1.3, without the TLS 1.2 CBC suites
 * with SHA-1 MACs), the protocol's {@link Router} behind a {@link ConnectionLimit} per client address
 * and a {@link GracefulShutdownHandler}. {@link #stop()} stops taking requests, waits for
 * those in flight, stops the listener, then closes the {@link Resources} (LDAP pools, database).
 *
 * <p>Thread-safe; start and stop once each.
 */
public final class AutoenrollServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AutoenrollServer.class);
    /** How long {@link #stop()} waits for requests in flight. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_HEADER_BYTES = 128 * 1024;
    /** How often the CRLs are rebuilt ahead of clients (they are also rebuilt after each revocation). */
    static final Duration CRL_REBUILD_EVERY = Duration.ofMinutes(10);

    private final Undertow undertow;
    private final GracefulShutdownHandler graceful;
    private final Resources resources;
    private final CaPublication publication;
    private final ServerConfig config;
    /** What requests are served with now; a reload swaps it whole. */
    private final AtomicReference<RuntimeSnapshot> runtime = new AtomicReference<>();
    private final ConfigReloader reloader;
    private volatile boolean started;
    private volatile boolean stopped;

    @Inject
    AutoenrollServer(ServerConfig config, SSLContext sslContext, Router router, Resources resources,
                     @Named("publication") Router publicationRouter, CaPublication publication,
                     @Named(ServerModule.RELOADABLE) Resources reloadable) {
        this.resources = resources;
        this.publication = publication;
        this.config = config;
        this.runtime.set(new RuntimeSnapshot(config, router, publicationRouter, reloadable, null));
        this.reloader = new ConfigReloader(runtime);
        // each request runs on the snapshot current when it arrives, to its end, whatever a reload swaps in meanwhile;
        // connections of the plain-HTTP listener reach the publication routes only
        this.graceful = new GracefulShutdownHandler(new ConnectionLimit(config.limits().maxConnectionsPerAddressOrDefault(), exchange -> {
            RuntimeSnapshot current = runtime.get();
            current.enter();
            exchange.addExchangeCompleteListener((done, next) -> {
                current.exit();
                next.proceed();
            });
            if (exchange.getConnection().getSslSessionInfo() == null) {
                current.publicationRouter.handleRequest(exchange);
            } else {
                current.router.handleRequest(exchange);
            }
        }));
        // past the routes' own limits (SOAP messages may be larger than JSON bodies; their own reader bounds them) by
        // more than one read buffer, so that BodyReception answers 413 first: Undertow closes the connection without an
        // answer when a chunked body passes this one
        long maxEntity = Math.max(config.limits().maxBodyBytesOrDefault(), config.windows() == null ? 0
                : org.autoenroll.wstep.soap.SoapReader.Limits.DEFAULT.maxBytes()) + 65536L;
        Undertow.Builder builder = Undertow.builder()
                .addHttpsListener(config.listen().portOrDefault(), config.listen().hostOrDefault(), sslContext);
        if (config.listen().publicationPort() != null) {
            builder.addHttpListener(config.listen().publicationPort(), config.listen().hostOrDefault());
        }
        if (config.windows() != null) {
            // key-based renewal: clients may show a certificate of our CA; none is required
            builder.setSocketOption(Options.SSL_CLIENT_AUTH_MODE, org.xnio.SslClientAuthMode.REQUESTED);
            if (config.windows().port443() && config.listen().portOrDefault() != 443) {
                // Samba and cepces build the CEP URL from the host name alone: https://host/ADPolicyProvider_CEP_...
                builder.addHttpsListener(443, config.listen().hostOrDefault(), sslContext);
            }
        }
        this.undertow = builder
                .setSocketOption(Options.SSL_ENABLED_PROTOCOLS, Sequence.of("TLSv1.3", "TLSv1.2"))
                .setSocketOption(Options.SSL_ENABLED_CIPHER_SUITES, Sequence.of(TlsContexts.serverCipherSuites(sslContext)))
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, MAX_HEADER_BYTES)
                // a second, coarser bound behind BodyReader's exact one
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, maxEntity)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 30_000)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
                .setServerOption(UndertowOptions.IDLE_TIMEOUT, 120_000)
                .setHandler(graceful)
                .build();
    }

    /**
     * Wires a server from a validated configuration (see {@link ServerModule}); {@code overrides}
     * replace parts of it (a test's faulty store, an integrator's signer). Not started yet.
     */
    public static AutoenrollServer create(ServerConfig config, Module... overrides) {
        Module module = overrides.length == 0 ? new ServerModule(config) : Modules.override(new ServerModule(config)).with(overrides);
        Injector injector = Guice.createInjector(Stage.PRODUCTION, module);
        AutoenrollServer server = injector.getInstance(AutoenrollServer.class);
        server.runtime.get().injector = injector;
        server.reloader.overrides(overrides);
        return server;
    }

    /**
     * A part of this server as wired now (e.g. {@code CertificateStore.class}; after a reload, the
     * reloaded configuration's parts), for tests and embedding products; null for a server not made
     * by {@link #create}.
     */
    public <T> T component(Class<T> type) {
        Injector injector = runtime.get().injector;
        return injector == null ? null : injector.getInstance(type);
    }

    /**
     * Lets {@link #reload()} (SIGHUP, {@code POST /admin/v1/reload}) read {@code file} again: the
     * configuration file this server was loaded from.
     */
    public AutoenrollServer reloadableFrom(Path file) {
        reloader.file(file);
        return this;
    }

    /**
     * Reads the configuration file again and, when all of it is valid and built, serves new requests
     * with it; requests in flight finish on the configuration they started with. A bad file is
     * refused whole (logged and audited) and the running configuration stays. Tenants, AD servers,
     * templates, profile, LDAP settings and realms with their keytabs reload; a change to listen,
     * database, ca, audit, limits, windows or admin is refused (they need a restart).
     */
    public ConfigReloading.Outcome reload() {
        // not beside stop(): a runtime built while stopping would outlive it
        synchronized (this) {
            if (stopped) {
                return ConfigReloading.Outcome.refused(java.util.List.of("(reload): the server is stopping"));
            }
            return reloader.reload();
        }
    }

    /**
     * Starts listening.
     *
     * @throws ListenException when a configured port cannot be bound, naming it and its key
     */
    public synchronized AutoenrollServer start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        try {
            undertow.start();
        } catch (RuntimeException e) {
            // e.g. the port is taken: release the database and pools before reporting it (not Undertow.stop(): after a
            // failed start it waits forever for xnio's worker)
            stopped = true;
            resources.close();
            ListenException listen = ListenException.of(e, listeners());
            throw listen != null ? listen : e;
        }
        resources.register(new CrlSchedule(publication, CRL_REBUILD_EVERY));
        StartupChecks.warnings(config).forEach(warning -> LOG.warn("configuration: {}", warning));
        LOG.info("autoenroll server listening on https://{}:{}", address().getHostString(), port());
        if (config.listen().publicationPort() != null) {
            LOG.info("CA certificate, CRLs and OCSP also on http://{}:{}", address().getHostString(), publicationPort());
        }
        return this;
    }

    /** The listeners of the configuration, by the key that sets each port, in the order Undertow binds them. */
    private java.util.List<ListenException.Listener> listeners() {
        String host = config.listen().hostOrDefault();
        java.util.List<ListenException.Listener> listeners = new java.util.ArrayList<>();
        listeners.add(new ListenException.Listener("listen.port", host, config.listen().portOrDefault()));
        if (config.listen().publicationPort() != null) {
            listeners.add(new ListenException.Listener("listen.publicationPort", host, config.listen().publicationPort()));
        }
        if (config.windows() != null && config.windows().port443() && config.listen().portOrDefault() != 443) {
            listeners.add(new ListenException.Listener("windows.listen443", host, 443));
        }
        return listeners;
    }

    /** The address actually bound (the port is the real one when the configuration asked for 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
    }

    public int port() {
        return address().getPort();
    }

    /** The plain-HTTP publication port actually bound, or -1 when none is configured. */
    public int publicationPort() {
        return config.listen().publicationPort() != null
                ? ((InetSocketAddress) undertow.getListenerInfo().get(1).getAddress()).getPort() : -1;
    }

    /** Graceful: refuse new requests (503), wait for those in flight, stop, close resources. Idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            if (started) {
                graceful.shutdown();
                if (!graceful.awaitShutdown(DRAIN_TIMEOUT.toMillis())) {
                    LOG.warn("requests still in flight after {}; stopping anyway", DRAIN_TIMEOUT);
                }
                undertow.stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            undertow.stop();
        } finally {
            reloader.close();
            runtime.get().resources.close();
            resources.close();
            LOG.info("autoenroll server stopped");
        }
    }

    @Override
    public void close() {
        stop();
    }
}
