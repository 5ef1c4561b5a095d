/**
 * Test doubles for jgun's protocol engine: a loop and clocks run by hand ({@link
 * io.jgun.testing.ManualLoop}, {@link io.jgun.testing.ManualClock}) and a connection that records
 * what the mesh sends ({@link io.jgun.testing.FakeWire}), so a test can drive time and check every
 * message without sockets or sleeps.
 */
@NullMarked
package io.jgun.testing;

import org.jspecify.annotations.NullMarked;
