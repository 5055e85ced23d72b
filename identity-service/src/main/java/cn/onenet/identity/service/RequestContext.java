package cn.onenet.identity.service;

import cn.onenet.common.requestid.RequestIds;

/** The current request id, for audit records. */
final class RequestContext {

    private RequestContext() {
    }

    static String requestId() {
        try {
            return RequestIds.current();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
