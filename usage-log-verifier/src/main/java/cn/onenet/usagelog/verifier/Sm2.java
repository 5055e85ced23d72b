package cn.onenet.usagelog.verifier;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * SM2 signature verification with SM3 (GB/T 32918.2, GB/T 32905) on the recommended curve sm2p256v1, in plain Java:
 * the JDK has neither, and the verifier takes no other library. The exchange's {@code SM2SM3} seals sign the JWS
 * signing input with the default user ID {@code 1234567812345678} and encode the signature as r||s, 32 bytes each.
 * Only public values are handled, so timing does not matter here.
 */
final class Sm2 {

    static final BigInteger P = hex("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF");
    static final BigInteger A = hex("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC");
    static final BigInteger B = hex("28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93");
    static final BigInteger N = hex("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123");
    static final Point G = new Point(hex("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7"),
            hex("BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0"));
    static final byte[] DEFAULT_ID = "1234567812345678".getBytes(StandardCharsets.US_ASCII);

    /** An affine point; null stands for the point at infinity. */
    record Point(BigInteger x, BigInteger y) {

        boolean onCurve() {
            return x.signum() >= 0 && x.compareTo(P) < 0 && y.signum() >= 0 && y.compareTo(P) < 0
                    && y.pow(2).subtract(x.pow(3).add(A.multiply(x)).add(B)).mod(P).signum() == 0;
        }
    }

    private Sm2() {
    }

    /** Whether {@code signature} (r||s) is key {@code q}'s SM2 signature of {@code message} under the default ID. */
    static boolean verify(Point q, byte[] message, byte[] signature) {
        if (signature.length != 64 || !q.onCurve()) {
            return false;
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        if (r.signum() == 0 || r.compareTo(N) >= 0 || s.signum() == 0 || s.compareTo(N) >= 0) {
            return false;
        }
        BigInteger t = r.add(s).mod(N);
        if (t.signum() == 0) {
            return false;
        }
        Point sum = add(multiply(G, s), multiply(q, t));
        return sum != null && digest(q, message).add(sum.x()).mod(N).equals(r);
    }

    /** e = SM3(Z_A || M) as a number, Z_A = SM3(ENTL || ID || a || b || xG || yG || xA || yA). */
    static BigInteger digest(Point q, byte[] message) {
        byte[] za = Sm3.hash(concat(new byte[] { (byte) (DEFAULT_ID.length * 8 >> 8), (byte) (DEFAULT_ID.length * 8) },
                DEFAULT_ID, bytes32(A), bytes32(B), bytes32(G.x()), bytes32(G.y()), bytes32(q.x()), bytes32(q.y())));
        return new BigInteger(1, Sm3.hash(concat(za, message)));
    }

    static Point add(Point p, Point q) {
        if (p == null) {
            return q;
        }
        if (q == null) {
            return p;
        }
        if (p.x().equals(q.x())) {
            return p.y().add(q.y()).mod(P).signum() == 0 ? null : twice(p);
        }
        BigInteger l = q.y().subtract(p.y()).multiply(q.x().subtract(p.x()).modInverse(P)).mod(P);
        BigInteger x = l.pow(2).subtract(p.x()).subtract(q.x()).mod(P);
        return new Point(x, l.multiply(p.x().subtract(x)).subtract(p.y()).mod(P));
    }

    static Point twice(Point p) {
        if (p == null || p.y().signum() == 0) {
            return null;
        }
        BigInteger l = p.x().pow(2).multiply(BigInteger.valueOf(3)).add(A)
                .multiply(p.y().shiftLeft(1).modInverse(P)).mod(P);
        BigInteger x = l.pow(2).subtract(p.x().shiftLeft(1)).mod(P);
        return new Point(x, l.multiply(p.x().subtract(x)).subtract(p.y()).mod(P));
    }

    static Point multiply(Point p, BigInteger k) {
        Point result = null;
        for (int i = k.bitLength() - 1; i >= 0; i--) {
            result = twice(result);
            if (k.testBit(i)) {
                result = add(result, p);
            }
        }
        return result;
    }

    /** A number as 32 big-endian bytes. */
    static byte[] bytes32(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - n, out, 32 - n, n);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static BigInteger hex(String h) {
        return new BigInteger(h, 16);
    }

    /** The SM3 hash (GB/T 32905-2016). */
    static final class Sm3 {

        private static final int[] IV = { 0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa,
                0xe38dee4d, 0xb0fb0e4e };

        private Sm3() {
        }

        static byte[] hash(byte[] message) {
            long bits = message.length * 8L;
            int padded = (message.length + 9 + 63) / 64 * 64;
            byte[] m = Arrays.copyOf(message, padded);
            m[message.length] = (byte) 0x80;
            for (int i = 0; i < 8; i++) {
                m[padded - 1 - i] = (byte) (bits >>> (8 * i));
            }
            int[] v = IV.clone();
            int[] w = new int[68];
            int[] w1 = new int[64];
            for (int block = 0; block < padded; block += 64) {
                for (int j = 0; j < 16; j++) {
                    int o = block + 4 * j;
                    w[j] = (m[o] & 0xff) << 24 | (m[o + 1] & 0xff) << 16 | (m[o + 2] & 0xff) << 8 | (m[o + 3] & 0xff);
                }
                for (int j = 16; j < 68; j++) {
                    w[j] = p1(w[j - 16] ^ w[j - 9] ^ Integer.rotateLeft(w[j - 3], 15))
                            ^ Integer.rotateLeft(w[j - 13], 7) ^ w[j - 6];
                }
                for (int j = 0; j < 64; j++) {
                    w1[j] = w[j] ^ w[j + 4];
                }
                int a = v[0], b = v[1], c = v[2], d = v[3], e = v[4], f = v[5], g = v[6], h = v[7];
                for (int j = 0; j < 64; j++) {
                    int t = j < 16 ? 0x79cc4519 : 0x7a879d8a;
                    int ss1 = Integer.rotateLeft(Integer.rotateLeft(a, 12) + e + Integer.rotateLeft(t, j % 32), 7);
                    int ss2 = ss1 ^ Integer.rotateLeft(a, 12);
                    int ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
                    int gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
                    int tt1 = ff + d + ss2 + w1[j];
                    int tt2 = gg + h + ss1 + w[j];
                    d = c;
                    c = Integer.rotateLeft(b, 9);
                    b = a;
                    a = tt1;
                    h = g;
                    g = Integer.rotateLeft(f, 19);
                    f = e;
                    e = p0(tt2);
                }
                v[0] ^= a;
                v[1] ^= b;
                v[2] ^= c;
                v[3] ^= d;
                v[4] ^= e;
                v[5] ^= f;
                v[6] ^= g;
                v[7] ^= h;
            }
            byte[] out = new byte[32];
            for (int i = 0; i < 8; i++) {
                out[4 * i] = (byte) (v[i] >>> 24);
                out[4 * i + 1] = (byte) (v[i] >>> 16);
                out[4 * i + 2] = (byte) (v[i] >>> 8);
                out[4 * i + 3] = (byte) v[i];
            }
            return out;
        }

        private static int p0(int x) {
            return x ^ Integer.rotateLeft(x, 9) ^ Integer.rotateLeft(x, 17);
        }

        private static int p1(int x) {
            return x ^ Integer.rotateLeft(x, 15) ^ Integer.rotateLeft(x, 23);
        }
    }
}
