package io.jgun.sea;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Verifies SEA signatures (docs/protocol.md §10.2), remembering imported public keys and the
 * signatures found valid, each in a bounded LRU. A valid signature of a given text by a given key
 * stays valid, so a remembered one is as good as verifying again. Thread-safe.
 */
final class SignatureVerifier {
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private final Lru<String, ECPublicKey> keys;
  private final Lru<String, Boolean> valid;
  private final java.util.concurrent.atomic.LongAdder verifications = new java.util.concurrent.atomic.LongAdder();

  SignatureVerifier(int keyCapacity, int signatureCapacity) {
    keys = new Lru<>(keyCapacity);
    valid = new Lru<>(signatureCapacity);
  }

  /** True if {@code sigB64} is a valid SEA signature of {@code text} by {@code pub}; never throws. */
  boolean verify(String text, String sigB64, String pub) {
    return proof(text, sigB64, pub) != null;
  }

  /**
   * The proof that {@code sigB64} is {@code pub}'s valid signature of {@code text} (a key naming
   * the key, the signature and the hash of the text, see {@link #proofOf}), or null if it is not
   * valid; never throws.
   */
  @Nullable String proof(String text, String sigB64, String pub) {
    byte[] sig;
    try {
      sig = B64D.decode(sigB64);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (sig.length != 64) {
      return null; // WebCrypto takes raw r||s only; DER is refused (docs/protocol.md §10.2)
    }
    byte[] h = Sea.sha256(SeaJson.utf8(text));
    String proof = proofOf(pub, sigB64, h);
    if (valid.get(proof) != null) {
      return proof;
    }
    if (!verifyDigest(h, sig, pub)) {
      return null;
    }
    valid.put(proof, Boolean.TRUE);
    return proof;
  }

  /** The proof of a signature of {@code text}, valid or not: what {@link #proof} returns when valid. */
  static String proofOf(String text, String sigB64, String pub) {
    return proofOf(pub, sigB64, Sea.sha256(SeaJson.utf8(text)));
  }

  private static String proofOf(String pub, String sigB64, byte[] hash) {
    return pub + '\n' + sigB64 + '\n' + B64.encodeToString(hash);
  }

  /** True if {@code sig} (raw r||s) is {@code pub}'s ECDSA-SHA-256 signature of the 32 bytes {@code h}. */
  boolean verifyDigest(byte[] h, byte[] sig, String pub) {
    if (sig.length != 64) {
      return false;
    }
    verifications.increment();
    try {
      Signature v = Signature.getInstance("SHA256withECDSAinP1363Format");
      v.initVerify(publicKey(pub));
      v.update(h);
      return v.verify(sig);
    } catch (SeaException | GeneralSecurityException e) {
      return false;
    }
  }

  /** The public key {@code x.y}, imported once while it stays in the cache, as SEA caches keys. */
  ECPublicKey publicKey(String xy) {
    ECPublicKey k = keys.get(xy);
    if (k == null) {
      k = EcKeys.publicKey(xy);
      keys.put(xy, k);
    }
    return k;
  }

  /** How many signatures were verified with ECDSA, cache hits not counted (for tests). */
  long verifications() {
    return verifications.sum();
  }

  /** How many valid signatures are remembered (for tests). */
  int rememberedSignatures() {
    return valid.size();
  }
}
