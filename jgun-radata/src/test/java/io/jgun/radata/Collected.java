package io.jgun.radata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A visitor that keeps everything and checks the delivery order as it goes. */
final class Collected implements RadataVisitor {
  final Map<String, Atom> atoms = new LinkedHashMap<>(); // by RAD key, in delivery order
  final List<Damage> damages = new ArrayList<>();
  final List<Progress> progress = new ArrayList<>();
  RadataSummary summary;
  private String lastKey;

  static Collected read(Path folder) throws IOException {
    return read(RadataReader.of(folder));
  }

  static Collected read(RadataReader reader) throws IOException {
    Collected c = new Collected();
    c.summary = reader.read(c);
    return c;
  }

  @Override
  public void atom(Atom atom) {
    String key = atom.radKey();
    if (lastKey != null) {
      assertThat(key).as("delivered in key order, each key once").isGreaterThan(lastKey);
    }
    lastKey = key;
    atoms.put(key, atom);
  }

  @Override
  public void damage(Damage damage) {
    damages.add(damage);
  }

  @Override
  public void progress(Progress p) {
    progress.add(p);
  }

  Atom get(String soul, String key) {
    return atoms.get(soul + RadKeys.ESC + key);
  }

  /** soul → key → [value JSON, state], for comparisons with expectations. */
  Map<String, Map<String, List<Object>>> nodes() {
    Map<String, Map<String, List<Object>>> out = new LinkedHashMap<>();
    for (Atom a : atoms.values()) {
      out.computeIfAbsent(a.soul(), s -> new LinkedHashMap<>())
          .put(a.key(), List.of(a.value().json(), a.state()));
    }
    return out;
  }
}
