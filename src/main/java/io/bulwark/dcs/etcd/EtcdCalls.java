package io.bulwark.dcs.etcd;

import io.bulwark.dcs.DcsException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Bounds every etcd call by the retry budget and turns failures into {@link DcsException}s that name the
 * endpoints, the operation and how much of the budget was spent.
 *
 * <p>Two layers: the caller waits at most until its deadline ({@link #await}), and {@link #deadlineInterceptor}
 * puts a gRPC deadline on every call except watches, so a call to a stalled etcd (SIGSTOP, black-holed
 * network) is also cancelled on the wire instead of piling up for the rest of the outage.
 */
final class EtcdCalls {
    /** etcd answered "requested lease not found": the lease expired; grant a new one. */
    static final class LeaseNotFoundException extends DcsException {
        LeaseNotFoundException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String endpoints;
    private volatile Duration retryTimeout;
    private volatile Supplier<String> diagnosis = () -> null;
    private volatile Runnable onUnreachable = () -> { };

    EtcdCalls(String endpoints, Duration retryTimeout) {
        this.endpoints = endpoints;
        this.retryTimeout = retryTimeout;
    }

    /** Explains connection failures (a TLS probe); its non-null answer is appended to timeouts and UNAVAILABLE. */
    void diagnoseWith(Supplier<String> diagnosis) {
        this.diagnosis = diagnosis;
    }

    /** Runs on every timeout and UNAVAILABLE failure (a connect-backoff reset, see {@link ConnectBackoff}). */
    void onUnreachable(Runnable action) {
        this.onUnreachable = action;
    }

    String endpoints() {
        return endpoints;
    }

    void setRetryTimeout(Duration retryTimeout) {
        this.retryTimeout = retryTimeout;
    }

    /** A monotonic deadline one retry budget from now, shared by every step of one operation. */
    long deadline() {
        return System.nanoTime() + retryTimeout.toNanos();
    }

    /** Issues the call and waits for it until {@code deadline}; failures to even send it count as failures. */
    <T> T await(Supplier<CompletableFuture<T>> call, long deadline, String what) throws DcsException {
        long started = deadline - retryTimeout.toNanos();
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (RuntimeException e) {
            throw failure(e, what, started);
        }
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            onUnreachable.run();
            throw new DcsException("etcd " + what + " did not answer within the " + budget() + " retry budget"
                    + " (endpoints " + endpoints + ")" + diagnosis());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new DcsException("interrupted while waiting for etcd " + what);
        } catch (ExecutionException | CompletionException | CancellationException e) {
            throw failure(e.getCause() == null ? e : e.getCause(), what, started);
        }
    }

    private DcsException failure(Throwable cause, String what, long started) {
        Throwable root = cause;
        while ((root instanceof CompletionException || root instanceof ExecutionException) && root.getCause() != null) {
            root = root.getCause();
        }
        String text = String.valueOf(root.getMessage());
        if (text.contains("lease not found")) {
            return new LeaseNotFoundException("etcd " + what + ": requested lease not found", root);
        }
        Status status = Status.fromThrowable(root);
        String reason = status.getCode() == Status.Code.UNKNOWN
                ? root.getClass().getSimpleName() + ": " + text
                : status.getCode() + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")");
        double spent = (System.nanoTime() - started) / 1e9;
        if (status.getCode() == Status.Code.UNAVAILABLE || status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            onUnreachable.run();
        }
        String hint = switch (status.getCode()) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, UNKNOWN -> diagnosis();
            default -> "";
        };
        return new DcsException(String.format("etcd %s failed after %.1fs of %s retry budget: %s (endpoints %s)%s",
                what, spent, budget(), reason, endpoints, hint), root);
    }

    private String diagnosis() {
        String found = diagnosis.get();
        return found == null ? "" : "; " + found;
    }

    private String budget() {
        Duration d = retryTimeout;
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** gRPC deadline = retry budget on every call but the long-lived watch stream. */
    ClientInterceptor deadlineInterceptor() {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                                                         Channel next) {
                CallOptions bounded = options;
                if (options.getDeadline() == null && !method.getFullMethodName().startsWith("etcdserverpb.Watch/")) {
                    bounded = options.withDeadlineAfter(retryTimeout.toMillis(), TimeUnit.MILLISECONDS);
                }
                return next.newCall(method, bounded);
            }
        };
    }
}
