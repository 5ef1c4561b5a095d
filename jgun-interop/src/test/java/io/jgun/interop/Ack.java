package io.jgun.interop;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/** What a Gun.js {@code put}/{@code set} callback got: {@code ack.ok} or {@code ack.err}. */
record Ack(@Nullable JsonNode ok, @Nullable String err) {

  static Ack of(JsonNode ack) {
    JsonNode err = ack.get("err");
    return new Ack(ack.get("ok"), err == null || err.isNull() ? null : err.asText());
  }

  boolean isOk() {
    return err == null;
  }
}
