package io.jgun.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL password file ({@code ~/.pgpass}, or {@code PGPASSFILE}) read as libpq reads it: lines
 * {@code hostname:port:database:username:password}, {@code #} comment lines, {@code *} matching
 * anything in the first four fields, {@code \} escaping {@code :} and {@code \}; the first matching
 * line wins. As libpq does on Unix, a file that its group or others may read is ignored, with a
 * warning.
 */
final class PgPass {
  private static final Logger log = LoggerFactory.getLogger(PgPass.class);

  private PgPass() {}

  /** The password {@code file} gives for the connection, or null (no file, no match, unsafe file). */
  static @Nullable String lookup(Path file, String host, int port, String database, String user) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      for (PosixFilePermission p : perms) {
        if (p != PosixFilePermission.OWNER_READ && p != PosixFilePermission.OWNER_WRITE) {
          log.warn("password file {} has group or world access ({}); ignored, as psql ignores it "
              + "(chmod 0600 it)", file, perms);
          return null;
        }
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: libpq does not check there either
    } catch (IOException e) {
      log.warn("password file {}: {}", file, e.toString());
      return null;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      log.warn("password file {} cannot be read: {}", file, e.toString());
      return null;
    }
    String[] want = {host, Integer.toString(port), database, user};
    for (String line : lines) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      List<String> fields = split(line);
      if (fields.size() < 5) {
        continue; // libpq skips lines it cannot parse
      }
      boolean match = true;
      for (int i = 0; i < 4 && match; i++) {
        String f = fields.get(i);
        match = f.equals("*") || f.equals(want[i]);
      }
      if (match) {
        return fields.get(4);
      }
    }
    return null;
  }

  /**
   * The fields of a line, unescaped; the password is the rest of the line after the fourth colon
   * (libpq stops splitting there, so an unescaped colon in it is kept).
   */
  static List<String> split(String line) {
    List<String> out = new ArrayList<>(5);
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        cur.append(line.charAt(++i));
      } else if (c == ':' && out.size() < 4) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
