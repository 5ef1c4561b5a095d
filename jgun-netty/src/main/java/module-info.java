/** The WebSocket server and client over Netty: a transport for the mesh and the client. */
// the modules named in qualified exports are built after this one, so javac cannot see them yet
@SuppressWarnings("module")
module io.jgun.netty {
  requires io.jgun.core;
  requires java.management; // the direct memory in use (FrameAssembly)
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires io.netty.common;
  requires io.netty.handler;
  requires io.netty.transport;
  requires io.netty.transport.classes.epoll;
  requires org.slf4j;

  exports io.jgun.netty to io.jgun.client, io.jgun.relay;
}
