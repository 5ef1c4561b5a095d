// A stock Gun.js node relay (what `require('gun')` gives: lib/server.js, so super:true, AXE, radisk,
// SEA), for the jgun interop tests.
//
//   node relay.js --port P [--host ADDRESS] [--peers URL,URL] [--data DIR]
//
// Listens on ADDRESS:P (default 0.0.0.0) with the WebSocket endpoint /gun, dials the given peers, keeps radisk data in
// DIR (default: a fresh temporary folder). Multicast is off (tests must not find each other over UDP)
// and so are the stats files (lib/stats.js would write into the gun package folder).
// Prints one JSON line {"ready": true, "port": P, "pid": ..., "url": "ws://0.0.0.0:P/gun"} once the
// HTTP server listens. Exits on SIGTERM/SIGINT, or when stdin closes (so a dying test JVM never leaves
// it behind).
'use strict';
var http = require('http');
var fs = require('fs');
var os = require('os');
var path = require('path');

var args = {port: 0, host: '0.0.0.0', peers: '', data: ''};
for(var i = 2; i < process.argv.length; i += 2){
  var k = process.argv[i].replace(/^--/, '');
  if(!(k in args)){ process.stderr.write('unknown option: ' + process.argv[i] + '\n'); process.exit(2) }
  args[k] = process.argv[i + 1] || '';
}
var dir = args.data || fs.mkdtempSync(path.join(os.tmpdir(), 'jgun-interop-radata-'));
var peers = args.peers ? args.peers.split(',').filter(Boolean) : [];

// stdout is the protocol channel: Gun.js's own console output (welcome banner, warnings) goes to stderr.
console.log = console.info = console.warn = function(){ process.stderr.write(require('util').format.apply(null, arguments) + '\n') };
// JGUN_INTEROP_TRACE=1: every frame in and out goes to stderr (the test harness shows stderr on failure).
if(process.env.JGUN_INTEROP_TRACE){
  var WS = require('ws');
  var trace = function(dir, data){ process.stderr.write(dir + ' ' + String(data).slice(0, +process.env.JGUN_INTEROP_TRACE > 1 ? +process.env.JGUN_INTEROP_TRACE : 2000) + '\n') };
  var send = WS.prototype.send;
  WS.prototype.send = function(data){ trace('>>', data); return send.apply(this, arguments) };
  var emit = WS.prototype.emit;
  WS.prototype.emit = function(ev, data){ if('message' === ev){ trace('<<', data) } return emit.apply(this, arguments) };
}
var Gun = require('gun');
var server = http.createServer(Gun.serve(__dirname));
server.on('error', function(e){ process.stderr.write('listen failed: ' + e.message + '\n'); process.exit(1) });
server.listen(+args.port, args.host, function(){
  var port = server.address().port;
  process.stdout.write(JSON.stringify({ready: true, port: port, pid: process.pid, url: 'ws://' + args.host + ':' + port + '/gun'}) + '\n');
});
var gun = Gun({web: server, file: dir, peers: peers, multicast: false, stats: false});
var root = gun._;
function say(o){ process.stdout.write(JSON.stringify(o) + '\n') }
root.on('hi', function(peer){ this.to.next(peer); say({peer: 'hi', url: peer.url || null, near: root.opt.mesh.near}) });
root.on('bye', function(peer){ this.to.next(peer); say({peer: 'bye', url: peer.url || null, near: root.opt.mesh.near}) });
// A stock super relay dials its configured peers lazily: only when it broadcasts something of its own
// (AXE forwards clients' GETs only to peers that already have a wire). One local read at start makes
// that first broadcast now, as the relay's own first read would in production, so the mesh link
// comes up without waiting for traffic.
if(peers.length){ gun.get('jgun-interop/dial').once(function(){}) }

function stop(){ server.close(); process.exit(0) }
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
