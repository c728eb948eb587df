package io.bulwark.api;

import java.net.http.HttpClient;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * JDK {@link HttpClient}s for {@code http://} URLs only. A client built without an {@link SSLContext} takes the
 * JVM's default one at once, which starts JSSE and parses the whole CA trust store (some 500 classes and 1-2 MB
 * of heap kept for the life of the agent) even if it never makes an {@code https://} request. A plain-http
 * client gets a context that refuses to be used instead; callers send {@code https://} URLs to a client with
 * the default context, built when first needed.
 */
public final class PlainHttp {
    private static final SSLContext UNUSABLE = new SSLContext(new Refusing(), null, "none") {
    };

    private PlainHttp() {
    }

    /** {@code builder} set up so that building it does not touch TLS; use the client for http:// only. */
    public static HttpClient.Builder withoutTls(HttpClient.Builder builder) {
        return builder.sslContext(UNUSABLE).sslParameters(new SSLParameters());
    }

    /** True for an {@code https://} URL (case-insensitive), the ones a {@link #withoutTls} client cannot fetch. */
    public static boolean isHttps(String url) {
        return url.regionMatches(true, 0, "https:", 0, 6);
    }

    private static final class Refusing extends SSLContextSpi {
        private static UnsupportedOperationException refused() {
            return new UnsupportedOperationException("TLS is not available on a client meant for http:// URLs");
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw refused();
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw refused();
        }
    }
}
