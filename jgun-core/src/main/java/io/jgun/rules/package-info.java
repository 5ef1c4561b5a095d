/**
 * Server-side access rules (docs/rules.md): who may write and read what on a relay.
 *
 * <p>{@link io.jgun.rules.AccessRules} is the SPI: one write check per incoming field and one read
 * check per GET, each answering null (allowed) or the reason sent back as the {@code err}. {@link
 * io.jgun.rules.RuleSet} is the declarative implementation, parsed from a rules file ({@code
 * bin/jgun relay --rules FILE}). {@link io.jgun.rules.RulesGuard} plugs any {@code AccessRules}
 * into the mesh as its {@link io.jgun.mesh.PutGuard} and {@link io.jgun.mesh.ReadGuard}, so the
 * rules see every path a write takes: client puts, puts from meshed relays, and data in answers
 * to GETs. Who signed a write is not decided here: an {@link io.jgun.rules.Identities} (SEA's, in
 * the relay) names it, after SEA's firewall has verified the signature.
 */
@NullMarked
package io.jgun.rules;

import org.jspecify.annotations.NullMarked;
