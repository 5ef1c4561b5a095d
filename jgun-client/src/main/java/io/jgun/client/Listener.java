package io.jgun.client;

import org.jspecify.annotations.Nullable;

/**
 * Receives data from {@link Chain#on}. {@code data} is what {@link Chain#once()} would give: a
 * {@code String}, {@code Long} (integral numbers up to 2^53), {@code Double}, {@code Boolean}, a
 * {@code Map<String, Object>} for a node (links as {@code {"#": soul}} maps), or null when the field
 * was deleted. {@code key} is the field name, or the soul for a chain on a node.
 */
@FunctionalInterface
public interface Listener {
  void onData(@Nullable Object data, String key);
}
