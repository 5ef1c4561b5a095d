package io.jgun.client;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Options of one write, Gun.js's {@code put(data, cb, {opt: {...}})}. Today one option exists: a
 * write certificate ({@code opt.cert}, docs/protocol.md §10.5), with which a logged-in user writes
 * into another user's graph.
 *
 * <pre>{@code
 * // alice, once: lets bob write under ~alice/inbox
 * String cert = Sea.certify(List.of(bobPub), new Json.Obj(Map.of("*", Json.of("inbox"))), alicePair, null, null);
 * bob.user(alicePub).get("inbox").get(bobPub).put("hi Alice", PutOptions.cert(cert)).join();
 * }</pre>
 */
public final class PutOptions {
  private static final PutOptions NONE = new PutOptions(null);

  private final @Nullable String cert;

  private PutOptions(@Nullable String cert) {
    this.cert = cert;
  }

  /** No options: a plain write (signed when it goes into the logged-in user's own graph). */
  public static PutOptions none() {
    return NONE;
  }

  /**
   * Write with {@code certificate} (a {@code SEA{"m":…,"s":…}} string from the graph owner's
   * {@code Sea.certify}): every field of the write that lands in someone else's user graph is
   * signed with the logged-in user's pair and carries the certificate and the writer's pub, as
   * Gun.js's SEA writes it ({@code {"*":pub,"+":cert,":":value,"~":sig}}). Fields in the writer's
   * own graph are signed as usual; other souls are untouched. Without a logged-in user the
   * certificate is ignored, as in Gun.js, and SEA's firewall refuses the write ({@code
   * "Unverified data."}).
   */
  public static PutOptions cert(String certificate) {
    Objects.requireNonNull(certificate, "certificate");
    if (certificate.isBlank()) {
      throw new IllegalArgumentException("an empty certificate");
    }
    return new PutOptions(certificate);
  }

  /** The certificate, if any. */
  public Optional<String> certificate() {
    return Optional.ofNullable(cert);
  }

  @Nullable String certOrNull() {
    return cert;
  }

  @Override
  public String toString() {
    return cert == null ? "PutOptions[]" : "PutOptions[cert]";
  }
}
