'use strict';
// A stock Gun.js relay (npm gun's lib/server: radisk, SEA, AXE), multicast and stats off, serving a
// folder as Gun.js's examples/http.js does:
//   node lib/gunjs-relay.js PORT DATA_DIR [PEER_URL,...] [STATIC_DIR]
// Prints "ready PORT" once listening; exits when stdin closes or on SIGTERM.
process.env.MULTICAST = 'false';
const http = require('http');
const Gun = require('gun');
const port = Number(process.argv[2]);
const peers = (process.argv[4] || '').split(',').filter(Boolean);
const server = http.createServer(Gun.serve(process.argv[5] || __dirname));
server.listen(port, '127.0.0.1', () => console.log('ready ' + port));
const gun = Gun({ web: server, file: process.argv[3], peers, multicast: false, stats: false });
gun._.on('hi', function (peer) { this.to.next(peer); console.log('hi ' + (peer.url || 'inbound')); });
// A stock super relay dials its peers lazily, on its first broadcast of its own (AXE forwards
// clients' GETs only to peers that already have a wire): one local read makes that happen now.
if (peers.length) gun.get('jgun-browser/dial').once(() => {});
process.on('SIGTERM', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
