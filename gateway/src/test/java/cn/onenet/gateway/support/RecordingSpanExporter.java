package cn.onenet.gateway.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * An in-memory span exporter for the tests (the SDK's testing artifact is not a dependency): it receives what an
 * OTLP exporter would send, through a simple span processor that Quarkus adds to the tracer provider like any
 * other processor bean. Keeps the last 2,000 spans.
 */
public class RecordingSpanExporter implements SpanExporter {

    public static final RecordingSpanExporter SPANS = new RecordingSpanExporter();

    private final ConcurrentLinkedDeque<SpanData> spans = new ConcurrentLinkedDeque<>();

    @Produces
    @Singleton
    static SpanProcessor recording() {
        return SimpleSpanProcessor.create(SPANS);
    }

    public List<SpanData> exported() {
        return new ArrayList<>(spans);
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
        spans.addAll(batch);
        while (spans.size() > 2_000) {
            spans.pollFirst();
        }
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
