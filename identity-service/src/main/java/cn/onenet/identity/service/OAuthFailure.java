package cn.onenet.identity.service;

import com.nimbusds.oauth2.sdk.ErrorObject;

/** A protocol failure answered with an OAuth 2.0 error object (RFC 6749 §5.2 and friends). */
public class OAuthFailure extends Exception {

    private final transient ErrorObject error;

    public OAuthFailure(ErrorObject error) {
        super(error.getDescription(), null, false, false);
        this.error = error;
    }

    public ErrorObject error() {
        return error;
    }
}
