package io.bulwark.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads an HTTP answer as UTF-8 text, at most {@code maxBytes} of it: a longer answer (declared or sent) fails
 * with {@link TooLarge} and the rest is not read. For answers from other agents (the leader race's
 * {@code GET /patroni}, {@code bulwarkctl}'s calls): a broken or hostile peer must not fill a 64 MB heap.
 */
public final class BoundedBody {
    /** The cap for peer answers; a {@code /patroni} or {@code /cluster} body is a few KB. */
    public static final int PEER_MAX_BYTES = 1 << 20;

    private BoundedBody() {
    }

    /** The answer was larger than allowed. */
    public static final class TooLarge extends IOException {
        TooLarge(long maxBytes) {
            super("answer larger than " + maxBytes + " bytes; refused");
        }
    }

    /**
     * Whether {@code e} (or its cause: {@code HttpClient.send} wraps the body's exception in a new
     * {@code IOException}, {@code sendAsync} in a {@code CompletionException}) is a {@link TooLarge}.
     */
    public static boolean isTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TooLarge) {
                return true;
            }
        }
        return false;
    }

    public static HttpResponse.BodyHandler<String> utf8(long maxBytes) {
        return info -> {
            OptionalLong declared = info.headers().firstValueAsLong("Content-Length");
            return new Capped(maxBytes, declared.isPresent() && declared.getAsLong() > maxBytes);
        };
    }

    private static final class Capped implements HttpResponse.BodySubscriber<String> {
        private final long maxBytes;
        private final boolean refuseAtOnce;
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        Capped(long maxBytes, boolean refuseAtOnce) {
            this.maxBytes = maxBytes;
            this.refuseAtOnce = refuseAtOnce;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (refuseAtOnce) {
                refuse();
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : items) {
                if ((long) buffer.size() + b.remaining() > maxBytes) {
                    refuse();
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                buffer.writeBytes(chunk);
            }
        }

        private void refuse() {
            subscription.cancel();
            result.completeExceptionally(new TooLarge(maxBytes));
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(buffer.toString(StandardCharsets.UTF_8));
        }

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }
    }
}
