package io.jgun.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The I/O flavour: native epoll when it loads (Linux x86-64), else the JDK's NIO. */
enum Transport {
  EPOLL(EpollServerSocketChannel.class, EpollSocketChannel.class) {
    @Override
    IoHandlerFactory ioHandlerFactory() {
      return EpollIoHandler.newFactory();
    }
  },
  NIO(NioServerSocketChannel.class, NioSocketChannel.class) {
    @Override
    IoHandlerFactory ioHandlerFactory() {
      return NioIoHandler.newFactory();
    }
  };

  private static final Logger log = LoggerFactory.getLogger(Transport.class);

  private final Class<? extends ServerChannel> serverChannel;
  private final Class<? extends SocketChannel> socketChannel;

  Transport(
      Class<? extends ServerChannel> serverChannel, Class<? extends SocketChannel> socketChannel) {
    this.serverChannel = serverChannel;
    this.socketChannel = socketChannel;
  }

  abstract IoHandlerFactory ioHandlerFactory();

  Class<? extends ServerChannel> serverChannel() {
    return serverChannel;
  }

  Class<? extends SocketChannel> socketChannel() {
    return socketChannel;
  }

  /** One event loop group; {@code threads} 0 means Netty's default (twice the cores). */
  EventLoopGroup newGroup(String name, int threads, boolean daemon) {
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory(name, daemon), ioHandlerFactory());
  }

  static Transport choose(boolean preferNative) {
    if (preferNative) {
      try {
        if (Epoll.isAvailable()) {
          return EPOLL;
        }
        log.debug("native epoll unavailable, using NIO", Epoll.unavailabilityCause());
      } catch (LinkageError e) {
        log.debug("native epoll unavailable, using NIO", e);
      }
    }
    return NIO;
  }
}
