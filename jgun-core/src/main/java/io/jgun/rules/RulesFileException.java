package io.jgun.rules;

/** A rules file that cannot be used: the message names the file, the line and why. */
public final class RulesFileException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int line;

  RulesFileException(String source, int line, String reason) {
    super(source + ":" + line + ": " + reason);
    this.line = line;
  }

  /** The line at fault, from 1. */
  public int line() {
    return line;
  }
}
