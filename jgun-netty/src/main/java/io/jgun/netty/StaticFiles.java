package io.jgun.netty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Serves a folder over HTTP beside the WebSocket endpoint, as Gun.js's {@code examples/http.js}
 * does: {@code GET /} and {@code GET /dir/} answer the folder's {@code index.html}, files get a
 * content type from their extension, an {@code ETag} and {@code Last-Modified} (a matching {@code
 * If-None-Match} or {@code If-Modified-Since} gets {@code 304}) and {@code Cache-Control:
 * no-cache} (the browser revalidates, so a deployed change shows on the next load).
 *
 * <p>Nothing outside the folder is served: a path is percent-decoded once, then refused ({@code
 * 404}) if a segment is {@code ..}, {@code .}, empty or contains a backslash or NUL, and the file's
 * real path (symlinks resolved) must lie inside the folder's real path. Requests that are not GET
 * or HEAD, and paths with no file, are left to the next route. Files over {@link #MAX_BYTES} are
 * refused with 413: routes run on the I/O thread, which must not read large files.
 */
public final class StaticFiles implements HttpRoute {

  /** The largest file served (8 MiB). */
  public static final long MAX_BYTES = 8L << 20;

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("htm", "text/html; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("map", "application/json"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("md", "text/markdown; charset=utf-8"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("wasm", "application/wasm"),
          Map.entry("woff", "font/woff"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("webmanifest", "application/manifest+json"));

  private final Path root;

  private StaticFiles(Path root) {
    this.root = root;
  }

  /**
   * Serves {@code dir}.
   *
   * @throws IOException if {@code dir} is not a readable directory
   */
  public static StaticFiles of(Path dir) throws IOException {
    Path real = dir.toRealPath();
    if (!Files.isDirectory(real)) {
      throw new IOException("--static " + dir + ": not a directory");
    }
    return new StaticFiles(real);
  }

  /** The folder served (its real path). */
  public Path root() {
    return root;
  }

  @Override
  public @Nullable Reply handle(Request request) {
    if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
      return null;
    }
    String relative = relative(request.path());
    if (relative == null) {
      return Reply.text(404, "Not Found");
    }
    try {
      Path real = inside(root.resolve(relative));
      if (real == null) {
        return null;
      }
      if (!real.startsWith(root)) {
        return Reply.text(404, "Not Found"); // a symlink pointing out of the folder
      }
      if (Files.isDirectory(real)) {
        if (!relative.isEmpty() && !request.path().endsWith("/")) {
          // as static servers do, so the page's relative links resolve inside the folder
          return new Reply(301, "text/plain; charset=utf-8", new byte[0], Map.of())
              .withHeader("Location", request.path() + "/");
        }
        real = inside(real.resolve("index.html"));
        if (real == null) {
          return null;
        }
        if (!real.startsWith(root)) {
          return Reply.text(404, "Not Found");
        }
      }
      BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attrs.isRegularFile()) {
        return null;
      }
      if (attrs.size() > MAX_BYTES) {
        return Reply.text(413, "File too large to serve (over " + MAX_BYTES + " bytes)");
      }
      Instant modified = attrs.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.SECONDS);
      String etag = "\"" + Long.toHexString(attrs.size()) + "-" + Long.toHexString(attrs.lastModifiedTime().toMillis()) + "\"";
      String type = contentType(real.getFileName().toString());
      if (notModified(request, etag, modified)) {
        return cached(new Reply(304, type, new byte[0], Map.of()), etag, modified);
      }
      byte[] body = Files.readAllBytes(real);
      return cached(new Reply(200, type, body, Map.of()), etag, modified);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + relative + " in " + root, e);
    }
  }

  /** The real path of {@code file} (symlinks resolved), or null when there is none. */
  private static @Nullable Path inside(Path file) throws IOException {
    try {
      return file.toRealPath();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static Reply cached(Reply reply, String etag, Instant modified) {
    return reply
        .withHeader("ETag", etag)
        .withHeader("Last-Modified", HTTP_DATE.format(modified))
        .withHeader("Cache-Control", "no-cache")
        .withHeader("X-Content-Type-Options", "nosniff");
  }

  private static boolean notModified(Request request, String etag, Instant modified) {
    String match = request.header("if-none-match");
    if (match != null) {
      for (String tag : match.split(",")) {
        String t = tag.trim();
        if (t.equals(etag) || t.equals("W/" + etag) || t.equals("*")) {
          return true;
        }
      }
      return false; // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2)
    }
    String since = request.header("if-modified-since");
    if (since != null) {
      try {
        return !modified.isAfter(Instant.from(HTTP_DATE.parse(since.trim())));
      } catch (DateTimeParseException e) {
        return false;
      }
    }
    return false;
  }

  /**
   * The decoded path below the folder ("" for the folder itself), or null when it could name
   * something outside it or is malformed.
   */
  static @Nullable String relative(String rawPath) {
    String decoded;
    try {
      decoded = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (!decoded.startsWith("/")) {
      return null;
    }
    String rest = decoded.substring(1);
    boolean dir = rest.endsWith("/");
    if (dir) {
      rest = rest.substring(0, rest.length() - 1);
    }
    if (rest.isEmpty()) {
      return "";
    }
    for (String segment : rest.split("/", -1)) {
      if (segment.isEmpty()
          || segment.equals(".")
          || segment.equals("..")
          || segment.indexOf('\\') >= 0
          || segment.indexOf('\0') >= 0) {
        return null;
      }
    }
    return rest;
  }

  static String contentType(String fileName) {
    int dot = fileName.lastIndexOf('.');
    String ext = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    return TYPES.getOrDefault(ext, "application/octet-stream");
  }
}
