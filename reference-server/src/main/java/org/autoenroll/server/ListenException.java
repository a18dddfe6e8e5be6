package org.autoenroll.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Locale;

/**
 * The server cannot listen where the configuration says: the message names the address, the
 * configuration key that sets it and why, in words ({@code cannot listen on 127.0.0.1:8443
 * (listen.port): address already in use}). Immutable.
 */
public final class ListenException extends RuntimeException {
    private final String key;
    private final int port;

    ListenException(String key, String host, int port, String reason, Throwable cause) {
        super("cannot listen on " + host + ":" + port + " (" + key + "): " + reason, cause);
        this.key = key;
        this.port = port;
    }

    /** The configuration key of the port that could not be bound, e.g. {@code listen.port}. */
    public String key() {
        return key;
    }

    public int port() {
        return port;
    }

    /** One listener of the configuration: the key that sets its port, its host and port. */
    record Listener(String key, String host, int port) {
    }

    /**
     * What {@code failure} (Undertow's, from {@code start()}) means for {@code listeners}: Undertow
     * does not say which listener failed, so each is tried again alone; the first that cannot bind
     * is the one named. Null when the failure is not a bind failure.
     */
    static ListenException of(RuntimeException failure, List<Listener> listeners) {
        BindException bind = null;
        for (Throwable t = failure; t != null && bind == null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BindException b) {
                bind = b;
            }
        }
        if (bind == null) {
            return null;
        }
        for (Listener listener : listeners) {
            if (listener.port() == 0) {
                continue;
            }
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(listener.host(), listener.port()));
            } catch (IOException e) {
                return new ListenException(listener.key(), listener.host(), listener.port(), reason(e), failure);
            }
        }
        Listener first = listeners.get(0);
        return new ListenException(first.key(), first.host(), first.port(), reason(bind), failure);
    }

    private static String reason(IOException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (message.contains("already in use")) {
            return "address already in use (another process listens there; find it with ss -ltnp)";
        }
        if (message.contains("permission denied")) {
            return "permission denied (ports below 1024 need root or the capability CAP_NET_BIND_SERVICE)";
        }
        if (message.contains("assign requested address")) {
            return "no network interface of this machine has this address";
        }
        return message.isEmpty() ? e.getClass().getSimpleName() : message;
    }
}
