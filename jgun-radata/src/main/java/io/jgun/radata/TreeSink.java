package io.jgun.radata;

import io.jgun.json.Json;
import org.jspecify.annotations.Nullable;

/** What the file-format readers ({@link JsonTree}, {@link LegacyTree}) find in a file. */
interface TreeSink {

  /**
   * A value at a full key: normally a leaf {@code {":": v, ">": s}} under a {@code ""} property.
   *
   * @param key the key (edge labels concatenated)
   * @param value the leaf as found
   * @param unwrapped the leaf was found as a bare node, without its {@code ""} wrapper
   * @param undefinedEdge the path to it crosses an edge labelled {@code "undefined"}
   * @param problem a reason the leaf cannot be an atom that only the format reader can see (e.g. a
   *     v0.2019 record without a parent), or null
   */
  void leaf(
      String key, Json value, boolean unwrapped, boolean undefinedEdge, @Nullable Problem problem);

  /** Why a leaf cannot be an atom, as only the format reader can tell. */
  record Problem(Damage.Kind kind, String detail) {}

  /** A value where a branch (object) belongs, not part of any leaf. */
  void stray(String key, Json value, boolean undefinedEdge);

  /** A v0.2019 record that could not be read; the rest of the file is lost. */
  void brokenRecord(String key, String detail);
}
