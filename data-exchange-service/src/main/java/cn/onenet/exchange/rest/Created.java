package cn.onenet.exchange.rest;

import java.net.URI;

import jakarta.ws.rs.core.Response;

/** The 201 answer of a POST that creates an object: Location names it, the body is its view. */
final class Created {

    private Created() {
    }

    /** 201 with Location {@code /api/exchange/v1/<collection>/<id>}; the caller may add headers before building. */
    static Response.ResponseBuilder at(String collection, long id, Object view) {
        return Response.created(URI.create("/api/exchange/v1/" + collection + "/" + id)).entity(view);
    }
}
