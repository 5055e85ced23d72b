package cn.onenet.common.problem;

import java.util.function.Consumer;

import io.vertx.core.http.HttpServerResponse;

/**
 * Headers a module adds to the answers given before any route runs ({@link DecoderRefusals},
 * {@link UnparsableTargetRefusals}): the gateway's security headers. A bean of this type is found at start-up.
 */
public interface RefusalHeaders extends Consumer<HttpServerResponse> {
}
