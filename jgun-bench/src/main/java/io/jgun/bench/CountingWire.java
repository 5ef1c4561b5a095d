package io.jgun.bench;

import io.jgun.mesh.Wire;
import org.jspecify.annotations.Nullable;

/** An in-memory accepted connection that counts what the mesh sends it, for benchmarks. */
final class CountingWire implements Wire {
  private final String name;
  private final long[] total;
  private boolean open = true;
  long frames;
  long chars;
  @Nullable String last;

  /** {@code total[0]} counts the frames sent to every wire sharing it. */
  CountingWire(String name, long[] total) {
    this.name = name;
    this.total = total;
  }

  @Override
  public boolean send(String frame) {
    if (!open) {
      return false;
    }
    frames++;
    total[0]++;
    chars += frame.length();
    last = frame;
    return true;
  }

  @Override
  public void close() {
    open = false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean outbound() {
    return false;
  }

  @Override
  public @Nullable String url() {
    return null;
  }

  @Override
  public String remote() {
    return name;
  }
}
