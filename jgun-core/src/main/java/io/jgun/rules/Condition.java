package io.jgun.rules;

import java.util.List;

/** One condition of a write rule: all of a rule's conditions must hold for it to apply. */
sealed interface Condition {

  boolean holds(WriteRequest w);

  /** {@code key=PATTERN}: the key matches. */
  record Key(Pattern key) implements Condition {
    @Override
    public boolean holds(WriteRequest w) {
      return key.matches(w.key());
    }
  }

  /** {@code size>N}: the value's JSON text is longer than N characters. */
  record SizeOver(long max) implements Condition {
    @Override
    public boolean holds(WriteRequest w) {
      return w.valueSize() > max;
    }
  }

  /** {@code fields>N}: the node would hold more than N fields. */
  record FieldsOver(long max) implements Condition {
    @Override
    public boolean holds(WriteRequest w) {
      return w.fieldsAfter() > max;
    }
  }

  /** {@code exists}: the key is stored already (the write would overwrite it). */
  record Exists() implements Condition {
    @Override
    public boolean holds(WriteRequest w) {
      return w.current() != null;
    }
  }

  /** {@code signed} / {@code unsigned}. */
  record Signed(boolean signed) implements Condition {
    @Override
    public boolean holds(WriteRequest w) {
      return (w.signer() != null) == signed;
    }
  }

  /** {@code signer=A,B} / {@code signer!=A,B}; {@code owner} stands for the soul's owner. */
  record SignerIs(List<String> pubs, boolean is) implements Condition {
    static final String OWNER = "owner";

    @Override
    public boolean holds(WriteRequest w) {
      String signer = w.signer();
      boolean any = false;
      if (signer != null) {
        for (String p : pubs) {
          String pub = p.equals(OWNER) ? w.owner() : p;
          if (signer.equals(pub)) {
            any = true;
            break;
          }
        }
      }
      return any == is;
    }
  }

  /**
   * {@code signer-in=SOUL} / {@code signer-not-in=SOUL}: the signer is a key of the node {@code
   * SOUL} whose value is neither null nor false (a list kept in the graph). An unsigned write is
   * in no list.
   */
  record SignerListed(String list, boolean in) implements Condition {
    @Override
    public boolean holds(WriteRequest w) {
      String signer = w.signer();
      return (signer != null && w.listed(list, signer)) == in;
    }
  }
}
