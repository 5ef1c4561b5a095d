#!/usr/bin/env node
// One hostile client flooding a relay at full speed: frames of --batch puts each (a JSON array of
// put messages, a new soul per put), sent as fast as the socket takes them (it waits only while
// more than 4 MiB are buffered), never reading the acks it is sent. Runs until SIGTERM or -d, then
// prints one JSON line: frames and puts sent, sends per second, whether the relay disconnected it,
// and the dam '!' errors it was told.
//
//   node bench/flood.js --port P [--batch 100] [-s 64] [-d 60s]
'use strict';
var path = require('path');
var WebSocket;
try { WebSocket = require('ws') } catch (e) {
  WebSocket = require(path.join(__dirname, '..', 'jgun-interop', 'node', 'node_modules', 'ws'));
}
var args = process.argv.slice(2), opt = {host: '127.0.0.1', port: 8765, batch: 100, size: 64, duration: 60};
for (var i = 0; i < args.length; i++) {
  var a = args[i], v = args[i + 1];
  if (a === '--port') { opt.port = +v; i++ }
  else if (a === '--host') { opt.host = v; i++ }
  else if (a === '--batch') { opt.batch = +v; i++ }
  else if (a === '-s' || a === '--size') { opt.size = +v; i++ }
  else if (a === '-d' || a === '--duration') { opt.duration = parseFloat(v); i++ }
  else { console.error('unknown option ' + a); process.exit(2) }
}
var pad = 'x'.repeat(opt.size), prefix = 'flood' + Math.random().toString(36).slice(2, 8) + '/';
var n = 0, frames = 0, told = [], closed = null, start = Date.now();
var ws = new WebSocket('ws://' + opt.host + ':' + opt.port + '/gun');
ws.on('message', function (d) {
  var s = String(d);
  if (s.indexOf('"dam":"!"') >= 0 && told.length < 5) { told.push(s.slice(0, 200)) }
});
ws.on('close', function (code) { closed = {code: code, afterMs: Date.now() - start}; finish() });
ws.on('error', function () {});
ws.on('open', pump);
function frame() {
  var out = [], state = Date.now() - 1;
  for (var j = 0; j < opt.batch; j++, n++) {
    var soul = prefix + n, node = {_: {'#': soul, '>': {v: state}}, v: pad};
    var put = {}; put[soul] = node;
    out.push({'#': 'f' + n, put: put});
  }
  frames++;
  return JSON.stringify(out);
}
function pump() {
  if (closed) { return }
  while (ws.readyState === 1 && ws.bufferedAmount < 4 << 20) { ws.send(frame()) }
  setImmediate(pump);
}
var done = false;
function finish() {
  if (done) { return } done = true;
  var secs = (Date.now() - start) / 1000;
  process.stdout.write(JSON.stringify({frames: frames, puts: n, putsPerSec: Math.round(n / secs), seconds: secs,
    disconnected: closed, told: told}) + '\n', function () { process.exit(0) });
}
process.on('SIGTERM', finish);
setTimeout(function () { try { ws.terminate() } catch (e) {} finish() }, opt.duration * 1000);
