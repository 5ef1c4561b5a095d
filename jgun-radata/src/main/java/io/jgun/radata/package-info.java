/**
 * A reader of Gun.js's {@code radata} folders (RAD, lib/radisk.js of npm gun 0.2020.1241), for
 * migrating data out of Gun.js: {@link io.jgun.radata.RadataReader} streams every atom (soul, key,
 * value, state) a folder holds to a {@link io.jgun.radata.RadataVisitor} and returns a {@link
 * io.jgun.radata.RadataSummary}. No network, no native code, no Gun.js code: the formats are
 * implemented from Gun.js's code and the golden folders (docs/protocol.md §11).
 *
 * <h2>What is read</h2>
 *
 * <ul>
 *   <li>The current format: each file is one {@code JSON.stringify} of a radix tree whose edge
 *       labels concatenate to keys {@code soul + ESC + field} and whose leaves ({@code ""}
 *       properties) are {@code {":": value, ">": state}} (§11.2).
 *   <li>The v0.2019 text format ({@code \x1F}-framed records with depths, §11.3), and the
 *       ESC-framed string leaves of that era ({@code \x1B"Bob\x1B>\x1B+1549776205172\x1B}), in
 *       either file format.
 *   <li>Every regular file of the folder except the {@code %1C} index, whatever the index says:
 *       Gun.js can lose its index (§11.5) and then cannot see files that still hold acked data.
 *       The index is only checked and reported ({@link io.jgun.radata.RadataSummary.IndexReport}).
 *   <li>Optionally rfs's temp files next to the folder ({@code <folder>-<file>-<rnd>.tmp}): a write
 *       whose rename never happened (§11.7 step 5).
 * </ul>
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>Each key is delivered once, with the copy HAM keeps when a key appears in several files
 *       (mislocated data after a split, temp files): the higher state wins, equal states are broken
 *       on the {@code JSON.stringify} text ({@link io.jgun.graph.Ham}). Atoms arrive in key order
 *       (UTF-16 code units, as Gun.js compares), so the fields of a soul arrive together.
 *   <li>Memory is bounded by one file (Gun.js's chunk: 1 MiB by default, capped by {@code
 *       maxFileBytes}) plus the atoms found outside their file's key range ({@code maxStrayAtoms}),
 *       never the whole folder: the folder is read twice when it has more than one file, first to
 *       find those strays, then to deliver.
 *   <li>Damage never crashes the read and is never silent: unreadable or non-RAD files, truncated
 *       JSON, the edges and leaves Gun.js's own parser damaged (labels turned into {@code
 *       "undefined"}, lost {@code ""} wrappers, §11.6), keys without a soul/field split, values
 *       that are not GUN values: each is a {@link io.jgun.radata.Damage} with the file, the key or
 *       prefix, the value and state found, and whether the entry was skipped or salvaged. Salvaging
 *       (off by default) imports entries whose damage leaves no doubt about the atom.
 * </ul>
 *
 * <h2>Threading</h2>
 *
 * <p>A {@code RadataReader} is immutable and may be shared; {@code read} runs on the calling thread
 * and calls the visitor on that thread, one call at a time. The folder must not be written while it
 * is read (stop the Gun.js process first): a file that changes between the two passes aborts the
 * read with a {@link io.jgun.radata.RadataException}.
 */
@NullMarked
package io.jgun.radata;

import org.jspecify.annotations.NullMarked;
