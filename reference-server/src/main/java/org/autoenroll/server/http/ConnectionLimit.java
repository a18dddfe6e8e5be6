package org.autoenroll.server.http;

import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.autoenroll.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * Caps the connections one client address holds open: a connection is counted from its first
 * request until it closes, and the first request of one over the cap is answered
 * {@link ErrorCode#TOO_MANY_CONNECTIONS} (63, HTTP 429) and its connection closed. With bodies
 * received without workers, what a slow client holds is connections: this bounds how many.
 * Thread-safe.
 */
public final class ConnectionLimit implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);
    private static final AttachmentKey<Boolean> COUNTED = AttachmentKey.create(Boolean.class);

    private final int maxPerAddress;
    private final HttpHandler next;
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();

    public ConnectionLimit(int maxPerAddress, HttpHandler next) {
        if (maxPerAddress < 1) {
            throw new IllegalArgumentException("maxPerAddress must be positive");
        }
        this.maxPerAddress = maxPerAddress;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        ServerConnection connection = exchange.getConnection();
        if (connection.getAttachment(COUNTED) == null && exchange.getSourceAddress() != null) {
            connection.putAttachment(COUNTED, Boolean.TRUE);
            InetAddress address = exchange.getSourceAddress().getAddress();
            int count = open.merge(address, 1, Integer::sum);
            connection.addCloseListener(closed -> open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1));
            if (count > maxPerAddress) {
                LOG.warn("{} holds more than {} connections; refusing the newest", address.getHostAddress(), maxPerAddress);
                exchange.setPersistent(false);
                Responses.error(exchange, 429, ErrorCode.TOO_MANY_CONNECTIONS, null, new IoCallback() {
                    @Override
                    public void onComplete(HttpServerExchange ex, Sender sender) {
                        BodyReception.closeSoon(ex);
                        IoCallback.END_EXCHANGE.onComplete(ex, sender);
                    }

                    @Override
                    public void onException(HttpServerExchange ex, Sender sender, IOException e) {
                        IoUtils.safeClose(ex.getConnection());
                    }
                });
                return;
            }
        }
        next.handleRequest(exchange);
    }

    /** Connections now counted for {@code address} (for tests and metrics). */
    public int openFrom(InetAddress address) {
        return open.getOrDefault(address, 0);
    }
}
