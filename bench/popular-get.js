#!/usr/bin/env node
// A GET for a popular soul: N raw subscribers of one soul, then one asker sends GETS GETs for it.
// Prints GETs/s and how many forwarded GETs the subscribers received (per-peer traffic), as one
// JSON line. Usage: node bench/popular-get.js ws://127.0.0.1:PORT/gun   (loopback relays only)
const WebSocket = require(require('path').join(__dirname, '..', 'jgun-interop', 'node', 'node_modules', 'ws'));
const url = process.argv[2]; const soul = 'pop' + Math.random().toString(36).slice(2, 7);
const N = 300, GETS = 200;
let forwarded = 0, bytes = 0;
function peer(name, onmsg) { return new Promise(res => { const ws = new WebSocket(url);
  ws.on('message', d => { const t = d.toString(); const arr = t[0] === '[' ? JSON.parse(t) : [JSON.parse(t)];
    for (const m of arr) { if (m.dam === '?' && !m['@']) ws.send(JSON.stringify({ '#': name + 'hi', dam: '?', pid: name, '@': m['#'] })); onmsg && onmsg(m, t.length); } });
  ws.on('open', () => res(ws)); }); }
(async () => {
  const subs = [];
  for (let i = 0; i < N; i++) subs.push(await peer('s' + i + Math.random().toString(36).slice(2, 6), (m, len) => { if (m.get && m['#'] && m['#'].startsWith('ask')) { forwarded++; bytes += len; } }));
  const w = subs[0];
  w.send(JSON.stringify({ '#': 'put' + soul, put: { [soul]: { _: { '#': soul, '>': { v: Date.now() - 5 } }, v: 1 } } }));
  for (let i = 0; i < N; i++) subs[i].send(JSON.stringify({ '#': 'sub' + i + soul, get: { '#': soul } }));
  await new Promise(r => setTimeout(r, 1500));
  let answered = 0; const t0 = Date.now(); let done;
  const fin = new Promise(r => done = r);
  const asker = await peer('asker', m => { if (m['@'] && m['@'].startsWith('ask')) { answered++; if (answered === GETS) done(); } });
  for (let i = 0; i < GETS; i++) asker.send(JSON.stringify({ '#': 'ask' + i + 'x' + Math.random().toString(36).slice(2, 6), get: { '#': soul } }));
  await Promise.race([fin, new Promise(r => setTimeout(r, 20000))]);
  const ms = Date.now() - t0;
  await new Promise(r => setTimeout(r, 500));
  console.log(JSON.stringify({ subscribers: N, gets: GETS, answered, ms, getsPerSec: Math.round(answered / ms * 1000), forwardedGets: forwarded, forwardedPerGet: +(forwarded / GETS).toFixed(1), forwardedBytes: bytes }));
  process.exit(0);
})();
