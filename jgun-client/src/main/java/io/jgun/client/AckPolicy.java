package io.jgun.client;

/** When the future returned by {@link Chain#put} completes. */
public enum AckPolicy {
  /**
   * On the first acknowledgement from a peer (Gun.js's default for a put callback). While no peer
   * is connected the future waits, up to the ack timeout; the write itself stays queued and is sent
   * when a peer connects whatever happens to the future.
   */
  PEER,
  /**
   * As soon as the local store holds the write (durably, for a durable store) and, with an outbox
   * journal ({@link Gun.Builder#outbox}), the journal's record of it is forced to disk. The write is
   * still sent to peers, and re-sent after a reconnect (and, with a journal, after a restart) until
   * one acknowledges it.
   */
  LOCAL
}
