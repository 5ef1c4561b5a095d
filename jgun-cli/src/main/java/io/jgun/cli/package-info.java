/**
 * The {@code jgun} command line ({@link io.jgun.cli.Main}, picocli): {@code jgun relay} (the relay's
 * own command, from jgun-relay), {@code jgun import-radata} (a Gun.js radata folder into a jgun data
 * directory, with jgun-radata), and the client commands {@code put}, {@code get}, {@code watch} and
 * {@code chat} (on jgun-client). It is its own module so that the relay does not depend on the
 * client or on the radata reader: only the command line joins them. The only place in jgun that may
 * call {@code System.exit}.
 */
@NullMarked
package io.jgun.cli;

import org.jspecify.annotations.NullMarked;
