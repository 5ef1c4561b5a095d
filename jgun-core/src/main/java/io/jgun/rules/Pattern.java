package io.jgun.rules;

import java.util.List;

/**
 * A soul or key pattern of a rules file: text where each {@code *} stands for any run of
 * characters, none included: {@code *} is anything, {@code public/*} a prefix, and {@code ~*}
 * followed by {@code /blog} every user's {@code blog} node. No other character is special.
 */
record Pattern(String text, List<String> parts) {

  static Pattern parse(String s) {
    return new Pattern(s, List.of(s.split("\\*", -1)));
  }

  boolean matches(String s) {
    if (parts.size() == 1) {
      return s.equals(text);
    }
    String first = parts.get(0);
    String last = parts.get(parts.size() - 1);
    if (s.length() < first.length() + last.length() || !s.startsWith(first) || !s.endsWith(last)) {
      return false;
    }
    int at = first.length();
    int end = s.length() - last.length();
    for (int i = 1; i < parts.size() - 1; i++) {
      int found = s.indexOf(parts.get(i), at);
      if (found < 0 || found + parts.get(i).length() > end) {
        return false;
      }
      at = found + parts.get(i).length();
    }
    return true;
  }

  @Override
  public String toString() {
    return text;
  }
}
