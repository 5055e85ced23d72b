package cn.onenet.identity.service;

import com.nimbusds.oauth2.sdk.ErrorObject;

/** A protocol failure answered with an OAuth 2.0 error object (RFC 6749 §5.2 and friends). */
public class OAuthFailure extends Exception {

    private final transient ErrorObject error;
    private final String detail;

    public OAuthFailure(ErrorObject error) {
        this(error, error.getDescription());
    }

    /**
     * A failure whose answer ({@code error}) says less than {@code detail}, the precise reason, which only the audit
     * trail keeps (a client authentication failure must not tell which client ids exist).
     */
    public OAuthFailure(ErrorObject error, String detail) {
        super(detail, null, false, false);
        this.error = error;
        this.detail = detail;
    }

    public ErrorObject error() {
        return error;
    }

    /** The precise reason, for the audit trail; the answer's description when there is no more to say. */
    public String detail() {
        return detail;
    }
}
