package io.jgun.rules;

/**
 * A soul or key pattern of a rules file: {@code *} (anything), {@code prefix*} (anything starting
 * with the prefix), or an exact text.
 */
record Pattern(String text, boolean prefix) {

  static Pattern parse(String s) {
    int star = s.indexOf('*');
    if (star >= 0 && star != s.length() - 1) {
      throw new IllegalArgumentException("'*' may only end a pattern: '" + s + "'");
    }
    return star < 0 ? new Pattern(s, false) : new Pattern(s.substring(0, star), true);
  }

  boolean matches(String s) {
    return prefix ? s.startsWith(text) : s.equals(text);
  }

  @Override
  public String toString() {
    return prefix ? text + "*" : text;
  }
}
