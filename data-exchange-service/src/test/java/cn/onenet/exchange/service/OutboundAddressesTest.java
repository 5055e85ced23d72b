package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import cn.onenet.exchange.service.OutboundAddresses.Kind;

/** How an address is classed for outbound calls (webhooks, proxied providers). */
class OutboundAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = { "10.0.0.5", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
            "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3", "224.0.0.1", "255.255.255.255", "240.0.0.1",
            "198.18.0.1", "192.0.0.8", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:10.0.0.5",
            "::ffff:169.254.169.254", "::10.0.0.5", "64:ff9b::a00:5", "2002:a00:5::1", "fec0::1" })
    void internalAddressesAreNotPublic(String literal) throws Exception {
        assertEquals(Kind.NOT_PUBLIC, OutboundAddresses.kind(InetAddress.getByName(literal)), literal);
    }

    @ParameterizedTest
    @ValueSource(strings = { "127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1", "64:ff9b::7f00:1" })
    void loopbackAddresses(String literal) throws Exception {
        assertEquals(Kind.LOOPBACK, OutboundAddresses.kind(InetAddress.getByName(literal)), literal);
    }

    @ParameterizedTest
    @ValueSource(strings = { "8.8.8.8", "172.32.0.1", "100.128.0.1", "59.202.1.1", "2400:3200::1",
            "::ffff:59.202.1.1" })
    void publicAddresses(String literal) throws Exception {
        assertEquals(Kind.PUBLIC, OutboundAddresses.kind(InetAddress.getByName(literal)), literal);
    }
}
