package cn.onenet.common.requestid;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.ext.Provider;

/** Carries the current request id on every outgoing REST-client call, so one id follows a request across services. */
@Provider
public class RequestIdClientFilter implements ClientRequestFilter {

    @Override
    public void filter(ClientRequestContext requestContext) {
        String id = RequestIds.current();
        if (id != null && !requestContext.getHeaders().containsKey(RequestIds.HEADER)) {
            requestContext.getHeaders().putSingle(RequestIds.HEADER, id);
        }
    }
}
