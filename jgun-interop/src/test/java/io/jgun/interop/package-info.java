/**
 * Interop tests: real Gun.js peers (npm {@code gun} 0.2020.1241, run with node) talking to a relay
 * through real WebSockets on loopback.
 *
 * <p>The harness starts every peer as a child process and drives it step by step:
 * {@link io.jgun.interop.GunJsClient} is a browser-like Gun.js client ({@code node/client.js}, JSON
 * lines on stdin and stdout), {@link io.jgun.interop.GunJsRelay} a stock Gun.js node relay
 * ({@code node/relay.js}), {@link io.jgun.interop.JgunRelay} the jgun relay ({@code bin/jgun relay}),
 * and {@link io.jgun.interop.RawSocket} a hand-driven WebSocket for hostile input. Every wait is an
 * explicit event with a timeout; no test sleeps. Each scenario runs against both relays
 * ({@link io.jgun.interop.RelayKind}): passing against the Gun.js relay proves the test itself is
 * right, passing against the jgun relay proves jgun is compatible. Where a stock Gun.js relay is known
 * to behave worse than jgun is required to, the difference is a method of {@code RelayKind} and is
 * documented at the assertion that uses it.
 *
 * <p>Threading: each child process has two daemon reader threads (stdout, stderr) that only parse
 * lines and hand them over through concurrent queues and futures; tests run on the JUnit thread.
 */
package io.jgun.interop;
