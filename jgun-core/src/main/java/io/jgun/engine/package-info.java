/**
 * A peer's local graph as its protocol engine uses it: {@link io.jgun.engine.GraphEngine} merges
 * puts with HAM, answers reads by soul, field and lex, holds future-state fields until they are due,
 * and says when an accepted diff is durable. It sits between the two layers it joins, so that
 * neither depends on the other: the mesh (and the client's engine) call a {@code GraphEngine}; a
 * {@link io.jgun.store.Store} knows nothing of the mesh.
 *
 * <ul>
 *   <li>{@link io.jgun.engine.MemoryGraphEngine}: the graph in memory ({@link
 *       io.jgun.graph.MemoryGraph}), for a relay or client without storage.
 *   <li>{@link io.jgun.engine.StoreGraphEngine}: the graph in a {@link io.jgun.store.Store}, with
 *       the fields not yet durable held in front of it and a field cache ({@link
 *       io.jgun.engine.FieldCache}).
 * </ul>
 *
 * <h2>Threading</h2>
 *
 * An engine is called from its owner's loop only (the mesh loop, or a client's loop). A store-backed
 * engine completes durability and off-loop reads on the store's threads; those only touch its
 * concurrent pending map and its synchronized cache.
 */
@NullMarked
package io.jgun.engine;

import org.jspecify.annotations.NullMarked;
