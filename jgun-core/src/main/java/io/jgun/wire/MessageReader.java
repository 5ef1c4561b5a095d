package io.jgun.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.jgun.dam.DamProtocol;
import io.jgun.json.Json;
import io.jgun.json.JsNumber;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads WebSocket text frames into {@link Message}s with Jackson's streaming parser
 * (docs/protocol.md §3, §4.1), with limits on size, depth and message count, validating {@code put}
 * graphs (§3.3). Never throws on bad input: problems are reported in the returned {@link Frame}.
 *
 * <p>A frame is one JSON object or an array of them, decided by its first non-whitespace
 * character; {@code []} is a valid empty frame. In an array, elements that are not objects are
 * skipped and counted. The length limit is checked before any parsing; depth is enforced by the
 * parser as it streams, so a deep frame is refused without building anything deep.
 *
 * <p>Typed fields are read as Gun.js uses them: {@code #} and {@code @} are strings (a number is
 * taken as its JavaScript text; a falsy value — empty string, 0 — or any other type counts as
 * absent, as Gun.js treats a falsy id as none); {@code ##} is an int32 (another number is kept in
 * {@link Message#extra}); {@code dam}, {@code pid}, {@code ><} are strings ({@code dam} empty
 * counts as absent); {@code get} an object; {@code ok}, {@code err} and {@code %} any JSON. A typed
 * field of the wrong type is dropped. Other fields go to {@link Message#extra}. A repeated key keeps
 * its last value, as {@code JSON.parse} does.
 *
 * <p>A {@code put} is validated while it is read; an invalid one leaves {@link Message#put} null
 * and its reason, in Gun.js's words, in {@link Message#invalidPut} (see {@code GraphReader}), while
 * the rest of the message is still read so the caller can log it.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class MessageReader {
  private static final Logger LOG = LoggerFactory.getLogger(MessageReader.class);

  /** Gun.js's own frame limit, in characters (docs/protocol.md §4.1: opt.max). */
  public static final int GUN_MAX_FRAME_CHARS = 90_000_000;

  static final Frame.FrameError MALFORMED =
      new Frame.FrameError(Frame.Kind.MALFORMED, "DAM JSON parse error.");
  static final Frame.FrameError TOO_BIG = new Frame.FrameError(Frame.Kind.TOO_BIG, DamProtocol.TOO_BIG);
  static final Frame.FrameError TOO_DEEP = new Frame.FrameError(Frame.Kind.TOO_DEEP, "Message too deep!");
  static final Frame.FrameError TOO_MANY =
      new Frame.FrameError(Frame.Kind.TOO_MANY, "Too many messages in one frame!");

  /**
   * The limits a reader enforces; each must be at least 1.
   *
   * @param maxFrameChars the longest frame accepted, in UTF-16 characters (also bounds every
   *     string and key inside it)
   * @param maxDepth the deepest nesting of objects and arrays accepted, the frame's own object or
   *     array counting as 1 (a put inside an array frame needs 6)
   * @param maxMessages the most elements an array frame may hold, messages or not
   */
  public record Limits(int maxFrameChars, int maxDepth, int maxMessages) {
    /** jgun's default frame limit: 10 MiB of characters (Gun.js allows {@link #GUN_MAX_FRAME_CHARS}). */
    public static final int DEFAULT_MAX_FRAME_CHARS = 10 * 1024 * 1024;

    /** The default depth limit; a GUN message needs 5 levels, 6 inside an array. */
    public static final int DEFAULT_MAX_DEPTH = 64;

    /** The default limit on array elements per frame. */
    public static final int DEFAULT_MAX_MESSAGES = 10_000;

    public Limits {
      positive("maxFrameChars", maxFrameChars);
      positive("maxDepth", maxDepth);
      positive("maxMessages", maxMessages);
    }

    /** The defaults: 10 MiB, depth 64, 10,000 messages. */
    public static Limits defaults() {
      return new Limits(DEFAULT_MAX_FRAME_CHARS, DEFAULT_MAX_DEPTH, DEFAULT_MAX_MESSAGES);
    }

    public Limits withMaxFrameChars(int v) {
      return new Limits(v, maxDepth, maxMessages);
    }

    public Limits withMaxDepth(int v) {
      return new Limits(maxFrameChars, v, maxMessages);
    }

    public Limits withMaxMessages(int v) {
      return new Limits(maxFrameChars, maxDepth, v);
    }

    private static void positive(String name, int v) {
      if (v < 1) {
        throw new IllegalArgumentException(name + " must be at least 1, was " + v);
      }
    }
  }

  private final Limits limits;
  private final JsonFactory factory;

  /** A reader with {@link Limits#defaults()}. */
  public MessageReader() {
    this(Limits.defaults());
  }

  public MessageReader(int maxFrameChars, int maxDepth, int maxMessages) {
    this(new Limits(maxFrameChars, maxDepth, maxMessages));
  }

  public MessageReader(Limits limits) {
    this.limits = limits;
    this.factory =
        JsonFactory.builder()
            // Keys are souls and field names chosen by peers: no shared symbol table to fill or
            // to attack with colliding names, and no interning.
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.maxDepth())
                    .maxDocumentLength(limits.maxFrameChars())
                    .maxStringLength(limits.maxFrameChars())
                    .maxNameLength(limits.maxFrameChars())
                    .build())
            .build();
  }

  public Limits limits() {
    return limits;
  }

  /** Reads one frame. */
  public Frame read(String frame) {
    if (frame.length() > limits.maxFrameChars()) {
      return rejected(TOO_BIG);
    }
    int i = 0;
    int len = frame.length();
    while (i < len && isJsonSpace(frame.charAt(i))) {
      i++;
    }
    if (i == len || (frame.charAt(i) != '{' && frame.charAt(i) != '[')) {
      return rejected(MALFORMED);
    }
    try (JsonParser p = factory.createParser(rawSurrogates(frame))) {
      JsonToken t = p.nextToken();
      Frame result;
      if (t == JsonToken.START_OBJECT) {
        result = new Frame(List.of(readMessage(p)), null, 0);
      } else {
        result = readArray(p);
        if (result.error() != null) {
          return result;
        }
      }
      if (p.nextToken() != null) {
        return rejected(MALFORMED); // trailing content after the frame's value
      }
      return result;
    } catch (StreamConstraintsException e) {
      // Jackson has one exception type for all its limits; only nesting is expected here, the
      // length limits being covered by the check above.
      LOG.debug("frame over a limit: {}", e.getOriginalMessage());
      String msg = e.getOriginalMessage();
      return rejected(msg != null && msg.contains("nesting depth") ? TOO_DEEP : TOO_BIG);
    } catch (IOException e) {
      LOG.debug("frame is not JSON: {}", e.getMessage());
      return rejected(MALFORMED);
    } catch (RuntimeException e) {
      // Not expected: the readers only build valid objects. Refuse the frame rather than let a
      // peer's input throw into the transport, and say so loudly.
      LOG.warn("frame could not be read (a jgun bug)", e);
      return rejected(MALFORMED);
    }
  }

  private Frame readArray(JsonParser p) throws IOException {
    List<Message> messages = new ArrayList<>();
    int skipped = 0;
    int count = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) {
        return rejected(MALFORMED);
      }
      if (++count > limits.maxMessages()) {
        return rejected(TOO_MANY);
      }
      if (t == JsonToken.START_OBJECT) {
        messages.add(readMessage(p));
      } else {
        skipped++;
        JsonReading.skip(p, t);
      }
    }
    return new Frame(messages, null, skipped);
  }

  /** Reads the message object whose START_OBJECT was just read. */
  static Message readMessage(JsonParser p) throws IOException {
    Message.Builder b = Message.builder();
    while (JsonReading.nextName(p)) {
      String key = p.currentName();
      JsonToken t = p.nextToken();
      switch (key) {
        case "#":
          b.id(id(p, t));
          break;
        case "@":
          b.ack(id(p, t));
          break;
        case "##":
          readHash(p, t, b);
          break;
        case "put":
          {
            GraphReader.Result r = GraphReader.read(p, t);
            b.put(r.graph()).invalidPut(r.error());
            break;
          }
        case "get":
          if (t == JsonToken.START_OBJECT) {
            b.get(Get.of(JsonReading.readObject(p)));
          } else {
            JsonReading.skip(p, t);
            b.get(null);
          }
          break;
        case "ok":
          b.ok(JsonReading.readValue(p, t));
          break;
        case "err":
          b.err(JsonReading.readValue(p, t));
          break;
        case "%":
          b.more(JsonReading.readValue(p, t));
          break;
        case "dam":
          {
            String dam = string(p, t);
            b.dam(dam == null || dam.isEmpty() ? null : dam);
            break;
          }
        case "pid":
          b.pid(string(p, t));
          break;
        case "><":
          b.route(string(p, t));
          break;
        default:
          b.extra(key, JsonReading.readValue(p, t));
      }
    }
    return b.build();
  }

  /** A message id: a non-empty string, or a non-zero number as its JavaScript text. */
  private static @Nullable String id(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      String s = p.getText();
      return s.isEmpty() ? null : s;
    }
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = JsonReading.number(p);
      return d == 0 ? null : JsNumber.format(d);
    }
    JsonReading.skip(p, t);
    return null;
  }

  private static @Nullable String string(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    JsonReading.skip(p, t);
    return null;
  }

  /** {@code ##}: typed when an int32 value (§7), else kept as it came, in {@code extra}. */
  private static void readHash(JsonParser p, JsonToken t, Message.Builder b) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = JsonReading.number(p);
      if (d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE && d == Math.rint(d)) {
        b.hash((int) d).removeExtra("##");
        return;
      }
    }
    Json v = JsonReading.readValue(p, t);
    b.hash(null).extra("##", v);
  }

  /**
   * {@code frame} with every {@code \\uXXXX} escape of a surrogate replaced by the character itself.
   * Jackson refuses an escaped lone surrogate in a key ("Broken surrogate pair"), while {@code
   * JSON.parse} accepts it and {@code JSON.stringify} writes every lone surrogate that way. The
   * meaning is unchanged: an escape can only stand inside a string, and Jackson takes raw
   * surrogates as they are. Frames without such an escape (nearly all) are returned as they are.
   */
  static String rawSurrogates(String frame) {
    int i = frame.indexOf('\\');
    while (i >= 0 && !isSurrogateEscape(frame, i)) {
      i = frame.indexOf('\\', i + 2); // the character after a backslash is never one itself
    }
    if (i < 0) {
      return frame;
    }
    int len = frame.length();
    StringBuilder out = new StringBuilder(len);
    out.append(frame, 0, i);
    int j = i;
    while (j < len) {
      char c = frame.charAt(j);
      if (c != '\\' || j + 1 >= len) {
        out.append(c);
        j++;
      } else if (isSurrogateEscape(frame, j)) {
        out.append((char) Integer.parseInt(frame.substring(j + 2, j + 6), 16));
        j += 6;
      } else {
        out.append(c).append(frame.charAt(j + 1));
        j += 2;
      }
    }
    return out.toString();
  }

  /** Whether {@code s} has {@code \\u} and a surrogate's 4 hex digits ({@code D800}–{@code DFFF}) at {@code i}. */
  private static boolean isSurrogateEscape(String s, int i) {
    if (i + 5 >= s.length() || s.charAt(i + 1) != 'u') {
      return false;
    }
    char d = s.charAt(i + 2);
    char x = s.charAt(i + 3);
    return (d == 'd' || d == 'D')
        && ((x >= '8' && x <= '9') || (x >= 'a' && x <= 'f') || (x >= 'A' && x <= 'F'))
        && isHex(s.charAt(i + 4))
        && isHex(s.charAt(i + 5));
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static boolean isJsonSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static Frame rejected(Frame.FrameError error) {
    return new Frame(List.of(), error, 0);
  }
}
