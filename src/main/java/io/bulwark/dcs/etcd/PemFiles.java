package io.bulwark.dcs.etcd;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and unencrypted private keys in the forms etcd deployments use: PKCS#8, PKCS#1 (RSA)
 * and SEC1 (EC), the last two re-wrapped as PKCS#8 so the JDK's key factories accept them. Every failure is an
 * {@link IllegalArgumentException} naming the file.
 */
final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
    private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201");

    private PemFiles() {
    }

    static List<X509Certificate> certificates(Path file, String what) {
        String text = read(file, what);
        List<X509Certificate> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                if (m.group(1).equals("CERTIFICATE")) {
                    byte[] der = body(m, file, what);
                    out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(what + " " + file + ": not a valid PEM certificate: "
                    + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(what + " " + file + ": no PEM certificate (-----BEGIN CERTIFICATE-----)"
                    + " in the file");
        }
        return out;
    }

    static PrivateKey privateKey(Path file, String what) {
        String text = read(file, what);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            boolean encrypted = type.equals("ENCRYPTED PRIVATE KEY")
                    || type.endsWith("PRIVATE KEY") && m.group(2).contains("ENCRYPTED");
            if (encrypted) {
                throw new IllegalArgumentException(what + " " + file + ": the private key is encrypted; etcd client"
                        + " keys must be unencrypted (openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)");
            }
            byte[] der = switch (type) {
                case "PRIVATE KEY" -> body(m, file, what);
                case "RSA PRIVATE KEY" -> pkcs8(RSA_ALGORITHM, body(m, file, what));
                case "EC PRIVATE KEY" -> pkcs8(ecAlgorithm(body(m, file, what), file, what), body(m, file, what));
                default -> null;
            };
            if (der != null) {
                return decode(der, file, what);
            }
        }
        throw new IllegalArgumentException(what + " " + file + ": no PEM private key (-----BEGIN PRIVATE KEY-----,"
                + " RSA PRIVATE KEY or EC PRIVATE KEY) in the file");
    }

    private static PrivateKey decode(byte[] pkcs8, Path file, String what) {
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "DSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException(what + " " + file + ": the private key cannot be read (not RSA, EC, EdDSA"
                + " or DSA); convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
    }

    /** SEC1 ECPrivateKey: SEQUENCE { version, privateKey OCTET STRING, [0] namedCurve OID, [1] publicKey }. */
    private static byte[] ecAlgorithm(byte[] sec1, Path file, String what) {
        int[] pos = {0};
        try {
            int end = enter(sec1, pos, 0x30);
            while (pos[0] < end) {
                int tag = sec1[pos[0]] & 0xff;
                int contentEnd = enter(sec1, pos, tag);
                if (tag == 0xa0) {
                    return concat(new byte[][] {EC_PUBLIC_KEY_OID, Arrays.copyOfRange(sec1, pos[0], contentEnd)}, 0x30);
                }
                pos[0] = contentEnd;
            }
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(what + " " + file + ": the EC PRIVATE KEY block is not valid DER", e);
        }
        throw new IllegalArgumentException(what + " " + file + ": the EC private key does not name its curve;"
                + " convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
    }

    /** Moves {@code pos} past the tag and length of a DER element; returns the end of its content. */
    private static int enter(byte[] der, int[] pos, int expectedTag) {
        if (pos[0] + 2 > der.length || (der[pos[0]] & 0xff) != expectedTag) {
            throw new IllegalArgumentException("malformed DER");
        }
        pos[0]++;
        int len = der[pos[0]++] & 0xff;
        if (len > 0x80) {
            int n = len - 0x80;
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (der[pos[0]++] & 0xff);
            }
        }
        if (pos[0] + len > der.length) {
            throw new IllegalArgumentException("malformed DER");
        }
        return pos[0] + len;
    }

    /** PrivateKeyInfo: SEQUENCE { INTEGER 0, algorithm, OCTET STRING key }. */
    private static byte[] pkcs8(byte[] algorithm, byte[] key) {
        return concat(new byte[][] {{0x02, 0x01, 0x00}, algorithm, tlv(0x04, key)}, 0x30);
    }

    private static byte[] concat(byte[][] parts, int tag) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return tlv(tag, out.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = content.length;
        if (len < 0x80) {
            out.write(len);
        } else {
            int bytes = len > 0xffffff ? 4 : len > 0xffff ? 3 : len > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(len >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] body(Matcher m, Path file, String what) {
        StringBuilder base64 = new StringBuilder();
        for (String line : m.group(2).split("\\R")) {
            if (!line.contains(":")) { // skip RFC 1421 headers such as Proc-Type
                base64.append(line.strip());
            }
        }
        try {
            return Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " " + file + ": the " + m.group(1)
                    + " block is not valid base64", e);
        }
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " " + file + ": cannot read the file ("
                    + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }
}
