package io.jgun.sea;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;

/** P-256 keys to and from Gun's JWK-style text (docs/protocol.md §10.1). Stateless. */
final class EcKeys {
  private EcKeys() {}

  static final ECParameterSpec P256;
  private static final BigInteger P;
  private static final BigInteger A;
  private static final BigInteger B;

  static {
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec("secp256r1"));
      P256 = params.getParameterSpec(ECParameterSpec.class);
      P = ((java.security.spec.ECFieldFp) P256.getCurve().getField()).getP();
      A = P256.getCurve().getA();
      B = P256.getCurve().getB();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The public key {@code x.y}, checked to be a point of P-256 (callers cache it: {@link SignatureVerifier}). */
  static ECPublicKey publicKey(String xy) {
    int dot = xy.indexOf('.');
    if (dot < 0 || xy.indexOf('.', dot + 1) >= 0) {
      throw new SeaException(SeaException.Kind.INVALID_KEY, "a public key is x.y in base64url");
    }
    BigInteger x = coordinate(xy.substring(0, dot));
    BigInteger y = coordinate(xy.substring(dot + 1));
    if (x.compareTo(P) >= 0 || y.compareTo(P) >= 0
        || !y.multiply(y).subtract(x.pow(3).add(A.multiply(x)).add(B)).mod(P).equals(BigInteger.ZERO)) {
      throw new SeaException(SeaException.Kind.INVALID_KEY, "the public key is not a point of P-256");
    }
    try {
      return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), P256));
    } catch (GeneralSecurityException e) {
      throw new SeaException(SeaException.Kind.INVALID_KEY, "the public key was refused: " + e.getMessage(), e);
    }
  }

  /** The private key {@code d}. */
  static ECPrivateKey privateKey(String d) {
    BigInteger s = coordinate(d);
    if (s.signum() == 0 || s.compareTo(P256.getOrder()) >= 0) {
      throw new SeaException(SeaException.Kind.INVALID_KEY, "the private key is out of range");
    }
    try {
      return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(s, P256));
    } catch (GeneralSecurityException e) {
      throw new SeaException(SeaException.Kind.INVALID_KEY, "the private key was refused: " + e.getMessage(), e);
    }
  }

  private static BigInteger coordinate(String b64url) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(b64url);
    } catch (IllegalArgumentException e) {
      throw new SeaException(SeaException.Kind.INVALID_KEY, "a key part is not base64url", e);
    }
    if (bytes.length != 32) {
      throw new SeaException(SeaException.Kind.INVALID_KEY, "a key part must be 32 bytes, was " + bytes.length);
    }
    return new BigInteger(1, bytes);
  }

  static String text(ECPublicKey k) {
    return b64url(k.getW().getAffineX()) + "." + b64url(k.getW().getAffineY());
  }

  static String text(ECPrivateKey k) {
    return b64url(k.getS());
  }

  /** Exactly 32 bytes, big-endian, zero-padded (the JWK rule), in base64url without padding. */
  static String b64url(BigInteger v) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed32(v));
  }

  static byte[] fixed32(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }
}
