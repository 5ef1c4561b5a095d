'use strict';
// A stock Gun.js relay (node_modules/gun, i.e. lib/server.js: radisk, AXE), multicast and stats off:
//   node lib/gunjs-relay.js PORT DATA_DIR
// Prints "ready PORT" once listening; exits when stdin closes or on SIGTERM.
process.env.MULTICAST = 'false';
const http = require('http');
if (process.env.GUNJS_RELAY_TRACE) { // every frame in and out on stderr
  const WS = require('ws');
  const send = WS.prototype.send;
  WS.prototype.send = function (data) { process.stderr.write('>> ' + String(data).slice(0, 300) + '\n'); return send.apply(this, arguments); };
  const emit = WS.prototype.emit;
  WS.prototype.emit = function (ev, data) { if (ev === 'message') process.stderr.write('<< ' + String(data).slice(0, 300) + '\n'); return emit.apply(this, arguments); };
}
const Gun = require('gun');
const port = Number(process.argv[2]);
const server = http.createServer(Gun.serve(__dirname));
server.listen(port, '127.0.0.1', () => console.log('ready ' + port));
Gun({ web: server, file: process.argv[3], multicast: false, stats: false });
process.on('SIGTERM', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
