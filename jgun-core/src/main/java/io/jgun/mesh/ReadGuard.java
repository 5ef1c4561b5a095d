package io.jgun.mesh;

import org.jspecify.annotations.Nullable;

/**
 * A check every incoming GET passes before it is answered: a refused GET gets an answer with
 * {@code err} set to the reason, is not read, not subscribed to and not forwarded, and {@link
 * MeshStats#readsForbidden} counts it. A GET by soul lex is answered with the nodes the guard lets
 * through. Called on the mesh loop: it must be quick and must not block.
 */
@FunctionalInterface
public interface ReadGuard {

  /** Why {@code key} of {@code soul} (the whole node when null) may not be read, or null when it may. */
  @Nullable String refusal(String soul, @Nullable String key);
}
