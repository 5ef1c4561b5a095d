/**
 * SEA, Gun.js's Security, Encryption and Authorization layer (docs/protocol.md §10), on the
 * JDK's crypto alone: {@link io.jgun.sea.Sea} holds the primitives (pair, sign/verify,
 * encrypt/decrypt, work, secret, certify), {@link io.jgun.sea.KeyPair} the keys in Gun's text
 * form, and {@link io.jgun.sea.SeaFirewall} the checks every relay runs on incoming writes
 * (docs/protocol.md §10.6), plugged into the mesh as an {@link io.jgun.mesh.PutGuard}. The user
 * system (create/auth, signed writes) is built on these in jgun-client ({@code
 * io.jgun.client.User}).
 */
@NullMarked
package io.jgun.sea;

import org.jspecify.annotations.NullMarked;
