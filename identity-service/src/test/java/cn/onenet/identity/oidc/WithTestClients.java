package cn.onenet.identity.oidc;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;

/** Tests that need the test clients ({@link TestClients}) registered before each test, and the clients' API path. */
public abstract class WithTestClients {

    public static final String CLIENTS = "/api/identity/v1/clients";

    @Inject
    protected TestClients clients;

    @BeforeEach
    void clientsInPlace() {
        clients.ensure(null);
    }
}
