package io.jgun.wire;

import io.jgun.graph.Graph;
import io.jgun.json.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One GUN message (docs/protocol.md §3). Fields are typed where jgun interprets them; every other
 * field of the JSON object is kept in {@link #extra} and written back unchanged when the message is
 * forwarded.
 *
 * @param id {@code #}: the message id
 * @param ack {@code @}: the id of the message this one answers
 * @param hash {@code ##}: the DAM content hash of {@code put} (§7), on replies and forwarded GETs
 * @param put {@code put}: a graph, validated (a put that fails validation is reported in
 *     {@link #invalidPut} and left null here)
 * @param get {@code get}: a query
 * @param ok {@code ok}: a write's budget, or an ack's storage result
 * @param err {@code err}: an error text (kept as JSON: peers send any type)
 * @param more {@code %}: "more chunks follow" on replies
 * @param dam {@code dam}: the mesh-control type ({@code ?}, {@code !}, {@code hi}, {@code mob}, …)
 * @param pid {@code pid}: a peer id, in {@code dam:'?'}
 * @param route {@code ><}: peers the sender is connected to, not to forward to
 * @param invalidPut why {@code put} was rejected, in Gun.js's words, or null
 * @param extra every other field, in order
 * @param prepared what a put guard learnt about {@code put} on the thread that read the frame
 *     (SEA's valid signatures), handed with the message to the loop that decides; never written
 */
public record Message(
    @Nullable String id,
    @Nullable String ack,
    @Nullable Integer hash,
    @Nullable Graph put,
    @Nullable Get get,
    @Nullable Json ok,
    @Nullable Json err,
    @Nullable Json more,
    @Nullable String dam,
    @Nullable String pid,
    @Nullable String route,
    @Nullable String invalidPut,
    Map<String, Json> extra,
    @Nullable Prepared prepared) {

  public Message {
    extra = extra.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this message's fields, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.ack = ack;
    b.hash = hash;
    b.put = put;
    b.get = get;
    b.ok = ok;
    b.err = err;
    b.more = more;
    b.dam = dam;
    b.pid = pid;
    b.route = route;
    b.invalidPut = invalidPut;
    b.extra.putAll(extra);
    b.prepared = prepared;
    return b;
  }

  /**
   * What a put guard's preparation found about a message's put (for SEA: the signatures it
   * verified), carried with the message from the reading thread to the loop so the guard's check
   * there needs no shared lookup. Opaque to the wire: implemented by the guard, which trusts only
   * its own, and must stay sound if the put is replaced (SEA's names exact signatures, which no
   * other put can reuse).
   */
  public interface Prepared {}

  /** This message carrying {@code p} (or nothing, when null) as its put's preparation. */
  public Message withPrepared(@Nullable Prepared p) {
    return new Message(id, ack, hash, put, get, ok, err, more, dam, pid, route, invalidPut, extra, p);
  }

  /** True for replies and acks: messages with {@code @}. */
  public boolean isReply() {
    return ack != null;
  }

  /** Collects a message's fields. */
  public static final class Builder {
    private @Nullable String id;
    private @Nullable String ack;
    private @Nullable Integer hash;
    private @Nullable Graph put;
    private @Nullable Get get;
    private @Nullable Json ok;
    private @Nullable Json err;
    private @Nullable Json more;
    private @Nullable String dam;
    private @Nullable String pid;
    private @Nullable String route;
    private @Nullable String invalidPut;
    private final Map<String, Json> extra = new LinkedHashMap<>();
    private @Nullable Prepared prepared;

    private Builder() {}

    public Builder id(@Nullable String v) {
      id = v;
      return this;
    }

    public Builder ack(@Nullable String v) {
      ack = v;
      return this;
    }

    public Builder hash(@Nullable Integer v) {
      hash = v;
      return this;
    }

    public Builder put(@Nullable Graph v) {
      put = v;
      return this;
    }

    public Builder get(@Nullable Get v) {
      get = v;
      return this;
    }

    public Builder ok(@Nullable Json v) {
      ok = v;
      return this;
    }

    public Builder err(@Nullable Json v) {
      err = v;
      return this;
    }

    public Builder err(String v) {
      err = Json.of(v);
      return this;
    }

    public Builder more(@Nullable Json v) {
      more = v;
      return this;
    }

    public Builder dam(@Nullable String v) {
      dam = v;
      return this;
    }

    public Builder pid(@Nullable String v) {
      pid = v;
      return this;
    }

    public Builder route(@Nullable String v) {
      route = v;
      return this;
    }

    public Builder invalidPut(@Nullable String v) {
      invalidPut = v;
      return this;
    }

    public Builder extra(String key, Json value) {
      extra.put(key, value);
      return this;
    }

    public Builder removeExtra(String key) {
      extra.remove(key);
      return this;
    }

    /** What a put guard prepared for {@link #put} (see {@link Prepared}). */
    public Builder prepared(@Nullable Prepared v) {
      prepared = v;
      return this;
    }

    public Message build() {
      return new Message(id, ack, hash, put, get, ok, err, more, dam, pid, route, invalidPut, extra, prepared);
    }
  }
}
