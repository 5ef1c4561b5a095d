package io.jgun.rules;

import java.util.List;

/** One line of a rules file: whether it allows or denies, what, where, when, and why. */
record Rule(boolean allow, boolean write, Pattern soul, List<Condition> conditions, String reason, int line) {

  boolean applies(WriteRequest w) {
    if (!write || !soul.matches(w.soul())) {
      return false;
    }
    for (Condition c : conditions) {
      if (!c.holds(w)) {
        return false;
      }
    }
    return true;
  }

  boolean applies(String readSoul) {
    return !write && soul.matches(readSoul);
  }
}
