'use strict';
// A chat room on a GUN relay. Every message is signed with its author's SEA key pair; readers
// verify the signature against the author's public key and show the author's alias as stored in
// the author's own (signed) user node, so nobody can post under another's name.
//   ?room=NAME   the room (default: lobby)
//   ?peer=URL    the relay (default: this page's server, at /gun)
const params = new URLSearchParams(location.search);
const room = params.get('room') || 'lobby';
const peer = params.get('peer') || location.origin + '/gun';
const gun = Gun({ peers: [peer] });
const user = gun.user();
const messages = gun.get('jgun-chat/' + room);
const $ = (id) => document.getElementById(id);
$('room').textContent = '#' + room;

function status(text) { $('status').textContent = text; }

function loggedIn(ack) {
  if (ack.err) { status(ack.err); return; }
  status('logged in as ' + user.is.alias);
  document.body.classList.add('in');
  $('text').focus();
}

$('account').addEventListener('submit', (e) => {
  e.preventDefault();
  status('logging in…');
  user.auth($('alias').value, $('pass').value, loggedIn);
});
$('signup').addEventListener('click', () => {
  if (!$('account').reportValidity()) return;
  status('signing up…');
  user.create($('alias').value, $('pass').value, (ack) => {
    if (ack.err) { status(ack.err); return; }
    user.auth($('alias').value, $('pass').value, loggedIn);
  });
});
gun.on('auth', () => document.body.classList.add('in'));

$('say').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = $('text').value;
  const at = Date.now();
  // signed over the room and time too, so a signature cannot be replayed elsewhere
  const sig = await SEA.sign(JSON.stringify({ room, at, text }), user._.sea);
  const id = new Date(at).toISOString() + '-' + Math.random().toString(36).slice(2, 8);
  messages.get(id).put({ text, at, pub: user.is.pub, sig });
  $('text').value = '';
});

const shown = {};
// on(), not once(): once() gives up after 99 ms, and a slow answer would leave a message out
messages.map().on(async (m, id) => {
  if (!m || typeof m.text !== 'string' || shown[id]) return;
  shown[id] = true;
  const li = document.createElement('li');
  li.dataset.at = m.at;
  const who = document.createElement('span');
  who.className = 'who';
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = m.text;
  const at = document.createElement('span');
  at.className = 'at';
  at.textContent = new Date(m.at).toLocaleTimeString();
  li.append(who, text, at);
  // in time order
  const after = [...$('messages').children].find((other) => Number(other.dataset.at) > m.at);
  $('messages').insertBefore(li, after || null);
  const signed = await SEA.verify(m.sig, m.pub);
  const ok = !!signed && signed.room === room && signed.at === m.at && signed.text === m.text;
  li.dataset.verified = ok ? 'yes' : 'no';
  gun.user(m.pub).get('alias').on((alias) => {
    if (typeof alias !== 'string') return;
    li.dataset.who = alias;
    who.textContent = alias + (ok ? '' : ' (signature invalid)');
  });
});
