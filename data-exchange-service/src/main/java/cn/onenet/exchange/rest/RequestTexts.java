package cn.onenet.exchange.rest;

import java.io.IOException;

import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import cn.onenet.exchange.service.TextLimits;

/**
 * Every request body, once read, has its texts checked against the limits its model states ({@link TextLimits}):
 * too long or not printable is a 400 naming the field before the resource runs, so nothing is done with it.
 */
@Provider
@ConstrainedTo(RuntimeType.SERVER)
public class RequestTexts implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        Object body = context.proceed();
        TextLimits.require(body);
        return body;
    }
}
