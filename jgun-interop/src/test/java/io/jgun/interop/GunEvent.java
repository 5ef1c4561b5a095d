package io.jgun.interop;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * What a Gun.js callback ({@code once}, {@code on}, {@code map().on} …) was called with: the key, the
 * value ({@code found == false} when Gun.js passed {@code undefined}, i.e. not found), with the node's
 * {@code _} metadata removed, and the node's soul when the value is a node. Links inside a node stay
 * {@code {"#": soul}}.
 */
record GunEvent(@Nullable String key, boolean found, @Nullable JsonNode data, @Nullable String soul) {

  static GunEvent of(JsonNode line) {
    JsonNode key = line.get("key");
    JsonNode soul = line.get("soul");
    return new GunEvent(key == null || key.isNull() ? null : key.asText(),
        line.path("found").asBoolean(false), line.get("data"),
        soul == null || soul.isNull() ? null : soul.asText());
  }

  /** The field {@code name} of a node value (a missing node in Jackson's terms if absent). */
  JsonNode field(String name) {
    return data == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : data.path(name);
  }

  /** Whether the value is a node that has field {@code name} equal to the given JSON value. */
  boolean has(String name, Object value) {
    return field(name).equals(Json.MAPPER.valueToTree(value));
  }
}
