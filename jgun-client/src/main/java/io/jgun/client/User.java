package io.jgun.client;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.sea.KeyPair;
import io.jgun.sea.Sea;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gun's user system (docs/protocol.md §10.4) on one {@link Gun}: accounts stored in the graph
 * exactly as Gun.js stores them, so an account made here logs in from Gun.js and the other way
 * round.
 *
 * <pre>{@code
 * User user = gun.user();
 * user.create("alice", "correct horse battery staple").join();   // also logs in
 * user.get("profile").put(Map.of("name", "Alice")).join();         // signed automatically
 * Optional<Object> name = gun.user(user.is().orElseThrow().pub()).get("profile").get("name").once().join();
 * String saved = user.session().orElseThrow().toText();            // holds the private keys!
 * user.leave();
 * user.recall(Session.parse(saved)).join();
 * }</pre>
 *
 * <h2>Graph layout</h2>
 *
 * {@code ~@alias} lists the accounts of an alias ({@code "~pub": {"#": "~pub"}}); {@code ~pub} holds
 * {@code pub} (unsigned), and signed {@code alias}, {@code epub} and {@code auth}, the JSON text
 * {@code {"ek":{ct,iv,s},"s":salt}} where {@code ek} is {@code {priv, epriv}} encrypted with {@code
 * Sea.work(password, salt)} (PBKDF2, 100 000 iterations).
 *
 * <h2>Signed writes</h2>
 *
 * While a user is logged in, every field this {@link Gun} writes into that user's souls ({@code
 * ~pub} and {@code ~pub/…}) is signed as Gun.js's SEA does ({@code {":":value,"~":sig}}), whatever
 * chain wrote it ({@link #get}, or {@code gun.get("~" + pub)…}). Reads through the chain API return
 * plain values in every user soul. Writes into another user's souls are sent unsigned; a relay's
 * firewall refuses them and the put fails with {@link GunException.PeerError} ({@code "Unverified
 * data."}). Signatures of data read from peers are not checked again here: the relay's firewall
 * checked them.
 *
 * <h2>Failures</h2>
 *
 * Every operation completes within the user timeout ({@link Gun.Builder#userTimeout}) with a result
 * or an exception: {@link GunException.AuthError} (with Gun.js's message: "Wrong user or
 * password.", "User already created!", "Password too short!", and "User is already being created
 * or authenticated!" at once when another create/auth/recall/delete of this user is running), {@link
 * GunException.PeerError} when a relay refuses a write, {@link GunException.Timeout}, or {@link
 * GunException.Closed}. Thread-safe; futures complete on the callback executor.
 *
 * <p>(Over 500 lines because it holds the whole account protocol, each operation with Gun.js's
 * retries, messages and timeouts; the record format is {@link AccountRecords}.)
 */
public final class User {
  private static final Logger log = LoggerFactory.getLogger(User.class);

  /** How often {@link #auth(String, String)} looks the alias up again when it finds no account (Gun.js: 9). */
  static final int LOOKUP_RETRIES = 9;


  private final Gun gun;
  private final Engine engine;
  private final Duration timeout;
  private final Duration retryDelay;
  private final Executor crypto;
  private final AtomicBoolean busy = new AtomicBoolean();
  private final Object lock = new Object();
  private @Nullable Session current;

  User(Gun gun, Engine engine, Duration timeout, Duration retryDelay) {
    this.gun = gun;
    this.engine = engine;
    this.timeout = timeout;
    this.retryDelay = retryDelay;
    this.crypto = ForkJoinPool.commonPool();
  }

  // ------------------------------------------------------------------------------------- state

  /** Who is logged in (Gun.js's {@code user.is}), or empty. */
  public Optional<UserInfo> is() {
    Session s = session0();
    return s == null ? Optional.empty() : Optional.of(new UserInfo(s.pair().pub(), s.pair().epub(), s.alias()));
  }

  /** The logged-in user's key pair, private parts included (Gun.js's {@code user._.sea}), or empty. */
  public Optional<KeyPair> pair() {
    Session s = session0();
    return s == null ? Optional.empty() : Optional.of(s.pair());
  }

  /**
   * The current login, to save and {@link #recall} later, or empty. <strong>It holds the private
   * keys</strong>: see {@link Session}.
   */
  public Optional<Session> session() {
    return Optional.ofNullable(session0());
  }

  /** The logged-in user's root node {@code gun.get("~" + pub)}. */
  public Chain root() {
    Session s = session0();
    if (s == null) {
      throw new IllegalStateException("no user is logged in");
    }
    return gun.get("~" + s.pair().pub());
  }

  /** The field {@code key} of the logged-in user's root node; writes through it are signed. */
  public Chain get(String key) {
    return root().get(key);
  }

  /** Forgets the logged-in user (keys and {@link #is()}); writes are no longer signed. Writes nothing. */
  public void leave() {
    synchronized (lock) {
      current = null;
      engine.signer(null);
    }
  }

  private @Nullable Session session0() {
    synchronized (lock) {
      return current;
    }
  }

  private void login(Session s) {
    synchronized (lock) {
      current = s;
      engine.signer(s.pair());
    }
  }

  // ------------------------------------------------------------------------------------- create

  /**
   * Creates an account (docs/protocol.md §10.4): refuses a password shorter than 8 characters and
   * an alias this peer already sees listed; derives the proof with PBKDF2, makes a new pair, writes
   * {@code ~pub} (signed) and the {@code ~@alias} entry, and when both are acknowledged (as the
   * {@link AckPolicy} says) logs the new user in, as Gun.js does.
   */
  public CompletableFuture<UserInfo> create(String alias, String pass) {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(pass, "pass");
    if (alias.isEmpty()) {
      return failed(new GunException.AuthError(GunException.AuthError.Reason.NO_USER));
    }
    if (pass.length() < 8) {
      return failed(new GunException.AuthError(GunException.AuthError.Reason.PASSWORD_TOO_SHORT));
    }
    Op<UserInfo> op = start("create");
    if (op == null) {
      return busy();
    }
    gun.get("~@" + alias).once().whenComplete((found, e) -> {
      if (e != null) {
        op.fail(e);
      } else if (found.isPresent() && found.get() instanceof Map<?, ?> m && !m.isEmpty()) {
        op.fail(new GunException.AuthError(GunException.AuthError.Reason.ALREADY_CREATED));
      } else {
        CompletableFuture.supplyAsync(() -> AccountRecords.account(alias, pass), crypto).whenComplete((acc, e2) -> {
          if (e2 != null) {
            op.fail(e2);
          } else {
            publish(op, alias, acc);
          }
        });
      }
    });
    return op.result;
  }

  private void publish(Op<UserInfo> op, String alias, AccountRecords.Account acc) {
    String soul = "~" + acc.pair().pub();
    CompletableFuture<Ack> node = new CompletableFuture<>();
    engine.submit(
        () -> {
          double state = engine.clock().next();
          Map<String, Field> fields = new LinkedHashMap<>();
          acc.fields().forEach((k, v) -> fields.put(k, new Field(v, state)));
          Graph g = UserSpace.sign(Graph.of(new Node(soul, fields)), acc.pair());
          engine.writeGraph(g, soul, node);
        },
        node);
    CompletableFuture<Ack> index = gun.get("~@" + alias).put(Map.of(soul, Value.link(soul)));
    CompletableFuture.allOf(node, index).whenComplete((v, e) -> {
      if (e != null) {
        op.fail(e);
      } else {
        Session s = new Session(alias, acc.pair());
        op.succeed(() -> login(s), new UserInfo(s.pair().pub(), s.pair().epub(), alias));
      }
    });
  }

  // ------------------------------------------------------------------------------------- auth

  /**
   * Logs in with alias and password (docs/protocol.md §10.4): tries every account listed under the
   * alias, in order, until one's {@code auth} opens with the password; looks the alias up again (up
   * to 9 times) while it finds no account or an account's node has not arrived yet. Fails with
   * "Wrong user or password." when none opens.
   */
  public CompletableFuture<UserInfo> auth(String alias, String pass) {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(pass, "pass");
    Op<UserInfo> op = start("auth");
    if (op == null) {
      return busy();
    }
    authenticate(op, alias, pass, (s, legacy) -> loggedIn(op, s, pass, legacy));
    return op.result;
  }

  /**
   * Logs in with an account's public key and password (Gun.js's {@code user.auth({pub, epub},
   * pass)}, docs/protocol.md §10.4): reads {@code ~pub} and opens its {@code auth} with the
   * password, without the alias lookup. {@link #is()}'s alias is the account's {@code alias} field
   * (the pub prefixed with {@code ~} when it has none). Fails with "Wrong user or password." when
   * the account is not found (after the same retries as {@link #auth(String, String)}) or the
   * password does not open it. Unlike Gun.js, an account without {@code auth} is not logged in
   * keyless.
   */
  public CompletableFuture<UserInfo> authPub(String pub, String pass) {
    Objects.requireNonNull(pub, "pub");
    Objects.requireNonNull(pass, "pass");
    Op<UserInfo> op = start("auth");
    if (op == null) {
      return busy();
    }
    byPub(op, "~" + pub, pass, LOOKUP_RETRIES, (s, legacy) -> loggedIn(op, s, pass, legacy));
    return op.result;
  }

  private void byPub(Op<?> op, String soul, String pass, int retries, BiConsumer<Session, Boolean> then) {
    if (op.done()) {
      return;
    }
    gun.get(soul).once().whenComplete((node, e) -> {
      if (e != null) {
        op.fail(e);
        return;
      }
      if (node.isEmpty() || !(node.get() instanceof Map<?, ?> m) || !(m.get("auth") instanceof String)) {
        if (retries > 0 && engine.connected() > 0) {
          CompletableFuture.delayedExecutor(retryDelay.toMillis(), TimeUnit.MILLISECONDS)
              .execute(() -> byPub(op, soul, pass, retries - 1, then));
        } else {
          op.fail(new GunException.AuthError(GunException.AuthError.Reason.WRONG_USER_OR_PASSWORD));
        }
        return;
      }
      CompletableFuture.supplyAsync(() -> AccountRecords.openAuth(soul, m, pass), crypto).whenComplete((opened, e2) -> {
        if (e2 != null) {
          op.fail(e2);
        } else if (opened.isEmpty()) {
          op.fail(new GunException.AuthError(GunException.AuthError.Reason.WRONG_USER_OR_PASSWORD));
        } else {
          String alias = m.get("alias") instanceof String a ? a : soul;
          then.accept(new Session(alias, opened.get().pair()), opened.get().legacy());
        }
      });
    });
  }

  /**
   * Changes the password of an account (Gun.js's {@code user.auth(alias, oldPass, cb, {change:
   * newPass})}, docs/protocol.md §10.4): logs in with the old password as {@link #auth(String,
   * String)} does, then re-encrypts the same keys under a new salt and the new password and writes
   * the signed {@code auth} field; the keys, pub and data stay. Completes, logged in, once the
   * write is acknowledged (as the {@link AckPolicy} says). Refuses a new password shorter than 8
   * characters ("Password too short!", which Gun.js does not check on a change). Old copies of the
   * account node (a peer that missed the write, a backup) still open with the old password.
   */
  public CompletableFuture<UserInfo> changePassword(String alias, String oldPass, String newPass) {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(oldPass, "oldPass");
    Objects.requireNonNull(newPass, "newPass");
    if (newPass.length() < 8) {
      return failed(new GunException.AuthError(GunException.AuthError.Reason.PASSWORD_TOO_SHORT));
    }
    Op<UserInfo> op = start("change password");
    if (op == null) {
      return busy();
    }
    authenticate(op, alias, oldPass, (s, legacy) -> writeAuth(op, s, newPass, true));
    return op.result;
  }

  /**
   * Completes a login; an account whose {@code auth} opened only in the legacy {@code utf8} form is
   * migrated first (docs/protocol.md §10.4): {@code auth} is written again in the current form,
   * same password, new salt. A refused migration write does not undo the login.
   */
  private void loggedIn(Op<UserInfo> op, Session s, String pass, boolean legacy) {
    if (legacy) {
      writeAuth(op, s, pass, false);
    } else {
      op.succeed(() -> login(s), info(s));
    }
  }

  /**
   * Writes a new signed {@code auth} for {@code s}'s keys under {@code pass} into {@code ~pub}, then
   * logs {@code s} in; with {@code mustSucceed} a refused write fails {@code op}.
   */
  private void writeAuth(Op<UserInfo> op, Session s, String pass, boolean mustSucceed) {
    CompletableFuture.supplyAsync(() -> AccountRecords.authText(s.pair(), pass), crypto).whenComplete((auth, e) -> {
      if (e != null) {
        op.fail(e);
        return;
      }
      String soul = "~" + s.pair().pub();
      CompletableFuture<Ack> put = new CompletableFuture<>();
      engine.submit(
          () -> {
            Map<String, Field> fields = Map.of("auth", new Field(Value.text(auth), engine.clock().next()));
            engine.writeGraph(UserSpace.sign(Graph.of(new Node(soul, fields)), s.pair()), soul, put);
          },
          put);
      put.whenComplete((a, e2) -> {
        if (e2 != null && mustSucceed) {
          op.fail(e2);
        } else {
          if (e2 != null) {
            log.debug("migrating the legacy auth of {} failed: {}", soul, e2.toString());
          }
          op.succeed(() -> login(s), info(s));
        }
      });
    });
  }

  /** Logs in with a full pair (priv and epriv included), reading nothing; {@link #is()}'s alias is the pub. */
  public CompletableFuture<UserInfo> auth(KeyPair pair) {
    return recall(new Session(pair.pub(), pair));
  }

  /**
   * Logs in again with a saved {@link Session} (Gun.js's {@code user.recall}, and {@code
   * user.auth(pair)}): checks that the keys belong together, reads nothing.
   */
  public CompletableFuture<UserInfo> recall(Session session) {
    Objects.requireNonNull(session, "session");
    Op<UserInfo> op = start("recall");
    if (op == null) {
      return busy();
    }
    CompletableFuture.runAsync(() -> {
      if (!AccountRecords.matches(session.pair())) {
        op.fail(new GunException.AuthError(GunException.AuthError.Reason.INVALID_PAIR, "priv does not belong to pub"));
      } else {
        op.succeed(() -> login(session), info(session));
      }
    }, crypto);
    return op.result;
  }

  /**
   * Deletes an account as Gun.js's deprecated {@code user.delete} does (docs/protocol.md §10.4):
   * logs in, writes a signed {@code null} over every field of {@code ~pub} but {@code pub} (so the
   * password no longer opens it), then logs out if that user was logged in. The alias entry stays,
   * and old copies of the node still hold the encrypted keys.
   */
  public CompletableFuture<Void> delete(String alias, String pass) {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(pass, "pass");
    Op<Void> op = start("delete");
    if (op == null) {
      return busy();
    }
    authenticate(op, alias, pass, (s, legacy) -> {
      String soul = "~" + s.pair().pub();
      gun.get(soul).once().whenComplete((node, e) -> {
        if (e != null) {
          op.fail(e);
          return;
        }
        Map<String, @Nullable Object> nulls = new LinkedHashMap<>();
        if (node.isPresent() && node.get() instanceof Map<?, ?> m) {
          m.keySet().forEach(k -> {
            if (!"pub".equals(k)) {
              nulls.put(String.valueOf(k), null);
            }
          });
        }
        Runnable leaveIfMe = () -> {
          if (current != null && current.pair().pub().equals(s.pair().pub())) {
            leave();
          }
        };
        if (nulls.isEmpty()) {
          op.succeed(leaveIfMe, null);
          return;
        }
        CompletableFuture<Ack> put = new CompletableFuture<>();
        engine.submit(
            () -> {
              double state = engine.clock().next();
              Map<String, Field> fields = new LinkedHashMap<>();
              nulls.keySet().forEach(k -> fields.put(k, new Field(Value.NULL, state)));
              engine.writeGraph(UserSpace.sign(Graph.of(new Node(soul, fields)), s.pair()), soul, put);
            },
            put);
        put.whenComplete((a, e2) -> {
          if (e2 != null) {
            op.fail(e2);
          } else {
            op.succeed(leaveIfMe, null);
          }
        });
      });
    });
    return op.result;
  }

  /** Finds the account of {@code alias} that {@code pass} opens and hands its session to {@code then}. */
  private void authenticate(Op<?> op, String alias, String pass, BiConsumer<Session, Boolean> then) {
    lookup(op, alias, pass, new HashSet<>(), LOOKUP_RETRIES, then);
  }

  private void lookup(Op<?> op, String alias, String pass, Set<String> tried, int retries, BiConsumer<Session, Boolean> then) {
    if (op.done()) {
      return;
    }
    gun.get("~@" + alias).once().whenComplete((found, e) -> {
      if (e != null) {
        op.fail(e);
        return;
      }
      List<String> souls = new ArrayList<>();
      if (found.isPresent() && found.get() instanceof Map<?, ?> m) {
        m.forEach((k, v) -> {
          if (v instanceof Map<?, ?> link && link.get("#") instanceof String s && !tried.contains(s)) {
            souls.add(s);
          }
        });
      }
      tryAccounts(op, alias, pass, souls, 0, tried, false, retries, then);
    });
  }

  private void tryAccounts(
      Op<?> op, String alias, String pass, List<String> souls, int i, Set<String> tried, boolean missing, int retries, BiConsumer<Session, Boolean> then) {
    if (op.done()) {
      return;
    }
    if (i == souls.size()) {
      // nothing opened: ask again while an account may still be on its way (docs/protocol.md §10.4)
      boolean worth = (tried.isEmpty() || missing) && engine.connected() > 0;
      if (worth && retries > 0) {
        CompletableFuture.delayedExecutor(retryDelay.toMillis(), TimeUnit.MILLISECONDS)
            .execute(() -> lookup(op, alias, pass, tried, retries - 1, then));
      } else {
        op.fail(new GunException.AuthError(GunException.AuthError.Reason.WRONG_USER_OR_PASSWORD));
      }
      return;
    }
    String soul = souls.get(i);
    gun.get(soul).once().whenComplete((node, e) -> {
      if (e != null) {
        op.fail(e);
        return;
      }
      if (node.isEmpty() || !(node.get() instanceof Map<?, ?> m) || !(m.get("auth") instanceof String)) {
        tryAccounts(op, alias, pass, souls, i + 1, tried, true, retries, then);
        return;
      }
      tried.add(soul);
      CompletableFuture.supplyAsync(() -> AccountRecords.openAuth(soul, m, pass), crypto).whenComplete((opened, e2) -> {
        if (e2 != null) {
          op.fail(e2);
        } else if (opened.isPresent()) {
          then.accept(new Session(alias, opened.get().pair()), opened.get().legacy());
        } else {
          tryAccounts(op, alias, pass, souls, i + 1, tried, missing, retries, then);
        }
      });
    });
  }

  private static UserInfo info(Session s) {
    return new UserInfo(s.pair().pub(), s.pair().epub(), s.alias());
  }

  // ------------------------------------------------------------------------------------- plumbing

  /** One running operation: settles once (result, error or timeout), then frees the user for the next. */
  private final class Op<T> {
    final CompletableFuture<T> result = engine.future();
    private final AtomicBoolean settled = new AtomicBoolean();

    boolean done() {
      return settled.get();
    }

    private boolean settle() {
      if (!settled.compareAndSet(false, true)) {
        return false;
      }
      busy.set(false);
      return true;
    }

    void fail(Throwable e) {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (settle()) {
        engine.fail(result, cause);
      }
    }

    /** Runs {@code effect} (a login or logout) and completes, unless the operation already settled. */
    void succeed(Runnable effect, @Nullable T value) {
      synchronized (lock) {
        if (!settle()) {
          return;
        }
        effect.run();
      }
      engine.complete(result, value);
    }
  }

  private <T> @Nullable Op<T> start(String what) {
    if (!busy.compareAndSet(false, true)) {
      return null;
    }
    Op<T> op = new Op<>();
    CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .execute(() -> op.fail(new GunException.Timeout("user " + what + " did not finish within " + timeout.toMillis() + " ms")));
    return op;
  }

  private <T> CompletableFuture<T> busy() {
    return failed(new GunException.AuthError(GunException.AuthError.Reason.BUSY));
  }

  private <T> CompletableFuture<T> failed(Throwable e) {
    CompletableFuture<T> f = engine.future();
    engine.fail(f, e);
    return f;
  }
}
