package io.jgun.interop;

import static io.jgun.interop.JavaClients.WAIT_S;
import static io.jgun.interop.JavaClients.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jgun.client.Gun;
import io.jgun.client.GunException;
import io.jgun.client.UserInfo;
import io.jgun.sea.KeyPair;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Password changes (Gun.js's {@code auth(alias, pass, cb, {change: newPass})}, docs/protocol.md
 * §10.4) and logging in with pub + password across implementations, through each
 * relay kind: an account Gun.js made, re-keyed by Java, opens in Gun.js with the new password only;
 * an account Java made, re-keyed by Gun.js, opens in Java with the new password only; each side
 * opens the other's account from its pub (and epub) and password; and an account whose {@code auth}
 * real sea.js wrote in the pre-2019 {@code encode:'utf8'} form opens in Java, which migrates it to
 * the current form (steps 2 and 4), after which Gun.js still opens it.
 */
class PasswordChangeInteropTest extends UsersInteropBase {
  private static final String NEW_PASS = "a brand new passphrase";

  private static String alias(String who) {
    return JavaClients.alias("pass-interop", who);
  }

  private static GunException.AuthError.Reason reasonOf(CompletableFuture<?> f) throws Exception {
    try {
      f.get(WAIT_S, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(GunException.AuthError.class);
      return ((GunException.AuthError) e.getCause()).reason();
    }
    throw new AssertionError("expected an AuthError, the operation succeeded");
  }

  @Test
  void javaChangesTheGunJsAccountsPasswordAndGunJsLogsInWithTheNewOne() throws Exception {
    String alias = alias("js-made");
    JsonNode made = SeaUsersScript.run(relay, "write", alias, PASS);
    String pub = made.get("pub").asText();

    Gun java = java();
    UserInfo changed = join(java.user().changePassword(alias, PASS, NEW_PASS));
    assertThat(changed.pub()).isEqualTo(pub);
    assertThat(java.user().is()).contains(changed);

    JsonNode withNew = SeaUsersScript.run(relay, "try-login", alias, NEW_PASS);
    assertThat(withNew.has("err")).as("Gun.js with the new password: %s", withNew).isFalse();
    assertThat(withNew.get("pub").asText()).isEqualTo(pub);
    assertThat(withNew.get("epub").asText()).isEqualTo(made.get("epub").asText());
    JsonNode withOld = SeaUsersScript.run(relay, "try-login", alias, PASS);
    assertThat(withOld.get("err").asText()).as("Gun.js with the old password: %s", withOld).isEqualTo("Wrong user or password.");
  }

  @Test
  void gunJsChangesTheJavaAccountsPasswordAndJavaLogsInWithTheNewOne() throws Exception {
    String alias = alias("java-made");
    Gun java = java();
    UserInfo made = join(java.user().create(alias, PASS));
    KeyPair keys = java.user().pair().orElseThrow();
    join(java.user().get("says").put("kept across the change"));

    JsonNode changed = SeaUsersScript.run(relay, "change", alias, PASS, NEW_PASS);
    assertThat(changed.get("pub").asText()).isEqualTo(made.pub());
    assertThat(changed.get("ack").has("err")).as("the relay accepts Gun.js's new auth: %s", changed).isFalse();
    assertThat(changed.get("ack").has("timeout")).as("ack: %s", changed).isFalse();

    Gun other = java();
    assertThat(reasonOf(other.user().auth(alias, PASS))).isEqualTo(GunException.AuthError.Reason.WRONG_USER_OR_PASSWORD);
    assertThat(join(other.user().auth(alias, NEW_PASS))).isEqualTo(made);
    assertThat(other.user().pair()).contains(keys);
    assertThat(join(other.user().get("says").once())).contains("kept across the change");
  }

  @Test
  void aLegacyUtf8AccountOpensInJavaAndIsMigrated() throws Exception {
    String alias = alias("legacy");
    JsonNode made = SeaUsersScript.run(relay, "legacy-account", alias, PASS);
    assertThat(made.get("modernOpens").asBoolean()).as("sea.js: the current decoding fails").isFalse();
    assertThat(made.get("legacyOpens").asBoolean()).as("sea.js: the utf8 decoding opens it").isTrue();
    for (String k : List.of("node", "alias", "says")) {
      assertThat(made.get("acks").get(k).has("err") || made.get("acks").get(k).has("timeout")).as("acks: %s", made.get("acks")).isFalse();
    }
    String pub = made.get("pub").asText();
    JsonNode jsLogin = SeaUsersScript.run(relay, "try-login", alias, PASS);
    assertThat(jsLogin.path("pub").asText()).as("real sea.js logs into it: %s", jsLogin).isEqualTo(pub);

    Gun java = java();
    assertThat(reasonOf(java.user().auth(alias, "not the password"))).isEqualTo(GunException.AuthError.Reason.WRONG_USER_OR_PASSWORD);
    UserInfo in = join(java.user().auth(alias, PASS));
    assertThat(in.pub()).isEqualTo(pub);
    assertThat(in.epub()).isEqualTo(made.get("epub").asText());
    assertThat(join(java.user().get("says").once())).contains("hello from a legacy account");

    // migrated: the relay now holds auth in the current (base64) form, which Java and Gun.js open
    Gun fresh = java();
    String auth = (String) join(fresh.user(pub).get("auth").once()).orElseThrow();
    assertThat(auth).isNotEqualTo(made.get("auth").asText());
    io.jgun.json.Json.Obj parsed = (io.jgun.json.Json.Obj) io.jgun.sea.Sea.parse(auth);
    io.jgun.json.Json.Obj ek = (io.jgun.json.Json.Obj) parsed.get("ek");
    assertThat(((io.jgun.json.Json.Str) ek.get("ct")).value()).matches("[A-Za-z0-9+/]+=*");
    String salt = ((io.jgun.json.Json.Str) parsed.get("s")).value();
    assertThat(io.jgun.sea.Sea.decrypt(ek, io.jgun.sea.Sea.work(io.jgun.json.Json.of(PASS), salt))).isPresent();
    assertThat(join(fresh.user().auth(alias, PASS)).pub()).isEqualTo(pub);
    JsonNode jsAgain = SeaUsersScript.run(relay, "try-login", alias, PASS);
    assertThat(jsAgain.path("pub").asText()).as("Gun.js after the migration: %s", jsAgain).isEqualTo(pub);
  }

  @Test
  void eachSideOpensTheOthersAccountFromItsPubAndPassword() throws Exception {
    // Gun.js account, Java authPub
    String jsAlias = alias("js-pub");
    JsonNode js = SeaUsersScript.run(relay, "write", jsAlias, PASS);
    Gun java = java();
    assertThat(reasonOf(java.user().authPub(js.get("pub").asText(), "not the password"))).isEqualTo(GunException.AuthError.Reason.WRONG_USER_OR_PASSWORD);
    UserInfo in = join(java.user().authPub(js.get("pub").asText(), PASS));
    assertThat(in.pub()).isEqualTo(js.get("pub").asText());
    assertThat(in.epub()).isEqualTo(js.get("epub").asText());
    assertThat(in.alias()).isEqualTo(jsAlias);
    assertThat(join(java.user().get("says").once())).contains("hello from a Gun.js user");

    // Java account, Gun.js auth({pub, epub}, pass)
    String javaAlias = alias("java-pub");
    Gun maker = java();
    UserInfo made = join(maker.user().create(javaAlias, PASS));
    join(maker.user().get("says").put("hello from a Java user"));
    JsonNode opened = SeaUsersScript.run(relay, "login-pub", made.pub(), made.epub(), PASS);
    assertThat(opened.has("err")).as("Gun.js: %s", opened).isFalse();
    assertThat(opened.get("pub").asText()).isEqualTo(made.pub());
    assertThat(opened.get("alias").asText()).isEqualTo(javaAlias);
    assertThat(opened.get("keys").asBoolean()).as("Gun.js decrypted priv and epriv: %s", opened).isTrue();
    assertThat(opened.get("says").get("value").asText()).isEqualTo("hello from a Java user");
    JsonNode wrong = SeaUsersScript.run(relay, "login-pub", made.pub(), made.epub(), "not the password");
    assertThat(wrong.get("err").asText()).isEqualTo("Wrong user or password.");
  }
}
