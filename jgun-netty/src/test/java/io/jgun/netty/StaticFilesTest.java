package io.jgun.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link StaticFiles}: index files, content types, revalidation, and no way out of the folder. */
class StaticFilesTest {
  @TempDir Path tmp;
  private Path site;
  private StaticFiles files;

  @BeforeEach
  void site() throws Exception {
    site = Files.createDirectories(tmp.resolve("site"));
    Files.writeString(site.resolve("index.html"), "<h1>home</h1>");
    Files.writeString(site.resolve("app.js"), "console.log(1)");
    Files.writeString(site.resolve("style.css"), "body{}");
    Files.createDirectories(site.resolve("docs"));
    Files.writeString(site.resolve("docs/index.html"), "<h1>docs</h1>");
    Files.writeString(site.resolve("a b+c.txt"), "spaced");
    Files.writeString(tmp.resolve("secret.txt"), "outside the folder");
    Files.createSymbolicLink(site.resolve("escape.txt"), tmp.resolve("secret.txt"));
    Files.createSymbolicLink(site.resolve("escape-dir"), tmp);
    Files.createSymbolicLink(site.resolve("inside.js"), site.resolve("app.js"));
    files = StaticFiles.of(site);
  }

  private HttpRoute.@Nullable Reply raw(String path) {
    return files.handle(new HttpRoute.Request("GET", path, path, "", Map.of(), "test"));
  }

  private HttpRoute.Reply get(String path, Map<String, String> headers) {
    HttpRoute.Reply r = files.handle(new HttpRoute.Request("GET", path, path, "", headers, "test"));
    assertThat(r).as("a reply to GET " + path).isNotNull();
    return java.util.Objects.requireNonNull(r);
  }

  private HttpRoute.Reply get(String path) {
    return get(path, Map.of());
  }

  private static String body(HttpRoute.Reply r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void foldersAnswerTheirIndexAndFilesTheirType() {
    HttpRoute.Reply root = get("/");
    assertThat(root.status()).isEqualTo(200);
    assertThat(body(root)).isEqualTo("<h1>home</h1>");
    assertThat(root.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(body(get("/docs/"))).isEqualTo("<h1>docs</h1>");
    assertThat(get("/app.js").contentType()).isEqualTo("text/javascript; charset=utf-8");
    assertThat(get("/style.css").contentType()).isEqualTo("text/css; charset=utf-8");
    assertThat(body(get("/a%20b+c.txt"))).isEqualTo("spaced");
    assertThat(body(get("/inside.js"))).isEqualTo("console.log(1)"); // a symlink within the folder
  }

  @Test
  void aFolderWithoutItsSlashIsRedirectedSoRelativeLinksWork() {
    HttpRoute.Reply r = get("/docs");
    assertThat(r.status()).isEqualTo(301);
    assertThat(r.headers()).containsEntry("Location", "/docs/");
  }

  @Test
  void missingFilesAndOtherMethodsAreLeftToTheNextRoute() {
    assertThat(raw("/nope.html")).isNull();
    assertThat(raw("/gun")).isNull();
    assertThat(files.handle(new HttpRoute.Request("POST", "/", "/", "", Map.of(), "test"))).isNull();
  }

  @Test
  void repliesCarryValidatorsAndAMatchingRequestGets304() {
    HttpRoute.Reply first = get("/app.js");
    String etag = first.headers().get("ETag");
    String modified = first.headers().get("Last-Modified");
    assertThat(etag).startsWith("\"").endsWith("\"");
    assertThat(modified).endsWith("GMT");
    assertThat(first.headers()).containsEntry("Cache-Control", "no-cache");

    HttpRoute.Reply byTag = get("/app.js", Map.of("if-none-match", etag));
    assertThat(byTag.status()).isEqualTo(304);
    assertThat(byTag.body()).isEmpty();
    assertThat(get("/app.js", Map.of("if-modified-since", modified)).status()).isEqualTo(304);
    assertThat(get("/app.js", Map.of("if-none-match", "\"other\"")).status()).isEqualTo(200);
    assertThat(get("/app.js", Map.of("if-modified-since", "Thu, 01 Jan 1970 00:00:00 GMT")).status()).isEqualTo(200);
  }

  @Test
  void aChangedFileGetsANewEtag() throws Exception {
    String before = get("/app.js").headers().get("ETag");
    Files.writeString(site.resolve("app.js"), "console.log(22)");
    Files.setLastModifiedTime(site.resolve("app.js"), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
    HttpRoute.Reply after = get("/app.js", Map.of("if-none-match", before));
    assertThat(after.status()).isEqualTo(200);
    assertThat(body(after)).isEqualTo("console.log(22)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/../secret.txt",
        "/docs/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/docs/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "/docs/..\\..\\secret.txt",
        "//etc/passwd",
        "/./index.html",
        "/%00index.html",
        "/%zz",
        "/escape.txt",
        "/escape-dir/secret.txt",
        "/escape-dir/"
      })
  void nothingOutsideTheFolderIsServed(String path) {
    HttpRoute.Reply r = get(path);
    assertThat(r.status()).as(path).isEqualTo(404);
    assertThat(body(r)).doesNotContain("outside the folder");
  }

  @Test
  void contentTypesFollowTheExtension() {
    assertThat(StaticFiles.contentType("a.HTML")).isEqualTo("text/html; charset=utf-8");
    assertThat(StaticFiles.contentType("a.json")).isEqualTo("application/json");
    assertThat(StaticFiles.contentType("a.svg")).isEqualTo("image/svg+xml");
    assertThat(StaticFiles.contentType("a.wasm")).isEqualTo("application/wasm");
    assertThat(StaticFiles.contentType("noext")).isEqualTo("application/octet-stream");
  }
}
