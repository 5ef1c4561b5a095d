package io.jgun.wire;

import io.jgun.json.JsNumber;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The random ids of the protocol, drawn as Gun.js draws them (docs/protocol.md §8.1, §1.4): strings
 * over Gun's 61-character alphabet (the digits, then the capitals without {@code Y}, then the small
 * letters), 9 characters for message ids and peer ids, 7 for the field name of a {@code set}
 * primitive, and souls made of the state in base 36 plus 12 random characters.
 *
 * <p>Randomness comes from an injected {@link RandomGenerator}, so tests can seed it. The default
 * ({@link #secure()}) is a {@link SecureRandom}: a message id is a dedup key in every peer it
 * reaches, so a peer that could predict our ids could send them first and have our messages dropped
 * as duplicates (and could guess generated souls). Gun.js itself uses {@code Math.random}; being
 * stricter costs nothing on the wire. The cost is kept low by taking ten characters from each
 * 64-bit draw (see {@link #random(int)}), so a message id is about one {@code nextLong()}.
 *
 * <p>An {@code Ids} is as thread-safe as its generator: the default one is; one made over a
 * {@link java.util.SplittableRandom} or another unsynchronized generator must stay on one thread.
 */
public final class Ids {

  /** Gun's id alphabet: 61 characters, no capital {@code Y} (docs/protocol.md §8.1). */
  public static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXZabcdefghijklmnopqrstuvwxyz";

  /** Length of message ids ({@code #}) and peer ids ({@code pid}). */
  public static final int MESSAGE_ID_LENGTH = 9;

  /** Length of the random part of a generated soul ({@code opt.uuid}). */
  public static final int SOUL_RANDOM_LENGTH = 12;

  /** Length of the field name {@code .set(primitive)} generates. */
  public static final int SET_KEY_LENGTH = 7;

  private static final int BASE = ALPHABET.length(); // 61
  private static final int DIGITS_PER_DRAW = 10;
  private static final long BASE_POW = pow(BASE, DIGITS_PER_DRAW); // 61^10 < 2^63
  // The largest multiple of 61^10 that fits in 63 bits: draws at or above it are redrawn, so
  // that every 10-digit block is exactly uniform (about 7% of draws are redrawn).
  private static final long ACCEPT_BELOW = (Long.MAX_VALUE / BASE_POW) * BASE_POW;


  private final RandomGenerator random;

  /** Ids drawn from {@code random}. */
  public Ids(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  /** Ids drawn from a new {@link SecureRandom}; thread-safe. */
  public static Ids secure() {
    return new Ids(new SecureRandom());
  }

  /**
   * {@code len} characters drawn uniformly and independently from {@link #ALPHABET}, as Gun.js's
   * {@code String.random(len)}.
   *
   * @throws IllegalArgumentException if {@code len} is negative
   */
  public String random(int len) {
    if (len < 0) {
      throw new IllegalArgumentException("negative id length: " + len);
    }
    char[] out = new char[len];
    int i = 0;
    while (i < len) {
      long draw;
      do {
        draw = random.nextLong() >>> 1; // 63 uniform bits
      } while (draw >= ACCEPT_BELOW);
      draw %= BASE_POW; // uniform over [0, 61^10): ten independent base-61 digits
      for (int d = 0; d < DIGITS_PER_DRAW && i < len; d++) {
        out[i++] = ALPHABET.charAt((int) (draw % BASE));
        draw /= BASE;
      }
    }
    return new String(out);
  }

  /** A new message id ({@code #}): 9 random characters. */
  public String messageId() {
    return random(MESSAGE_ID_LENGTH);
  }

  /** A new peer id ({@code pid} of {@code dam:'?'}): 9 random characters. */
  public String pid() {
    return random(MESSAGE_ID_LENGTH);
  }

  /** A field name for {@code .set(primitive)}: 7 random characters. */
  public String setKey() {
    return random(SET_KEY_LENGTH);
  }

  /**
   * A new soul as Gun.js's default {@code opt.uuid()} makes it (docs/protocol.md §1.4): the state
   * in base 36 as JavaScript prints it, without its point, then 12 random characters. For an
   * integral state of today the base-36 part is 8 characters ({@code mwumrs6m} + {@code
   * mEMzlcPkpbxj}); a fractional state adds its fraction digits.
   *
   * @throws IllegalArgumentException if {@code state} is NaN or infinite
   */
  public String soul(double state) {
    return radix36(state).replace(".", "") + random(SOUL_RANDOM_LENGTH);
  }

  /** JavaScript's {@code value.toString(36)} (V8's output, as Gun.js's uuid uses it). */
  static String radix36(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("not a finite state: " + value);
    }
    return JsNumber.toRadixString(value, 36);
  }

  private static long pow(long base, int exp) {
    long r = 1;
    for (int i = 0; i < exp; i++) {
      r = Math.multiplyExact(r, base);
    }
    return r;
  }
}
