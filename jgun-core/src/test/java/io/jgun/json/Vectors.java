package io.jgun.json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads the node-generated vector files under {@code src/test/resources/vectors}. */
final class Vectors {
  private Vectors() {}

  /** The lines of a vector file (gunzipped when its name ends in .gz), in order. */
  static List<String> lines(String name) {
    InputStream raw = Vectors.class.getResourceAsStream("/vectors/" + name);
    if (raw == null) {
      throw new IllegalStateException("missing vector file " + name + ": run scripts/gen-number-vectors.js");
    }
    try (InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      List<String> out = new ArrayList<>();
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        out.add(line);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The double whose bits are the 16 hex digits {@code hex}. */
  static double bits(String hex) {
    return Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16));
  }
}
