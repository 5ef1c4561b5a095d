package io.jgun.radata;

import java.io.IOException;

/**
 * A radata folder could not be read as a whole: it changed while being read, or it needs more
 * memory than the reader's limits allow. Damage inside files is never thrown: it is reported as
 * {@link Damage}.
 */
public final class RadataException extends IOException {
  private static final long serialVersionUID = 1L;

  public RadataException(String message) {
    super(message);
  }
}
